"""The schools API: schools create and submit, reviewers decide, anyone reads the register;
403 before anything is parsed, 404 outside the caller's scope, RFC 9457 problems."""

import pytest

from haihe.schools import services
from tests.schools import factories as f
from tests.security.conftest import token_client
from tests.security.test_api_contract import problem

pytestmark = pytest.mark.django_db


def test_a_major_through_the_api(filer, district_user, municipal_user):
    school = token_client(filer)
    made = school.post("/api/v1/schools/majors", f.major_data(), content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "draft" and body["level"] == "pre_technician"
    major_id = body["id"]
    refused = problem(school.post(f"/api/v1/schools/majors/{major_id}/submit"), 409)
    assert "专业人才培养方案" in refused["detail"]
    from haihe.schools.models import Major

    f.attach(filer, Major.objects.get(pk=major_id), "programme_plan")
    assert school.post(f"/api/v1/schools/majors/{major_id}/submit").json()["status"] == (
        "submitted"
    )
    district = token_client(district_user)
    decided = district.post(
        f"/api/v1/schools/majors/{major_id}/decide",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert decided.json()["status"] == "district_approved"
    bureau = token_client(municipal_user)
    problem(
        bureau.post(
            f"/api/v1/schools/majors/{major_id}/decide",
            {"decision": "reject"},
            content_type="application/json",
        ),
        400,
    )  # a rejection needs its reason
    bureau.post(
        f"/api/v1/schools/majors/{major_id}/decide",
        {"decision": "approve"},
        content_type="application/json",
    )
    register = token_client(filer).get("/api/v1/schools/register", {"year": 2026}).json()
    assert [m["name"] for m in register["items"]] == ["工业机器人应用与维护"]
    from django.test import Client

    public = Client().get("/api/v1/schools/register", {"level": "pre_technician"})
    assert public.status_code == 200 and public.json()["count"] == 1


def test_refusals_are_problems(filer, other_school_user, partner_user, district_user):
    major = services.major_create(actor=filer, data=f.major_data())
    other = token_client(other_school_user)
    problem(other.get(f"/api/v1/schools/majors/{major.pk}"), 404)
    problem(other.post(f"/api/v1/schools/majors/{major.pk}/submit"), 404)
    assert other.get("/api/v1/schools/majors").json()["count"] == 0
    enterprise = token_client(partner_user)
    # forbidden before the body is read: a broken body still gets the 403
    problem(enterprise.post("/api/v1/schools/majors", b"{", content_type="application/json"), 403)
    problem(token_client(filer).post(f"/api/v1/schools/majors/{major.pk}/decide"), 403)
    bad = token_client(filer).post(
        "/api/v1/schools/majors",
        f.major_data(level="master", planned_intake=0),
        content_type="application/json",
    )
    assert {e["field"] for e in problem(bad, 422)["errors"]} == {"level", "planned_intake"}
    unknown = token_client(filer).post(
        "/api/v1/schools/majors", f.major_data(industry="ghost"), content_type="application/json"
    )
    assert [e["field"] for e in problem(unknown, 400)["errors"]] == ["industry"]
    problem(token_client(district_user).get("/api/v1/schools/majors", {"status": "nope"}), 422)
    problem(token_client(district_user).get("/api/v1/schools/majors", {"district": "999999"}), 400)


def test_agreements_through_the_api(
    filer, partner, partner_user, stranger_enterprise_user, district_user
):
    school = token_client(filer)
    made = school.post(
        "/api/v1/schools/agreements",
        {**f.agreement_data(partner), "start_date": "2026-03-01", "end_date": "2027-07-31"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    agreement_id = made.json()["id"]
    assert token_client(partner_user).get("/api/v1/schools/agreements").json()["count"] == 0
    from haihe.schools.models import Agreement

    f.attach(filer, Agreement.objects.get(pk=agreement_id), "signed_agreement")
    school.post(f"/api/v1/schools/agreements/{agreement_id}/submit")
    seen = token_client(partner_user).get("/api/v1/schools/agreements").json()
    assert [a["id"] for a in seen["items"]] == [agreement_id]
    problem(
        token_client(stranger_enterprise_user).get(f"/api/v1/schools/agreements/{agreement_id}"),
        404,
    )
    problem(
        token_client(partner_user).post(f"/api/v1/schools/agreements/{agreement_id}/submit"),
        403,
    )
    decided = token_client(district_user).post(
        f"/api/v1/schools/agreements/{agreement_id}/decide",
        {"decision": "return", "reason": "协议未盖章"},
        content_type="application/json",
    )
    assert decided.json()["status"] == "returned"
    assert decided.json()["review_reason"] == "协议未盖章"
