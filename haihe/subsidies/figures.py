"""The subsidies module's headline figures (keys are stable: `haihe stats --json`).

- `subsidised_training_person_times`: outcomes with an approved or paid subsidy, counted when
  the municipal approval was given (on or before the date);
- `training_subsidy_claimed_yuan`: amounts claimed in claims first submitted by the date;
- `training_subsidy_approved_yuan`: amounts approved by the date;
- `training_subsidy_paid_yuan`: payment lines the bank confirmed by the date.

`person_times_by(as_of, dimension)` breaks the person-times down by month, district, occupation
or level (the statistics page and the API use it).
"""

from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from haihe.core.figures import count_by_month, end_of, figure
from haihe.payments.models import Payment, PaymentStatus
from haihe.registry.figures import count_by_district
from haihe.registry.models import SkillLevel
from haihe.subsidies.models import GRANTED, ClaimLine, LineStatus
from haihe.subsidies.payables import PAYABLE_KIND


def _granted_lines(as_of):
    return ClaimLine.objects.filter(
        status=LineStatus.INCLUDED,
        claim__status__in=GRANTED,
        claim__approved_at__lte=end_of(as_of),
    )


def _yuan(value) -> float:
    return float((value or Decimal(0)).quantize(Decimal("0.01")))


def person_times(as_of) -> int:
    return _granted_lines(as_of).count()


def _by_district(as_of) -> dict[str, int]:
    return count_by_district(_granted_lines(as_of), "claim__district__code")


def _by_month(as_of) -> dict[str, int]:
    return count_by_month(_granted_lines(as_of), "claim__approved_at", as_of)


def person_times_by(as_of, dimension: str) -> dict[str, int]:
    """Subsidised person-times by "month", "district", "occupation" or "level"."""
    if dimension == "month":
        return _by_month(as_of)
    if dimension == "district":
        return _by_district(as_of)
    if dimension == "occupation":
        rows = (
            _granted_lines(as_of)
            .values("enrolment__training_class__occupation__code")
            .annotate(n=Count("id"))
            .order_by("-n")
        )
        return {r["enrolment__training_class__occupation__code"]: r["n"] for r in rows}
    if dimension == "level":
        counts = {}
        for row in (
            _granted_lines(as_of)
            .values("outcome__level", "enrolment__training_class__level")
            .annotate(n=Count("id"))
        ):
            level = row["outcome__level"] or row["enrolment__training_class__level"]
            counts[str(level)] = counts.get(str(level), 0) + row["n"]
        return {str(v): counts.get(str(v), 0) for v in sorted(SkillLevel.values)}
    raise ValueError(f"unknown dimension {dimension!r}")


figure(
    "subsidised_training_person_times",
    _("补贴性职业技能培训（人次）"),
    by_district=_by_district,
    by_month=_by_month,
    order=40,
)(person_times)


@figure("training_subsidy_claimed_yuan", _("培训补贴申领金额（元）"), unit=_("元"), order=41)
def claimed_yuan(as_of) -> float:
    return _yuan(
        ClaimLine.objects.exclude(status=LineStatus.INELIGIBLE)
        .exclude(claim__status="draft")
        .filter(claim__first_submitted_at__lte=end_of(as_of))
        .aggregate(s=Sum("amount"))["s"]
    )


@figure("training_subsidy_approved_yuan", _("培训补贴核准金额（元）"), unit=_("元"), order=42)
def approved_yuan(as_of) -> float:
    return _yuan(_granted_lines(as_of).aggregate(s=Sum("amount"))["s"])


@figure("training_subsidy_paid_yuan", _("培训补贴已支付金额（元）"), unit=_("元"), order=43)
def paid_yuan(as_of) -> float:
    return _yuan(
        Payment.objects.filter(
            batch__kind=PAYABLE_KIND, status=PaymentStatus.PAID, result_at__lte=end_of(as_of)
        ).aggregate(s=Sum("amount"))["s"]
    )
