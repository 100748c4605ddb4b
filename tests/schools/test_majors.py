"""Majors: a school applies (occupation-linked, a level the occupation offers, an industry of
the list, the programme plan attached), the district and then the bureau review; four-eyes and
jurisdiction from the shared pipeline; nothing of another school is visible."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from haihe.core.workflow import TransitionForbidden, TransitionNotPossible
from haihe.registry.models import Affiliation
from haihe.review.models import ReviewAction
from haihe.schools import services
from haihe.schools.models import Major
from tests.factories import PersonFactory, district_reviewer, org_admin
from tests.schools import factories as f

pytestmark = pytest.mark.django_db


def test_a_major_goes_through_the_district_then_the_bureau(filer, district_user, municipal_user):
    major = services.major_create(actor=filer, data=f.major_data())
    assert major.status == "draft" and major.number.startswith("ZY2026")
    assert major.district_id == filer.organisation.district_id
    f.attach(filer, major, "programme_plan")
    services.major_submit(actor=filer, major=major)
    assert major.status == "submitted" and major.stage_due_on is not None
    services.major_decide(actor=district_user, major=major, decision="approve")
    assert major.status == "district_approved"
    services.major_decide(actor=municipal_user, major=major, decision="approve")
    major.refresh_from_db()
    assert major.status == "approved" and major.approved_at is not None
    assert major.district_reviewed_by == district_user
    assert major.bureau_reviewed_by == municipal_user
    assert list(Major.objects.register()) == [major]
    steps = list(ReviewAction.objects.of(major).values_list("stage", "step"))
    assert steps == [("", "submit"), ("district", "approve"), ("bureau", "approve")]


def test_a_major_cannot_be_submitted_without_its_programme_plan(filer):
    major = services.major_create(actor=filer, data=f.major_data())
    with pytest.raises(TransitionNotPossible, match="专业人才培养方案"):
        services.major_submit(actor=filer, major=major)
    major.refresh_from_db()
    assert major.status == "draft"


@pytest.mark.parametrize(
    ("code", "level", "ok"),
    [
        ("6-30-99-00", "pre_technician", True),  # 工业机器人系统操作员 offers 二级
        ("4-10-01-02", "senior", True),  # 育婴员 offers 三级
        ("4-10-01-02", "pre_technician", False),  # ... but not 二级/技师
        ("4-14-02-02", "intermediate", False),  # 健康管理师 starts at 三级
    ],
)
def test_the_level_must_be_one_the_occupation_offers(filer, code, level, ok):
    data = f.major_data(occupation=code, level=level)
    if ok:
        assert services.major_create(actor=filer, data=data).level == level
        return
    with pytest.raises(ValidationError) as caught:
        services.major_create(actor=filer, data=data)
    assert "没有" in " ".join(caught.value.message_dict["level"])
    assert not Major.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("level", "master"),
        ("planned_intake", 0),
        ("planned_intake", 2001),
        ("start_year", 1999),
        ("start_year", 2020),  # before last year
        ("industry", "ghost"),
        ("occupation", "0-00-00-00"),
        ("name", ""),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(filer, field, value):
    with pytest.raises(ValidationError) as caught:
        services.major_create(actor=filer, data=f.major_data(**{field: value}))
    assert field in caught.value.message_dict
    assert not Major.objects.exists()


def test_only_a_technical_schools_account_files(partner_user, district_user):
    for user in (partner_user, district_user):
        with pytest.raises(PermissionDenied):
            services.major_create(actor=user, data=f.major_data())


def test_the_same_major_twice_is_refused(filer):
    services.major_create(actor=filer, data=f.major_data())
    with pytest.raises(ValidationError, match="已有相同的申请"):
        services.major_create(actor=filer, data=f.major_data(name="另一个名称"))


def test_the_database_refuses_values_outside_the_ranges(filer):
    major = services.major_create(actor=filer, data=f.major_data())
    for field, value in (("planned_intake", 0), ("level", "master"), ("start_year", 3000)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Major.objects.filter(pk=major.pk).update(**{field: value})


def test_a_school_never_sees_another_schools_majors(filer, other_school_user, client):
    major = services.major_create(actor=filer, data=f.major_data())
    assert not Major.objects.visible_to(other_school_user).exists()
    client.force_login(other_school_user)
    assert client.get(f"/schools/majors/{major.pk}/").status_code == 404
    assert client.post(f"/schools/majors/{major.pk}/submit/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.major_update(actor=other_school_user, major=major, data={"planned_intake": 9})


def test_a_district_reviews_only_its_own_schools(filer, other_district_user):
    major = f.submitted_major(filer)
    assert not Major.objects.visible_to(other_district_user).exists()
    with pytest.raises(TransitionForbidden):
        services.major_decide(actor=other_district_user, major=major, decision="approve")
    assert Major.objects.get(pk=major.pk).status == "submitted"


def test_no_reviewer_approves_their_own_organisations_case(filer, heping, school):
    major = f.submitted_major(filer)
    employee = PersonFactory(district=heping)
    Affiliation.objects.create(
        organisation=school, person=employee, relation="employee", since="2020-01-01"
    )
    reviewer = district_reviewer(heping, person=employee)
    with pytest.raises(TransitionForbidden, match="本单位"):
        services.major_decide(actor=reviewer, major=major, decision="approve")
    assert Major.objects.get(pk=major.pk).status == "submitted"


def test_one_person_does_not_act_at_both_stages(filer, heping, municipal_user):
    person = PersonFactory(district=heping)
    district_account = district_reviewer(heping, person=person)
    from tests.factories import municipal_reviewer

    municipal_account = municipal_reviewer(person=person)
    major = f.submitted_major(filer)
    services.major_decide(actor=district_account, major=major, decision="approve")
    with pytest.raises(TransitionForbidden, match="两个审核环节"):
        services.major_decide(actor=municipal_account, major=major, decision="approve")
    services.major_decide(actor=municipal_user, major=major, decision="approve")
    assert major.status == "approved"


def test_returned_then_resubmitted_rejected_with_reason(filer, district_user):
    major = f.submitted_major(filer)
    with pytest.raises(ValidationError):
        services.major_decide(actor=district_user, major=major, decision="return", reason=" ")
    services.major_decide(
        actor=district_user, major=major, decision="return", reason="培养方案缺少实训安排"
    )
    assert major.status == "returned"
    services.major_update(actor=filer, major=major, data={"planned_intake": 35})
    services.major_submit(actor=filer, major=major)
    major.refresh_from_db()
    assert major.status == "submitted" and major.submissions == 2
    services.major_decide(actor=district_user, major=major, decision="reject", reason="重复设置")
    major.refresh_from_db()
    assert major.status == "rejected" and major.review_reason == "重复设置"
    # a rejected major frees the combination for a new application
    services.major_create(actor=filer, data=f.major_data())


def test_a_submitted_major_cannot_be_changed(filer):
    major = f.submitted_major(filer)
    with pytest.raises(ValidationError):
        services.major_update(actor=filer, major=major, data={"planned_intake": 9})
    with pytest.raises(TransitionNotPossible):
        services.major_withdraw(actor=filer, major=major)


def test_a_colleague_of_the_same_school_may_file(colleague):
    assert services.major_create(actor=colleague, data=f.major_data()).school_id == (
        colleague.organisation_id
    )


def test_an_org_admin_of_a_non_school_is_not_a_school(heping):
    user = org_admin(f.enterprise(heping))
    with pytest.raises(PermissionDenied):
        services.major_create(actor=user, data=f.major_data())
