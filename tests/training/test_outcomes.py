"""Outcomes: certificate numbers checked for format and for the class's level."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haihe.core.models import AuditEvent
from haihe.training import services
from haihe.training.models import Outcome
from tests.factories import bureau_admin, org_admin
from tests.training.factories import EnrolmentFactory
from tests.training.helpers import certificate, days_ago, running_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(institution, heping):
    c = running_class(institution, heping, level=4)
    return EnrolmentFactory(training_class=c, status="completed")


def record(actor, enrolment, **overrides):
    data = {
        "kind": "skill_certificate",
        "certificate_number": certificate(4),
        "issuing_body": "天津市职业技能鉴定指导中心",
        "issued_on": days_ago(1),
    }
    data.update(overrides)
    return services.outcome_record(actor=actor, enrolment=enrolment, **data)


def test_a_skill_certificate_of_the_class_level_is_recorded(inst_admin, completed):
    o = record(inst_admin, completed)
    assert o.level == 4
    assert o.certification_certificate_id is None
    assert AuditEvent.objects.filter(action="outcome.recorded", target_id=str(o.pk)).exists()


@pytest.mark.parametrize(
    "number",
    ["Y1234", "X" + "1" * 21, "Y" + "1" * 20 + "A", "1" * 16],  # 16 digits: no level encoded
)
def test_malformed_certificate_numbers_are_refused(inst_admin, completed, number):
    with pytest.raises(ValidationError) as caught:
        record(inst_admin, completed, certificate_number=number)
    assert "certificate_number" in caught.value.message_dict


def test_a_certificate_of_another_level_is_refused(inst_admin, completed):
    with pytest.raises(ValidationError) as caught:
        record(inst_admin, completed, certificate_number=certificate(3))
    assert "3" in " ".join(caught.value.message_dict["certificate_number"])
    assert not Outcome.objects.exists()


def test_special_ability_and_completion_certificates(inst_admin, completed):
    record(inst_admin, completed, kind="special_ability", certificate_number="ZX-2020-0001")
    record(inst_admin, completed, kind="completion", certificate_number="PX-2020-0001")
    assert Outcome.objects.filter(level__isnull=True).count() == 2


def test_one_outcome_of_each_kind_per_enrolment(inst_admin, completed):
    record(inst_admin, completed)
    with pytest.raises(ValidationError):
        record(inst_admin, completed, certificate_number=certificate(4, 2))


def test_no_outcome_before_completion(inst_admin, institution, heping):
    e = EnrolmentFactory(training_class=running_class(institution, heping), status="enrolled")
    with pytest.raises(ValidationError):
        record(inst_admin, e)


def test_dates_and_issuing_body_are_checked(inst_admin, completed):
    with pytest.raises(ValidationError) as caught:
        record(inst_admin, completed, issued_on=days_ago(30), issuing_body=" ")
    assert set(caught.value.message_dict) == {"issued_on", "issuing_body"}
    with pytest.raises(ValidationError):
        record(inst_admin, completed, issued_on=days_ago(-1))


def test_another_organisation_cannot_record_or_void(inst_admin, other_institution, completed):
    with pytest.raises(PermissionDenied):
        record(org_admin(other_institution), completed)
    o = record(inst_admin, completed)
    with pytest.raises(PermissionDenied):
        services.outcome_void(actor=org_admin(other_institution), outcome=o, reason="x")


def test_a_voided_outcome_is_kept_and_can_be_recorded_again(inst_admin, completed):
    o = record(inst_admin, completed)
    services.outcome_void(actor=bureau_admin(), outcome=o, reason="证书编号录入错误")
    o.refresh_from_db()
    assert o.voided_at is not None
    again = record(inst_admin, completed, certificate_number=certificate(4, 9))
    assert Outcome.objects.count() == 2
    assert Outcome.objects.current().get() == again
    assert isinstance(again.issued_on, datetime.date)
