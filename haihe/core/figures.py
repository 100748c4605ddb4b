"""The platform's headline figures: the registry every module adds its figures to, and the
month arithmetic they share. Statistics (haihe.stats) and the portal read it; a module never
imports them to register (figures that count by district use registry.figures.count_figure).

Each module registers its figures (in its `figures.py`, imported by its AppConfig.ready):

    @figure("people", _("登记人员"), by_district=..., by_month=...)
    def people(as_of: date) -> int: ...

Names are stable: `haihe stats --json` and the dashboard print them under these keys.
"""

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise

Number = int | float


@dataclass(frozen=True)
class Figure:
    key: str
    label: Promise
    compute: Callable[[datetime.date], Number]
    by_district: Callable[[datetime.date], dict[str, Number]] | None = None
    by_month: Callable[[datetime.date], dict[str, Number]] | None = None
    unit: Promise | str = ""
    order: int = 100


FIGURES: dict[str, Figure] = {}


def figure(key: str, label: Promise, *, by_district=None, by_month=None, unit="", order=100):
    def register(fn):
        if key in FIGURES:
            raise ValueError(f"figure {key!r} registered twice")
        FIGURES[key] = Figure(key, label, fn, by_district, by_month, unit, order)
        return fn

    return register


def end_of(day: datetime.date) -> datetime.datetime:
    """The last instant of `day` in the installation's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def months_of(as_of: datetime.date) -> list[tuple[str, datetime.datetime, datetime.datetime]]:
    """(label "YYYY-MM", start, end) of each month of as_of's year up to as_of."""
    result = []
    for month in range(1, as_of.month + 1):
        first = datetime.date(as_of.year, month, 1)
        last = datetime.date(as_of.year, month, calendar.monthrange(as_of.year, month)[1])
        last = min(last, as_of)
        start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
        result.append((f"{as_of.year}-{month:02d}", start, end_of(last)))
    return result


def count_by_month(rows: QuerySet, moment_field: str, as_of: datetime.date, *, is_date=False):
    """How many of `rows` fall in each month of as_of's year up to as_of, by `moment_field`
    (a datetime, or a date with is_date=True)."""
    months = months_of(as_of)
    if not months:
        return {}
    if is_date:
        bounds = {f"{moment_field}__gte": months[0][1].date(), f"{moment_field}__lte": as_of}
    else:
        bounds = {f"{moment_field}__gte": months[0][1], f"{moment_field}__lte": months[-1][2]}
    counted = (
        rows.filter(**bounds)
        .annotate(month=TruncMonth(moment_field))
        .values("month")
        .annotate(n=Count("id"))
    )
    counts = {row["month"].strftime("%Y-%m"): row["n"] for row in counted}
    return {label: counts.get(label, 0) for label, _start, _end in months}


def compute_all(as_of: datetime.date) -> dict[str, Number]:
    ordered = sorted(FIGURES.values(), key=lambda f: (f.order, f.key))
    return {f.key: f.compute(as_of) for f in ordered}


def ordered_figures() -> list[Figure]:
    return sorted(FIGURES.values(), key=lambda f: (f.order, f.key))
