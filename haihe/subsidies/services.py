"""Writes of the subsidies module: the catalogue, claims and their review. Keyword-only, the
acting user first, atomic, audited; transitions go through the declared workflows."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from haihe.core import clock, numbering
from haihe.core.audit import log_action
from haihe.core.workflow import TransitionNotPossible
from haihe.review.services import case_decide, case_submit, case_withdraw
from haihe.subsidies import perms
from haihe.subsidies.checks import run_checks
from haihe.subsidies.models import (
    CatalogueEntry,
    Claim,
    ClaimLine,
    LineStatus,
)
from haihe.subsidies.rules import CENT, evaluate
from haihe.subsidies.workflows import CLAIM_PIPELINE, claim_workflow, line_workflow
from haihe.training.models import Outcome, OutcomeKind, TrainingClass

# When a trainee has several outcomes of one class, the claim pays for the first of these.
KIND_PREFERENCE = [
    OutcomeKind.SKILL_CERTIFICATE,
    OutcomeKind.SPECIAL_ABILITY,
    OutcomeKind.COMPLETION,
]


# catalogue ---------------------------------------------------------------------------------


def parse_amount(raw) -> Decimal:
    try:
        amount = Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"amount": _("金额格式不正确。")}) from exc
    if not amount.is_finite() or amount < 0:
        raise ValidationError({"amount": _("金额不能为负数。")})
    if amount != amount.quantize(CENT):
        raise ValidationError({"amount": _("金额最多保留两位小数。")})
    if amount >= Decimal("1000000"):
        raise ValidationError({"amount": _("金额过大。")})
    return amount.quantize(CENT)


@transaction.atomic
def catalogue_add(
    *,
    actor,
    occupation,
    level: int,
    outcome_kind: str,
    amount,
    effective_from: datetime.date,
    source: str,
    channel: str = "web",
) -> CatalogueEntry:
    """A new dated price. A row for the same combination and day must be voided first."""
    if not perms.can_edit_catalogue(actor):
        raise PermissionDenied(_("您无权修改补贴目录。"))
    amount = parse_amount(amount)
    if level not in (occupation.levels or [1, 2, 3, 4, 5]):
        raise ValidationError({"level": _("该职业不开设此等级。")})
    if outcome_kind not in OutcomeKind.values:
        raise ValidationError({"outcome_kind": _("成果类型无效。")})
    if not (source or "").strip():
        raise ValidationError({"source": _("请填写依据（文件名称和文号）。")})
    clash = CatalogueEntry.objects.live().filter(
        occupation=occupation, level=level, outcome_kind=outcome_kind, effective_from=effective_from
    )
    if clash.exists():
        raise ValidationError(
            {
                "effective_from": _(
                    "该职业、等级和成果类型在此生效日期已有标准；如有错误，请先作废。"
                )
            }
        )
    entry = CatalogueEntry.objects.create(
        occupation=occupation,
        level=level,
        outcome_kind=outcome_kind,
        amount=amount,
        effective_from=effective_from,
        source=source.strip(),
        created_by=actor,
    )
    log_action(
        actor=actor,
        action="subsidy_catalogue.added",
        target=entry,
        data={
            "occupation": occupation.code,
            "level": level,
            "outcome_kind": outcome_kind,
            "amount": amount,
            "effective_from": effective_from,
            "source": entry.source,
        },
        channel=channel,
    )
    return entry


@transaction.atomic
def catalogue_void(*, actor, entry: CatalogueEntry, reason: str, channel: str = "web"):
    if not perms.can_edit_catalogue(actor):
        raise PermissionDenied(_("您无权修改补贴目录。"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写理由。")})
    entry = CatalogueEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.voided_at is not None:
        raise ValidationError(_("该标准已作废。"))
    entry.voided_at = clock.now()
    entry.voided_by = actor
    entry.void_reason = reason.strip()[:255]
    entry.save(update_fields=["voided_at", "voided_by", "void_reason"])
    log_action(
        actor=actor,
        action="subsidy_catalogue.voided",
        target=entry,
        data={"amount": entry.amount, "effective_from": entry.effective_from, "reason": reason},
        channel=channel,
    )
    return entry


# claims -------------------------------------------------------------------------------------


def _outcomes_of(training_class: TrainingClass, *, exclude_claim=None) -> list[Outcome]:
    """One current outcome per enrolment of the class (the preferred kind), leaving out the
    enrolments another claim already stands for."""
    held = ClaimLine.objects.filter(holds_outcome=True, enrolment__training_class=training_class)
    if exclude_claim is not None:
        held = held.exclude(claim=exclude_claim)
    outcomes = (
        Outcome.objects.current()
        .filter(enrolment__training_class=training_class)
        .exclude(enrolment_id__in=held.values("enrolment_id"))
        .select_related("enrolment__person", "enrolment__training_class__occupation")
        .order_by("enrolment_id", "id")
    )
    best: dict[int, Outcome] = {}
    for outcome in outcomes:
        current = best.get(outcome.enrolment_id)
        if current is None or KIND_PREFERENCE.index(outcome.kind) < KIND_PREFERENCE.index(
            current.kind
        ):
            best[outcome.enrolment_id] = outcome
    return list(best.values())


def claim_preview(*, actor, training_class: TrainingClass, today=None) -> list[tuple]:
    """What a claim for the class would contain now: (outcome, decision) pairs, no writes."""
    if not perms.can_claim_for_class(actor, training_class):
        raise PermissionDenied(_("只能为本单位的培训班申领补贴。"))
    today = today or clock.today()
    outcomes = _outcomes_of(training_class)
    decisions = evaluate(outcomes, today=today)
    return [(o, decisions[o.pk]) for o in outcomes]


def _line_for(claim, outcome, decision) -> ClaimLine:
    line = ClaimLine(
        claim=claim,
        outcome=outcome,
        enrolment_id=outcome.enrolment_id,
        person_id=outcome.enrolment.person_id,
        amount=decision.amount if decision.ok else Decimal("0.00"),
        decision=decision.as_dict(),
    )
    return line_workflow.start(line, LineStatus.INCLUDED if decision.ok else LineStatus.INELIGIBLE)


@transaction.atomic
def claim_create(
    *, actor, training_class: TrainingClass, channel: str = "web", today=None
) -> Claim:
    """A draft claim for the class, with a line per trainee who has an outcome; ineligible
    lines are kept with their reasons and excluded from the amount."""
    if not perms.can_claim_for_class(actor, training_class):
        raise PermissionDenied(_("只能为本单位的培训班申领补贴。"))
    if training_class.status != "approved":
        raise ValidationError(_("培训班未通过备案，不能申领补贴。"))
    today = today or clock.today()
    outcomes = _outcomes_of(training_class)
    if not outcomes:
        raise ValidationError(_("该培训班没有可申领的培训成果。"))
    claim = Claim.objects.create(
        number=numbering.issue("BT", period=f"{clock.today():%Y}", width=7),
        organisation_id=training_class.organisation_id,
        training_class=training_class,
        district_id=training_class.district_id,
        created_by=actor,
    )
    decisions = evaluate(outcomes, claim=claim, today=today)
    ClaimLine.objects.bulk_create([_line_for(claim, o, decisions[o.pk]) for o in outcomes])
    _update_amounts(claim)
    log_action(
        actor=actor,
        action="subsidy_claim.created",
        target=claim,
        data={
            "class": training_class.pk,
            "lines": len(outcomes),
            "included": claim.included_lines,
            "claimed_amount": claim.claimed_amount,
        },
        channel=channel,
    )
    return claim


def _update_amounts(claim: Claim) -> None:
    lines = ClaimLine.objects.filter(claim=claim)
    claimed = lines.exclude(status=LineStatus.INELIGIBLE).aggregate(s=Sum("amount"))["s"]
    claim.claimed_amount = (claimed or Decimal(0)).quantize(CENT)
    claim.included_lines = lines.filter(status=LineStatus.INCLUDED).count()
    Claim.objects.filter(pk=claim.pk).update(
        claimed_amount=claim.claimed_amount, included_lines=claim.included_lines
    )


def _refresh_lines(claim: Claim, today, *, actor=None, channel: str = "web") -> None:
    """Evaluate every line again as of `today` and add outcomes recorded since; a line a
    reviewer excluded stays excluded (its amount is still recomputed). A line that was part of
    an earlier filing is judged against its deadline on the day it was first filed."""
    existing = {
        line.outcome_id: line
        for line in claim.lines.select_related(
            "outcome__enrolment__person", "outcome__enrolment__training_class__occupation"
        )
    }
    new = [
        o
        for o in _outcomes_of(claim.training_class, exclude_claim=claim)
        if o.pk not in existing
        and o.enrolment_id not in {x.enrolment_id for x in existing.values()}
    ]
    outcomes = [line.outcome for line in existing.values()] + new
    filed_on = {
        line.outcome_id: clock.local_date(line.filed_at)
        for line in existing.values()
        if line.filed_at is not None
    }
    decisions = evaluate(outcomes, claim=claim, today=today, filed_on=filed_on)
    changed, qualify, disqualify = [], [], []
    for line in existing.values():
        decision = decisions[line.outcome_id]
        before = (line.decision, line.amount)
        line.decision = decision.as_dict()
        line.amount = decision.amount if decision.ok else Decimal("0.00")
        if line.status == LineStatus.INELIGIBLE and decision.ok:
            qualify.append(line.pk)
        elif line.status == LineStatus.INCLUDED and not decision.ok:
            disqualify.append(line.pk)
        if (line.decision, line.amount) != before:
            changed.append(line)
    # Release the outcomes first so that the lines that keep them can take them again.
    ClaimLine.objects.filter(claim=claim).update(holds_outcome=False)
    ClaimLine.objects.bulk_update(changed, ["decision", "amount"], batch_size=500)
    for name, pks in (("qualify", qualify), ("disqualify", disqualify)):
        if pks:
            line_workflow.apply_bulk(
                actor=None,
                queryset=ClaimLine.objects.filter(pk__in=pks),
                name=name,
                channel=channel,
            )
    ClaimLine.objects.bulk_create([_line_for(claim, o, decisions[o.pk]) for o in new])


def _hold_outcomes(claim: Claim) -> None:
    ClaimLine.objects.filter(claim=claim).exclude(status=LineStatus.INELIGIBLE).update(
        holds_outcome=True
    )


@transaction.atomic
def claim_submit(*, actor, claim: Claim, channel: str = "web", today=None) -> Claim:
    """Submit a draft (or resubmit a returned claim) into the staged review: re-evaluate every
    line as of today (a line already filed keeps its first filing date for its deadline), hold
    the outcomes, and run the checks."""
    original = claim
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if not perms.can_edit_claim(actor, claim):
        raise PermissionDenied(_("只能提交本单位的草稿或被退回的申领。"))
    today = today or clock.today()
    _refresh_lines(claim, today, channel=channel)
    _update_amounts(claim)
    if not claim.included_lines:
        raise TransitionNotPossible(_("申领中没有符合条件的明细，不能提交。"))
    _hold_outcomes(claim)
    now = clock.now()
    ClaimLine.objects.filter(claim=claim, filed_at__isnull=True).update(filed_at=now)
    case_submit(
        CLAIM_PIPELINE,
        actor=actor,
        case=claim,
        channel=channel,
        data={"claimed_amount": claim.claimed_amount, "included": claim.included_lines},
    )
    run_checks([claim.pk])
    claim.refresh_from_db()
    if original is not claim:
        original.refresh_from_db()
    return claim


@transaction.atomic
def claim_withdraw(*, actor, claim: Claim, reason: str = "", channel: str = "web") -> Claim:
    claim.refresh_from_db()
    case_withdraw(CLAIM_PIPELINE, actor=actor, case=claim, reason=reason, channel=channel)
    ClaimLine.objects.filter(claim=claim).update(holds_outcome=False)
    return claim


@transaction.atomic
def claim_review(
    *, actor, claim: Claim, decision: str, reason: str = "", channel: str = "web"
) -> Claim:
    """A reviewer's decision at the stage the claim waits for: approve, return or reject."""
    original = claim
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if not claim.in_review:
        raise TransitionNotPossible(_("该申领不在审核中。"))
    if decision not in ("approve", "return", "reject"):
        raise ValidationError({"decision": _("未知的审核结论。")})
    name = CLAIM_PIPELINE.transition_for(claim, decision)
    refusal = claim_workflow.refusal(actor, claim, name)
    if refusal is not None:
        claim_workflow.raise_for(refusal)
    now = clock.now()
    updates: dict = {}
    data = None
    if decision == "approve":
        included = claim.lines.filter(status=LineStatus.INCLUDED)
        if not included.exists():
            raise TransitionNotPossible(_("所有明细均已剔除，请作出“不予补贴”的结论。"))
        if name == "municipal_approve":
            total = included.aggregate(s=Sum("amount"))["s"] or Decimal(0)
            updates.update(approved_at=now, decided_at=now, approved_amount=total.quantize(CENT))
            data = {"approved_amount": updates["approved_amount"]}
    else:
        updates["review_reason"] = reason.strip()
        if decision == "reject":
            updates["decided_at"] = now
    case_decide(
        CLAIM_PIPELINE,
        actor=actor,
        case=claim,
        decision=decision,
        reason=reason,
        channel=channel,
        data=data,
        extra_updates=updates,
    )
    if original is not claim:
        original.refresh_from_db()
    return claim


@transaction.atomic
def claims_batch_approve(*, actor, claims: list[Claim], channel: str = "web") -> int:
    """Approve several claims at once, all or nothing. A claim with raised checks must be opened
    and decided on its own page."""
    problems = []
    locked = list(
        Claim.objects.select_for_update().filter(pk__in=[c.pk for c in claims]).order_by("pk")
    )
    if not locked:
        raise ValidationError(_("请选择要审核的申领。"))
    for claim in locked:
        name = CLAIM_PIPELINE.transition_for(claim, "approve")
        refusal = claim_workflow.refusal(actor, claim, name)
        if refusal is None and claim.raised_checks:
            refusal = _("有核查提示，请逐件审核。")
        if refusal is None and not claim.lines.filter(status=LineStatus.INCLUDED).exists():
            refusal = _("所有明细均已剔除。")
        if refusal is not None:
            problems.append(f"{claim.number}: {refusal}")
    if problems:
        raise ValidationError(problems)
    for claim in locked:
        claim_review(actor=actor, claim=claim, decision="approve", channel=channel)
    return len(locked)


@transaction.atomic
def line_exclude(*, actor, line: ClaimLine, reason: str, channel: str = "web") -> ClaimLine:
    """A reviewer takes one line out of the claim, with a reason (the rest goes on)."""
    line = ClaimLine.objects.select_for_update().select_related("claim").get(pk=line.pk)
    line_workflow.apply(
        actor=actor,
        obj=line,
        name="exclude",
        reason=reason,
        channel=channel,
        data={"claim": line.claim.number, "person": line.person_id, "amount": line.amount},
        extra_updates={
            "exclusion_reason": reason.strip()[:255],
            "excluded_by": actor,
            "excluded_at": clock.now(),
        },
    )
    _update_amounts(line.claim)
    return line


@transaction.atomic
def line_include(*, actor, line: ClaimLine, channel: str = "web") -> ClaimLine:
    """A reviewer puts an excluded line back."""
    line = ClaimLine.objects.select_for_update().select_related("claim").get(pk=line.pk)
    line_workflow.apply(
        actor=actor,
        obj=line,
        name="include",
        channel=channel,
        data={"claim": line.claim.number, "person": line.person_id},
        extra_updates={"exclusion_reason": "", "excluded_by": None, "excluded_at": None},
    )
    _update_amounts(line.claim)
    return line
