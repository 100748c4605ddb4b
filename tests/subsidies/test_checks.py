"""Each check raises on the fact it looks for, with its evidence, and stays quiet otherwise."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from haihe.subsidies import services
from haihe.subsidies.checks import run_checks
from haihe.subsidies.models import ClaimCheck
from haihe.training.models import Attendance, TrainingSession
from tests.factories import PersonFactory
from tests.subsidies import factories as f

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 6, 1)


def _at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _sign_in(enrolment, day, hours="4", start=9, sign_day=None):
    session, _created = TrainingSession.objects.get_or_create(
        training_class=enrolment.training_class,
        date=day,
        starts_at=datetime.time(start),
        defaults={
            "ends_at": datetime.time(start + int(Decimal(hours))),
            "hours": Decimal(hours),
            "kind": "theory",
        },
    )
    return Attendance.objects.create(
        session=session,
        enrolment=enrolment,
        signed_in_at=_at(sign_day or day, start),
        hours=Decimal(hours),
    )


def _submit(org, filer, klass):
    claim = services.claim_create(actor=filer, training_class=klass, today=DAY)
    return services.claim_submit(actor=filer, claim=claim, today=DAY)


def _codes(claim):
    return {c.code: c for c in ClaimCheck.objects.filter(claim=claim, superseded_at__isnull=True)}


def test_a_clean_claim_raises_nothing(org, filer):
    klass, outcomes = f.class_with_outcomes(org, n=2)
    for outcome in outcomes:
        _sign_in(outcome.enrolment, klass.start_date)
    claim = _submit(org, filer, klass)
    assert _codes(claim) == {}
    assert claim.raised_checks == 0


def test_the_same_person_in_two_classes_at_once(org, filer):
    person = PersonFactory(district=org.district)
    klass = f.training_class(org, start=datetime.date(2020, 3, 1), end=datetime.date(2020, 3, 31))
    other = f.training_class(org, start=datetime.date(2020, 3, 20), end=datetime.date(2020, 4, 20))
    f.outcome(f.enrolment(klass, person))
    f.enrolment(other, person, status="enrolled")
    check = _codes(_submit(org, filer, klass))["concurrent_classes"]
    assert check.evidence["other_class_id"] == other.pk
    assert check.evidence["start"] == "2020-03-20"
    assert person.name in check.message


def test_one_certificate_used_twice(org, filer):
    klass = f.training_class(org)
    first = f.outcome(f.enrolment(klass))
    elsewhere = f.training_class(
        org, start=datetime.date(2019, 1, 1), end=datetime.date(2019, 2, 1)
    )
    f.outcome(f.enrolment(elsewhere), number=first.certificate_number)
    check = _codes(_submit(org, filer, klass))["certificate_reused"]
    assert check.evidence["certificate"] == first.certificate_number
    assert "**" in check.evidence["other_person"]  # the other trainee's RIC is masked


def test_attendance_outside_the_class_dates(org, filer):
    klass = f.training_class(org, start=datetime.date(2020, 3, 1), end=datetime.date(2020, 3, 31))
    outcome = f.outcome(f.enrolment(klass))
    _sign_in(outcome.enrolment, datetime.date(2020, 3, 5))
    _sign_in(outcome.enrolment, datetime.date(2020, 4, 2))
    check = _codes(_submit(org, filer, klass))["attendance_outside_dates"]
    assert check.evidence["count"] == 1
    assert check.evidence["example"] == "2020-04-02"


def test_more_hours_in_one_day_than_the_parameter_allows(org, filer):
    person = PersonFactory(district=org.district)
    klass = f.training_class(org, start=datetime.date(2020, 3, 1), end=datetime.date(2020, 3, 31))
    outcome = f.outcome(f.enrolment(klass, person))
    _sign_in(outcome.enrolment, datetime.date(2020, 3, 5), hours="4", start=8)
    _sign_in(outcome.enrolment, datetime.date(2020, 3, 5), hours="4", start=13)  # exactly 8: fine
    claim = _submit(org, filer, klass)
    assert "daily_hours_exceeded" not in _codes(claim)
    evening = f.training_class(org, start=datetime.date(2020, 3, 1), end=datetime.date(2020, 3, 31))
    _sign_in(
        f.enrolment(evening, person, status="enrolled"),
        datetime.date(2020, 3, 5),
        hours="2",
        start=19,
    )
    services.claim_review(actor=_district(org), claim=claim, decision="return", reason="核查")
    claim = services.claim_submit(actor=filer, claim=claim, today=DAY)
    check = _codes(claim)["daily_hours_exceeded"]
    assert check.evidence["hours"] == "10" and check.evidence["limit"] == "8"
    assert check.evidence["parameter"] == "training.max_hours_per_day"
    # checking again supersedes the earlier checks (kept, not deleted)
    run_checks([claim.pk])
    superseded = ClaimCheck.objects.filter(claim=claim, superseded_at__isnull=False)
    assert set(superseded.values_list("code", flat=True)) == set(_codes(claim))
    assert set(_codes(claim)) == {"daily_hours_exceeded", "concurrent_classes"}


def _district(org):
    from tests.factories import district_reviewer

    return district_reviewer(org.district)


def test_enrolment_after_the_class_ended(org, filer):
    klass = f.training_class(org, start=datetime.date(2020, 3, 1), end=datetime.date(2020, 3, 31))
    f.outcome(f.enrolment(klass, enrolled_at=_at(datetime.date(2020, 4, 1))))
    f.outcome(f.enrolment(klass, enrolled_at=_at(datetime.date(2020, 3, 31), 20)))  # last day: fine
    checks = ClaimCheck.objects.filter(claim=_submit(org, filer, klass), code="late_enrolment")
    assert checks.count() == 1
    assert checks.get().evidence["enrolled_on"] == "2020-04-01"
