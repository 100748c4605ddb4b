"""Sessions, sign-ins, verified hours and completion at the threshold's edge."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haihe.core.models import AuditEvent
from haihe.policy.models import Parameter, ParameterValue
from haihe.training import online, services
from haihe.training.models import Attendance, Enrolment
from tests.factories import PersonFactory, org_admin
from tests.training.factories import EnrolmentFactory
from tests.training.helpers import days_ago, running_class

pytestmark = pytest.mark.django_db
T = datetime.time


@pytest.fixture
def klass(institution, heping):
    return running_class(institution, heping)


NINE, ONE_PM = T(9), T(13)


def session(actor, klass, day_offset=3, start=NINE, end=ONE_PM, hours=None):
    return services.session_create(
        actor=actor,
        training_class=klass,
        date=days_ago(day_offset),
        starts_at=start,
        ends_at=end,
        kind="practice",
        hours=hours,
    )


def test_session_hours_default_to_its_duration(inst_admin, klass):
    s = session(inst_admin, klass, start=T(9), end=T(12, 40))
    assert s.hours == Decimal("3.5")


def test_more_hours_in_one_day_than_the_parameter_allows_is_refused(inst_admin, klass):
    session(inst_admin, klass, start=T(8), end=T(12))
    session(inst_admin, klass, start=T(13), end=T(17))  # 8 hours: exactly the limit
    with pytest.raises(ValidationError) as caught:
        session(inst_admin, klass, start=T(18), end=T(18, 30))
    assert "hours" in caught.value.message_dict


def test_a_session_outside_the_class_dates_is_refused(inst_admin, klass):
    with pytest.raises(ValidationError) as caught:
        session(inst_admin, klass, day_offset=6)
    assert "date" in caught.value.message_dict


def test_online_classes_have_no_offline_sessions(inst_admin, institution, heping, platform):
    online_class = running_class(institution, heping, mode="online", platform=platform)
    with pytest.raises(PermissionDenied):
        session(inst_admin, online_class)


def test_sign_in_is_all_or_nothing(inst_admin, klass):
    s = session(inst_admin, klass)
    good = EnrolmentFactory(training_class=klass)
    withdrawn = EnrolmentFactory(training_class=klass, status="withdrawn")
    with pytest.raises(ValidationError):
        services.attendance_record(actor=inst_admin, session=s, enrolments=[good, withdrawn])
    assert not Attendance.objects.exists()
    services.attendance_record(actor=inst_admin, session=s, enrolments=[good])
    good.refresh_from_db()
    assert good.attended_hours == Decimal(4)
    assert AuditEvent.objects.filter(action="attendance.recorded").count() == 1
    with pytest.raises(ValidationError):  # twice
        services.attendance_record(actor=inst_admin, session=s, enrolments=[good])


def test_sign_in_time_must_be_on_the_session_day(inst_admin, klass):
    s = session(inst_admin, klass)
    e = EnrolmentFactory(training_class=klass)
    wrong_day = timezone.make_aware(datetime.datetime.combine(days_ago(2), T(9)))
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=inst_admin, session=s, enrolments=[e], signed_in_at=wrong_day
        )


def test_another_organisation_cannot_sign_in(other_institution, inst_admin, klass):
    s = session(inst_admin, klass)
    e = EnrolmentFactory(training_class=klass)
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=org_admin(other_institution), session=s, enrolments=[e])


def test_completion_exactly_at_the_threshold_and_not_below(inst_admin, klass):
    """10 planned hours × 0.80 = 8 verified hours needed."""
    reaches, misses = EnrolmentFactory(training_class=klass), EnrolmentFactory(training_class=klass)
    first = session(inst_admin, klass, day_offset=3, start=T(9), end=T(13))
    second = session(inst_admin, klass, day_offset=2, start=T(9), end=T(13))
    services.attendance_record(actor=inst_admin, session=first, enrolments=[reaches, misses])
    services.attendance_record(actor=inst_admin, session=second, enrolments=[reaches])
    half = session(inst_admin, klass, day_offset=1, start=T(9), end=T(12, 30))
    services.attendance_record(actor=inst_admin, session=half, enrolments=[misses])
    reaches.refresh_from_db()
    misses.refresh_from_db()
    assert (reaches.attended_hours, reaches.status) == (Decimal(8), "completed")
    assert (misses.attended_hours, misses.status) == (Decimal("7.5"), "enrolled")
    event = AuditEvent.objects.get(action="enrolment.complete")
    assert event.data["threshold"]["parameter"] == "training.completion_threshold"
    assert event.data["required_hours"] == "8.00"


def test_the_threshold_in_force_on_the_class_start_date_applies(inst_admin, klass):
    parameter = Parameter.objects.get(key="training.completion_threshold")
    ParameterValue.objects.create(
        parameter=parameter,
        region_code="120000",
        effective_from=days_ago(4),
        value="0.5",
        source="测试",
    )
    e = EnrolmentFactory(training_class=klass)
    facts = services.completion_facts(e)
    assert facts["required_hours"] == Decimal("8.00")  # the class started before the change


def test_online_hours_are_zero_until_a_provider_registers(
    inst_admin, institution, heping, platform
):
    c = running_class(institution, heping, mode="online", platform=platform)
    e = EnrolmentFactory(training_class=c)
    assert online.verified_online_hours([e.pk]) == {e.pk: Decimal(0)}
    online.online_hours_changed([e.pk])
    e.refresh_from_db()
    assert (e.online_hours, e.status) == (Decimal(0), "enrolled")


def test_online_hours_changed_completes_and_reopens_incrementally(
    inst_admin, institution, heping, platform
):
    c = running_class(institution, heping, mode="blended", platform=platform)
    e1, e2 = EnrolmentFactory(training_class=c), EnrolmentFactory(training_class=c)
    hours = {e1.pk: Decimal(9), e2.pk: Decimal(9)}
    asked = []

    def provider(ids):
        asked.append(list(ids))
        return {i: hours[i] for i in ids}

    online.register_online_hours_provider(provider)
    online.online_hours_changed([e1.pk])
    assert asked == [[e1.pk]]  # incremental: only the changed enrolment is read
    e1.refresh_from_db()
    e2.refresh_from_db()
    assert (e1.online_hours, e1.status) == (Decimal(9), "completed")
    assert e2.status == "enrolled"
    hours[e1.pk] = Decimal(2)  # statements voided by the supervision module
    online.online_hours_changed([e1.pk])
    e1.refresh_from_db()
    assert e1.status == "enrolled"
    assert AuditEvent.objects.filter(action="enrolment.reopen").count() == 1


def test_negative_or_missing_provider_figures_count_as_zero():
    online.register_online_hours_provider(lambda ids: {1: Decimal(-3)})
    assert online.verified_online_hours([1, 2]) == {1: Decimal(0), 2: Decimal(0)}


def test_blended_hours_add_up(inst_admin, institution, heping, platform):
    c = running_class(institution, heping, mode="blended", platform=platform)
    e = EnrolmentFactory(training_class=c, person=PersonFactory())
    s = session(inst_admin, c)
    services.attendance_record(actor=inst_admin, session=s, enrolments=[e])
    online.register_online_hours_provider(lambda ids: {i: Decimal(4) for i in ids})
    online.online_hours_changed([e.pk])
    e = Enrolment.objects.get(pk=e.pk)
    assert e.verified_hours == Decimal(8)
    assert e.status == "completed"
