"""The training journey in a browser: an institution files a class, the district reviewer
approves it, the institution enrols a trainee (the subsidy journey continues to a paid claim)."""

import datetime

import pytest

from haihe.core import clock
from haihe.training.models import Enrolment, TrainingClass
from tests.browser.conftest import login
from tests.factories import OrganisationFactory, district_reviewer, make_ric, org_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_file_approve_and_enrol(page, districts):
    heping = districts["120101"]
    institution = OrganisationFactory(district=heping, kinds=["training_institution"])
    admin = org_admin(institution, username="school-admin")
    reviewer = district_reviewer(heping, username="heping-reviewer")
    start = clock.today() + datetime.timedelta(days=10)

    login(page, admin.username)
    page.goto("/training/")
    page.click("text=开班备案")
    page.fill("input[name=name]", "车工（四级）浏览器班")
    page.select_option("select[name=occupation]", label="6-18-01-01 车工")
    page.select_option("select[name=level]", "4")
    page.select_option("select[name=mode]", "offline")
    page.fill("input[name=planned_theory_hours]", "24")
    page.fill("input[name=planned_practice_hours]", "40")
    page.fill("input[name=start_date]", start.isoformat())
    page.fill("input[name=end_date]", (start + datetime.timedelta(days=9)).isoformat())
    page.fill("input[name=venue]", "和平区实训基地 301 室")
    page.fill("input[name=capacity]", "30")
    page.click("form button[type=submit] >> text=保存")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=class-status]").inner_text() == "草稿"
    page.click("[data-testid=transition-submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=class-status]").inner_text() == "待审核"
    class_id = TrainingClass.objects.get(name="车工（四级）浏览器班").pk

    page.click("form[action='/accounts/logout/'] button")
    login(page, reviewer.username)
    page.goto("/training/review/")
    page.click(f"[data-testid=approve-{class_id}]")
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("车工（四级）浏览器班").count() == 0  # left the queue
    assert TrainingClass.objects.get(pk=class_id).status == "approved"

    page.click("form[action='/accounts/logout/'] button")
    login(page, admin.username)
    page.goto(f"/training/classes/{class_id}/")
    page.click("text=报名（逐个）")
    ric = make_ric(datetime.date(1993, 8, 8), "F")
    page.fill("input[name=ric]", ric)
    page.fill("input[name=name]", "赵海河")
    page.click("[data-testid=enrol]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=enrolment-status]").inner_text() == "在训"
    assert page.locator("ul.reasons li.ok").count() == 7  # every rule, explained
    assert page.locator("ul.reasons li.error").count() == 0
    assert Enrolment.objects.get(person__ric=ric).status == "enrolled"
