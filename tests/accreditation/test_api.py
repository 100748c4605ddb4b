"""The accreditation API: an organisation creates, reads and submits its application, the
reviewers decide, holders and reviewers read recognitions, anyone reads the public register;
another organisation's rows are 404, a worker is 403 before anything is read, and each refused
field is named."""

import pytest
from django.test import Client

from haihe.accounts.services import token_issue
from haihe.accreditation.models import Application
from tests.accreditation.conftest import attach_kind, grant
from tests.factories import OrganisationFactory, PersonFactory, bureau_admin, org_admin, worker

pytestmark = [pytest.mark.django_db]
BASE = "/api/v1/accreditation"


def _client(user):
    _token, secret = token_issue(actor=bureau_admin(), user=user, name="system")
    return Client(headers={"authorization": f"Bearer {secret}"})


def _post(client, path, body=None):
    return client.post(f"{BASE}{path}", body or {}, content_type="application/json")


def _fields(response):
    return {e["field"] for e in response.json()["errors"]}


@pytest.fixture
def api(applicant):
    return _client(applicant)


def test_an_applicant_creates_submits_and_the_district_decides(
    api, applicant, reviewer, centre_call
):
    listed = api.get(f"{BASE}/calls").json()
    assert [c["id"] for c in listed["items"]] == [centre_call.pk]
    response = _post(
        api,
        "/applications",
        {"call_id": centre_call.pk, "trainers": 8, "area": 500, "workstations": 40},
    )
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["status"] == "draft" and made["number"].startswith("RD")
    # submitting without the required document: a 409 naming it, nothing changed
    refused = _post(api, f"/applications/{made['id']}/submit")
    assert refused.status_code == 409 and "营业执照" in refused.json()["detail"]
    assert Application.objects.get(pk=made["id"]).status == "draft"
    attach_kind(applicant, Application.objects.get(pk=made["id"]))
    submitted = _post(api, f"/applications/{made['id']}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert all(r["ok"] for r in submitted.json()["eligibility"])
    district = _client(reviewer)
    assert [a["id"] for a in district.get(f"{BASE}/applications").json()["items"]] == [made["id"]]
    # the applicant cannot decide
    assert (
        _post(api, f"/applications/{made['id']}/decide", {"decision": "approve"}).status_code == 403
    )
    returned = _post(district, f"/applications/{made['id']}/decide", {"decision": "return"})
    assert returned.status_code == 400 and "reason" in _fields(returned)
    decided = _post(
        district,
        f"/applications/{made['id']}/decide",
        {"decision": "return", "reason": "缺场地证明"},
    )
    assert decided.status_code == 200 and decided.json()["status"] == "returned"
    assert api.get(f"{BASE}/applications/{made['id']}").json()["status"] == "returned"


def test_another_organisations_application_is_a_404(applicant, centre_call, heping):
    from haihe.accreditation import services

    mine = services.application_create(actor=applicant, call=centre_call, trainers=8)
    other = _client(org_admin(OrganisationFactory(district=heping, kinds=["enterprise"])))
    assert other.get(f"{BASE}/applications/{mine.pk}").status_code == 404
    assert other.get(f"{BASE}/applications").json()["count"] == 0
    assert _post(other, f"/applications/{mine.pk}/submit").status_code == 404


def test_a_worker_is_refused_before_anything_is_read(on_day, centre_call):
    client = _client(worker(PersonFactory()))
    for path in ("/applications", "/recognitions", "/applications/1", "/recognitions/1"):
        assert client.get(f"{BASE}{path}").status_code == 403, path
    response = _post(client, "/applications", {"call_id": "not a number"})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert _post(client, "/applications/1/decide", {"decision": "x"}).status_code == 403


def test_problems_name_the_field(api, centre_call):
    bad = _post(api, "/applications", {"call_id": centre_call.pk, "trainers": -1})
    assert bad.status_code == 422 and "trainers" in _fields(bad)
    bad = _post(api, "/applications", {"call_id": 2**70})
    assert bad.status_code == 422 and "call_id" in _fields(bad)
    bad = _post(api, "/applications", {"call_id": centre_call.pk, "leader_id": 10**9})
    assert bad.status_code == 400 and "leader_id" in _fields(bad)
    bad = _post(
        api,
        "/applications",
        {"call_id": centre_call.pk, "scope": [{"occupation": "4-07", "level": 3}]},
    )
    assert bad.status_code == 400 and "scope" in _fields(bad)
    assert _post(api, "/applications", {"call_id": 999999}).status_code == 404
    listed = api.get(f"{BASE}/applications", {"status": "nonsense"})
    assert listed.status_code == 422 and "status" in _fields(listed)
    listed = api.get(f"{BASE}/applications", {"district": "999999"})
    assert listed.status_code == 400 and "district" in _fields(listed)
    assert Application.objects.count() == 0


def test_recognitions_for_holders_and_reviewers_and_the_public_register(
    admin, enterprise, heping, clock
):
    recognition = grant(
        admin, enterprise, "enterprise_training_centre", trainers=8, area=500, workstations=40
    )
    holder = _client(org_admin(enterprise))
    rows = holder.get(f"{BASE}/recognitions").json()["items"]
    assert [r["number"] for r in rows] == [recognition.number]
    assert holder.get(f"{BASE}/recognitions/{recognition.pk}").json()["status"] == "active"
    other = _client(org_admin(OrganisationFactory(district=heping, kinds=["enterprise"])))
    assert other.get(f"{BASE}/recognitions/{recognition.pk}").status_code == 404
    assert (
        _client(admin)
        .get(f"{BASE}/recognitions", {"kind": "enterprise_training_centre"})
        .json()["count"]
        == 1
    )
    public = Client().get(f"{BASE}/register/enterprise_training_centre")
    assert public.status_code == 200
    assert [r["number"] for r in public.json()["items"]] == [recognition.number]
    assert public.json()["items"][0]["uscc"] == enterprise.uscc
    assert Client().get(f"{BASE}/register/master_studio").json()["count"] == 0
    assert Client().get(f"{BASE}/register/nonsense").status_code == 422
    assert Client().get(f"{BASE}/applications").status_code == 401


def test_the_pages_read_the_same_filters(client, applicant, centre_call):
    from haihe.accreditation import services

    services.application_create(actor=applicant, call=centre_call, trainers=8)
    client.force_login(applicant)
    page = client.get("/accreditation/applications/", {"status": "draft"})
    assert page.status_code == 200 and b"RD2020" in page.content
    refused = client.get("/accreditation/applications/", {"status": "nonsense"})
    assert refused.status_code == 400 and b"filter-errors" in refused.content
    assert b"RD2020" not in refused.content
    register = client.get("/accreditation/register/", {"district": "999999"})
    assert register.status_code == 400
