"""The bureau keeps the working-day calendar: its pages and services, permissions, bad input."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from haihe.core.audit import trail_for
from haihe.policy import calendar, calendar_services
from haihe.policy.loader import load_calendars, load_parameters
from haihe.policy.models import CalendarDay, CalendarYear
from haihe.registry.models import District
from tests.factories import bureau_admin, district_reviewer, municipal_reviewer

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def loaded(db):
    load_parameters("120000")
    load_calendars()


def test_a_year_as_month_grids(client, loaded):
    client.force_login(municipal_reviewer())
    page = client.get(reverse("policy:calendar_year", args=[2020]))
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        'class="day holiday" title="2020-10-01 国庆节、中秋节假期" data-date="2020-10-01"' in text
    )
    assert 'class="day adjusted" title="2020-10-10' in text
    assert 'class="day weekend" title="2020-09-26' in text
    assert "国办发明电〔2020〕1号" in text
    years = client.get(reverse("policy:calendar")).content.decode()
    for year in range(2019, 2027):
        assert reverse("policy:calendar_year", args=[year]) in years
    assert 'name="year"' not in years  # a municipal reviewer reads, the administrator edits


def test_the_administrator_enters_a_year_and_its_days(client, loaded, clock):
    clock.travel(D(2026, 11, 20))
    admin = bureau_admin()
    client.force_login(admin)
    assert "2027年的工作日历" in client.get(reverse("policy:calendar")).content.decode()
    created = client.post(
        reverse("policy:calendar"),
        {"year": "2027", "source": "国务院办公厅关于2027年部分节假日安排的通知（测试）"},
    )
    assert created.status_code == 302
    added = client.post(
        reverse("policy:calendar_year", args=[2027]),
        {
            "kind": "holiday",
            "first": "2027-01-01",
            "last": "2027-01-03",
            "name_zh": "元旦",
            "name_en": "New Year's Day",
            "source": "测试",
        },
    )
    assert added.status_code == 302
    assert not calendar.is_working_day(D(2027, 1, 1))
    assert calendar.coverage_warnings(clock.today) == []
    actions = list(trail_for(CalendarYear.objects.get(year=2027)).values_list("action", flat=True))
    assert actions == ["calendar.days_added", "calendar.year_created"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"first": "2020-13-01"}, "first"),
        ({"last": "2020-10-01", "first": "2020-10-05"}, "last"),
        ({"first": "2021-02-01", "last": "2021-02-01"}, "first"),  # outside the year
        ({"kind": "workday", "first": "2020-11-04", "last": "2020-11-04"}, "first"),  # a weekday
        ({"first": "2020-10-01", "last": "2020-10-01"}, "first"),  # already entered
        ({"name_zh": ""}, "name_zh"),
        ({"name_en": ""}, "name_en"),
        ({"source": ""}, "source"),
        ({"first": "2020-11-01", "last": "2020-12-31"}, "last"),  # more than 31 days
    ],
)
def test_bad_entries_name_the_field_and_change_nothing(client, loaded, values, field):
    client.force_login(bureau_admin())
    before = CalendarDay.objects.count()
    form = {
        "kind": "holiday",
        "first": "2020-11-02",
        "last": "2020-11-02",
        "name_zh": "测试",
        "name_en": "Test",
        "source": "测试",
        **values,
    }
    page = client.post(reverse("policy:calendar_year", args=[2020]), form)
    assert page.status_code == 200
    assert f'data-field="{field}"' in page.content.decode()
    assert CalendarDay.objects.count() == before


def test_bad_years_are_refused(loaded):
    admin = bureau_admin()
    for year, source, field in ((2020, "x", "year"), (3000, "x", "year"), (2030, " ", "source")):
        with pytest.raises(ValidationError) as refused:
            calendar_services.calendar_year_create(actor=admin, year=year, source=source)
        assert field in refused.value.message_dict
    assert CalendarYear.objects.count() == 8


def test_a_wrong_entry_is_voided_not_deleted(client, loaded):
    client.force_login(bureau_admin())
    entry = CalendarDay.objects.get(day=D(2020, 10, 8), voided_at__isnull=True)
    void = reverse("policy:calendar_day_void", args=[2020, entry.pk])
    client.post(void, {"reason": ""})
    assert not calendar.is_working_day(D(2020, 10, 8))  # no reason, no change
    client.post(void, {"reason": "录入错误（测试）"})
    entry.refresh_from_db()
    assert entry.void_reason == "录入错误（测试）"
    assert calendar.is_working_day(D(2020, 10, 8))
    assert CalendarDay.objects.filter(day=D(2020, 10, 8)).count() == 1


def test_only_the_administrator_edits_and_only_the_bureau_reads(client, loaded, reference_data):
    reviewer = municipal_reviewer()
    year = CalendarYear.objects.get(year=2020)
    with pytest.raises(PermissionDenied):
        calendar_services.calendar_days_add(
            actor=reviewer,
            calendar=year,
            kind="holiday",
            first=D(2020, 11, 2),
            name_zh="x",
            name_en="x",
            source="x",
        )
    with pytest.raises(PermissionDenied):
        calendar_services.calendar_year_create(actor=reviewer, year=2030, source="x")
    entry = CalendarDay.objects.filter(calendar=year).first()
    client.force_login(reviewer)
    void = reverse("policy:calendar_day_void", args=[2020, entry.pk])
    assert client.post(void, {"reason": "x"}).status_code == 403
    client.force_login(district_reviewer(District.objects.first()))
    assert client.get(reverse("policy:calendar")).status_code == 403
    assert client.get(reverse("policy:calendar_year", args=[2020])).status_code == 403
    client.logout()
    assert client.get(reverse("policy:calendar")).status_code == 302
    entry.refresh_from_db()
    assert entry.voided_at is None
