"""Writes of scoring: a member saves and submits their sheet; when every live sheet of a case is
in, the case is aggregated (rules.evaluate) and either settled with its score or sent back to
its scorers because they disagreed beyond the limit (recorded as an Aggregation either way);
the chair may send a case back with a reason; the chair locks and signs, a second bureau
person countersigns; after the lock nothing changes except through a recorded reopen.

A member with a conflict of interest with the case can neither save nor submit scores (checked
on every write, on the day of the write), whatever their assignment says.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haihe.core import clock
from haihe.core.audit import log_action
from haihe.panels import perms
from haihe.panels.conflicts import conflicts_of
from haihe.panels.models import (
    Aggregation,
    Assignment,
    AssignmentStatus,
    CaseStatus,
    Panel,
    PanelCase,
    PanelStatus,
    Score,
    ScoreSheet,
    SheetStatus,
)
from haihe.panels.rules import evaluate, fmt, spread_of, weighted_total
from haihe.panels.scheme import Scheme
from haihe.panels.services import scheme_of
from haihe.panels.workflows import System, case_workflow, panel_workflow, sheet_workflow

WRITABLE = (SheetStatus.DRAFT, SheetStatus.RETURNED)


def _check(flow, actor, obj, name: str) -> None:
    """Refuse as Workflow.apply would, before the service validates anything else."""
    refusal = flow.refusal(actor, obj, name)
    if refusal is not None:
        transition = flow.transitions.get(name)
        if transition is not None and flow.state_of(obj) in transition.sources:
            raise PermissionDenied(refusal)
        raise ValidationError(refusal)


def conflict_refusal(user, assignment: Assignment) -> str | None:
    """Why the assigned member may not score this case because of a conflict. The expert is
    told only the kind of conflict (the case is withheld from them, blind panel or not); the
    bureau reads the details."""
    conflicts = conflicts_of(assignment.member.expert, assignment.case)
    if not conflicts:
        return None
    if perms.is_bureau(user):
        details = "；".join(c.message for c in conflicts)
    else:
        details = "、".join(sorted({c.label for c in conflicts}))
    return _("存在利益冲突，不能评分（%(details)s）。请申请回避。") % {"details": details}


def _load(sheet: ScoreSheet) -> ScoreSheet:
    return (
        ScoreSheet.objects.select_for_update()
        .select_related("assignment__case__panel", "assignment__member__expert")
        .get(pk=sheet.pk)
    )


def _writable(actor, sheet: ScoreSheet) -> None:
    assignment = sheet.assignment
    if not perms.owns_assignment(actor, assignment):
        raise PermissionDenied(_("只能填写本人的评分表。"))
    panel = assignment.case.panel
    if panel.status != PanelStatus.SCORING:
        raise ValidationError(
            _("专家组状态为“%(status)s”，不能评分。") % {"status": panel.get_status_display()}
        )
    if assignment.status != AssignmentStatus.ASSIGNED:
        raise ValidationError(_("该评分任务已结束。"))
    if sheet.status not in WRITABLE:
        raise ValidationError(_("评分表已提交，不能修改。"))
    refusal = conflict_refusal(actor, assignment)
    if refusal:
        raise PermissionDenied(refusal)


def parse_scores(scheme: Scheme, raw: dict) -> dict[str, Decimal]:
    """Each given score checked against its criterion's range and decimals; errors by code."""
    errors, parsed = {}, {}
    for code, value in (raw or {}).items():
        criterion = scheme.criterion(str(code))
        if criterion is None:
            errors[str(code)] = _("未知的评分项。")
            continue
        if value is None or str(value).strip() == "":
            continue
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            errors[code] = _("请填写数字。")
            continue
        if not number.is_finite():
            errors[code] = _("请填写数字。")
        elif not criterion.min <= number <= criterion.max:
            errors[code] = _("“%(label)s”的得分应在 %(min)s 至 %(max)s 之间。") % {
                "label": criterion.label,
                "min": fmt(criterion.min),
                "max": fmt(criterion.max),
            }
        elif number.normalize().as_tuple().exponent < -criterion.decimals:
            errors[code] = _("“%(label)s”的得分最多保留 %(n)d 位小数。") % {
                "label": criterion.label,
                "n": criterion.decimals,
            }
        else:
            parsed[code] = number
    if errors:
        raise ValidationError(errors)
    return parsed


@transaction.atomic
def sheet_save(
    *,
    actor,
    sheet: ScoreSheet,
    scores: dict,
    notes: dict | None = None,
    comment: str | None = None,
    channel: str = "web",
) -> ScoreSheet:
    """Save (some of) a member's scores without submitting them."""
    sheet = _load(sheet)
    _writable(actor, sheet)
    scheme = scheme_of(sheet.assignment.case.panel)
    parsed = parse_scores(scheme, scores)
    notes = {str(k): (v or "").strip() for k, v in (notes or {}).items()}
    for code, note in notes.items():
        if scheme.criterion(code) is None:
            raise ValidationError({code: _("未知的评分项。")})
        if len(note) > 500:
            raise ValidationError({code: _("说明不能超过 %(n)d 个字。") % {"n": 500}})
    for code, value in parsed.items():
        Score.objects.update_or_create(
            sheet=sheet, criterion=code, defaults={"value": value, "note": notes.get(code, "")}
        )
    for code, note in notes.items():
        if code not in parsed:
            Score.objects.filter(sheet=sheet, criterion=code).update(note=note)
    if comment is not None:
        comment = comment.strip()
        if len(comment) > 2000:
            raise ValidationError({"comment": _("评语不能超过 %(n)d 个字。") % {"n": 2000}})
        sheet.comment = comment
        sheet.save(update_fields=["comment"])
    log_action(
        actor=actor,
        action="panel_sheet.saved",
        target=sheet,
        data={"scores": {k: str(v) for k, v in parsed.items()}},
        channel=channel,
    )
    return sheet


@transaction.atomic
def sheet_submit(
    *,
    actor,
    sheet: ScoreSheet,
    scores: dict | None = None,
    notes: dict | None = None,
    comment: str | None = None,
    channel: str = "web",
) -> ScoreSheet:
    """Submit a sheet (saving `scores` first if given): every criterion must be scored. The
    last sheet of a case in triggers its aggregation."""
    if scores is not None or notes is not None or comment is not None:
        sheet_save(
            actor=actor,
            sheet=sheet,
            scores=scores or {},
            notes=notes,
            comment=comment,
            channel=channel,
        )
    sheet = _load(sheet)
    _writable(actor, sheet)
    case = sheet.assignment.case
    scheme = scheme_of(case.panel)
    values = {s.criterion: s.value for s in sheet.scores.all()}
    missing = {c.code: _("请为“%(label)s”评分。") % {"label": c.label} for c in scheme.criteria}
    missing = {code: message for code, message in missing.items() if code not in values}
    if missing:
        raise ValidationError(missing)
    total = weighted_total(scheme, values)
    sheet_workflow.apply(
        actor=actor,
        obj=sheet,
        name="submit" if sheet.status == SheetStatus.DRAFT else "resubmit",
        channel=channel,
        extra_updates={
            "total": total,
            "submitted_at": clock.now(),
            "submitted_round": case.round,
            "return_reason": "",
        },
        data={
            "total": total,
            "round": case.round,
            "scores": {k: str(v) for k, v in values.items()},
        },
    )
    settle(case=case, cause=actor)
    return sheet


def settle(*, case: PanelCase, cause) -> Aggregation | None:
    """Aggregate a case once every live sheet is in (and at least the scheme's number of
    scorers): settle it with its score, or send it back to every scorer when the spread check
    fails. Both outcomes are kept as an Aggregation with the explained Decision."""
    case = PanelCase.objects.select_for_update().select_related("panel").get(pk=case.pk)
    if case.status not in (CaseStatus.SCORING, CaseStatus.RESCORE):
        return None
    scheme = scheme_of(case.panel)
    sheets = list(
        ScoreSheet.objects.filter(
            assignment__case=case, assignment__status=AssignmentStatus.ASSIGNED
        ).prefetch_related("scores")
    )
    if len(sheets) < scheme.scorers or any(s.status != SheetStatus.SUBMITTED for s in sheets):
        return None
    values = [{s.criterion: s.value for s in sheet.scores.all()} for sheet in sheets]
    decision = evaluate(scheme, values)
    totals = [weighted_total(scheme, v) for v in values]
    aggregation = Aggregation.objects.create(
        case=case,
        round=case.round,
        accepted=decision.ok,
        method=scheme.method,
        score=decision.amount,
        spread=spread_of(totals),
        totals=[{"sheet": s.pk, "total": str(t)} for s, t in zip(sheets, totals, strict=True)],
        decision=decision.as_dict(),
    )
    system = System(cause)
    data = {**system.data(), "round": case.round, "aggregation": aggregation.pk}
    if decision.ok:
        case_workflow.apply(
            actor=system,
            obj=case,
            name="settle",
            extra_updates={"score": decision.amount},
            data={**data, "score": decision.amount},
        )
    else:
        for sheet in sheets:
            sheet_workflow.apply(actor=system, obj=sheet, name="return", data=data)
        case_workflow.apply(
            actor=system,
            obj=case,
            name="spread_return",
            extra_updates={"round": case.round + 1, "score": None},
            data={**data, "spread": aggregation.spread},
        )
    return aggregation


@transaction.atomic
def case_return(*, actor, case: PanelCase, reason: str, channel: str = "web") -> PanelCase:
    """The chair (or the bureau) sends a case back to its scorers with a reason."""
    case = PanelCase.objects.select_related("panel__chair").get(pk=case.pk)
    _check(case_workflow, actor, case, "return")
    reason = (reason or "").strip()
    if not reason or len(reason) > 1000:
        raise ValidationError({"reason": _("请填写理由（不超过 1000 字）。")})
    if case.panel.status != PanelStatus.SCORING:
        raise ValidationError(_("专家组不在评分中；锁定后须先重新开启。"))
    system = System(actor)
    for sheet in ScoreSheet.objects.filter(
        assignment__case=case,
        assignment__status=AssignmentStatus.ASSIGNED,
        status=SheetStatus.SUBMITTED,
    ):
        sheet_workflow.apply(
            actor=system,
            obj=sheet,
            name="return",
            extra_updates={"return_reason": reason},
            data=system.data(),
        )
    return case_workflow.apply(
        actor=actor,
        obj=case,
        name="return",
        reason=reason,
        channel=channel,
        extra_updates={"round": case.round + 1, "score": None},
    )


def _live_sheets(panel: Panel, status: str):
    return ScoreSheet.objects.filter(
        assignment__case__panel=panel,
        assignment__status=AssignmentStatus.ASSIGNED,
        status=status,
    )


@transaction.atomic
def panel_lock(*, actor, panel: Panel, channel: str = "web") -> Panel:
    """The chair locks the scores once every live case is settled; the sheets lock with it."""
    panel = Panel.objects.select_related("chair").get(pk=panel.pk)
    _check(panel_workflow, actor, panel, "lock")
    live = PanelCase.objects.live().filter(panel=panel)
    if not live.exists():
        raise ValidationError(_("专家组没有需要锁定的案卷。"))
    pending = live.exclude(status=CaseStatus.SCORED).count()
    if pending:
        raise ValidationError(
            _("还有 %(n)d 个案卷未评定（未评完或待重新评分），不能锁定。") % {"n": pending}
        )
    panel_workflow.apply(
        actor=actor,
        obj=panel,
        name="lock",
        channel=channel,
        extra_updates={"locked_at": clock.now()},
    )
    system = System(actor)
    for sheet in _live_sheets(panel, SheetStatus.SUBMITTED):
        sheet_workflow.apply(actor=system, obj=sheet, name="lock", data=system.data())
    return panel


def panel_sign(*, actor, panel: Panel, channel: str = "web") -> Panel:
    """The chair signs the locked results."""
    return panel_workflow.apply(
        actor=actor,
        obj=panel,
        name="sign",
        channel=channel,
        extra_updates={"chair_signed_at": clock.now(), "chair_signed_by": actor},
    )


def panel_countersign(*, actor, panel: Panel, channel: str = "web") -> Panel:
    """A bureau person who is neither the chair nor a member signs off the results."""
    return panel_workflow.apply(
        actor=actor,
        obj=panel,
        name="countersign",
        channel=channel,
        extra_updates={"countersigned_at": clock.now(), "countersigned_by": actor},
    )


@transaction.atomic
def panel_reopen(*, actor, panel: Panel, reason: str, channel: str = "web") -> Panel:
    """Reopen locked (or signed) results for scoring, with a reason; signatures are cleared
    and the sheets unlock (the chair may then send cases back)."""
    panel = Panel.objects.select_related("chair").get(pk=panel.pk)
    _check(panel_workflow, actor, panel, "reopen")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写理由。")})
    panel_workflow.apply(
        actor=actor,
        obj=panel,
        name="reopen",
        reason=reason,
        channel=channel,
        extra_updates={
            "locked_at": None,
            "chair_signed_at": None,
            "chair_signed_by": None,
            "countersigned_at": None,
            "countersigned_by": None,
        },
    )
    system = System(actor)
    for sheet in _live_sheets(panel, SheetStatus.LOCKED):
        sheet_workflow.apply(actor=system, obj=sheet, name="unlock", data=system.data())
    return panel
