"""A technical school opens a major through the pages: it applies (a level the occupation lacks
is refused with the reason), attaches its programme plan, submits; the district approves from
its queue, the bureau approves; the major appears in the public register."""

import os
from pathlib import Path

import pytest

from haihe.schools import services
from haihe.schools.models import Major
from tests.browser.conftest import login
from tests.evidence import samples
from tests.factories import district_reviewer, municipal_reviewer, org_admin
from tests.schools import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:
    folder = os.environ.get("HAIHE_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"schools-{name}.png"), full_page=True)


def _decide(page, url, decision="approve"):
    page.goto(url)
    page.click(f"[data-testid=decision-{decision}]")
    page.click("[data-testid=review-submit]")
    page.wait_for_load_state("networkidle")


def test_a_major_from_application_to_the_public_register(page, districts, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    services.industries_load()
    heping = districts["120101"]
    school = f.school(heping, name="天津市和平区第一技工学校")
    org_admin(school, username="school")
    district_reviewer(heping, username="heping-reviewer")
    municipal_reviewer(username="bureau-reviewer")
    plan = tmp_path / "人才培养方案.pdf"
    plan.write_bytes(samples.pdf())

    login(page, "school")
    page.goto("/schools/majors/new/")
    form = page.locator("[data-testid=major-form]")
    form.locator("input[name=name]").fill("育婴服务")
    form.locator("select[name=occupation]").select_option("4-10-01-02")
    form.locator("select[name=level]").select_option("pre_technician")
    form.locator("select[name=industry]").select_option("modern_services")
    form.locator("input[name=planned_intake]").fill("40")
    form.locator("input[name=start_year]").fill("2026")
    page.click("[data-testid=save]")
    page.wait_for_load_state("networkidle")
    assert "没有预备技师（技师）对应的国家职业技能等级" in page.locator("main").inner_text()
    form.locator("select[name=level]").select_option("senior")
    page.click("[data-testid=save]")
    page.wait_for_load_state("networkidle")
    major = Major.objects.get()
    assert "人才培养方案" in page.locator("[data-testid=submit-refusal]").inner_text()
    evidence = page.locator("[data-testid=evidence-form]")
    evidence.locator("select[name=kind]").select_option("programme_plan")
    evidence.locator("input[name=file]").set_input_files(str(plan))
    page.click("[data-testid=evidence-upload]")
    page.wait_for_load_state("networkidle")
    _shot(page, "school-draft")
    page.click("[data-testid=submit-case]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=case-status]").inner_text() == "待区级审核"
    page.context.clear_cookies()

    login(page, "heping-reviewer")
    page.goto("/schools/queue/")
    assert major.number in page.locator("[data-testid=queue-majors]").inner_text()
    _decide(page, f"/schools/majors/{major.pk}/")
    page.context.clear_cookies()

    login(page, "bureau-reviewer")
    _decide(page, f"/schools/majors/{major.pk}/")
    assert Major.objects.get().status == "approved"
    page.context.clear_cookies()

    page.goto("/schools/register/?year=2026")  # public: no sign-in
    assert "育婴服务" in page.locator("[data-testid=register]").inner_text()
    _shot(page, "register")
