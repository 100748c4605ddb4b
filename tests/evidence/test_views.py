"""The claim page's evidence panel, the upload and removal forms, and the download view: its
headers, and 404 for everyone who may not see the case."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from haihe.evidence import services
from haihe.evidence.models import Evidence
from haihe.subsidies import services as claims
from tests.evidence import samples
from tests.evidence.conftest import upload
from tests.factories import bureau_admin, worker

pytestmark = pytest.mark.django_db


def _status(client, url) -> int:
    response = client.get(url)
    _consume(response)
    return response.status_code


def _consume(response) -> bytes:
    """Read a streamed file to its end, as a server does: the test client then closes it with
    the database connection kept (closing it by hand would end the test's connection on
    PostgreSQL, as `request_finished` does after a real request)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def attached(filer, draft):
    return services.attach(
        actor=filer,
        case=draft,
        kind="attendance_sheet",
        uploaded_file=upload(samples.pdf(), '3月 签到表 "终稿".pdf'),
    )


def _attach_url(claim):
    return reverse("evidence:attach", args=["subsidy_claim", claim.pk])


def test_the_institution_uploads_from_the_claim_page(client, filer, draft):
    client.force_login(filer)
    page = client.get(reverse("subsidies:claim", args=[draft.pk])).content.decode()
    assert 'data-testid="evidence-form"' in page and "培训签到表" in page
    response = client.post(
        _attach_url(draft),
        {"kind": "invoice", "file": SimpleUploadedFile("发票.png", samples.png())},
    )
    assert response.status_code == 302
    assert response.url == reverse("subsidies:claim", args=[draft.pk])
    row = Evidence.objects.get()
    assert row.kind == "invoice" and row.media_type == "image/png"
    page = client.get(response.url).content.decode()
    assert "发票.png" in page and reverse("evidence:download", args=[row.pk]) in page


def test_a_refused_upload_says_why_on_the_page(client, filer, draft):
    client.force_login(filer)
    response = client.post(
        _attach_url(draft),
        {"kind": "invoice", "file": SimpleUploadedFile("发票.pdf", samples.exe())},
        follow=True,
    )
    assert "可执行程序" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_upload_form_checks_csrf_after_the_permission(filer, draft):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(filer)
    response = client.post(
        _attach_url(draft), {"kind": "invoice", "file": SimpleUploadedFile("a.pdf", samples.pdf())}
    )
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_an_oversize_upload_is_cut_off_while_it_is_read(client, filer, draft, settings):
    from haihe.policy.models import ParameterValue

    ParameterValue.objects.filter(parameter__key="evidence.max_bytes").update(value=1000)
    client.force_login(filer)
    data = samples.pdf() + b"\0" * 5000
    response = client.post(
        _attach_url(draft),
        {"kind": "other", "file": SimpleUploadedFile("a.pdf", data)},
        follow=True,
    )
    page = response.content.decode()
    import re

    print(
        re.findall(
            r"<article[^>]*>.*?</article>|class=\"(?:error|message)[^\"]*\">[^<]*", page, re.S
        )[:5]
    )
    assert "大小上限" in page
    assert not Evidence.objects.exists()


def test_outsiders_cannot_upload_404_and_reviewers_403(
    client, draft, other_org_user, district_user, other_district_user
):
    form = {"kind": "other", "file": SimpleUploadedFile("a.pdf", samples.pdf())}
    for outsider in (other_org_user, other_district_user):
        client.force_login(outsider)
        assert client.post(_attach_url(draft), form).status_code == 404
    client.force_login(district_user)  # sees the claim, may not attach
    form["file"].seek(0)
    assert client.post(_attach_url(draft), form).status_code == 403
    unknown = reverse("evidence:attach", args=["no_such_case", draft.pk])
    assert client.post(unknown, form).status_code == 404
    assert not Evidence.objects.exists()


def test_a_worker_cannot_upload(client, draft):
    client.force_login(worker(draft.lines.first().person))
    form = {"kind": "other", "file": SimpleUploadedFile("a.pdf", samples.pdf())}
    assert client.post(_attach_url(draft), form).status_code == 404


def test_download_headers(client, filer, attached):
    client.force_login(filer)
    response = client.get(reverse("evidence:download", args=[attached.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.pdf()
    _consume(response)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Cache-Control"] == "private, no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # RFC 6266 / 5987: the UTF-8 name percent-encoded, no raw quote or non-ASCII byte
    assert "filename*=utf-8''3%E6%9C%88%20" in disposition
    assert disposition.isascii()


def test_images_are_shown_inline_with_nosniff(client, filer, draft):
    row = services.attach(
        actor=filer, case=draft, kind="other", uploaded_file=upload(samples.png(), "a.png")
    )
    client.force_login(filer)
    response = client.get(reverse("evidence:download", args=[row.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    _consume(response)


def test_reviewers_and_the_bureau_see_and_download(
    client, filer, draft, attached, district_user, municipal_user
):
    claims.claim_submit(actor=filer, claim=draft)
    for reviewer in (district_user, municipal_user, bureau_admin()):
        client.force_login(reviewer)
        page = client.get(reverse("subsidies:claim", args=[draft.pk])).content.decode()
        assert attached.original_name.replace('"', "&quot;") in page
        assert 'data-testid="evidence-form"' not in page
        assert 'data-testid="evidence-remove"' not in page
        assert _status(client, reverse("evidence:download", args=[attached.pk])) == 200


def test_everyone_else_gets_404_for_a_download(
    client, draft, attached, other_org_user, other_district_user
):
    url = reverse("evidence:download", args=[attached.pk])
    for outsider in (other_org_user, other_district_user, worker(draft.lines.first().person)):
        client.force_login(outsider)
        assert _status(client, url) == 404
    missing = reverse("evidence:download", args=[attached.pk + 1000])
    assert client.get(missing).status_code == 404  # the same answer: existence is not revealed
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page


def test_a_removed_file_is_no_longer_served(client, filer, attached):
    client.force_login(filer)
    response = client.post(reverse("evidence:remove", args=[attached.pk]), {"reason": "错"})
    assert response.status_code == 302
    assert _status(client, reverse("evidence:download", args=[attached.pk])) == 404


def test_the_reviewer_cannot_remove(client, filer, draft, attached, district_user):
    client.force_login(district_user)
    assert client.post(reverse("evidence:remove", args=[attached.pk])).status_code == 403
    attached.refresh_from_db()
    assert not attached.removed


def test_media_has_no_public_url(client, filer, attached, settings):
    client.force_login(filer)
    for url in (
        f"/media/{attached.file.name}",
        f"/{attached.file.name}",
        f"/static/{attached.file.name}",
    ):
        assert client.get(url).status_code == 404
