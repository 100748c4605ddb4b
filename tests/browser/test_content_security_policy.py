"""Issue 9, item 7: under the Content-Security-Policy (no inline script or style) the pages
still work in a real browser, and the browser reports no violation: the dashboard's charts and
their tooltips, htmx, the select-all checkboxes, and ninja's Swagger page."""

import datetime

import pytest

from haihe.core import clock
from haihe.subsidies import services as subsidies
from tests.browser.conftest import login
from tests.factories import PersonFactory, bureau_admin, district_reviewer, org_admin
from tests.subsidies import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def violations(page):
    """What the browser refused under the policy (it reports each refusal on the console)."""
    found = []
    page.on(
        "console",
        lambda m: found.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: found.append(str(e)))
    return found


def test_pages_dashboard_and_swagger_run_without_violations(page, districts, violations):
    bureau_admin(username="boss")
    PersonFactory(district=districts["120101"])
    login(page, "boss")
    for url in ("/training/", "/supervision/", "/accounts/alerts/", "/registry/people/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    page.goto("/dashboard/")
    page.wait_for_load_state("networkidle")
    chart = page.locator(".chart").nth(1)
    chart.scroll_into_view_if_needed()
    assert chart.locator("canvas").count() >= 1
    box = chart.bounding_box()
    for dx in range(20, int(box["width"]), 40):  # the tooltips follow the mouse
        page.mouse.move(box["x"] + dx, box["y"] + box["height"] / 2)
    page.goto("/api/v1/docs")
    page.wait_for_load_state("networkidle")
    assert page.locator(".opblock").count() > 10
    page.locator(".opblock-summary").first.click()
    page.click("text=Try it out")
    page.click("text=Execute")
    status = page.locator(".live-responses-table .response-col_status").nth(1)
    status.wait_for()
    assert status.inner_text() == "200"
    assert violations == []


def test_select_all_checks_every_claim_without_an_inline_handler(page, districts, violations):
    heping = districts["120101"]
    org = f.institution(heping)
    filer = org_admin(org)
    start = clock.today() - datetime.timedelta(days=60)
    for n in range(2):
        klass, _outcomes = f.class_with_outcomes(org, n=1, start=start, name=f"电工{n}班")
        claim = subsidies.claim_create(actor=filer, training_class=klass)
        subsidies.claim_submit(actor=filer, claim=claim)
    district_reviewer(heping, username="heping-reviewer")
    login(page, "heping-reviewer")
    page.goto("/subsidies/queue/")
    boxes = page.locator("input[name=claim]")
    assert boxes.count() == 2
    page.check("input[data-check-all=claim]")
    assert [boxes.nth(i).is_checked() for i in range(2)] == [True, True]
    page.uncheck("input[data-check-all=claim]")
    assert [boxes.nth(i).is_checked() for i in range(2)] == [False, False]
    assert violations == []
