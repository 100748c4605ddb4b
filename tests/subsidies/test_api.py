"""The API for institutions' systems: create and submit a claim, read its status and every
line's explanation; scoped by the token's user (another organisation's claim is a 404)."""

import datetime

import pytest
from django.test import Client

from haihe.accounts.services import token_issue
from haihe.core import clock
from haihe.subsidies.models import Claim
from tests.factories import bureau_admin, district_reviewer, org_admin
from tests.subsidies import factories as f

pytestmark = [pytest.mark.django_db]
BASE = "/api/v1/subsidies"


def _client(user):
    _token, secret = token_issue(actor=bureau_admin(), user=user, name="system")
    return Client(headers={"authorization": f"Bearer {secret}"})


@pytest.fixture
def api(filer):
    return _client(filer)


@pytest.fixture
def klass(org):
    start = clock.today() - datetime.timedelta(days=60)  # claimed today: in time
    klass, _outcomes = f.class_with_outcomes(org, n=2, start=start)
    f.outcome(f.enrolment(klass, eligible=False))
    return klass


def test_create_submit_and_read_a_claim_with_explanations(api, klass):
    preview = api.get(f"{BASE}/classes/{klass.pk}/preview")
    assert preview.status_code == 200
    assert sorted(row["ok"] for row in preview.json()) == [False, True, True]
    made = api.post(f"{BASE}/claims", {"training_class": klass.pk}, content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "draft" and body["included_lines"] == 2
    refused = next(line for line in body["lines"] if line["status"] == "ineligible")
    assert any(r["rule"] == "subsidies.enrolment_refused" for r in refused["reasons"])
    priced = next(line for line in body["lines"] if line["status"] == "included")
    amount = next(r for r in priced["reasons"] if r["rule"] == "subsidies.amount_default")
    assert amount["parameter"] == "subsidies.default_amounts"
    assert amount["effective_from"] == "2019-01-01"
    assert "1500.00" in amount["message"]
    submitted = api.post(f"{BASE}/claims/{body['id']}/submit")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["checks"] == []  # checks are for reviewers
    listed = api.get(f"{BASE}/claims?status=submitted")
    assert [c["number"] for c in listed.json()["items"]] == [body["number"]]


def test_messages_follow_the_callers_language(api, klass):
    made = api.post(
        f"{BASE}/claims",
        {"training_class": klass.pk},
        content_type="application/json",
        headers={"accept-language": "en"},
    ).json()
    reasons = [r["message"] for line in made["lines"] for r in line["reasons"]]
    assert reasons and all(reasons)


def test_another_organisation_sees_nothing(api, klass, heping):
    body = api.post(
        f"{BASE}/claims", {"training_class": klass.pk}, content_type="application/json"
    ).json()
    other = _client(org_admin(f.institution(heping)))
    assert other.get(f"{BASE}/claims/{body['id']}").status_code == 404
    assert other.post(f"{BASE}/claims/{body['id']}/submit").status_code == 404
    assert other.get(f"{BASE}/claims").json()["items"] == []
    assert (
        other.post(
            f"{BASE}/claims", {"training_class": klass.pk}, content_type="application/json"
        ).status_code
        == 404
    )


def test_a_district_reviewer_reads_checks_but_cannot_file(klass, heping, filer):
    reviewer = _client(district_reviewer(heping))
    response = reviewer.post(
        f"{BASE}/claims", {"training_class": klass.pk}, content_type="application/json"
    )
    assert response.status_code == 403


def test_bad_input_is_a_4xx_never_a_500(api, klass):
    assert (
        api.post(
            f"{BASE}/claims", {"training_class": "x"}, content_type="application/json"
        ).status_code
        == 422
    )
    assert api.post(
        f"{BASE}/claims", b"{not json", content_type="application/json"
    ).status_code in (400, 422)
    assert (
        api.post(
            f"{BASE}/claims", {"training_class": 999999}, content_type="application/json"
        ).status_code
        == 404
    )
    Claim.objects.all().delete()
    unfiled = f.training_class(klass.organisation, status="submitted")
    response = api.post(
        f"{BASE}/claims", {"training_class": unfiled.pk}, content_type="application/json"
    )
    assert response.status_code == 400
    assert Client().get(f"{BASE}/claims").status_code == 401


def test_price_explains_the_amount(api, klass):
    occupation = klass.occupation.code
    response = api.get(
        f"{BASE}/catalogue/price?occupation={occupation}&level=3&kind=skill_certificate&on=2020-06-01"
    )
    assert response.status_code == 200
    assert response.json()["amount"] == "2000.00"
    assert response.json()["reason"]["parameter"] == "subsidies.default_amounts"
    bad_kind = api.get(f"{BASE}/catalogue/price?occupation=nope&level=3&kind=x&on=2020-06-01")
    assert bad_kind.status_code == 422
    assert [e["field"] for e in bad_kind.json()["errors"]] == ["kind"]
    unknown = api.get(
        f"{BASE}/catalogue/price?occupation=nope&level=3&kind=completion&on=2020-06-01"
    )
    assert unknown.status_code == 400
    assert [e["field"] for e in unknown.json()["errors"]] == ["occupation"]


def test_statistics_are_for_the_bureau_and_districts(api, heping):
    assert api.get(f"{BASE}/statistics").status_code == 403
    response = _client(bureau_admin()).get(f"{BASE}/statistics?as_of=2020-09-30")
    assert response.status_code == 200
    assert response.json()["totals"]["claimed_reconciles"] is True
    assert set(response.json()["subsidised_training_person_times"]) == {
        "month",
        "district",
        "occupation",
        "level",
    }


def test_dates_are_iso(api, klass):
    body = api.post(
        f"{BASE}/claims",
        {"training_class": klass.pk, "submit": True},
        content_type="application/json",
    ).json()
    assert datetime.datetime.fromisoformat(body["submitted_at"])
