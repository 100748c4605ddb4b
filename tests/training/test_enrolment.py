"""Enrolment one by one: eligibility stored with its reasons; refusals kept; overrides."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haihe.core import clock
from haihe.core.models import AuditEvent
from haihe.registry.models import Affiliation, Occupation, Person
from haihe.training import services
from tests.factories import (
    PersonFactory,
    bureau_admin,
    district_reviewer,
    make_ric,
    municipal_reviewer,
    org_admin,
)
from tests.training.factories import EnrolmentFactory, TrainingClassFactory
from tests.training.helpers import days_ago

pytestmark = pytest.mark.django_db


def test_an_eligible_person_is_enrolled_with_the_decision_stored(inst_admin, approved_class):
    someone = PersonFactory()
    e = services.enrol(actor=inst_admin, training_class=approved_class, person=someone)
    assert e.status == "enrolled"
    assert e.eligible
    assert e.eligibility["ok"] is True
    assert len(e.eligibility["reasons"]) == 7
    assert AuditEvent.objects.filter(action="enrolment.enrolled", target_id=str(e.pk)).exists()


def test_an_ineligible_person_is_kept_as_refused_with_exact_reasons(inst_admin, approved_class):
    old = PersonFactory(
        birth_date=datetime.date(1940, 1, 1), ric=make_ric(datetime.date(1940, 1, 1))
    )
    e = services.enrol(actor=inst_admin, training_class=approved_class, person=old)
    assert e.status == "refused"
    refusals = [r for r in e.eligibility["reasons"] if not r["ok"]]
    assert [r["rule"] for r in refusals] == ["training.retirement_age"]
    assert refusals[0]["parameter"] == "training.retirement_age_male"
    assert refusals[0]["value"] == 60
    assert refusals[0]["effective_from"] == "1978-06-02"
    assert AuditEvent.objects.filter(action="enrolment.refused").count() == 1


def test_enrol_by_ric_registers_a_new_person_and_ties_them_to_the_institution(
    inst_admin, approved_class
):
    ric = make_ric(datetime.date(1995, 2, 3), "F")
    e = services.enrol_by_ric(actor=inst_admin, training_class=approved_class, ric=ric, name="李娜")
    person = Person.objects.get(ric=ric)
    assert e.person == person
    assert person.sex == "F"
    assert Affiliation.objects.filter(
        person=person, organisation=inst_admin.organisation, relation="trainee"
    ).exists()


def test_fourth_subsidised_training_of_the_year_is_refused(inst_admin, institution, heping):
    someone = PersonFactory()
    year = clock.today().year + 1
    occupations = list(Occupation.objects.order_by("code")[:4])
    for i in range(3):
        EnrolmentFactory(
            person=someone,
            training_class=TrainingClassFactory(
                status="approved",
                occupation=occupations[i],
                start_date=datetime.date(year, 1, 1 + 10 * i),
                end_date=datetime.date(year, 1, 3 + 10 * i),
            ),
        )
    c = TrainingClassFactory(
        organisation=institution,
        district=heping,
        status="approved",
        occupation=occupations[3],
        start_date=datetime.date(year, 12, 1),
        end_date=datetime.date(year, 12, 5),
    )
    e = services.enrol(actor=inst_admin, training_class=c, person=someone)
    assert e.status == "refused"
    assert [r["rule"] for r in e.eligibility["reasons"] if not r["ok"]] == ["training.max_per_year"]


def test_the_same_person_twice_in_one_class_is_refused(inst_admin, approved_class):
    someone = PersonFactory()
    services.enrol(actor=inst_admin, training_class=approved_class, person=someone)
    with pytest.raises(ValidationError):
        services.enrol(actor=inst_admin, training_class=approved_class, person=someone)


def test_no_enrolment_before_approval_or_after_the_end(inst_admin, institution, heping):
    draft = TrainingClassFactory(organisation=institution, district=heping, status="draft")
    with pytest.raises(PermissionDenied):
        services.enrol(actor=inst_admin, training_class=draft, person=PersonFactory())
    ended = TrainingClassFactory(
        organisation=institution,
        district=heping,
        status="approved",
        start_date=days_ago(20),
        end_date=days_ago(1),
    )
    with pytest.raises(ValidationError) as caught:
        services.enrol(actor=inst_admin, training_class=ended, person=PersonFactory())
    assert "结业" in " ".join(caught.value.messages)


def test_a_full_class_takes_no_more(inst_admin, institution, heping):
    c = TrainingClassFactory(
        organisation=institution, district=heping, status="approved", capacity=1
    )
    services.enrol(actor=inst_admin, training_class=c, person=PersonFactory())
    with pytest.raises(ValidationError):
        services.enrol(actor=inst_admin, training_class=c, person=PersonFactory())


def test_another_organisation_cannot_enrol_in_my_class(other_institution, approved_class):
    with pytest.raises(PermissionDenied):
        services.enrol(
            actor=org_admin(other_institution),
            training_class=approved_class,
            person=PersonFactory(),
        )


def _refused(inst_admin, approved_class):
    old = PersonFactory(
        birth_date=datetime.date(1940, 1, 1), ric=make_ric(datetime.date(1940, 1, 1))
    )
    return services.enrol(actor=inst_admin, training_class=approved_class, person=old)


def test_only_a_municipal_reviewer_overrides_and_must_give_a_reason(
    inst_admin, approved_class, heping
):
    e = _refused(inst_admin, approved_class)
    for actor in (inst_admin, bureau_admin(), district_reviewer(heping)):
        with pytest.raises(PermissionDenied):
            services.enrolment_override(actor=actor, enrolment=e, reason="特殊情况")
    reviewer = municipal_reviewer()
    with pytest.raises(ValidationError):
        services.enrolment_override(actor=reviewer, enrolment=e, reason="  ")
    services.enrolment_override(actor=reviewer, enrolment=e, reason="经核实为延迟退休人员")
    e.refresh_from_db()
    assert e.status == "enrolled"
    assert e.override_reason == "经核实为延迟退休人员"
    assert e.overridden_by == reviewer
    assert e.eligibility["ok"] is False  # the original decision is kept
    event = AuditEvent.objects.get(action="enrolment.override")
    assert event.data["reason"] == "经核实为延迟退休人员"
    assert event.data["refusals"] == ["training.retirement_age"]


def test_an_eligible_enrolment_cannot_be_overridden(inst_admin, approved_class):
    e = services.enrol(actor=inst_admin, training_class=approved_class, person=PersonFactory())
    with pytest.raises(ValidationError):
        services.enrolment_override(actor=municipal_reviewer(), enrolment=e, reason="x")


def test_withdraw_by_the_institution_with_a_reason(inst_admin, approved_class, other_institution):
    e = services.enrol(actor=inst_admin, training_class=approved_class, person=PersonFactory())
    with pytest.raises(PermissionDenied):
        services.enrolment_withdraw(actor=org_admin(other_institution), enrolment=e, reason="x")
    services.enrolment_withdraw(actor=inst_admin, enrolment=e, reason="本人申请退出")
    e.refresh_from_db()
    assert e.status == "withdrawn"
    assert e.withdrawn_at is not None
