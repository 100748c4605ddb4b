"""Evidence on a claim, through the pages: the institution attaches an attendance sheet to its
draft (an executable named .pdf is refused with the reason), submits, and the district reviewer
sees the list and downloads the file — the same bytes, as an attachment."""

import datetime
import os
from pathlib import Path

import pytest

from haihe.core import clock
from haihe.evidence.models import Evidence
from haihe.policy.loader import load_parameters
from haihe.subsidies import services as claims
from tests.browser.conftest import login
from tests.evidence import samples
from tests.factories import district_reviewer, org_admin
from tests.subsidies import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:
    folder = os.environ.get("HAIHE_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"evidence-{name}.png"), full_page=True)


def test_attach_submit_and_review_evidence(page, districts, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_parameters("120000")
    heping = districts["120101"]
    org = f.institution(heping, name="和平职业培训学校")
    start = clock.today() - datetime.timedelta(days=60)
    klass, _outcomes = f.class_with_outcomes(org, n=2, start=start, name="电工四级一班")
    filer = org_admin(org, username="school")
    district_reviewer(heping, username="heping-reviewer")
    claim = claims.claim_create(actor=filer, training_class=klass)
    good = tmp_path / "3月签到表.pdf"
    good.write_bytes(samples.pdf())
    bad = tmp_path / "发票.pdf"
    bad.write_bytes(samples.exe())

    login(page, "school")
    page.goto(f"/subsidies/claims/{claim.pk}/")
    form = page.locator("[data-testid=evidence-form]")
    form.locator("select[name=kind]").select_option("invoice")
    form.locator("input[name=file]").set_input_files(str(bad))
    page.click("[data-testid=evidence-upload]")
    page.wait_for_load_state("networkidle")
    assert "可执行程序" in page.locator("main").inner_text()
    form.locator("select[name=kind]").select_option("attendance_sheet")
    form.locator("input[name=file]").set_input_files(str(good))
    page.click("[data-testid=evidence-upload]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=evidence] tbody tr").count() == 1
    assert "3月签到表.pdf" in page.locator("[data-testid=evidence]").inner_text()
    _shot(page, "institution-draft")
    page.click("[data-testid=submit-claim]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=evidence-form]").count() == 0  # no longer editable
    page.context.clear_cookies()

    login(page, "heping-reviewer")
    page.goto(f"/subsidies/claims/{claim.pk}/")
    assert page.locator("[data-testid=evidence-remove]").count() == 0
    _shot(page, "reviewer")
    with page.expect_download() as download:
        page.click("[data-testid=evidence-download]")
    assert download.value.suggested_filename == "3月签到表.pdf"
    assert Path(download.value.path()).read_bytes() == samples.pdf()
    assert Evidence.objects.get().uploaded_by == filer
