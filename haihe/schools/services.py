"""Writes of the technical-schools module: majors, cooperation agreements, performance-pay plans
and the industry list. Keyword-only, the acting user first, atomic, audited; every status change
goes through the declared workflows (workflows.py) via the shared review services."""

import csv
import io
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haihe.core import clock, numbering
from haihe.core.audit import log_action
from haihe.core.validation import clean_fields, day_problem
from haihe.registry.models import Occupation, Organisation, OrgKind
from haihe.review.services import case_decide, case_submit, case_withdraw
from haihe.schools import perms
from haihe.schools.models import (
    Agreement,
    Industry,
    Major,
    PayPlan,
)
from haihe.schools.rules import major_level, pay_decision, plan_decision
from haihe.schools.workflows import (
    AGREEMENT_PIPELINE,
    MAJOR_PIPELINE,
    PAY_PIPELINE,
    agreement_workflow,
    major_workflow,
    pay_workflow,
)

DATA_DIR = Path(__file__).parent / "data"
MAJOR_FIELDS = ("name", "level", "planned_intake", "start_year")
AGREEMENT_FIELDS = ("form", "students", "start_date", "end_date", "summary")
PAY_FIELDS = ("year", "staff_count", "current_total", "proposed_increase", "base_percent")


# the industry list (reference data) ----------------------------------------------------------


@transaction.atomic
def industries_load(text: str | None = None) -> dict:
    """Add and update the industries of a CSV (code, category, name_zh, name_en, sort_order;
    without text: the shipped list); codes missing from it are deactivated, never deleted."""
    if text is None:
        text = (DATA_DIR / "industries.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    problems, seen = [], set()
    created = updated = 0
    for number, row in enumerate(rows, start=2):
        code = (row.get("code") or "").strip()
        if not code or code in seen:
            problems.append(_("第 %(n)d 行：代码为空或重复。") % {"n": number})
            continue
        seen.add(code)
        try:
            values = clean_fields(
                Industry,
                {
                    "category": (row.get("category") or "").strip(),
                    "name_zh": (row.get("name_zh") or "").strip(),
                    "name_en": (row.get("name_en") or "").strip(),
                    "sort_order": int(row.get("sort_order") or 0),
                },
            )
        except (ValidationError, ValueError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            problems.append(_("第 %(n)d 行：%(m)s") % {"n": number, "m": "；".join(messages)})
            continue
        _row, made = Industry.objects.update_or_create(
            code=code, defaults={**values, "active": True}
        )
        created += made
        updated += not made
    if problems:
        raise ValidationError(problems)
    deactivated = Industry.objects.exclude(code__in=seen).filter(active=True).update(active=False)
    return {"created": created, "updated": updated, "deactivated": deactivated}


# shared ----------------------------------------------------------------------------------------


def _require_school(actor) -> Organisation:
    if not perms.can_file(actor):
        raise PermissionDenied(_("只有技工院校的账户可以办理。"))
    return actor.organisation


def _require_editable(actor, case) -> None:
    if not perms.can_edit(actor, case):
        if case.school_id != getattr(actor, "organisation_id", None):
            raise PermissionDenied(_("只能操作本校的申请。"))
        raise ValidationError(_("只有草稿或退回修改的申请可以修改。"))


def _save(case, errors_field: str = "__all__"):
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as exc:
        raise ValidationError({errors_field: _("已有相同的申请（未办结或已批准）。")}) from exc


def _decide(pipeline, *, actor, case, decision: str, reason: str, channel: str, extra=None):
    extra = {
        "review_reason": reason.strip() if decision != "approve" else case.review_reason,
        **(extra or {}),
    }
    stage = pipeline.stage_waiting(case)
    if decision == "approve" and stage is not None and stage.passed == "approved":
        extra["approved_at"] = clock.now()
    return case_decide(
        pipeline,
        actor=actor,
        case=case,
        decision=decision,
        reason=reason,
        channel=channel,
        extra_updates=extra,
    )


# majors ----------------------------------------------------------------------------------------


def _major_values(data: dict) -> tuple[dict, dict]:
    errors: dict = {}
    values = clean_fields(Major, {k: data[k] for k in MAJOR_FIELDS if k in data}, errors=errors)
    occupation = data.get("occupation")
    if not isinstance(occupation, Occupation):
        occupation = Occupation.objects.filter(code=str(occupation or ""), active=True).first()
    if occupation is None or not occupation.active:
        errors.setdefault("occupation", []).append(_("请选择有效的职业（工种）。"))
    industry = data.get("industry")
    if not isinstance(industry, Industry):
        industry = Industry.objects.filter(code=str(industry or ""), active=True).first()
    if industry is None or not industry.active:
        errors.setdefault("industry", []).append(_("请选择服务产业。"))
    if occupation is not None and "level" in values and "level" not in errors:
        reason = major_level(occupation, values["level"])
        if not reason.ok:
            errors.setdefault("level", []).append(reason.message)
    year = values.get("start_year")
    if year is not None and year < clock.today().year - 1:
        errors.setdefault("start_year", []).append(_("开设年份不能早于上一年。"))
    values.update(occupation=occupation, industry=industry)
    return values, errors


@transaction.atomic
def major_create(*, actor, data: dict, channel: str = "web") -> Major:
    """A school's draft application to open a major."""
    school = _require_school(actor)
    values, errors = _major_values(data)
    if errors:
        raise ValidationError(errors)
    major = major_workflow.start(
        Major(
            number=numbering.issue("ZY", period=f"{clock.today():%Y}", width=5),
            school=school,
            district_id=school.district_id,
            created_by=actor,
            **values,
        )
    )
    _save(major, "occupation")
    log_action(actor=actor, action="schools.major_created", target=major, channel=channel)
    return major


@transaction.atomic
def major_update(*, actor, major: Major, data: dict, channel: str = "web") -> Major:
    _require_editable(actor, major)
    full = {name: getattr(major, name) for name in MAJOR_FIELDS}
    full.update(occupation=major.occupation, industry=major.industry, **data)
    values, errors = _major_values(full)
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(major, name, value)
    _save(major, "occupation")
    log_action(actor=actor, action="schools.major_updated", target=major, channel=channel)
    return major


def major_submit(*, actor, major: Major, channel: str = "web") -> Major:
    return case_submit(MAJOR_PIPELINE, actor=actor, case=major, channel=channel)


def major_withdraw(*, actor, major: Major, reason: str = "", channel: str = "web") -> Major:
    return case_withdraw(MAJOR_PIPELINE, actor=actor, case=major, reason=reason, channel=channel)


def major_decide(*, actor, major: Major, decision: str, reason: str = "", channel: str = "web"):
    return _decide(
        MAJOR_PIPELINE, actor=actor, case=major, decision=decision, reason=reason, channel=channel
    )


# cooperation agreements ------------------------------------------------------------------------


def _agreement_values(school, data: dict) -> tuple[dict, dict]:
    errors: dict = {}
    values = clean_fields(
        Agreement, {k: data[k] for k in AGREEMENT_FIELDS if k in data}, errors=errors
    )
    enterprise = data.get("enterprise")
    if not isinstance(enterprise, Organisation):
        enterprise = Organisation.objects.filter(uscc=str(enterprise or "").upper()).first()
    if enterprise is None or not enterprise.kinds.filter(kind=OrgKind.ENTERPRISE).exists():
        errors.setdefault("enterprise", []).append(
            _("请填写合作企业的统一社会信用代码（须为已登记的企业）。")
        )
    elif enterprise.pk == school.pk:
        errors.setdefault("enterprise", []).append(_("合作企业不能是学校本身。"))
    major = data.get("major")
    if major is not None and not isinstance(major, Major):
        major = Major.objects.filter(pk=major).first() if str(major).isdigit() else None
        if major is None:
            errors.setdefault("major", []).append(_("请选择本校已批准的专业。"))
    if major is not None and (major.school_id != school.pk or major.status != "approved"):
        errors.setdefault("major", []).append(_("请选择本校已批准的专业。"))
    for name in ("start_date", "end_date"):
        problem = day_problem(values.get(name))
        if problem:
            errors.setdefault(name, []).append(problem)
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        errors.setdefault("end_date", []).append(_("结束日期不能早于开始日期。"))
    values.update(enterprise=enterprise, major=major)
    return values, errors


@transaction.atomic
def agreement_create(*, actor, data: dict, channel: str = "web") -> Agreement:
    school = _require_school(actor)
    values, errors = _agreement_values(school, data)
    if errors:
        raise ValidationError(errors)
    agreement = agreement_workflow.start(
        Agreement(
            number=numbering.issue("XQ", period=f"{clock.today():%Y}", width=5),
            school=school,
            district_id=school.district_id,
            created_by=actor,
            **values,
        )
    )
    _save(agreement)
    log_action(actor=actor, action="schools.agreement_created", target=agreement, channel=channel)
    return agreement


@transaction.atomic
def agreement_update(*, actor, agreement: Agreement, data: dict, channel: str = "web"):
    _require_editable(actor, agreement)
    full = {name: getattr(agreement, name) for name in AGREEMENT_FIELDS}
    full.update(enterprise=agreement.enterprise, major=agreement.major, **data)
    values, errors = _agreement_values(agreement.school, full)
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(agreement, name, value)
    _save(agreement)
    log_action(actor=actor, action="schools.agreement_updated", target=agreement, channel=channel)
    return agreement


def agreement_submit(*, actor, agreement: Agreement, channel: str = "web") -> Agreement:
    return case_submit(AGREEMENT_PIPELINE, actor=actor, case=agreement, channel=channel)


def agreement_withdraw(*, actor, agreement: Agreement, reason: str = "", channel: str = "web"):
    return case_withdraw(
        AGREEMENT_PIPELINE, actor=actor, case=agreement, reason=reason, channel=channel
    )


def agreement_decide(
    *, actor, agreement: Agreement, decision: str, reason: str = "", channel: str = "web"
):
    return _decide(
        AGREEMENT_PIPELINE,
        actor=actor,
        case=agreement,
        decision=decision,
        reason=reason,
        channel=channel,
    )


# performance pay -------------------------------------------------------------------------------


def pay_calculate(*, actor, data: dict):
    """The school's calculator: the cleaned values, their field errors and (when the values are
    complete) the decision with its reasons. Writes nothing."""
    school = _require_school(actor)
    errors: dict = {}
    values = clean_fields(PayPlan, {k: data[k] for k in PAY_FIELDS if k in data}, errors=errors)
    for name in PAY_FIELDS:
        if values.get(name) is None and name not in errors:
            errors.setdefault(name, []).append(_("请填写此项。"))
    if errors:
        return values, errors, None
    decision = pay_decision(school_id=school.pk, **values)
    return values, errors, decision


def _pay_refused(decision) -> ValidationError:
    refusals = decision.refusals
    field = (
        "proposed_increase" if any(r.rule == "schools.pay_over_cap" for r in refusals) else ("year")
    )
    return ValidationError({field: [r.message for r in refusals]})


@transaction.atomic
def pay_create(*, actor, data: dict, channel: str = "web") -> PayPlan:
    """Save the school's plan (a draft); one refused by the rules (over the cap, no cooperation
    in the year) is not saved: the error says why."""
    school = _require_school(actor)
    values, errors, decision = pay_calculate(actor=actor, data=data)
    if errors:
        raise ValidationError(errors)
    if not decision.ok:
        raise _pay_refused(decision)
    plan = pay_workflow.start(
        PayPlan(
            number=numbering.issue("JX", period=str(values["year"]), width=4),
            school=school,
            district_id=school.district_id,
            created_by=actor,
            cap=decision.amount,
            decision=decision.as_dict(),
            **values,
        )
    )
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:
        raise ValidationError({"year": _("本校该年度已有增核申请。")}) from exc
    log_action(actor=actor, action="schools.pay_created", target=plan, channel=channel)
    return plan


@transaction.atomic
def pay_update(*, actor, plan: PayPlan, data: dict, channel: str = "web") -> PayPlan:
    _require_editable(actor, plan)
    full = {name: getattr(plan, name) for name in PAY_FIELDS}
    full.update(data)
    values, errors, decision = pay_calculate(actor=actor, data=full)
    if errors:
        raise ValidationError(errors)
    if not decision.ok:
        raise _pay_refused(decision)
    for name, value in values.items():
        setattr(plan, name, value)
    plan.cap = decision.amount
    plan.decision = decision.as_dict()
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:
        raise ValidationError({"year": _("本校该年度已有增核申请。")}) from exc
    log_action(actor=actor, action="schools.pay_updated", target=plan, channel=channel)
    return plan


def _fresh(plan: PayPlan) -> dict:
    decision = plan_decision(plan)
    return {"cap": decision.amount, "decision": decision.as_dict()}


def pay_submit(*, actor, plan: PayPlan, channel: str = "web") -> PayPlan:
    return case_submit(
        PAY_PIPELINE, actor=actor, case=plan, channel=channel, extra_updates=_fresh(plan)
    )


def pay_withdraw(*, actor, plan: PayPlan, reason: str = "", channel: str = "web") -> PayPlan:
    return case_withdraw(PAY_PIPELINE, actor=actor, case=plan, reason=reason, channel=channel)


def pay_decide(*, actor, plan: PayPlan, decision: str, reason: str = "", channel: str = "web"):
    """The bureau's decision; an approval records the rules as they stand on the day."""
    return _decide(
        PAY_PIPELINE,
        actor=actor,
        case=plan,
        decision=decision,
        reason=reason,
        channel=channel,
        extra=_fresh(plan) if decision == "approve" else None,
    )
