"""Supervision's headline figures (as of a date)."""

from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from haihe.core.figures import end_of, figure
from haihe.registry.figures import count_by_district
from haihe.registry.models import District
from haihe.supervision.models import Flag, FlagStatus, LearningSession


def _statements(as_of) -> int:
    """Stored statements recording what happened up to the date (by their `timestamp`, the time
    of the event: a platform may send a day's records the next morning)."""
    from haihe.xapi.models import Statement

    return Statement.objects.filter(timestamp__lte=end_of(as_of)).count()


figure("xapi_statements", _("学习记录（xAPI 语句）"), order=60)(_statements)


def _sessions(as_of):
    return LearningSession.objects.filter(ended_at__lte=end_of(as_of), counted_seconds__gt=0)


def _hours(seconds) -> float:
    return float((Decimal(seconds or 0) / Decimal(3600)).quantize(Decimal("0.01")))


def _verified_hours(as_of) -> float:
    return _hours(_sessions(as_of).aggregate(s=Sum("counted_seconds"))["s"])


def _verified_hours_by_district(as_of) -> dict[str, float]:
    rows = (
        _sessions(as_of)
        .values("enrolment__training_class__district__code")
        .annotate(s=Sum("counted_seconds"))
    )
    found = {r["enrolment__training_class__district__code"]: r["s"] for r in rows}
    return {d.code: _hours(found.get(d.code)) for d in District.objects.all()}


figure(
    "verified_online_hours",
    _("线上核验学时"),
    by_district=_verified_hours_by_district,
    unit=_("小时"),
    order=61,
)(_verified_hours)


def _open_flags(as_of):
    end = end_of(as_of)
    return Flag.objects.filter(created_at__lte=end).filter(
        Q(status=FlagStatus.OPEN)
        | Q(closed_at__gt=end)
        | (Q(status=FlagStatus.WITHDRAWN) & Q(updated_at__gt=end))
    )


figure(
    "supervision_flags_open",
    _("待处理监管标记"),
    by_district=lambda as_of: count_by_district(_open_flags(as_of), "district__code"),
    order=62,
)(lambda as_of: _open_flags(as_of).count())
