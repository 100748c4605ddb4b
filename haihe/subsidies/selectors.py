"""Reads: reviewers' queues, and the totals that must always reconcile.

    claimed  = in review + approved + rejected + returned
    approved = paid + failed + pending

Amounts are summed over claim lines. A claimed amount is what the institution claimed for the
lines it submitted (ineligible lines are never claimed). While a claim is in review its lines are
"in review"; once decided, the lines a reviewer excluded count as rejected. "Returned" includes
claims withdrawn after they had been submitted. Each side of each identity is computed by its
own query, so the identities are a real check, not arithmetic on one number.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Sum

from haihe.accounts.roles import Role
from haihe.payments.models import Payment, PaymentStatus
from haihe.subsidies.models import (
    GRANTED,
    IN_REVIEW,
    Claim,
    ClaimLine,
    ClaimStatus,
    LineStatus,
)

ZERO = Decimal("0.00")


def review_queue(user):
    """The claims waiting for `user`'s decision: a district reviewer's district at the first
    level; every district at the municipal level."""
    claims = Claim.objects.visible_to(user)
    if user.role == Role.DISTRICT_REVIEWER:
        return claims.filter(status=ClaimStatus.SUBMITTED)
    if user.role == Role.MUNICIPAL_REVIEWER:
        return claims.filter(status=ClaimStatus.DISTRICT_APPROVED)
    return claims.filter(status__in=IN_REVIEW)


def _sum(qs) -> Decimal:
    return (qs.aggregate(s=Sum("amount"))["s"] or ZERO).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Totals:
    claimed: Decimal
    in_review: Decimal
    approved: Decimal
    rejected: Decimal
    returned: Decimal
    paid: Decimal
    failed: Decimal
    pending: Decimal

    @property
    def claimed_reconciles(self) -> bool:
        return self.claimed == self.in_review + self.approved + self.rejected + self.returned

    @property
    def approved_reconciles(self) -> bool:
        return self.approved == self.paid + self.failed + self.pending

    def as_dict(self) -> dict:
        data = {k: str(v) for k, v in self.__dict__.items()}
        data["claimed_reconciles"] = self.claimed_reconciles
        data["approved_reconciles"] = self.approved_reconciles
        return data


def claim_type():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Claim)


def totals(claims=None) -> Totals:
    """The reconciliation of the given claims (all claims by default)."""
    claims = Claim.objects.all() if claims is None else claims
    lines = ClaimLine.objects.filter(claim__in=claims.values("pk"))
    submitted = lines.exclude(status=LineStatus.INELIGIBLE).filter(
        Q(claim__submissions__gt=0) & ~Q(claim__status=ClaimStatus.DRAFT)
    )
    claimed = _sum(submitted)
    in_review = _sum(submitted.filter(claim__status__in=IN_REVIEW))
    approved = _sum(submitted.filter(claim__status__in=GRANTED, status=LineStatus.INCLUDED))
    rejected = _sum(submitted.filter(claim__status=ClaimStatus.REJECTED)) + _sum(
        submitted.filter(claim__status__in=GRANTED, status=LineStatus.EXCLUDED)
    )
    returned = _sum(
        submitted.filter(claim__status__in=[ClaimStatus.RETURNED, ClaimStatus.WITHDRAWN])
    )
    granted_lines = submitted.filter(status=LineStatus.INCLUDED)
    paid = _sum(granted_lines.filter(claim__status=ClaimStatus.PAID))
    of_claim = Payment.objects.filter(payable_type=claim_type(), payable_id=OuterRef("claim"))
    live = of_claim.filter(live=True)
    failed_before = of_claim.filter(status=PaymentStatus.FAILED)
    waiting = granted_lines.filter(claim__status=ClaimStatus.APPROVED)
    failed = _sum(waiting.filter(Exists(failed_before), ~Exists(live)))
    pending = _sum(waiting.filter(Exists(live) | ~Exists(failed_before)))
    return Totals(claimed, in_review, approved, rejected, returned, paid, failed, pending)


def totals_by_district(claims=None) -> list[tuple]:
    from haihe.registry.models import District

    claims = Claim.objects.all() if claims is None else claims
    return [(d, totals(claims.filter(district=d))) for d in District.objects.all()]
