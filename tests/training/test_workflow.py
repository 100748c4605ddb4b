"""Class filing and review: every transition, who may take it, and who may not."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haihe.core import clock
from haihe.core.models import AuditEvent
from haihe.core.workflow import TransitionNotPossible
from haihe.training import services
from haihe.training.models import TrainingClass
from tests.factories import (
    PersonFactory,
    bureau_admin,
    district_reviewer,
    municipal_reviewer,
    org_admin,
    worker,
)
from tests.training.factories import TrainingClassFactory, occupation, soon

pytestmark = pytest.mark.django_db


def file_class(actor, district, **overrides):
    data = {
        "occupation": occupation(),
        "level": 4,
        "mode": "offline",
        "planned_theory_hours": Decimal("24"),
        "planned_practice_hours": Decimal("40"),
        "start_date": soon(10),
        "end_date": soon(20),
        "district": district,
        "capacity": 30,
        "venue": "和平路 1 号",
        "teachers": "王老师",
    }
    data.update(overrides)
    return services.class_file(actor=actor, **data)


def test_institution_files_a_draft_and_it_is_audited(inst_admin, heping):
    c = file_class(inst_admin, heping)
    assert c.status == "draft"
    assert c.organisation_id == inst_admin.organisation_id
    assert c.planned_hours == Decimal("64")
    assert AuditEvent.objects.filter(action="training_class.filed", target_id=str(c.pk)).exists()


@pytest.mark.parametrize("role_user", ["bureau", "municipal", "district", "worker"])
def test_only_organisations_file_classes(role_user, heping):
    actor = {
        "bureau": lambda: bureau_admin(),
        "municipal": lambda: municipal_reviewer(),
        "district": lambda: district_reviewer(heping),
        "worker": lambda: worker(PersonFactory(district=heping)),
    }[role_user]()
    with pytest.raises(PermissionDenied):
        file_class(actor, heping)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"mode": "online"}, "platform"),
        ({"end_date": soon(5)}, "end_date"),
        (
            {"planned_theory_hours": Decimal(0), "planned_practice_hours": Decimal(0)},
            "planned_practice_hours",
        ),
        ({"level": 9}, "level"),
    ],
)
def test_bad_class_data_is_refused_by_field(inst_admin, heping, overrides, field):
    with pytest.raises(ValidationError) as caught:
        file_class(inst_admin, heping, **overrides)
    assert field in caught.value.message_dict
    assert not TrainingClass.objects.exists()


def test_online_class_needs_an_online_training_platform(
    inst_admin, heping, platform, other_institution
):
    with pytest.raises(ValidationError) as caught:
        file_class(inst_admin, heping, mode="blended", platform=other_institution)
    assert "platform" in caught.value.message_dict
    c = file_class(inst_admin, heping, mode="blended", platform=platform)
    assert c.platform == platform


def test_submit_approve_by_the_district_reviewer(inst_staff, heping_reviewer, heping):
    c = file_class(inst_staff, heping)
    services.class_transition(actor=inst_staff, training_class=c, name="submit")
    assert c.status == "submitted"
    services.class_transition(actor=heping_reviewer, training_class=c, name="approve")
    c.refresh_from_db()
    assert c.status == "approved"
    assert c.reviewed_by == heping_reviewer
    actions = list(
        AuditEvent.objects.filter(target_id=str(c.pk), action__startswith="training_class.")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "training_class.filed",
        "training_class.submit",
        "training_class.approve",
    ]


def test_return_needs_a_reason_and_a_returned_class_is_corrected_and_resubmitted(
    inst_admin, heping_reviewer, heping
):
    c = file_class(inst_admin, heping)
    services.class_transition(actor=inst_admin, training_class=c, name="submit")
    with pytest.raises(ValidationError):
        services.class_transition(actor=heping_reviewer, training_class=c, name="return")
    services.class_transition(
        actor=heping_reviewer, training_class=c, name="return", reason="计划学时不足"
    )
    c.refresh_from_db()
    assert c.status == "returned"
    assert c.return_reason == "计划学时不足"
    services.class_update(actor=inst_admin, training_class=c, planned_practice_hours=Decimal(80))
    services.class_transition(actor=inst_admin, training_class=c, name="submit")
    assert c.status == "submitted"


def test_a_reviewer_of_another_district_may_not_approve(inst_admin, hexi_reviewer, heping):
    c = file_class(inst_admin, heping)
    services.class_transition(actor=inst_admin, training_class=c, name="submit")
    with pytest.raises(PermissionDenied):
        services.class_transition(actor=hexi_reviewer, training_class=c, name="approve")
    c.refresh_from_db()
    assert c.status == "submitted"


@pytest.mark.parametrize("who", ["filer", "municipal", "bureau"])
def test_only_the_district_reviewer_approves(who, inst_admin, heping):
    c = file_class(inst_admin, heping)
    services.class_transition(actor=inst_admin, training_class=c, name="submit")
    actor = {"filer": inst_admin, "municipal": municipal_reviewer(), "bureau": bureau_admin()}[who]
    with pytest.raises(PermissionDenied):
        services.class_transition(actor=actor, training_class=c, name="approve")


def test_another_organisation_may_not_submit(inst_admin, other_institution, heping):
    c = file_class(inst_admin, heping)
    with pytest.raises(PermissionDenied):
        services.class_transition(
            actor=org_admin(other_institution), training_class=c, name="submit"
        )


def test_a_started_class_cannot_be_approved_retroactively(institution, heping, heping_reviewer):
    today = clock.today()
    c = TrainingClassFactory(
        organisation=institution,
        district=heping,
        status="submitted",
        start_date=today,
        end_date=today + datetime.timedelta(days=5),
    )
    # not possible now (409 with the reason), never a 403: the reviewer may review the class
    with pytest.raises(TransitionNotPossible) as caught:
        services.class_transition(actor=heping_reviewer, training_class=c, name="approve")
    assert "开班" in str(caught.value)
    c.refresh_from_db()
    assert c.status == "submitted"


def test_the_day_before_start_is_still_in_time(institution, heping, heping_reviewer):
    c = TrainingClassFactory(
        organisation=institution, district=heping, status="submitted", start_date=soon(1)
    )
    services.class_transition(actor=heping_reviewer, training_class=c, name="approve")
    assert c.status == "approved"


def test_approval_cannot_be_repeated_or_skipped(inst_admin, heping_reviewer, heping):
    c = file_class(inst_admin, heping)
    with pytest.raises(ValidationError):  # a draft is not in the queue
        services.class_transition(actor=heping_reviewer, training_class=c, name="approve")


def test_cancel_needs_a_reason_and_not_once_trainees_are_enrolled(
    inst_admin, approved_class, heping
):
    from tests.training.factories import EnrolmentFactory

    with pytest.raises(ValidationError):
        services.class_transition(actor=inst_admin, training_class=approved_class, name="cancel")
    EnrolmentFactory(training_class=approved_class)
    with pytest.raises(TransitionNotPossible):
        services.class_transition(
            actor=inst_admin, training_class=approved_class, name="cancel", reason="取消"
        )
    draft = file_class(inst_admin, heping)
    services.class_transition(actor=inst_admin, training_class=draft, name="cancel", reason="重复")
    assert draft.status == "cancelled"


def test_an_approved_class_is_no_longer_editable(inst_admin, approved_class):
    with pytest.raises(PermissionDenied):
        services.class_update(actor=inst_admin, training_class=approved_class, capacity=99)
