"""Who may be recognised: the conditions of each kind, as dated parameters, checked and
explained as the applicant fills the form and again at submission (one function, `check`).

Every condition gives a `Reason` (rule code, ok, the facts, the parameter with its date); the
pages show them with `{% explain %}`, the API returns them, the application keeps the decision
it was submitted with.
"""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haihe.accreditation.models import IN_REVIEW, Kind
from haihe.policy.rules import (
    Decision,
    ParameterMissing,
    Reason,
    param,
    register_labels,
    register_messages,
)

register_labels({"kind": {k.value: k.label for k in Kind}})
register_messages(
    {
        "accreditation.call_open": _("申报通知“{call}”在 {opens_on} 至 {closes_on} 期间接受申报。"),
        "accreditation.call_closed": _(
            "申报通知“{call}”的申报期为 {opens_on} 至 {closes_on}，今天不在申报期内。"
        ),
        "accreditation.applicant_kind": _("{kind}可由以下类型的单位申报：{allowed}；本单位符合。"),
        "accreditation.applicant_kind_no": _(
            "{kind}可由以下类型的单位申报：{allowed}；本单位的登记类型（{has}）不在其中。"
        ),
        "accreditation.min_trainers": _(
            "{kind}至少应有 {value} 名培训师资（考评人员），填报 {count} 名。"
        ),
        "accreditation.min_area": _(
            "{kind}的培训场地至少应有 {value} 平方米，填报 {area} 平方米。"
        ),
        "accreditation.leader_missing": _("技能大师工作室须填写领办人。"),
        "accreditation.leader_employed": _("领办人 {leader} 是本单位在职职工。"),
        "accreditation.leader_not_employed": _(
            "领办人 {leader} 不是本单位在职职工（以人员登记库的任职记录为准）。"
        ),
        "accreditation.leader_certificate": _(
            "领办人持有 {level} 职业技能等级证书（{certificate}，{issued_on} 发证），"
            "达到{required}及以上的要求。"
        ),
        "accreditation.leader_title": _("领办人获得“{title}”称号，可领办技能大师工作室。"),
        "accreditation.leader_unqualified": _(
            "领办人应持有{required}及以上职业技能等级证书，或获得以下称号之一：{value}；"
            "登记库中没有该领办人的此类证书，填报的称号为“{title}”。"
        ),
        "accreditation.scope_missing": _("评价机构备案须填写申请评价的职业和等级。"),
        "accreditation.scope_ok": _("申请评价的职业和等级（{count} 项）均为该职业开设的等级。"),
        "accreditation.scope_invalid": _("申请评价的“{item}”不是职业目录中开设的职业等级。"),
        "accreditation.already_recognised": _(
            "本单位已有有效的{kind}认定（{number}，有效期至 {valid_until}），请在期满前申请换发。"
        ),
        "accreditation.not_recognised": _("本单位目前没有有效的{kind}认定。"),
        "accreditation.quota": _("{district}本批次名额 {value} 个，已认定 {used} 个。"),
        "accreditation.quota_full": _(
            "{district}本批次名额 {value} 个已全部用完（已拟认定 {used} 个）。"
        ),
        "accreditation.evidence_ok": _("申报通知要求的材料已全部上传。"),
        "accreditation.evidence_missing": _("尚缺申报通知要求的材料：{missing}。"),
    }
)

LEVEL_WORDS = {
    1: _("一级/高级技师"),
    2: _("二级/技师"),
    3: _("三级/高级工"),
    4: _("四级/中级工"),
    5: _("五级/初级工"),
}
register_labels({"level": {str(k): v for k, v in LEVEL_WORDS.items()}})
register_labels({"required": {str(k): v for k, v in LEVEL_WORDS.items()}})


def _kind_value(key: str, kind: str, on: datetime.date):
    """(the parameter, its value for `kind`) — the value None if the kind has none."""
    try:
        value = param(key, on=on)
    except ParameterMissing:
        return None, None
    table = value.value or {}
    return value, table.get(kind) if isinstance(table, dict) else table


def _call_reason(application, on) -> Reason:
    call = application.call
    params = {
        "call": call.title,
        "opens_on": call.opens_on.isoformat(),
        "closes_on": call.closes_on.isoformat(),
    }
    if call.is_open_on(on):
        return Reason("accreditation.call_open", True, params)
    return Reason("accreditation.call_closed", False, params)


def _applicant_reason(application, on) -> Reason:
    from haihe.registry.models import OrgKind

    parameter, allowed = _kind_value("accreditation.applicant_kinds", application.kind, on)
    allowed = list(allowed or [])
    labels = dict(OrgKind.choices)
    has = application.organisation.kind_codes()
    params = {
        "kind": application.kind,
        "allowed": "、".join(str(labels.get(a, a)) for a in allowed),
        "has": "、".join(str(labels.get(h, h)) for h in has) or "—",
    }
    ok = any(h in allowed for h in has)
    rule = "accreditation.applicant_kind" if ok else "accreditation.applicant_kind_no"
    return Reason(rule, ok, params, parameter)


def _minimum(application, on, key: str, rule: str, field: str, name: str) -> Reason | None:
    parameter, minimum = _kind_value(key, application.kind, on)
    if minimum is None:
        return None
    have = getattr(application, field) or 0
    params = {"kind": application.kind, name: have, "value": int(minimum)}
    return Reason(rule, have >= int(minimum), params, parameter)


def leader_reasons(organisation, leader, title: str, on: datetime.date) -> list[Reason]:
    """The master-studio leader's conditions: named, employed by the applicant on the day, and
    holding a skill-level certificate of the dated level or above, or one of the dated titles.
    Used by applications and by change requests naming a new leader."""
    from haihe.registry.models import Affiliation, Relation
    from haihe.training.models import Outcome, OutcomeKind

    if leader is None:
        return [Reason("accreditation.leader_missing", False)]
    reasons = []
    employed = (
        Affiliation.objects.filter(
            person=leader,
            organisation=organisation,
            relation=Relation.EMPLOYEE,
            since__lte=on,
        )
        .filter(Q(until__isnull=True) | Q(until__gte=on))
        .exists()
    )
    reasons.append(
        Reason(
            "accreditation.leader_employed" if employed else "accreditation.leader_not_employed",
            employed,
            {"leader": leader.name},
        )
    )
    level = param("accreditation.master_studio.leader_level", on=on)
    titles = param("accreditation.master_studio.leader_titles", on=on)
    certificate = (
        Outcome.objects.current()
        .filter(
            enrolment__person=leader,
            kind=OutcomeKind.SKILL_CERTIFICATE,
            level__isnull=False,
            level__lte=int(level.value),
            issued_on__lte=on,
        )
        .order_by("level", "issued_on")
        .first()
    )
    title = (title or "").strip()
    if certificate is not None:
        reasons.append(
            Reason(
                "accreditation.leader_certificate",
                True,
                {
                    "level": str(certificate.level),
                    "certificate": certificate.certificate_number,
                    "issued_on": certificate.issued_on.isoformat(),
                    "required": str(level.value),
                },
                level,
            )
        )
    elif title and title in (titles.value or []):
        reasons.append(Reason("accreditation.leader_title", True, {"title": title}, titles))
    else:
        reasons.append(
            Reason(
                "accreditation.leader_unqualified",
                False,
                {
                    "required": str(level.value),
                    "title": title or "—",
                    "value": "、".join(titles.value or []),
                },
                titles,
            )
        )
    return reasons


def scope_reasons(scope) -> list[Reason]:
    """An evaluation body's scope: at least one item, each an occupation of the catalogue and a
    level it offers."""
    from haihe.registry.models import Occupation

    if not scope:
        return [Reason("accreditation.scope_missing", False)]
    codes = {str(item.get("occupation")) for item in scope}
    levels = dict(Occupation.objects.filter(code__in=codes).values_list("code", "levels"))
    for item in scope:
        code, level = str(item.get("occupation")), item.get("level")
        if code not in levels or level not in (levels[code] or []):
            return [Reason("accreditation.scope_invalid", False, {"item": f"{code}/{level}"})]
    return [Reason("accreditation.scope_ok", True, {"count": len(scope)})]


def _holding_reason(application, on) -> Reason:
    from haihe.accreditation.models import Recognition

    held = (
        Recognition.objects.in_force(on)
        .filter(holder_id=application.organisation_id, kind=application.kind)
        .order_by("-valid_until")
        .first()
    )
    if held is None:
        return Reason("accreditation.not_recognised", True, {"kind": application.kind})
    # within the last year of validity a holder may apply again (renewal)
    if held.valid_until - on <= datetime.timedelta(days=365):
        return Reason("accreditation.not_recognised", True, {"kind": application.kind})
    return Reason(
        "accreditation.already_recognised",
        False,
        {
            "kind": application.kind,
            "number": held.number,
            "valid_until": held.valid_until.isoformat(),
        },
    )


def check(application, *, on: datetime.date) -> Decision:
    """Every condition of the application's kind on day `on`, with its reason."""
    reasons = [_call_reason(application, on), _applicant_reason(application, on)]
    kind = application.kind
    for key, rule, field, name in (
        ("accreditation.min_trainers", "accreditation.min_trainers", "trainers", "count"),
        ("accreditation.min_area", "accreditation.min_area", "area", "area"),
    ):
        reason = _minimum(application, on, key, rule, field, name)
        if reason is not None:
            reasons.append(reason)
    if kind == Kind.MASTER_STUDIO:
        reasons.extend(
            leader_reasons(
                application.organisation, application.leader, application.leader_title, on
            )
        )
    if kind == Kind.EVALUATION_BODY:
        reasons.extend(scope_reasons(application.scope))
    reasons.append(_holding_reason(application, on))
    return Decision(tuple(reasons))


def missing_evidence(application) -> dict[str, str]:
    """The call's required evidence kinds not attached to the application (code -> label)."""
    from haihe.accreditation.cases import KIND
    from haihe.evidence.models import Evidence

    required = list(application.call.required_evidence or [])
    if not required:
        return {}
    present = set(Evidence.objects.of(application).live().values_list("kind", flat=True))
    return {code: KIND.kind_label(code) for code in required if code not in present}


def evidence_reason(application) -> Reason:
    missing = missing_evidence(application)
    if missing:
        return Reason(
            "accreditation.evidence_missing", False, {"missing": "、".join(missing.values())}
        )
    return Reason("accreditation.evidence_ok", True)


def quota_reason(application) -> Reason | None:
    """The call's quota for the applicant's district, if it sets one: how many of the call's
    applications of that district are approved or granted (this one not counted)."""
    quota = (application.call.quotas or {}).get(application.district.code)
    if quota is None:
        return None
    used = (
        application.call.applications.filter(
            district_id=application.district_id, status__in=("approved", "granted")
        )
        .exclude(pk=application.pk)
        .count()
    )
    params = {"district": application.district.name, "value": int(quota), "used": used}
    ok = used < int(quota)
    return Reason("accreditation.quota" if ok else "accreditation.quota_full", ok, params)


__all__ = ["IN_REVIEW", "check", "evidence_reason", "missing_evidence", "quota_reason"]
