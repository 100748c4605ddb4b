"""Who sees what (one visible_to per model), and the pages: negative cases are 404s."""

import datetime

import pytest
from django.urls import reverse

from haihe.core import clock
from haihe.training.models import Attendance, Enrolment, Outcome, TrainingClass, TrainingSession
from tests.factories import (
    PersonFactory,
    bureau_admin,
    make_ric,
    municipal_reviewer,
    org_admin,
    worker,
)
from tests.training.factories import EnrolmentFactory, TrainingClassFactory, occupation, soon
from tests.training.helpers import certificate, days_ago, running_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(institution, other_institution, heping, hexi, platform):
    mine = running_class(institution, heping)
    theirs = running_class(other_institution, hexi)
    hosted = running_class(other_institution, hexi, mode="online", platform=platform)
    e_mine = EnrolmentFactory(training_class=mine, status="completed")
    e_theirs = EnrolmentFactory(training_class=theirs, status="completed")
    session = TrainingSession.objects.create(
        training_class=mine,
        date=days_ago(3),
        starts_at=datetime.time(9),
        ends_at=datetime.time(12),
        hours=3,
        kind="theory",
    )
    Attendance.objects.create(session=session, enrolment=e_mine, signed_in_at=clock.now(), hours=3)
    Outcome.objects.create(
        enrolment=e_mine,
        kind="completion",
        certificate_number="PX1",
        issuing_body="x",
        issued_on=days_ago(1),
    )
    Outcome.objects.create(
        enrolment=e_theirs,
        kind="completion",
        certificate_number="PX2",
        issuing_body="x",
        issued_on=days_ago(1),
    )
    return {
        "mine": mine,
        "theirs": theirs,
        "hosted": hosted,
        "e_mine": e_mine,
        "e_theirs": e_theirs,
    }


def test_visible_to_by_role(world, inst_admin, heping_reviewer, platform):
    assert set(TrainingClass.objects.visible_to(inst_admin)) == {world["mine"]}
    assert set(Enrolment.objects.visible_to(inst_admin)) == {world["e_mine"]}
    assert Outcome.objects.visible_to(inst_admin).count() == 1
    assert Attendance.objects.visible_to(inst_admin).count() == 1
    assert set(TrainingClass.objects.visible_to(heping_reviewer)) == {world["mine"]}
    assert TrainingClass.objects.visible_to(bureau_admin()).count() == 3
    assert TrainingClass.objects.visible_to(municipal_reviewer()).count() == 3
    # the platform sees the class it hosts, not the others of its filer
    assert set(TrainingClass.objects.visible_to(org_admin(platform))) == {world["hosted"]}
    me = worker(world["e_mine"].person)
    assert set(Enrolment.objects.visible_to(me)) == {world["e_mine"]}
    assert set(TrainingClass.objects.visible_to(me)) == {world["mine"]}
    assert Outcome.objects.visible_to(me).count() == 1
    assert TrainingSession.objects.visible_to(me).count() == 1


def test_anonymous_and_inactive_users_see_nothing(world, inst_admin):
    from django.contrib.auth.models import AnonymousUser

    assert not TrainingClass.objects.visible_to(AnonymousUser()).exists()
    inst_admin.is_active = False
    assert not Enrolment.objects.visible_to(inst_admin).exists()


@pytest.mark.parametrize(
    "url",
    ["training:class", "training:enrolment", "training:session"],
)
def test_other_organisation_and_other_district_get_404(
    world, client, url, hexi_reviewer, other_institution
):
    target = {
        "training:class": world["mine"].pk,
        "training:enrolment": world["e_mine"].pk,
        "training:session": TrainingSession.objects.get().pk,
    }[url]
    for outsider in (org_admin(other_institution), hexi_reviewer):
        client.force_login(outsider)
        assert client.get(reverse(url, args=[target])).status_code == 404


def test_posts_to_another_organisations_class_are_404(world, client, other_institution):
    client.force_login(org_admin(other_institution))
    c = world["mine"]
    for name, args in (
        ("training:enrol", [c.pk]),
        ("training:session_create", [c.pk]),
        ("training:class_transition", [c.pk, "cancel"]),
        ("training:outcome_record", [world["e_mine"].pk]),
    ):
        assert client.post(reverse(name, args=args), {}).status_code == 404


def test_institution_pages_file_submit_enrol_and_sign_in(
    client, inst_admin, heping, heping_reviewer
):
    client.force_login(inst_admin)
    assert client.get(reverse("training:classes")).status_code == 200
    response = client.post(
        reverse("training:class_new"),
        {
            "name": "车工中级班",
            "occupation": occupation().pk,
            "level": 4,
            "mode": "offline",
            "planned_theory_hours": "20",
            "planned_practice_hours": "20",
            "start_date": soon(10).isoformat(),
            "end_date": soon(15).isoformat(),
            "district": heping.pk,
            "venue": "和平路",
            "teachers": "王老师",
            "capacity": 30,
        },
    )
    c = TrainingClass.objects.get(name="车工中级班")
    assert response.status_code == 302
    client.post(reverse("training:class_transition", args=[c.pk, "submit"]))
    c.refresh_from_db()
    assert c.status == "submitted"
    client.force_login(heping_reviewer)
    queue = client.get(reverse("training:review_queue"))
    assert "车工中级班" in queue.content.decode()
    client.post(reverse("training:class_transition", args=[c.pk, "approve"]), {"next": "queue"})
    c.refresh_from_db()
    assert c.status == "approved"
    client.force_login(inst_admin)
    ric = make_ric(datetime.date(1991, 1, 1))
    response = client.post(
        reverse("training:enrol", args=[c.pk]), {"ric": ric, "name": "王小明", "mobile": ""}
    )
    e = Enrolment.objects.get(person__ric=ric)
    assert response.status_code == 302
    page = client.get(reverse("training:enrolment", args=[e.pk])).content.decode()
    assert "training.max_per_year" in page
    bad = client.post(reverse("training:enrol", args=[c.pk]), {"ric": "123", "name": "x"})
    assert bad.status_code == 400


def test_sign_in_page(client, inst_admin, institution, heping):
    c = running_class(institution, heping)
    e = EnrolmentFactory(training_class=c)
    client.force_login(inst_admin)
    response = client.post(
        reverse("training:session_create", args=[c.pk]),
        {
            "date": days_ago(2).isoformat(),
            "starts_at": "09:00",
            "ends_at": "13:00",
            "kind": "theory",
        },
    )
    session = TrainingSession.objects.get()
    assert response.status_code == 302
    response = client.post(reverse("training:session", args=[session.pk]), {"enrolment": [e.pk]})
    assert response.status_code == 302
    assert Attendance.objects.filter(enrolment=e).exists()
    empty = client.post(reverse("training:session", args=[session.pk]), {})
    assert empty.status_code == 400


def test_outcome_page_records_and_reports_bad_numbers(client, inst_admin, institution, heping):
    c = running_class(institution, heping, level=4)
    e = EnrolmentFactory(training_class=c, status="completed")
    client.force_login(inst_admin)
    url = reverse("training:outcome_record", args=[e.pk])
    data = {
        "kind": "skill_certificate",
        "certificate_number": certificate(3),
        "issuing_body": "鉴定中心",
        "issued_on": days_ago(1).isoformat(),
    }
    assert client.post(url, data).status_code == 400
    data["certificate_number"] = certificate(4)
    assert client.post(url, data).status_code == 302
    assert Outcome.objects.filter(enrolment=e).count() == 1


def test_override_page_is_for_municipal_reviewers(client, inst_admin, approved_class):
    from haihe.training import services

    old = PersonFactory(
        birth_date=datetime.date(1940, 1, 1), ric=make_ric(datetime.date(1940, 1, 1))
    )
    e = services.enrol(actor=inst_admin, training_class=approved_class, person=old)
    client.force_login(inst_admin)
    assert client.get(reverse("training:refusals")).status_code == 403
    client.post(reverse("training:enrolment_action", args=[e.pk, "override"]), {"reason": "x"})
    e.refresh_from_db()
    assert e.status == "refused"
    client.force_login(municipal_reviewer())
    assert old.name in client.get(reverse("training:refusals")).content.decode()
    client.post(
        reverse("training:enrolment_action", args=[e.pk, "override"]), {"reason": "经核实可参加"}
    )
    e.refresh_from_db()
    assert e.status == "enrolled"


def test_worker_sees_own_trainings_in_english_too(client, world):
    me = worker(world["e_mine"].person)
    client.force_login(me)
    page = client.get(reverse("training:mine")).content.decode()
    assert world["mine"].name in page
    assert world["theirs"].name not in page
    client.cookies["django_language"] = "en"
    english = client.get(reverse("training:mine")).content.decode()
    assert "My training outcomes" in english
    client.cookies["django_language"] = "zh-hans"
    assert client.get(reverse("training:classes")).status_code == 302  # to "mine"
    assert client.get(reverse("training:review_queue")).status_code == 403


def test_review_queue_lists_only_submitted_classes_of_the_district(
    client, heping_reviewer, institution, other_institution, heping, hexi
):
    here = TrainingClassFactory(organisation=institution, district=heping, status="submitted")
    there = TrainingClassFactory(organisation=other_institution, district=hexi, status="submitted")
    draft = TrainingClassFactory(organisation=institution, district=heping, status="draft")
    client.force_login(heping_reviewer)
    page = client.get(reverse("training:review_queue")).content.decode()
    assert here.name in page
    assert there.name not in page
    assert draft.name not in page
