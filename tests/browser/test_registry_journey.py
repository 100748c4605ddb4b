import pytest

from tests.browser.conftest import login
from tests.factories import PersonFactory, district_reviewer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_district_reviewer_switches_language_and_sees_masked_ric(page, districts):
    hexi = districts["120103"]
    reviewer = district_reviewer(hexi, username="hexi-reviewer")
    person = PersonFactory(district=hexi, name="李海河")
    PersonFactory(district=districts["120101"], name="王和平")

    login(page, reviewer.username)
    page.goto("/registry/people/")
    assert page.locator("h1").inner_text() == "人员"
    assert page.get_by_text("王和平").count() == 0  # another district's person is not listed

    page.click("[data-testid=lang-en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "People"

    page.click("text=李海河")
    page.wait_for_load_state("networkidle")
    shown = page.locator("[data-testid=ric]").inner_text()
    assert shown == person.masked_ric
    assert shown.startswith(person.ric[:4]) and "**********" in shown
    assert person.ric not in page.content()
