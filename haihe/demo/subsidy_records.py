"""Writing what the subsidy scenario planned (`haihe.demo.subsidy_scenario`): the review
decisions on claims and lines, the payment batches with their bank results, and the audit trail of
every step, all in bulk."""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery

from haihe.core import numbering
from haihe.core.models import AuditEvent
from haihe.demo.subsidy_plan import (
    CHECK_EXCLUSION_REASONS,
    REJECT_REASONS,
    RETURN_REASONS,
    TODAY,
    Plan,
)
from haihe.demo.subsidy_plan import at as _at
from haihe.payments.models import Payment, PaymentBatch
from haihe.payments.workflows import batch_workflow, payment_workflow
from haihe.registry.models import Organisation
from haihe.subsidies.models import (
    Claim,
    ClaimCheck,
    ClaimLine,
    LineStatus,
)
from haihe.subsidies.payables import PAYABLE_KIND
from haihe.subsidies.workflows import CLAIM_PIPELINE, claim_workflow, line_workflow


def write_decisions(scenario, plans: list[Plan]) -> None:
    rng = scenario.rng
    users = scenario.users
    district_users = {u.district_id: u for u in users.values() if u.role == "district_reviewer"}
    municipal = [users.get("municipal1"), users.get("municipal2")]
    excluded = []
    cache: dict = {}
    for plan in plans:
        claim = plan.claim
        claim.created_at = _at(rng, min(plan.submitted, TODAY) - datetime.timedelta(days=1))
        if plan.state in ("draft", "withdrawn", "submitted", "returned"):
            for line in plan.lines:  # nobody has excluded anything yet
                line[1] = line[1] or bool(line[3] and line[2] and line[2] > 0)
        claim.included_lines = sum(1 for line in plan.lines if line[1])
        claim.claimed_amount = sum((line[2] for line in plan.lines), Decimal(0))
        if plan.state in ("draft", "withdrawn"):
            claim.raised_checks = 0
            continue
        claim.submitted_at = _at(rng, plan.submitted)
        claim.first_submitted_at = claim.submitted_at
        claim.submissions = 1
        if plan.returned_once:
            claim.submissions = 2
            claim.first_submitted_at = claim.submitted_at - datetime.timedelta(days=12)
        reviewer = district_users.get(plan.district_id)
        reviewed_at_district = plan.state in ("district_approved", "approved") or (
            plan.state in ("returned", "rejected") and rng.random() < 0.6
        )
        if reviewed_at_district:
            claim.district_reviewed_by = reviewer
            claim.district_reviewed_at = _at(rng, min(plan.district_day, TODAY))
        if plan.state == "approved" or (
            plan.state in ("returned", "rejected") and not reviewed_at_district
        ):
            if plan.state != "approved":
                # decided at the municipal level after the district approved
                claim.district_reviewed_by = reviewer
                claim.district_reviewed_at = _at(rng, min(plan.district_day, TODAY))
            claim.municipal_reviewed_by = rng.choice(municipal)
            claim.municipal_reviewed_at = _at(rng, min(plan.municipal_day, TODAY))
        if plan.state == "approved":
            claim.approved_at = claim.municipal_reviewed_at
            claim.decided_at = claim.approved_at
            claim.approved_amount = sum((line[2] for line in plan.lines if line[1]), Decimal(0))
        # the deadline of the stage a claim in review waits at (as case_submit and
        # case_decide set it), so that the reviewers' queues show what is overdue
        if plan.state == "submitted":
            claim.stage_due_on = _due(cache, "district", claim.submitted_at.date())
        elif plan.state == "district_approved":
            claim.stage_due_on = _due(cache, "municipal", claim.district_reviewed_at.date())
        if plan.state == "returned":
            claim.review_reason = rng.choice(RETURN_REASONS)
        if plan.state == "rejected":
            claim.review_reason = rng.choice(REJECT_REASONS)
            claim.decided_at = claim.municipal_reviewed_at or claim.district_reviewed_at
            claim.decided_at = claim.decided_at or claim.submitted_at
        if plan.state in ("district_approved", "approved"):
            for line in plan.lines:
                if not line[1] and line[2] and line[2] > 0:
                    excluded.append(
                        ClaimLine(
                            pk=line[0],
                            exclusion_reason=CHECK_EXCLUSION_REASONS.get(
                                line[3], "材料不全，核实后剔除"
                            ),
                            excluded_by=claim.district_reviewed_by,
                            excluded_at=claim.district_reviewed_at,
                        )
                    )
    by_claim = {p.claim.pk: p.state for p in plans}
    claim_workflow.restore(
        [p.claim for p in plans],
        lambda claim: by_claim[claim.pk],
        save=[
            "created_at",
            "included_lines",
            "claimed_amount",
            "approved_amount",
            "submitted_at",
            "first_submitted_at",
            "submissions",
            "stage_due_on",
            "district_reviewed_by",
            "district_reviewed_at",
            "municipal_reviewed_by",
            "municipal_reviewed_at",
            "approved_at",
            "decided_at",
            "review_reason",
            "raised_checks",
        ],
    )
    line_workflow.restore(
        excluded, LineStatus.EXCLUDED, save=["exclusion_reason", "excluded_by", "excluded_at"]
    )
    ClaimLine.objects.filter(claim__submissions__gt=0).update(
        filed_at=Subquery(
            Claim.objects.filter(pk=OuterRef("claim_id")).values("first_submitted_at")[:1]
        )
    )
    unsubmitted = [p.claim.pk for p in plans if p.state in ("draft", "withdrawn")]
    for start in range(0, len(unsubmitted), 5000):
        chunk = unsubmitted[start : start + 5000]
        ClaimLine.objects.filter(claim_id__in=chunk).update(holds_outcome=False)
        ClaimCheck.objects.filter(claim_id__in=chunk).delete()
    ClaimCheck.objects.update(
        raised_at=Subquery(Claim.objects.filter(pk=OuterRef("claim_id")).values("submitted_at")[:1])
    )


def payments(scenario, plans: list[Plan]) -> int:
    """Monthly batches on the 15th for claims approved before it; about 1% of transfers fail
    (wrong account) and the claim is paid in the next month's batch."""
    rng = scenario.rng
    admin = scenario.users.get("admin")
    approved = sorted(
        (p for p in plans if p.state == "approved"), key=lambda p: p.claim.approved_at
    )
    if not approved:
        return 0
    batches, lines, paid_claims = [], [], []
    claim_type = ContentType.objects.get_for_model(Claim)
    orgs = Organisation.objects.in_bulk({p.organisation_id for p in approved})
    day = datetime.date(2020, 2, 15)
    carry: list[Plan] = []
    index = 0
    number = 0
    while day <= TODAY:
        due = carry
        carry = []
        while index < len(approved) and approved[index].claim.approved_at.date() < day:
            due.append(approved[index])
            index += 1
        if due:
            number += 1
            last = day + datetime.timedelta(days=30) > TODAY
            batch = PaymentBatch(
                number=f"ZF{day:%Y%m%d}{number:03d}",
                kind=PAYABLE_KIND,
                created_by=admin,
                created_at=_at(rng, day),
                exported_at=_at(rng, day),
                closed_at=None if last else _at(rng, day + datetime.timedelta(days=5)),
                note=f"{day:%Y 年 %m 月}培训补贴支付（演示数据）",
            )
            batch_workflow.restore([batch], "exported" if last else "closed")
            batch.save()
            numbering.advance("ZF", period=f"{day:%Y%m%d}", to=number)
            batches.append(batch)
            for plan in due:
                claim = plan.claim
                org = orgs[claim.organisation_id]
                result_day = day + datetime.timedelta(days=rng.randrange(2, 6))
                status = "pending" if last else ("failed" if rng.random() < 0.02 else "paid")
                lines.append(
                    payment_workflow.restore(
                        [
                            Payment(
                                batch=batch,
                                payable_type=claim_type,
                                payable_id=claim.pk,
                                payable_label=claim.number,
                                organisation_id=claim.organisation_id,
                                district_id=claim.district_id,
                                payee=org.name,
                                payee_identifier=org.uscc,
                                bank_name=org.bank_name,
                                bank_account=org.bank_account or "0",
                                amount=claim.approved_amount,
                                reference=f"{batch.number}-{claim.number}",
                                failure_reason="收款账号与户名不符" if status == "failed" else "",
                                result_at=None if status == "pending" else _at(rng, result_day),
                                live=status != "failed",
                            )
                        ],
                        status,
                    )[0]
                )
                if status == "paid":
                    plan.state = "paid"
                    claim.paid_at = _at(rng, result_day)
                    paid_claims.append(claim)
                elif status == "failed":
                    carry.append(plan)
        day = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=15)
    Payment.objects.bulk_create(lines, batch_size=2000)
    claim_workflow.restore(paid_claims, "paid", save=["paid_at"])
    return len(paid_claims)


def audit_trail(scenario, plans: list[Plan]) -> None:
    """The claims' transitions in the audit log, at the times they happened."""
    content_type = ContentType.objects.get_for_model(Claim)
    events = []

    def add(claim, user, action, at, data):
        if at is None:
            return
        events.append(
            AuditEvent(
                at=at,
                actor=user,
                actor_label=user.get_username() if user else "system",
                action=action,
                target_type=content_type,
                target_id=str(claim.pk),
                target_label=claim.number,
                organisation_id=claim.organisation_id,
                district_id=claim.district_id,
                channel="web",
                data=data,
            )
        )

    admin = scenario.users.get("admin")
    for plan in plans:
        claim = plan.claim
        add(claim, None, "subsidy_claim.created", claim.created_at, {"lines": len(plan.lines)})
        if claim.submitted_at is None:
            if plan.state == "withdrawn":
                add(claim, None, "subsidy_claim.withdraw", claim.created_at, {"to": "withdrawn"})
            continue
        first = claim.first_submitted_at
        add(claim, None, "subsidy_claim.submit", first, {"from": "draft", "to": "submitted"})
        if plan.returned_once:
            back = first + datetime.timedelta(days=4)
            reason = RETURN_REASONS[0]
            add(
                claim,
                None,
                "subsidy_claim.district_return",
                back,
                {"to": "returned", "reason": reason},
            )
            add(claim, None, "subsidy_claim.resubmit", claim.submitted_at, {"to": "submitted"})
        municipal_decided = claim.municipal_reviewed_at is not None
        if claim.district_reviewed_at:
            if plan.state in ("returned", "rejected") and not municipal_decided:
                action = "district_return" if plan.state == "returned" else "district_reject"
                data = {"to": plan.state, "reason": claim.review_reason}
            else:
                action, data = "district_approve", {"to": "district_approved"}
            add(
                claim,
                claim.district_reviewed_by,
                f"subsidy_claim.{action}",
                claim.district_reviewed_at,
                data,
            )
        if municipal_decided:
            action = {"returned": "municipal_return", "rejected": "municipal_reject"}.get(
                plan.state, "municipal_approve"
            )
            data = {"to": plan.state if plan.state != "paid" else "approved"}
            if claim.review_reason:
                data["reason"] = claim.review_reason
            add(
                claim,
                claim.municipal_reviewed_by,
                f"subsidy_claim.{action}",
                claim.municipal_reviewed_at,
                data,
            )
        if claim.paid_at:
            add(claim, admin, "subsidy_claim.mark_paid", claim.paid_at, {"to": "paid"})
    AuditEvent.objects.bulk_create(events, batch_size=5000)


def _due(cache: dict, stage: str, start: datetime.date) -> datetime.date | None:
    """The review deadline of `stage` for a claim that reached it on `start` (memoised)."""
    key = (stage, start)
    if key not in cache:
        cache[key] = CLAIM_PIPELINE.due_on(CLAIM_PIPELINE.stage(stage), start)[0]
    return cache[key]
