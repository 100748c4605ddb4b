"""The working-day calendar: the shipped years, the arithmetic, deadlines and their reasons."""

import datetime

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from haihe.core import clock
from haihe.policy import calendar
from haihe.policy.calendar import CalendarMissing, WorkingCalendar
from haihe.policy.loader import load_calendars, load_parameters, read_calendar, shipped_calendars
from haihe.policy.models import CalendarDay, CalendarYear, Parameter, ParameterValue
from haihe.policy.rules import Reason

D = datetime.date
SHIPPED = shipped_calendars()
SOURCE = calendar.source_from_entries(
    set(SHIPPED), [e for f in SHIPPED.values() for e in f.entries]
)
HOLIDAYS = {e[0] for f in SHIPPED.values() for e in f.entries if e[1] == "holiday"}
ADJUSTED = {e[0] for f in SHIPPED.values() for e in f.entries if e[1] == "workday"}


def shipped() -> WorkingCalendar:
    return WorkingCalendar(SOURCE)


def test_the_shipped_years_are_2019_to_2026():
    assert sorted(SHIPPED) == list(range(2019, 2027))
    for spec in SHIPPED.values():
        assert "国办发明电" in spec.source  # every year names the State Council's notice


# -- the arithmetic, for any day and any count (pure: the shipped data, no database) --------

DAYS = st.dates(min_value=D(2019, 3, 1), max_value=D(2026, 10, 31))
COUNTS = st.integers(min_value=-40, max_value=40)


@settings(max_examples=300, deadline=None)
@given(day=DAYS, n=COUNTS)
def test_add_then_count_is_a_round_trip(day, n):
    cal = shipped()
    assert cal.working_days_between(day, cal.add_working_days(day, n)) == n


@settings(max_examples=300, deadline=None)
@given(day=DAYS, n=COUNTS.filter(bool))
def test_adding_working_days_never_lands_on_a_day_off(day, n):
    cal = shipped()
    landed = cal.add_working_days(day, n)
    assert landed not in HOLIDAYS
    assert landed.weekday() < 5 or landed in ADJUSTED
    assert (landed > day) == (n > 0)


@settings(max_examples=200, deadline=None)
@given(day=DAYS)
def test_the_next_working_day_is_the_first_one(day):
    cal = shipped()
    following = cal.next_working_day(day)
    assert cal.is_working_day(following)
    assert cal.working_days_between(day - datetime.timedelta(days=1), following) == 1


@settings(max_examples=200, deadline=None)
@given(start=DAYS, days=st.integers(min_value=1, max_value=30))
def test_a_period_has_exactly_its_working_days(start, days):
    cal = shipped()
    period = calendar.working_period(start, days, calendar=cal)
    assert cal.is_working_day(period.end)
    assert cal.working_days_between(start - datetime.timedelta(days=1), period.end) == days


@settings(max_examples=100, deadline=None)
@given(a=DAYS, b=DAYS)
def test_counting_adds_up_over_a_middle_day(a, b):
    cal = shipped()
    first, last = min(a, b), max(a, b)
    middle = first + (last - first) / 2
    assert cal.working_days_between(first, last) == cal.working_days_between(
        first, middle
    ) + cal.working_days_between(middle, last)


# -- 2020, as the State Council set it ------------------------------------------------------


def test_national_day_and_mid_autumn_2020():
    cal = shipped()
    for day in range(1, 9):
        assert not cal.is_working_day(D(2020, 10, day)), day
        assert cal.day(D(2020, 10, day)).name_zh == "国庆节、中秋节"
    assert cal.is_working_day(D(2020, 9, 27))  # Sunday, worked
    assert cal.is_working_day(D(2020, 10, 10))  # Saturday, worked
    assert cal.day(D(2020, 10, 10)).kind == calendar.ADJUSTED
    assert not cal.is_working_day(D(2020, 9, 26))  # an ordinary Saturday
    assert cal.is_working_day(D(2020, 10, 9))
    assert cal.working_days_between(D(2020, 9, 30), D(2020, 10, 9)) == 1


def test_the_2020_spring_festival_ran_to_2_february():
    cal = shipped()
    assert [cal.is_working_day(D(2020, 1, d)) for d in (19, 23, 24, 30, 31)] == [
        True,
        True,
        False,
        False,
        False,
    ]
    # 1 February, a working Saturday under the first notice, became a day off by the extension.
    assert not cal.is_working_day(D(2020, 2, 1))
    assert cal.day(D(2020, 2, 1)).source == "国办发明电〔2020〕1号"
    assert not cal.is_working_day(D(2020, 2, 2))
    assert cal.is_working_day(D(2020, 2, 3))


def test_a_notice_period_counted_across_national_day_2020():
    period = calendar.working_period(D(2020, 9, 28), 5, calendar=shipped())
    # 28, 29, 30 September, 9 October, and Saturday 10 October (worked in exchange)
    assert period.end == D(2020, 10, 10)
    assert [r.message for r in period.reasons] == [
        "自2020-09-28起计5个工作日，至2020-10-10止。",
        "其间的国庆节、中秋节假期（2020-10-01至2020-10-08）不计入。",
    ]
    with translation.override("en"):
        assert period.reasons[1].message == (
            "Not counted: the National Day and Mid-Autumn Festival holiday "
            "(2020-10-01 to 2020-10-08)."
        )


def test_a_year_without_a_calendar_is_refused_with_the_reason():
    cal = shipped()
    with pytest.raises(CalendarMissing) as refused:
        cal.add_working_days(D(2026, 12, 28), 5)
    assert refused.value.year == 2027
    assert "2027年的工作日历" in refused.value.messages[0]
    with translation.override("en"):
        assert "2027" in CalendarMissing(2027).messages[0]
        assert "has not been entered" in CalendarMissing(2027).messages[0]
    assert not cal.covers(2018)
    with pytest.raises(CalendarMissing):
        cal.is_working_day(D(2018, 6, 1))  # never counted as a plain Friday


def test_a_shipped_file_that_contradicts_itself_fails_loudly(tmp_path):
    bad = tmp_path / "2030.yaml"
    bad.write_text(
        "year: 2030\nsources: {X: {title: T, signed: 2029-11-01}}\n"
        "holidays: []\nworkdays:\n  - {date: 2030-01-02, name_zh: 元旦, name_en: N, source: X}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="not a weekend day"):
        read_calendar(bad)
    bad.write_text(
        "year: 2030\nsources: {X: {title: T, signed: 2029-11-01}}\n"
        "holidays:\n  - {name_zh: 元旦, name_en: N, from: 2030-01-01, to: 2030-01-01, source: Y}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="not listed in sources"):
        read_calendar(bad)


# -- in the database -------------------------------------------------------------------------


@pytest.fixture
def loaded(db):
    load_parameters("120000")
    load_calendars()


def test_loading_is_idempotent_and_never_overwrites_the_bureau(loaded):
    assert CalendarYear.objects.count() == 8
    edited = CalendarDay.objects.get(day=D(2020, 10, 8))
    edited.voided_at = clock.now()  # as if the bureau had voided it
    edited.save()
    assert load_calendars() == 0
    assert CalendarDay.objects.filter(day=D(2020, 10, 8), voided_at__isnull=True).count() == 0
    assert calendar.is_working_day(D(2020, 10, 8))


def test_the_database_calendar_agrees_with_the_shipped_files(loaded):
    cal = WorkingCalendar()
    for day in (D(2019, 5, 4), D(2020, 2, 1), D(2023, 12, 31), D(2024, 2, 18), D(2026, 6, 19)):
        assert cal.is_working_day(day) == shipped().is_working_day(day), day
    assert calendar.add_working_days(D(2020, 9, 30), 1) == D(2020, 10, 9)
    assert calendar.working_days_between(D(2020, 9, 25), D(2020, 10, 10)) == 6


def test_a_deadline_on_a_holiday_is_extended_with_its_reason(loaded):
    due = calendar.deadline(D(2020, 10, 1))
    assert due.on == D(2020, 10, 9)
    assert due.extended
    (reason,) = due.reasons
    assert reason.rule == "calendar.deadline_extended"
    assert reason.parameter.key == "deadlines.default.extend_on_rest_day"
    assert reason.message == (
        "期限届满日2020-10-01是国庆节、中秋节假期，顺延至其后的第一个工作日2020-10-09"
        "（《中华人民共和国民法总则》第二百零三条）。"
    )
    with translation.override("en"):
        assert reason.message == (
            "The deadline 2020-10-01 falls on the National Day and Mid-Autumn Festival holiday; "
            "it is extended to 2020-10-09, the first working day after it "
            "(General Provisions of the Civil Law, Art. 203)."
        )
        # a stored explanation renders again in the reader's language
        assert Reason.from_dict(reason.as_dict()).message == reason.message


def test_the_explanation_cites_the_law_in_force_on_the_day(loaded):
    assert "民法典》第二百零三条" in calendar.deadline(D(2021, 10, 1)).reasons[0].message
    assert calendar.deadline(D(2021, 10, 1)).on == D(2021, 10, 8)
    CalendarYear.objects.create(year=2016, source="测试：只有周末的年度")
    assert "民法通则》第一百五十四条" in calendar.deadline(D(2016, 10, 1)).reasons[0].message


def test_a_deadline_on_a_weekend_moves_to_monday_and_on_a_working_day_stays(loaded):
    assert calendar.deadline(D(2020, 11, 28)).on == D(2020, 11, 30)
    assert "休息日" in calendar.deadline(D(2020, 11, 28)).reasons[0].message
    worked = calendar.deadline(D(2020, 10, 10))  # a Saturday worked in exchange
    assert (worked.on, worked.extended) == (D(2020, 10, 10), False)
    assert worked.reasons[0].rule == "calendar.deadline_working_day"


def test_a_kind_whose_deadline_does_not_follow_the_civil_code(loaded):
    parameter = Parameter.objects.create(
        key="deadlines.test.claim.extend_on_rest_day", label_zh="x", label_en="x", kind="json"
    )
    ParameterValue.objects.create(
        parameter=parameter,
        region_code="120000",
        effective_from=D(2020, 1, 1),
        value=False,
        source="某办法第三条",
    )
    due = calendar.deadline(D(2020, 10, 1), kind="test.claim")
    assert (due.on, due.extended) == (D(2020, 10, 1), False)
    assert due.reasons[0].rule == "calendar.deadline_not_extended"
    assert due.reasons[0].parameter.source == "某办法第三条"
    assert "不因节假日顺延" in due.reasons[0].message
    # before the kind's own value took effect, the default applied
    assert calendar.deadline(D(2019, 10, 1), kind="test.claim").on == D(2019, 10, 8)


def test_meeting_a_deadline_is_judged_against_the_extended_day(loaded):
    due = calendar.deadline(D(2020, 10, 1))
    assert due.met_by(D(2020, 10, 9)).ok
    late = due.met_by(D(2020, 10, 10))
    assert not late.ok
    assert late.refusals[0].message == "2020-10-10已超过期限2020-10-09。"


def test_an_edit_by_the_bureau_counts_at_once(loaded):
    assert calendar.is_working_day(D(2026, 6, 22))
    CalendarDay.objects.create(
        calendar=CalendarYear.objects.get(year=2026),
        day=D(2026, 6, 22),
        kind="holiday",
        name_zh="测试假日",
        name_en="Test holiday",
        source="测试",
    )
    assert not calendar.is_working_day(D(2026, 6, 22))


def test_the_bureau_is_warned_when_next_year_is_missing(loaded):
    assert calendar.coverage_warnings(D(2026, 10, 31)) == []
    (warning,) = calendar.coverage_warnings(D(2026, 11, 1))
    assert "2027" in warning
    assert len(calendar.coverage_warnings(D(2027, 3, 1))) == 1
