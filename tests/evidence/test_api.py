"""/api/v1/evidence: list, upload (multipart), record, download, removal; refusals are RFC 9457
problems naming the field; a case or file outside the caller's scope is a 404."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from haihe.accounts.services import token_issue
from haihe.evidence import services
from haihe.evidence.models import Evidence
from haihe.subsidies import services as claims
from tests.evidence import samples
from tests.evidence.conftest import upload
from tests.factories import bureau_admin, worker

pytestmark = pytest.mark.django_db
BASE = "/api/v1/evidence"


def _client(user):
    _token, secret = token_issue(actor=bureau_admin(), user=user, name="system")
    return Client(headers={"authorization": f"Bearer {secret}"})


def _case_url(claim):
    return f"{BASE}/cases/subsidy_claim/{claim.pk}"


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_upload_list_read_and_download(filer, draft):
    api = _client(filer)
    workbook = samples.xlsx()
    made = api.post(
        _case_url(draft),
        {"kind": "attendance_sheet", "file": SimpleUploadedFile("签到表.xlsx", workbook)},
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["media_type"].endswith("spreadsheetml.sheet")
    assert body["sha256"] == hashlib.sha256(workbook).hexdigest()
    assert body["case"] == "subsidy_claim" and body["case_id"] == draft.pk
    assert body["kind_label"] == "培训签到表" and body["name"] == "签到表.xlsx"
    listed = api.get(_case_url(draft)).json()
    assert [row["id"] for row in listed] == [body["id"]]
    assert api.get(f"{BASE}/{body['id']}").json()["sha256"] == body["sha256"]
    file = api.get(body["download"])
    assert file.status_code == 200
    assert b"".join(file.streaming_content) == workbook
    assert file["X-Content-Type-Options"] == "nosniff"
    assert file["Content-Security-Policy"].startswith("sandbox")
    assert file["Content-Disposition"].startswith("attachment;")
    assert Evidence.objects.get().uploaded_by == filer


def test_a_refused_file_is_a_problem_naming_file(filer, draft):
    api = _client(filer)
    problem = _problem(
        api.post(
            _case_url(draft),
            {"kind": "invoice", "file": SimpleUploadedFile("a.pdf", samples.exe())},
        ),
        400,
    )
    assert problem["type"] == "urn:haihe:problem:invalid-input"
    assert problem["errors"][0]["field"] == "file"
    assert "可执行程序" in problem["detail"]


def test_missing_file_and_bad_kind_are_problems(filer, draft):
    api = _client(filer)
    no_file = _problem(api.post(_case_url(draft), {"kind": "invoice"}), 400)
    assert no_file["errors"][0]["field"] == "file"
    bad_kind = _problem(
        api.post(
            _case_url(draft), {"kind": "x", "file": SimpleUploadedFile("a.pdf", samples.pdf())}
        ),
        400,
    )
    assert bad_kind["errors"][0]["field"] == "kind"
    json_body = _problem(
        api.post(_case_url(draft), {"kind": "invoice"}, content_type="application/json"), 400
    )
    assert json_body["errors"][0]["field"] in ("kind", "file")


def test_a_malformed_multipart_body_is_a_problem_not_an_error(filer, draft):
    api = _client(filer)
    response = api.post(
        _case_url(draft), b"--x\r\nbroken", content_type="multipart/form-data; boundary="
    )
    _problem(response, 400)


def test_an_oversize_upload_is_a_problem(filer, draft):
    from haihe.policy.models import ParameterValue

    ParameterValue.objects.filter(parameter__key="evidence.max_bytes").update(value=1000)
    api = _client(filer)
    data = samples.pdf() + b"\0" * 5000
    problem = _problem(
        api.post(_case_url(draft), {"kind": "other", "file": SimpleUploadedFile("a.pdf", data)}),
        400,
    )
    assert problem["errors"][0]["field"] == "file" and "大小上限" in problem["detail"]


def test_outsiders_get_404_for_everything(draft, filer, other_org_user, other_district_user):
    row = services.attach(
        actor=filer, case=draft, kind="invoice", uploaded_file=upload(samples.pdf())
    )
    for outsider in (other_org_user, other_district_user, worker(draft.lines.first().person)):
        api = _client(outsider)
        _problem(api.get(_case_url(draft)), 404)
        _problem(
            api.post(
                _case_url(draft),
                {"kind": "other", "file": SimpleUploadedFile("a.pdf", samples.png())},
            ),
            404,
        )
        _problem(api.get(f"{BASE}/{row.pk}"), 404)
        _problem(api.get(f"{BASE}/{row.pk}/file"), 404)
        _problem(api.post(f"{BASE}/{row.pk}/remove", {}, content_type="application/json"), 404)
    _problem(_client(filer).get(f"{BASE}/cases/nothing/{draft.pk}"), 404)
    assert Evidence.objects.count() == 1


def test_a_reviewer_reads_but_may_not_attach_or_remove(draft, filer, district_user):
    row = services.attach(
        actor=filer, case=draft, kind="invoice", uploaded_file=upload(samples.pdf())
    )
    claims.claim_submit(actor=filer, claim=draft)
    api = _client(district_user)
    assert [r["id"] for r in api.get(_case_url(draft)).json()] == [row.pk]
    file = api.get(f"{BASE}/{row.pk}/file")
    assert file.status_code == 200
    assert b"".join(file.streaming_content)  # read to its end: the client then closes it
    forbidden = _problem(
        api.post(
            _case_url(draft), {"kind": "other", "file": SimpleUploadedFile("a.pdf", samples.png())}
        ),
        403,
    )
    assert "可修改" in forbidden["detail"]
    _problem(api.post(f"{BASE}/{row.pk}/remove", {}, content_type="application/json"), 403)


def test_the_institution_removes_a_file_while_the_claim_is_a_draft(draft, filer):
    row = services.attach(
        actor=filer, case=draft, kind="invoice", uploaded_file=upload(samples.pdf())
    )
    api = _client(filer)
    removed = api.post(
        f"{BASE}/{row.pk}/remove", {"reason": "传错"}, content_type="application/json"
    )
    assert removed.status_code == 200, removed.content
    assert api.get(_case_url(draft)).json() == []
    _problem(api.get(f"{BASE}/{row.pk}/file"), 404)
