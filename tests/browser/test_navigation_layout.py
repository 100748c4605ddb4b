"""The header in a browser: on a desktop each area is a dropdown that opens on a click and
closes on Escape; on a phone the whole navigation hides behind the menu button, lists every
area's entries once opened, and no page is wider than the screen."""

import pytest

from tests.browser.conftest import login
from tests.factories import bureau_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin(reference_data):
    return bureau_admin(username="nav-admin")


def test_on_a_desktop_each_area_is_a_dropdown(page, admin):
    page.set_viewport_size({"width": 1366, "height": 800})
    login(page, "nav-admin")
    review = page.get_by_role("link", name="开班审核")
    assert not review.is_visible()  # closed dropdown
    page.click("details[data-nav-area=training] > summary")
    assert review.is_visible()
    review.click()
    page.wait_for_load_state("networkidle")
    current = page.locator("nav a[aria-current=page]")
    assert current.count() == 1 and current.text_content() == "开班审核"
    page.click("details[data-nav-area=registry] > summary")  # one area open at a time
    assert page.locator("details[data-nav-area=training][open]").count() == 0
    page.keyboard.press("Escape")
    assert page.locator(".nav-groups details[open]").count() == 0
    areas = page.locator(".nav-groups details > summary").all_inner_texts()
    assert areas == [
        "名册",
        "培训与补贴",
        "线上培训监管",
        "技能评价",
        "认定与备案",
        "统计",
        "系统管理",
    ]


def test_on_a_phone_the_navigation_collapses_behind_the_menu_button(page, admin):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "nav-admin")
    menu = page.locator(".nav-menu > summary")
    assert menu.is_visible() and menu.inner_text() == "菜单"
    people = page.get_by_role("link", name="人员")
    assert not people.is_visible()
    menu.click()
    assert people.is_visible() and page.get_by_role("link", name="审计日志").is_visible()
    for url in ("/", "/training/review/", "/subsidies/queue/", "/audit/", "/dashboard/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (url, width)
