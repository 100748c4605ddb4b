"""The working-day calendar every module counts with: working days, periods and deadlines.

    from haihe.policy import calendar
    calendar.is_working_day(day)
    calendar.add_working_days(day, 5)        # the 5th working day after `day` (day not counted)
    calendar.working_days_between(a, b)      # working days after a, up to and including b
    calendar.working_period(start, 5)        # 5 working days beginning on `start`, explained
    calendar.deadline(due, kind="subsidies.claim")   # the last day, after any extension, explained

Working days are data, not a weekday rule: the State Council publishes each year's public
holidays and the weekend days worked in exchange (调休), and the bureau keeps them as data
(`CalendarYear`, `CalendarDay`; shipped years in policy/calendars/*.yaml, loaded by
`haihe load-policy`). A Saturday or Sunday is a rest day and any other day a working day unless
the year's calendar says otherwise.

A period counted in days does not count the day it starts from (Civil Code Art. 201); a
deadline whose last day is a day off (法定休假日: public holidays and weekend rest days) ends on
the first working day after it (Art. 203). Whether a programme's own deadline follows Art. 203 is
a dated parameter per kind, `deadlines.<kind>.extend_on_rest_day` (falling back to
`deadlines.default.extend_on_rest_day`); every deadline carries the reason that applied.

**A year without a calendar is refused, never guessed.** Counting Monday to Friday would be
silently wrong exactly where it matters: 2020's Spring Festival ran ten days (extended by
国办发明电〔2020〕1号), National Day and Mid-Autumn eight, and weekends are worked in exchange;
a notice period or a claim deadline counted on weekdays would close early or late without anyone
seeing it. The State Council publishes a year's calendar in October–December of the year before,
so the bureau has time to enter it; until then a computation reaching into that year raises
`CalendarMissing` (a ValidationError carrying its Reason, shown to the user as it is), and the
bureau's calendar page warns from 1 November when next year is still missing.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haihe.policy.rules import (
    Decision,
    ParameterMissing,
    ParamValue,
    Reason,
    param,
    register_messages,
)

ONE_DAY = datetime.timedelta(days=1)

# The kinds of day.
WORKING = "working"  # an ordinary weekday
ADJUSTED = "adjusted"  # a weekend day worked in exchange for a holiday (调休上班)
HOLIDAY = "holiday"  # a day off of a public holiday, including the weekend days it joins
WEEKEND = "weekend"  # an ordinary Saturday or Sunday

register_messages(
    {
        "calendar.year_missing": _(
            "{year}年的工作日历（国务院办公厅当年的节假日安排）尚未录入，无法按工作日计算；"
            "请市人社局在“工作日历”页面录入。"
        ),
        "calendar.deadline_working_day": _("期限届满日{due}是工作日，期限不变。"),
        "calendar.deadline_extended": _(
            "期限届满日{due}是{name}，顺延至其后的第一个工作日{on}（{basis}）。"
        ),
        "calendar.deadline_not_extended": _(
            "期限届满日{due}是{name}；本项期限按规定不因节假日顺延，仍于{due}届满。"
        ),
        "calendar.deadline_met": _("{day}在期限{on}之内。"),
        "calendar.deadline_missed": _("{day}已超过期限{on}。"),
        "calendar.period": _("自{start}起计{days}个工作日，至{end}止。"),
        "calendar.period_skips": _("其间的{skipped}不计入。"),
    }
)


@dataclass(frozen=True)
class Day:
    date: datetime.date
    kind: str
    name_zh: str = ""
    name_en: str = ""
    source: str = ""

    @property
    def working(self) -> bool:
        return self.kind in (WORKING, ADJUSTED)

    def names(self) -> dict[str, str]:
        """What the day is, in both languages, for a stored explanation."""
        if self.kind == HOLIDAY:
            return {"zh": f"{self.name_zh}假期", "en": f"the {self.name_en} holiday"}
        if self.kind == ADJUSTED:
            return {
                "zh": f"工作日（{self.name_zh}调休上班）",
                "en": f"a working day (worked in exchange for the {self.name_en} holiday)",
            }
        if self.kind == WEEKEND:
            return _both(lambda: gettext("休息日（周末）"))
        return _both(lambda: gettext("工作日"))

    @property
    def label(self) -> str:
        return self.names()["en" if _english() else "zh"]


def _english() -> bool:
    return (translation.get_language() or "").startswith("en")


def _both(text: Callable[[], str]) -> dict[str, str]:
    with translation.override("zh-hans"):
        zh = text()
    with translation.override("en"):
        en = text()
    return {"zh": zh, "en": en}


class CalendarMissing(ValidationError):
    """A computation reached a year whose calendar has not been entered."""

    def __init__(self, year: int):
        self.year = year
        self.reason = Reason("calendar.year_missing", False, {"year": year})
        super().__init__(self.reason.message, code="calendar_missing")


YearTable = dict[datetime.date, Day]
YearSource = Callable[[int], YearTable | None]


def database_year(year: int) -> YearTable | None:
    """The entries in force for the days of `year`, or None when the year is not covered."""
    from haihe.policy.models import CalendarDay, CalendarYear

    if not CalendarYear.objects.filter(year=year).exists():
        return None
    rows = CalendarDay.objects.filter(
        day__gte=datetime.date(year, 1, 1),
        day__lte=datetime.date(year, 12, 31),
        voided_at__isnull=True,
    ).values_list("day", "kind", "name_zh", "name_en", "source")
    return {
        day: Day(day, HOLIDAY if kind == "holiday" else ADJUSTED, name_zh, name_en, source)
        for day, kind, name_zh, name_en, source in rows
    }


def source_from_entries(
    years: set[int], entries: list[tuple[datetime.date, str, str, str, str]]
) -> YearSource:
    """A year source from plain data (the shipped files, tests): `years` covered, `entries` as
    (day, "holiday"|"workday", name_zh, name_en, source)."""
    tables: dict[int, YearTable] = {year: {} for year in years}
    for day, kind, name_zh, name_en, source in entries:
        if day.year in tables:
            kind = HOLIDAY if kind == "holiday" else ADJUSTED
            tables[day.year][day] = Day(day, kind, name_zh, name_en, source)
    return tables.get


class WorkingCalendar:
    """Working-day arithmetic over one snapshot of the calendar. Each year is read once per
    instance, so a caller computing many dates keeps one instance; the module's functions make
    a fresh one per call (the bureau may have changed the calendar in between)."""

    def __init__(self, source: YearSource | None = None):
        self._source = source or database_year
        self._years: dict[int, YearTable] = {}

    def _table(self, year: int) -> YearTable:
        table = self._years.get(year)
        if table is None:
            table = self._source(year)
            if table is None:
                raise CalendarMissing(year)
            self._years[year] = table
        return table

    def covers(self, year: int) -> bool:
        try:
            self._table(year)
        except CalendarMissing:
            return False
        return True

    def day(self, day: datetime.date) -> Day:
        entry = self._table(day.year).get(day)
        if entry is not None:
            return entry
        return Day(day, WEEKEND if day.weekday() >= 5 else WORKING)

    def is_working_day(self, day: datetime.date) -> bool:
        return self.day(day).working

    def add_working_days(self, day: datetime.date, n: int) -> datetime.date:
        """The n-th working day after `day` (before it for a negative n); `day` itself is not
        counted, so the result of n != 0 is always a working day; n == 0 gives `day`."""
        step = ONE_DAY if n >= 0 else -ONE_DAY
        remaining = abs(n)
        current = day
        while remaining:
            current += step
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, a: datetime.date, b: datetime.date) -> int:
        """The working days after `a` up to and including `b` (a period from a to b, its first
        day not counted); negative when b is before a: minus the working days from b up to but
        not including a. So working_days_between(d, add_working_days(d, n)) == n for every n."""
        if b >= a:
            return sum(1 for d in _days(a + ONE_DAY, b) if self.is_working_day(d))
        return -sum(1 for d in _days(b, a - ONE_DAY) if self.is_working_day(d))

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """`day` if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def rest_spans(self, first: datetime.date, last: datetime.date) -> list[tuple[Day, Day]]:
        """The runs of days off between first and last (inclusive), each as (first day, last
        day), a holiday and the weekend around it being one run when the holiday names it."""
        spans: list[tuple[Day, Day]] = []
        for d in _days(first, last):
            info = self.day(d)
            if info.working:
                continue
            if spans and spans[-1][1].date == d - ONE_DAY and _same_run(spans[-1][1], info):
                spans[-1] = (spans[-1][0], info)
            else:
                spans.append((info, info))
        return spans


def _same_run(previous: Day, day: Day) -> bool:
    return previous.kind == day.kind and previous.name_zh == day.name_zh


def _days(first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def is_working_day(day: datetime.date) -> bool:
    return WorkingCalendar().is_working_day(day)


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    return WorkingCalendar().add_working_days(day, n)


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    return WorkingCalendar().working_days_between(a, b)


def next_working_day(day: datetime.date) -> datetime.date:
    return WorkingCalendar().next_working_day(day)


# -- periods -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """`days` working days beginning on `start` (counted if it is a working day), ending `end`."""

    start: datetime.date
    end: datetime.date
    days: int
    reasons: tuple[Reason, ...]

    @property
    def decision(self) -> Decision:
        return Decision(self.reasons)


def _span_text(first: Day, last: Day) -> dict[str, str]:
    names = first.names()
    if first.date == last.date:
        dates = first.date.isoformat()
        return {"zh": f"{names['zh']}（{dates}）", "en": f"{names['en']} ({dates})"}
    zh_dates = f"{first.date.isoformat()}至{last.date.isoformat()}"
    en_dates = f"{first.date.isoformat()} to {last.date.isoformat()}"
    return {"zh": f"{names['zh']}（{zh_dates}）", "en": f"{names['en']} ({en_dates})"}


def working_period(
    start: datetime.date,
    days: int,
    *,
    parameter: ParamValue | None = None,
    calendar: WorkingCalendar | None = None,
) -> Period:
    """A period of `days` working days beginning on `start` (a notice period, a review stage):
    its last day and the explanation, naming the days off it skips."""
    if days < 1:
        raise ValueError("a period has at least one working day")
    calendar = calendar or WorkingCalendar()
    end = calendar.add_working_days(start - ONE_DAY, days)
    params = {"start": start.isoformat(), "end": end.isoformat(), "days": days}
    reasons = [Reason("calendar.period", True, params, parameter)]
    spans = calendar.rest_spans(start, end)
    if spans:
        texts = [_span_text(first, last) for first, last in spans]
        skipped = {
            "zh": "、".join(t["zh"] for t in texts),
            "en": "; ".join(t["en"] for t in texts),
        }
        reasons.append(Reason("calendar.period_skips", True, {"skipped": skipped}))
    return Period(start, end, days, tuple(reasons))


# -- deadlines -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A deadline as set (`due`) and as it runs (`on`, after any extension), with the reason."""

    due: datetime.date
    on: datetime.date
    reasons: tuple[Reason, ...]

    @property
    def extended(self) -> bool:
        return self.on != self.due

    @property
    def decision(self) -> Decision:
        return Decision(self.reasons)

    def met_by(self, day: datetime.date) -> Decision:
        """Whether an act done on `day` meets the deadline, with the deadline's own reasons."""
        params = {"day": day.isoformat(), "on": self.on.isoformat()}
        ok = day <= self.on
        verdict = Reason("calendar.deadline_met" if ok else "calendar.deadline_missed", ok, params)
        return Decision((*self.reasons, verdict))


def extension_parameter(kind: str, *, on: datetime.date) -> ParamValue:
    """Whether deadlines of `kind` follow Civil Code Art. 203, as in force on `on`."""
    for key in (f"deadlines.{kind}.extend_on_rest_day", "deadlines.default.extend_on_rest_day"):
        try:
            return param(key, on=on)
        except ParameterMissing:
            continue
    raise ParameterMissing(f"no value of deadlines.{kind}/default.extend_on_rest_day on {on}")


def deadline(
    due: datetime.date, *, kind: str = "default", calendar: WorkingCalendar | None = None
) -> Deadline:
    """The deadline `due` of a programme of `kind`, extended past days off if its rule says so."""
    calendar = calendar or WorkingCalendar()
    info = calendar.day(due)
    if info.working:
        reason = Reason("calendar.deadline_working_day", True, {"due": due.isoformat()})
        return Deadline(due, due, (reason,))
    parameter = extension_parameter(kind, on=due)
    params = {"due": due.isoformat(), "name": info.names(), "kind": kind}
    if not parameter.value:
        reason = Reason("calendar.deadline_not_extended", True, params, parameter)
        return Deadline(due, due, (reason,))
    on = calendar.next_working_day(due)
    basis = param("deadlines.extension_basis", on=due).value
    params = {**params, "on": on.isoformat(), "basis": basis}
    reason = Reason("calendar.deadline_extended", True, params, parameter)
    return Deadline(due, on, (reason,))


# -- the bureau's view ---------------------------------------------------------------------


def coverage_warnings(today: datetime.date, *, calendar: WorkingCalendar | None = None) -> list:
    """What the bureau must do about the calendar now: this year missing, or next year still
    missing from 1 November (the State Council publishes it in October–December)."""
    calendar = calendar or WorkingCalendar()
    warnings = []
    if not calendar.covers(today.year):
        warnings.append(CalendarMissing(today.year).reason.message)
    if today.month >= 11 and not calendar.covers(today.year + 1):
        warnings.append(CalendarMissing(today.year + 1).reason.message)
    return warnings
