"""The platform's headline figures, computed live from the data as of a date.

Each module registers its figures (in its `figures.py`, imported by its AppConfig.ready):

    @figure("people", _("登记人员"), by_district=..., by_month=...)
    def people(as_of: date) -> int: ...

Names are stable: `haihe stats --json` and the dashboard print them under these keys.
"""

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass

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


def compute_all(as_of: datetime.date) -> dict[str, Number]:
    ordered = sorted(FIGURES.values(), key=lambda f: (f.order, f.key))
    return {f.key: f.compute(as_of) for f in ordered}


def ordered_figures() -> list[Figure]:
    return sorted(FIGURES.values(), key=lambda f: (f.order, f.key))
