"""The training API: token scoping, eligibility explanations, strict errors."""

import datetime

import pytest

from haihe.accounts.services import token_issue
from haihe.training.models import Enrolment, TrainingClass
from tests.factories import PersonFactory, bureau_admin, make_ric, org_admin
from tests.training.factories import EnrolmentFactory, occupation, soon
from tests.training.helpers import certificate, days_ago, running_class

pytestmark = [pytest.mark.django_db]
BASE = "/api/v1/training"


def bearer(user):
    _token, secret = token_issue(actor=bureau_admin(), user=user, name="系统")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post(client, url, payload, auth):
    return client.post(url, payload, content_type="application/json", **auth)


def class_payload(**overrides):
    data = {
        "name": "API 车工班",
        "occupation": occupation().code,
        "level": 4,
        "mode": "offline",
        "planned_theory_hours": "20",
        "planned_practice_hours": "20",
        "start_date": soon(10).isoformat(),
        "end_date": soon(15).isoformat(),
        "district": "120101",
        "capacity": 30,
    }
    data.update(overrides)
    return data


def test_no_token_is_401(client):
    assert client.get(f"{BASE}/classes").status_code == 401


def test_file_submit_and_review_through_the_api(client, inst_admin, heping_reviewer):
    auth = bearer(inst_admin)
    created = post(client, f"{BASE}/classes", class_payload(), auth)
    assert created.status_code == 201, created.content
    class_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert post(client, f"{BASE}/classes/{class_id}/submit", {}, auth).json()["status"] == (
        "submitted"
    )
    own_review = post(client, f"{BASE}/classes/{class_id}/review", {"decision": "approve"}, auth)
    assert own_review.status_code == 403
    reviewer = bearer(heping_reviewer)
    returned = post(client, f"{BASE}/classes/{class_id}/review", {"decision": "return"}, reviewer)
    assert returned.status_code == 400  # a return needs a reason
    approved = post(client, f"{BASE}/classes/{class_id}/review", {"decision": "approve"}, reviewer)
    assert approved.json()["status"] == "approved"


def test_bad_class_payloads_are_400_with_the_field(client, inst_admin):
    auth = bearer(inst_admin)
    bad = post(client, f"{BASE}/classes", class_payload(mode="online"), auth)
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in bad.json()["errors"]] == ["platform_id"]
    unknown = post(client, f"{BASE}/classes", class_payload(occupation="0-00"), auth)
    assert unknown.status_code == 400
    assert [e["field"] for e in unknown.json()["errors"]] == ["occupation"]
    assert post(client, f"{BASE}/classes", {"level": 9}, auth).status_code == 422
    assert not TrainingClass.objects.exists()


def test_token_scoping_other_organisation_is_404(client, approved_class, other_institution):
    outsider = bearer(org_admin(other_institution))
    assert client.get(f"{BASE}/classes/{approved_class.pk}", **outsider).status_code == 404
    assert client.get(f"{BASE}/classes", **outsider).json()["count"] == 0
    enrolment = EnrolmentFactory(training_class=approved_class)
    assert client.get(f"{BASE}/enrolments/{enrolment.pk}", **outsider).status_code == 404
    response = post(
        client,
        f"{BASE}/enrolments",
        {"class_id": approved_class.pk, "ric": make_ric(), "name": "某人"},
        outsider,
    )
    assert response.status_code == 404


def test_enrolment_answers_with_the_eligibility_explanation(client, inst_admin, approved_class):
    auth = bearer(inst_admin)
    ok = post(
        client,
        f"{BASE}/enrolments",
        {"class_id": approved_class.pk, "ric": make_ric(), "name": "张三"},
        auth,
    )
    assert ok.status_code == 201
    assert ok.json()["status"] == "enrolled"
    old = make_ric(datetime.date(1950, 6, 1))
    refused = post(
        client,
        f"{BASE}/enrolments",
        {"class_id": approved_class.pk, "ric": old, "name": "李四"},
        auth,
    )
    body = refused.json()
    assert body["status"] == "refused"
    [reason] = [r for r in body["eligibility"]["reasons"] if not r["ok"]]
    assert reason["rule"] == "training.retirement_age"
    assert reason["parameter"] == "training.retirement_age_male"
    assert reason["value"] == 60
    assert reason["effective_from"] == "1978-06-02"
    assert "60" in reason["message"]
    again = post(
        client,
        f"{BASE}/enrolments",
        {"class_id": approved_class.pk, "ric": old, "name": "李四"},
        auth,
    )
    assert again.status_code == 400
    listed = client.get(f"{BASE}/enrolments", {"class_id": approved_class.pk}, **auth).json()
    assert listed["count"] == 2
    assert all("*" in row["ric"] for row in listed["items"])


def test_attendance_and_outcome_through_the_api(client, inst_admin, institution, heping):
    c = running_class(institution, heping, level=4)
    e = EnrolmentFactory(training_class=c, person=PersonFactory())
    auth = bearer(inst_admin)
    for offset in (3, 2):
        day = days_ago(offset).isoformat()
        signed = post(
            client,
            f"{BASE}/attendance",
            {"enrolment_id": e.pk, "date": day, "starts_at": "09:00", "ends_at": "13:00"},
            auth,
        )
        assert signed.status_code == 201, signed.content
    assert signed.json()["status"] == "completed"
    duplicate = post(
        client,
        f"{BASE}/attendance",
        {"enrolment_id": e.pk, "date": day, "starts_at": "09:00", "ends_at": "13:00"},
        auth,
    )
    assert duplicate.status_code == 400
    outcome = post(
        client,
        f"{BASE}/outcomes",
        {
            "enrolment_id": e.pk,
            "kind": "skill_certificate",
            "certificate_number": certificate(4),
            "issuing_body": "鉴定中心",
            "issued_on": days_ago(1).isoformat(),
        },
        auth,
    )
    assert outcome.status_code == 201
    assert outcome.json()["level"] == 4
    wrong = post(
        client,
        f"{BASE}/outcomes",
        {
            "enrolment_id": e.pk,
            "kind": "special_ability",
            "certificate_number": "",
            "issuing_body": "x",
            "issued_on": days_ago(1).isoformat(),
        },
        auth,
    )
    assert wrong.status_code == 400
    assert client.get(f"{BASE}/outcomes", **auth).json()["count"] == 1
    assert Enrolment.objects.get(pk=e.pk).status == "completed"


def test_openapi_document_lists_the_training_endpoints(client, inst_admin):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/training/enrolments" in schema["paths"]
    assert "/api/v1/training/classes/{class_id}/submit" in schema["paths"]
