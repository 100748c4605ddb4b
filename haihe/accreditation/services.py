"""Writes of accreditation: keyword-only, atomic, audited; every status change through
workflows.py (applications through haihe.review.services). Permission is checked before any
input is read."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haihe.accreditation import perms
from haihe.accreditation.eligibility import check, evidence_reason, leader_reasons, scope_reasons
from haihe.accreditation.models import (
    SCOPE_MAX,
    AnnualReport,
    Application,
    Call,
    ChangeKind,
    ChangeRequest,
    Kind,
    Recognition,
    Source,
)
from haihe.accreditation.workflows import (
    APPLICATION_PIPELINE,
    application_workflow,
    call_workflow,
    change_workflow,
    recognition_workflow,
    report_workflow,
)
from haihe.core import clock
from haihe.core.audit import log_action
from haihe.core.numbering import issue
from haihe.core.validation import clean_fields
from haihe.core.workflow import Workflow
from haihe.policy.rules import Decision, param
from haihe.review import services as review

PREFIX = {
    Kind.ENTERPRISE_TRAINING_CENTRE: "QP",
    Kind.HIGH_SKILL_BASE: "JD",
    Kind.MASTER_STUDIO: "DS",
    Kind.ONLINE_PLATFORM: "XS",
    Kind.EVALUATION_BODY: "PJ",
}
FACTS = ("summary", "trainers", "workstations", "area", "leader_title")


def _refuse_unless(workflow: Workflow, actor, obj, name: str) -> None:
    refusal = workflow.refusal(actor, obj, name)
    if refusal is not None:
        Workflow.raise_for(refusal)


def _text(value, limit: int) -> str:
    return str(value or "").strip()[:limit] if value is not None else ""


# -- calls ----------------------------------------------------------------------------------
def _call_fields(data: dict) -> dict:
    from haihe.accreditation.cases import EVIDENCE_KINDS
    from haihe.registry.models import District

    errors: dict = {}
    cleaned = clean_fields(
        Call,
        {k: data[k] for k in ("kind", "year", "round", "title", "opens_on", "closes_on",
                              "description") if k in data},
        errors=errors,
    )  # fmt: skip
    if not (cleaned.get("title") or "").strip() and "title" in data:
        errors.setdefault("title", []).append(_("请填写标题。"))
    opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
    if opens and closes and closes < opens:
        errors.setdefault("closes_on", []).append(_("申报截止日期不得早于开始日期。"))
    required = data.get("required_evidence", [])
    if not isinstance(required, list | tuple) or any(r not in EVIDENCE_KINDS for r in required):
        errors.setdefault("required_evidence", []).append(_("材料类型不在可选范围内。"))
    else:
        cleaned["required_evidence"] = list(dict.fromkeys(required))
    quotas = data.get("quotas", {}) or {}
    codes = set(District.objects.values_list("code", flat=True))
    if not isinstance(quotas, dict) or any(
        k not in codes or not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 10_000
        for k, v in quotas.items()
    ):
        errors.setdefault("quotas", []).append(_("名额应为本市各区代码对应的 0–10000 的整数。"))
    else:
        cleaned["quotas"] = quotas
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def call_create(*, actor, channel: str = "web", **data) -> Call:
    """A draft call of one kind, year and round; `call_open` publishes it."""
    if not perms.can_manage_calls(actor):
        raise PermissionDenied(_("您无权发布申报通知。"))
    cleaned = _call_fields(data)
    for name in ("kind", "year", "title", "opens_on", "closes_on"):
        if cleaned.get(name) in (None, ""):
            raise ValidationError({name: _("此项为必填项。")})
    if Call.objects.filter(
        kind=cleaned["kind"], year=cleaned["year"], round=cleaned.get("round", 1)
    ).exists():
        raise ValidationError({"round": _("该类别本年度已有同一批次的申报通知。")})
    call = Call(
        number=issue("SB", period=str(cleaned["year"]), width=4), created_by=actor, **cleaned
    )
    call_workflow.start(call)
    call.save()
    log_action(actor=actor, action="accreditation.call_created", target=call, data=cleaned,
               channel=channel)  # fmt: skip
    return call


def call_open(*, actor, call: Call, channel: str = "web") -> Call:
    return call_workflow.apply(actor=actor, obj=call, name="open", channel=channel)


def call_close(*, actor, call: Call, channel: str = "web") -> Call:
    return call_workflow.apply(actor=actor, obj=call, name="close", channel=channel)


# -- applications ---------------------------------------------------------------------------
def _leader(value):
    from haihe.registry.models import Person

    if value in (None, ""):
        return None
    if isinstance(value, Person):
        return value
    try:
        return Person.objects.get(pk=int(value))
    except (Person.DoesNotExist, TypeError, ValueError):
        raise ValidationError({"leader": _("人员登记库中没有该领办人。")}) from None


def _scope(value) -> list[dict]:
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple) or len(value) > SCOPE_MAX:
        raise ValidationError(
            {"scope": _("申请范围应为至多 %(n)s 项职业和等级。") % {"n": SCOPE_MAX}}
        )
    items = []
    for item in value:
        try:
            code, level = str(item["occupation"]).strip(), int(item["level"])
        except (KeyError, TypeError, ValueError):
            raise ValidationError({"scope": _("每项申请范围应写明职业编码和等级。")}) from None
        if not code or len(code) > 16 or not 1 <= level <= 5:
            raise ValidationError({"scope": _("每项申请范围应写明职业编码和 1–5 的等级。")})
        items.append({"occupation": code, "level": level})
    unique = {(i["occupation"], i["level"]): i for i in items}
    return sorted(unique.values(), key=lambda i: (i["occupation"], i["level"]))


def _facts(kind: str, data: dict) -> dict:
    errors: dict = {}
    cleaned = clean_fields(Application, {k: data[k] for k in FACTS if k in data}, errors=errors)
    if errors:
        raise ValidationError(errors)
    if "leader" in data:
        cleaned["leader"] = _leader(data["leader"])
        if cleaned["leader"] is not None and kind != Kind.MASTER_STUDIO:
            raise ValidationError({"leader": _("只有技能大师工作室填写领办人。")})
    if "scope" in data:
        cleaned["scope"] = _scope(data["scope"])
        if cleaned["scope"] and kind != Kind.EVALUATION_BODY:
            raise ValidationError({"scope": _("只有评价机构备案填写申请评价的职业和等级。")})
    return cleaned


def preview(*, organisation, call: Call, data: dict, on=None) -> Decision:
    """The eligibility of an application not yet saved (the form's live explanation)."""
    facts = _facts(call.kind, data)
    application = Application(
        call=call, organisation=organisation, district_id=organisation.district_id, kind=call.kind,
        **facts,
    )  # fmt: skip
    return check(application, on=on or clock.today())


@transaction.atomic
def application_create(*, actor, call: Call, channel: str = "web", **data) -> Application:
    """A draft application of the actor's organisation under an open call."""
    if not perms.can_apply(actor):
        raise PermissionDenied(_("只有单位用户可以提交认定申请。"))
    if not call.is_open_on(clock.today()):
        raise ValidationError({"call": _("该申报通知当前不在申报期内。")})
    organisation = actor.organisation
    facts = _facts(call.kind, data)
    if Application.objects.filter(
        call=call, organisation=organisation, status__in=("draft", "returned", "submitted",
                                                          "district_approved", "panel_scored",
                                                          "approved")
    ).exists():  # fmt: skip
        raise ValidationError({"call": _("本单位在该申报通知下已有申请。")})
    application = Application(
        number=issue("RD", period=f"{clock.today():%Y}", width=6),
        call=call,
        organisation=organisation,
        district_id=organisation.district_id,
        kind=call.kind,
        created_by=actor,
        **facts,
    )
    application_workflow.start(application)
    application.save()
    log_action(
        actor=actor,
        action="accreditation.application_created",
        target=application,
        data={"call": call.number, **{k: v for k, v in facts.items() if k != "leader"}},
        channel=channel,
    )
    return application


@transaction.atomic
def application_update(*, actor, application: Application, channel: str = "web", **data):
    """Change a draft or returned application's facts."""
    if not perms.can_edit_application(actor, application):
        raise PermissionDenied(_("该申请当前不能修改。"))
    facts = _facts(application.kind, data)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    for key, value in facts.items():
        setattr(locked, key, value)
    locked.save(update_fields=[*facts])
    for key, value in facts.items():
        setattr(application, key, value)
    log_action(
        actor=actor,
        action="accreditation.application_updated",
        target=locked,
        data={k: (v.pk if hasattr(v, "pk") else v) for k, v in facts.items()},
        channel=channel,
    )
    return locked


def eligibility_of(application: Application, *, on=None) -> Decision:
    """The conditions and the required evidence, as the applicant sees them before submitting."""
    decision = check(application, on=on or clock.today())
    return Decision((*decision.reasons, evidence_reason(application)))


def application_submit(*, actor, application: Application, channel: str = "web"):
    """Submit (or resubmit) to the district: refused, with the reasons, while a condition fails
    or a required document is missing (the pipeline's `submittable`)."""
    application.refresh_from_db()
    decision = eligibility_of(application)
    return review.case_submit(
        APPLICATION_PIPELINE,
        actor=actor,
        case=application,
        channel=channel,
        extra_updates={"eligibility": decision.as_dict()},
    )


def application_withdraw(*, actor, application: Application, reason: str = "", channel="web"):
    return review.case_withdraw(
        APPLICATION_PIPELINE, actor=actor, case=application, reason=reason, channel=channel
    )


@transaction.atomic
def application_decide(
    *, actor, application: Application, decision: str, reason: str = "", channel: str = "web"
) -> Application:
    """A reviewer's decision at the stage the application waits for. The bureau's approval
    puts the result on public notice (a draft notice another person publishes)."""
    stage = APPLICATION_PIPELINE.stage_waiting(application)
    review.case_decide(
        APPLICATION_PIPELINE,
        actor=actor,
        case=application,
        decision=decision,
        reason=reason,
        channel=channel,
    )
    if stage is not None and stage.name == "bureau" and decision == "approve":
        notice = _notice_for(actor, application, channel)
        Application.objects.filter(pk=application.pk).update(notice_id=notice.pk)
        application.notice_id = notice.pk
    return application


def _notice_for(actor, application: Application, channel: str):
    from haihe.notices.services import notice_create

    kind = application.get_kind_display()
    return notice_create(
        actor=actor,
        kind="accreditation.result",
        title=_("%(kind)s认定结果公示：%(name)s")
        % {"kind": kind, "name": application.organisation.name},
        body=_(
            "经单位申报、区级初审、专家评审和市人力资源和社会保障局研究，拟认定%(name)s为%(kind)s"
            "（申请编号 %(number)s）。公示期内，任何单位和个人如有异议，可实名书面提出。"
        )
        % {"name": application.organisation.name, "kind": kind, "number": application.number},
        target=application,
        channel=channel,
    )


def notice_closed(notice) -> None:
    """The notices module's hook (inside its transaction): a final notice grants the
    recognition; an objection upheld or a withdrawn notice sends the application back to the
    bureau's decision."""
    application = (
        Application.objects.filter(pk=int(notice.target_id or 0), status="approved")
        .select_related("organisation", "call")
        .first()
    )
    if application is None:
        return
    if notice.status == "final":
        application_workflow.apply(
            actor=None, obj=application, name="grant", channel="system",
            data={"notice": notice.reference},
        )  # fmt: skip
        recognition_grant(application=application)
    else:
        application_workflow.apply(
            actor=None, obj=application, name="reopen", channel="system",
            data={"notice": notice.reference, "notice_status": notice.status},
            extra_updates={"notice_id": None, "stage_due_on": None},
        )  # fmt: skip


# -- recognitions ---------------------------------------------------------------------------
def validity(kind: str, start: datetime.date) -> datetime.date:
    years = int(param("accreditation.validity_years", on=start).value[kind])
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    return end - datetime.timedelta(days=1)


def recognition_number(kind: str, year: int) -> str:
    return issue(PREFIX[kind], period=str(year), width=5)


@transaction.atomic
def recognition_grant(*, application: Application) -> Recognition:
    """The recognition of a granted application (the platform's step once the notice is
    final): a number, the scope and leader applied for, the dated validity. A newer
    recognition renews the holder's earlier one of the kind; an online platform's
    recognition is its selection for "1+N" (its xAPI credentials work from today)."""
    today = clock.today()
    earlier = list(
        Recognition.objects.filter(
            holder_id=application.organisation_id,
            kind=application.kind,
            status__in=("active", "suspended", "expired"),
        )
    )
    recognition = Recognition(
        number=recognition_number(application.kind, today.year),
        holder_id=application.organisation_id,
        district_id=application.district_id,
        kind=application.kind,
        application=application,
        source=Source.APPLICATION,
        scope=application.scope,
        leader_id=application.leader_id,
        valid_from=today,
        valid_until=validity(application.kind, today),
        granted_at=clock.now(),
        status_since=today,
        renews=earlier[0] if earlier else None,
    )
    recognition_workflow.start(recognition)
    recognition.save()
    for old in earlier:
        recognition_workflow.apply(
            actor=None, obj=old, name="renew", channel="system",
            data={"by": recognition.number},
            extra_updates={"status_since": today, "status_reason": recognition.number},
        )  # fmt: skip
        _platform_off(old, reason=_("重新认定后换发：%(n)s") % {"n": recognition.number})
    if recognition.kind == Kind.ONLINE_PLATFORM:
        _platform_select(recognition)
    log_action(
        actor=None,
        action="accreditation.recognition_granted",
        target=recognition,
        data={"application": application.number, "valid_until": recognition.valid_until},
        channel="system",
    )
    return recognition


def _platform_select(recognition: Recognition) -> None:
    from haihe.xapi.services import platform_select

    selection = platform_select(
        actor=None,
        organisation=recognition.holder,
        valid_from=recognition.valid_from,
        valid_until=recognition.valid_until,
        note=recognition.number,
        channel="system",
    )
    Recognition.objects.filter(pk=recognition.pk).update(xapi_selection=selection)
    recognition.xapi_selection = selection


def _platform_off(recognition: Recognition, *, reason: str, actor=None) -> None:
    from haihe.xapi.services import selection_end

    if recognition.xapi_selection_id:
        selection_end(actor=actor, selection=recognition.xapi_selection, reason=reason)


def _recognition_step(actor, recognition: Recognition, name: str, reason: str, channel: str):
    if not perms.can_manage_recognitions(actor):
        raise PermissionDenied(_("您无权变更认定状态。"))
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise ValidationError({"reason": _("理由不能超过 500 字。")})
    return recognition_workflow.apply(
        actor=actor,
        obj=recognition,
        name=name,
        reason=reason,
        channel=channel,
        extra_updates={"status_since": clock.today(), "status_reason": reason},
    )


@transaction.atomic
def recognition_suspend(*, actor, recognition: Recognition, reason: str, channel: str = "web"):
    """Suspend, with a reason: a suspended evaluation body certifies nothing, a suspended
    platform's xAPI credentials stop working, until reinstated."""
    _recognition_step(actor, recognition, "suspend", reason, channel)
    if recognition.xapi_selection_id:
        from haihe.xapi.services import selection_suspend

        selection_suspend(actor=actor, selection=recognition.xapi_selection, reason=reason)
    return recognition


@transaction.atomic
def recognition_reinstate(*, actor, recognition: Recognition, reason: str, channel: str = "web"):
    _recognition_step(actor, recognition, "reinstate", reason, channel)
    if recognition.xapi_selection_id:
        from haihe.xapi.services import selection_resume

        selection_resume(actor=actor, selection=recognition.xapi_selection, reason=reason)
    return recognition


@transaction.atomic
def recognition_revoke(*, actor, recognition: Recognition, reason: str, channel: str = "web"):
    """Revoke, with a reason, from today: a revoked evaluation body issues no certificate from
    this date; a revoked platform is deselected (its records stay)."""
    _recognition_step(actor, recognition, "revoke", reason, channel)
    _platform_off(recognition, reason=reason, actor=actor)
    return recognition


def recognitions_expire_due(*, today=None) -> int:
    """The platform's daily step: recognitions past their validity become expired."""
    today = today or clock.today()
    due = Recognition.objects.filter(status__in=("active", "suspended"), valid_until__lt=today)
    moved = recognition_workflow.apply_bulk(
        actor=None, queryset=due, name="expire", channel="system",
        extra_updates={"status_since": today, "status_reason": ""},
    )  # fmt: skip
    return len(moved)


# -- annual reports -------------------------------------------------------------------------
@transaction.atomic
def report_submit(
    *, actor, recognition: Recognition, year: int, trained: int, body: str, channel: str = "web"
) -> AnnualReport:
    """The holder files its annual report on a recognition (one a year); the district checks."""
    if not perms.can_file_report(actor, recognition):
        raise PermissionDenied(_("您无权提交该认定的年度报告。"))
    cleaned = clean_fields(AnnualReport, {"year": year, "trained": trained, "body": body})
    if not cleaned["body"].strip():
        raise ValidationError({"body": _("请填写报告内容。")})
    if cleaned["year"] > clock.today().year or cleaned["year"] < recognition.valid_from.year:
        raise ValidationError({"year": _("年度应在认定生效之后、不晚于今年。")})
    if AnnualReport.objects.filter(recognition=recognition, year=cleaned["year"]).exists():
        raise ValidationError({"year": _("该年度的报告已经提交。")})
    report = AnnualReport(recognition=recognition, submitted_by=actor, **cleaned)
    report_workflow.start(report)
    report.save()
    log_action(actor=actor, action="accreditation.report_submitted", target=report,
               data={"year": report.year, "trained": report.trained}, channel=channel)  # fmt: skip
    return report


def report_check(*, actor, report: AnnualReport, accept: bool, note: str = "", channel="web"):
    return report_workflow.apply(
        actor=actor,
        obj=report,
        name="accept" if accept else "return",
        reason=note,
        channel=channel,
        extra_updates={"checked_by": actor, "checked_at": clock.now(), "check_note": note[:500]},
    )


def report_resubmit(*, actor, report: AnnualReport, body: str, trained: int, channel="web"):
    _refuse_unless(report_workflow, actor, report, "resubmit")
    cleaned = clean_fields(AnnualReport, {"trained": trained, "body": body})
    if not cleaned["body"].strip():
        raise ValidationError({"body": _("请填写报告内容。")})
    return report_workflow.apply(
        actor=actor, obj=report, name="resubmit", channel=channel,
        extra_updates={**cleaned, "submitted_at": clock.now()},
    )  # fmt: skip


# -- change requests ------------------------------------------------------------------------
@transaction.atomic
def change_request(
    *, actor, recognition: Recognition, change: str, reason: str, new_scope=None,
    new_leader=None, channel: str = "web",
) -> ChangeRequest:  # fmt: skip
    """The holder asks to change a recognition's scope (evaluation bodies) or its leader
    (master studios); the new scope or leader is checked with the kind's rules."""
    if not perms.can_request_change(actor, recognition):
        raise PermissionDenied(_("您无权申请变更该认定。"))
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise ValidationError({"reason": _("请填写变更理由（不超过 500 字）。")})
    if change == ChangeKind.SCOPE and recognition.kind == Kind.EVALUATION_BODY:
        scope = _scope(new_scope)
        reasons = scope_reasons(scope)
        leader = None
    elif change == ChangeKind.LEADER and recognition.kind == Kind.MASTER_STUDIO:
        scope = []
        leader = _leader(new_leader)
        reasons = leader_reasons(recognition.holder, leader, "", clock.today())
    else:
        raise ValidationError({"change": _("该类认定不能申请此项变更。")})
    decision = Decision(tuple(reasons))
    if not decision.ok:
        raise ValidationError({"change": [r.message for r in decision.refusals]})
    if recognition.changes.filter(status="submitted").exists():
        raise ValidationError({"change": _("该认定已有待审批的变更申请。")})
    request = ChangeRequest(
        recognition=recognition, change=change, new_scope=scope, new_leader=leader,
        reason=reason, requested_by=actor, eligibility=decision.as_dict(),
    )  # fmt: skip
    change_workflow.start(request)
    request.save()
    log_action(actor=actor, action="accreditation.change_requested", target=request,
               data={"change": change, "new_scope": scope}, channel=channel)  # fmt: skip
    return request


@transaction.atomic
def change_decide(*, actor, request: ChangeRequest, approve: bool, reason: str = "", channel="web"):
    change_workflow.apply(
        actor=actor,
        obj=request,
        name="approve" if approve else "reject",
        reason=reason,
        channel=channel,
        extra_updates={"decided_by": actor, "decided_at": clock.now()},
    )
    if approve:
        recognition = Recognition.objects.select_for_update().get(pk=request.recognition_id)
        if request.change == ChangeKind.SCOPE:
            before = recognition.scope
            recognition.scope = request.new_scope
            recognition.save(update_fields=["scope"])
        else:
            before = recognition.leader_id
            recognition.leader_id = request.new_leader_id
            recognition.save(update_fields=["leader"])
        log_action(actor=actor, action="accreditation.recognition_changed", target=recognition,
                   data={"change": request.change, "before": before}, channel=channel)  # fmt: skip
    return request
