"""Issue 9, item 2: registering an existing person does not take them over.

Two organisations: B has a reason to handle the resident (a trainee of its class); A knows the
resident's RIC and name, as any employer or landlord does. A registration by A — through the
API, the web form or an import — answers the same for a new RIC, the resident's RIC with the
right name and with a wrong name, and gives A nothing: not the record, not the full RIC and
phone, not the key groups the bureau recorded. The bureau and the district still see them; B
sees the person it handles, but not the key groups; every full reveal states its purpose."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haihe.accounts import services as account_services
from haihe.core.imports import job_create, run_job
from haihe.core.models import AuditEvent
from haihe.registry import services
from haihe.registry.models import Affiliation, KeyGroupMembership, Person
from haihe.training import services as training_services
from tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    bureau_admin,
    district_reviewer,
    make_ric,
    org_admin,
    org_staff,
)
from tests.training.factories import TrainingClassFactory

pytestmark = pytest.mark.django_db

EVIDENCE = "津扶贫证字〔2019〕0427号"
HEADER = "居民身份证号码,姓名,居住区,手机号码\n"


@pytest.fixture
def world(districts):
    heping = districts["120101"]
    org_a = OrganisationFactory(district=heping, kinds=["enterprise"])
    org_b = OrganisationFactory(district=heping, kinds=["training_institution"])
    resident = PersonFactory(district=heping, name="王海河", mobile="13912345678")
    AffiliationFactory(organisation=org_b, person=resident, relation="trainee")
    services.key_group_add(
        actor=bureau_admin(),
        person=resident,
        group="poverty_alleviation",
        valid_from=datetime.date(2019, 1, 1),
        valid_until=None,
        evidence=EVIDENCE,
    )
    return {
        "heping": heping,
        "a": org_a,
        "b": org_b,
        "a_admin": org_admin(org_a),
        "b_admin": org_admin(org_b),
        "resident": resident,
    }


def cases(world):
    """(label, ric, name): a new RIC, the resident's with the right name, with a wrong one."""
    resident = world["resident"]
    return [
        ("new", make_ric(datetime.date(1992, 5, 6)), "新登记"),
        ("known", resident.ric, resident.name),
        ("wrong_name", resident.ric, "李冒名"),
    ]


def assert_not_taken_over(world, user):
    resident = world["resident"]
    before = (resident.name, resident.district_id, resident.mobile)
    resident.refresh_from_db()
    assert (resident.name, resident.district_id, resident.mobile) == before
    assert not Affiliation.objects.filter(organisation=world["a"], person=resident).exists()
    assert not Person.objects.visible_to(user).filter(pk=resident.pk).exists()
    assert not KeyGroupMembership.objects.visible_to(user).exists()
    with pytest.raises(PermissionDenied):
        services.person_reveal(actor=user, person=resident, purpose="contact")
    # A's audit log holds its own requests only: nothing about the resident, nothing "known"
    seen = AuditEvent.objects.visible_to(user)
    assert set(seen.values_list("action", flat=True)) <= {
        "person.registration_received",
        "import.people",
        "import_job.check",
        "import_job.write",
        "import_job.finish",
        "token.issued",
    }
    assert not seen.filter(target_type__model="person", target_id=str(resident.pk)).exists()


# The API ------------------------------------------------------------------------------------


def test_api_registration_answers_the_same_and_gives_nothing(client, world):
    admin = world["a_admin"]
    _token, secret = account_services.token_issue(actor=admin, user=admin, name="probe")
    auth = {"Authorization": f"Bearer {secret}"}
    answers, sent = {}, cases(world)
    for label, ric, name in sent:
        response = client.post(
            "/api/v1/registry/people",
            {"ric": ric, "name": name, "district": "120101", "mobile": "13800000000"},
            content_type="application/json",
            headers=auth,
        )
        answers[label] = (response.status_code, response.json())
    for label, ric, name in sent:
        status, body = answers[label]
        assert status == 202, (label, body)
        assert "id" not in body
        expected = services.Registration(
            services.mask_ric(ric), name, body["sex"], body["birth_date"], world["heping"]
        )
        assert body["ric"] == expected.ric and body["name"] == name
        assert body["detail"] == answers["new"][1]["detail"]
        assert "不一致" not in str(body) and "different name" not in str(body)
    # the same keys and, apart from what the caller sent, the same values
    shapes = {label: {k for k in body} for label, (_s, body) in answers.items()}
    assert shapes["new"] == shapes["known"] == shapes["wrong_name"]
    resident = world["resident"]
    assert client.get(f"/api/v1/registry/people/{resident.pk}", headers=auth).status_code == 404
    listed = client.get(f"/api/v1/registry/people?q={resident.ric}", headers=auth).json()
    assert listed["count"] == 0
    assert_not_taken_over(world, admin)
    # the bureau and the district are told about the other name
    mismatch = AuditEvent.objects.get(action="person.registration_name_mismatch")
    assert mismatch.target_id == str(resident.pk) and mismatch.data["name"] == "李冒名"
    assert mismatch in AuditEvent.objects.visible_to(district_reviewer(world["heping"]))
    assert mismatch not in AuditEvent.objects.visible_to(admin)


def test_the_request_never_reads_the_registry(world, settings):
    """No lookup of the RIC while the caller waits: the name check runs in a task, so the time
    an answer takes cannot tell a known RIC from a new one."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    shapes = []
    for _label, ric, name in cases(world):
        with CaptureQueriesContext(connection) as queries:
            services.person_register(
                actor=world["a_admin"], ric=ric, name=name, district=world["heping"]
            )
        sql = [q["sql"] for q in queries.captured_queries]
        assert not any("registry_person" in s for s in sql), sql
        shapes.append(len(sql))
    assert len(set(shapes)) == 1


def test_a_registration_by_an_organisation_is_processed_for_the_bureau(world):
    new_ric = make_ric(datetime.date(1993, 1, 2))
    services.person_register(
        actor=world["a_admin"], ric=new_ric, name="新人", district=world["heping"]
    )
    person = Person.objects.get(ric=new_ric)
    assert person.name == "新人"
    assert not Person.objects.visible_to(world["a_admin"]).filter(pk=person.pk).exists()
    assert Person.objects.visible_to(bureau_admin()).filter(pk=person.pk).exists()


# The web form -------------------------------------------------------------------------------


def test_form_registration_answers_the_same_and_gives_nothing(client, world):
    client.force_login(world["a_admin"])
    url = reverse("registry:person_register")
    pages = {}
    for label, ric, name in cases(world):
        response = client.post(url, {"ric": ric, "name": name, "district": world["heping"].pk})
        assert response.status_code == 302 and response["Location"] == url, label
        page = client.get(url).content.decode()
        assert "登记已受理" in page and "不一致" not in page
        page = re.sub(r"[A-Za-z0-9]{64}", "CSRF", page)
        pages[label] = page.replace(name, "NAME").replace(services.mask_ric(ric), "RIC")
    assert pages["new"] == pages["known"] == pages["wrong_name"]
    resident = world["resident"]
    assert client.get(reverse("registry:person", args=[resident.pk])).status_code == 404
    reveal = reverse("registry:person_reveal", args=[resident.pk])
    assert client.post(reveal, {"purpose": "contact"}).status_code == 404
    assert resident.name not in client.get(reverse("registry:people")).content.decode()
    assert_not_taken_over(world, world["a_admin"])


# The import ---------------------------------------------------------------------------------


def _import(user, text):
    job = job_create(actor=user, kind="people", filename="p.csv", data=text.encode())
    return run_job(job.pk)


def test_import_answers_the_same_and_gives_nothing(world):
    admin = world["a_admin"]
    jobs = {}
    for label, ric, name in cases(world):
        job = _import(admin, HEADER + f"{ric},{name},和平区,13800000000\n")
        jobs[label] = (job.status, job.summary, job.errors)
    assert jobs["new"] == jobs["known"] == jobs["wrong_name"] == ("done", {"received": 1}, [])
    events = AuditEvent.objects.visible_to(admin).filter(action="import.people")
    assert {tuple(sorted(e.data.items())) for e in events} == {
        (("filename", "p.csv"), ("received", 1), ("rows", 1))
    }
    assert_not_taken_over(world, admin)


# The reveal ---------------------------------------------------------------------------------


def test_reveal_states_its_purpose_and_only_for_people_the_role_handles(client, world):
    resident = world["resident"]
    url = reverse("registry:person_reveal", args=[resident.pk])
    # A has no relationship: the person does not exist for it
    client.force_login(world["a_admin"])
    assert client.post(url, {"purpose": "contact"}).status_code == 404
    # B handles the resident: with a purpose, and the purpose is audited
    client.force_login(world["b_admin"])
    without = client.post(url)
    assert without.status_code == 400 and resident.ric not in without.content.decode()
    other = client.post(url, {"purpose": "other"})
    assert other.status_code == 400 and resident.ric not in other.content.decode()
    shown = client.post(url, {"purpose": "identity_check"}).content.decode()
    assert resident.ric in shown
    event = AuditEvent.objects.get(action="person.pii_viewed")
    assert event.data == {"purpose": "identity_check", "note": ""}
    # B's staff see masked values only
    client.force_login(org_staff(world["b"]))
    assert client.post(url, {"purpose": "identity_check"}).status_code == 403
    # once B no longer handles the resident, no more reveals
    Affiliation.objects.filter(organisation=world["b"]).update(until=datetime.date(2020, 1, 1))
    client.force_login(world["b_admin"])
    assert client.post(url, {"purpose": "identity_check"}).status_code == 403
    # a registration in A's name never made a "registered" tie that grants anything
    Affiliation.objects.create(
        organisation=world["a"], person=resident, relation="registered", since="2020-01-01"
    )
    assert not Person.objects.visible_to(world["a_admin"]).filter(pk=resident.pk).exists()


# Key groups ---------------------------------------------------------------------------------


def test_key_groups_recorded_by_the_bureau_are_not_shown_to_an_organisation(client, world):
    resident = world["resident"]
    page_url = reverse("registry:person", args=[resident.pk])
    client.force_login(world["b_admin"])  # B sees the person it handles ...
    page = client.get(page_url).content.decode()
    assert resident.name in page
    assert EVIDENCE not in page and "建档立卡" not in page  # ... not the key groups
    listed = client.get(reverse("registry:people"), {"key_group": "poverty_alleviation"})
    assert resident.name not in listed.content.decode()
    assert not KeyGroupMembership.objects.visible_to(world["b_admin"]).exists()
    for reviewer in (bureau_admin(), district_reviewer(world["heping"])):
        client.force_login(reviewer)
        assert EVIDENCE in client.get(page_url).content.decode()
        listed = client.get(reverse("registry:people"), {"key_group": "poverty_alleviation"})
        assert resident.name in listed.content.decode()


# The legitimate path: an enrolment ----------------------------------------------------------


def test_an_enrolment_is_the_reason_that_shows_the_person(world):
    """An institution enrolling a resident in its approved class handles them: the enrolment
    (not a registration) ties them to it; the key groups stay hidden."""
    institution = OrganisationFactory(district=world["heping"], kinds=["training_institution"])
    admin = org_admin(institution)
    klass = TrainingClassFactory(
        organisation=institution, district=world["heping"], status="approved"
    )
    resident = world["resident"]
    training_services.enrol_by_ric(
        actor=admin, training_class=klass, ric=resident.ric, name=resident.name
    )
    assert Person.objects.visible_to(admin).filter(pk=resident.pk).exists()
    assert Affiliation.objects.get(organisation=institution, person=resident).relation == "trainee"
    assert not KeyGroupMembership.objects.visible_to(admin).exists()
    assert services.person_reveal(actor=admin, person=resident, purpose="identity_check")


def test_full_export_states_its_purpose(client, world):
    client.force_login(bureau_admin())
    url = reverse("registry:people_export")
    refused = client.get(url, {"full": "1"})
    assert refused.status_code == 302
    assert not AuditEvent.objects.filter(action="person.pii_exported").exists()
    full = client.get(url, {"full": "1", "purpose": "other", "note": "核对发放名单"})
    assert world["resident"].ric in full.content.decode("utf-8-sig")
    event = AuditEvent.objects.get(action="person.pii_exported")
    assert (event.data["purpose"], event.data["note"]) == ("other", "核对发放名单")


def test_the_bureau_still_gets_the_name_check(world):
    """The bureau sees everything: for it a known RIC under another name is still refused."""
    resident = world["resident"]
    with pytest.raises(ValidationError) as refused:
        services.person_register(
            actor=bureau_admin(), ric=resident.ric, name="李冒名", district=world["heping"]
        )
    assert "name" in refused.value.message_dict
    assert Person.objects.get(pk=resident.pk).name == resident.name
