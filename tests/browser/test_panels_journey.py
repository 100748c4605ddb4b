"""An expert's journey in a browser: they sign in on their home, open their task list (a
blind panel, its deadline and counts), open the case, enter a score out of range (refused in
place), correct it and submit; the case settles with its explained score. The task list and the
scoring page are then read in English. Screenshots under /tmp/panels-*.png."""

import datetime
import tempfile
from pathlib import Path

import pytest

from haihe.core import clock
from haihe.panels import services
from haihe.panels.models import Assignment
from tests.browser.conftest import login
from tests.factories import OrganisationFactory
from tests.panels.factories import expert_user, panel_ready, score_all, users_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "海河精工装备制造有限公司"
SHOTS = str(Path(tempfile.gettempdir()) / "panels-{}.png")  # /tmp/panels-*.png


@pytest.fixture
def world(reference_data):
    from tests.factories import bureau_admin

    admin = bureau_admin()
    applicant = OrganisationFactory(name=NAME)
    panel, experts, (case,) = panel_ready(
        admin,
        n_experts=3,
        cases=[applicant],
        blind=True,
        deadline=clock.today() + datetime.timedelta(days=7),
    )
    services.assignments_draw(actor=admin, panel=panel, seed=2020)
    others = users_of(experts[1:])
    score_all(case, others, [80, 82])
    me = expert_user(experts[0], username="zhuanjia", display_name="王建国")
    assignment = Assignment.objects.get(case=case, member__expert=experts[0])
    return {"panel": panel, "case": case, "me": me, "assignment": assignment}


def test_an_expert_scores_a_case(page, world):
    case = world["case"]
    login(page, "zhuanjia")
    # the expert's home counts the assignment, and leads to the task list
    assert page.locator("h1").inner_text() == "您好，王建国"
    assert page.get_by_test_id("unscored").locator(".figure").inner_text() == "1"
    page.get_by_role("button", name="打开评审任务").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "我的评审任务"
    assert "待完成 1 项评分任务" in page.get_by_test_id("task-summary").inner_text()
    assert "待评 1 · 退回重评 0 · 已提交 0" in page.get_by_test_id("counts").inner_text()
    row = page.get_by_test_id("assignment")
    assert f"案卷 {case.code}" in row.inner_text()
    assert NAME not in page.content()  # blind: no name on the page
    assert page.locator("nav a:text('评审任务')").count() == 1
    page.screenshot(path=SHOTS.format("tasks-zh"), full_page=True)

    page.get_by_test_id("score-link").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("case-label").inner_text() == f"案卷 {case.code}"
    for code, value in [
        ("conditions", "86"),
        ("trainers", "84"),
        ("programme", "80"),
        ("results", "88"),
        ("outlook", "90"),
    ]:
        page.get_by_test_id(f"score-{code}").fill(value)
    # the browser would refuse 120 itself (max=100); take the limit off to test the server's check
    page.get_by_test_id("score-outlook").evaluate("e => e.removeAttribute('max')")
    page.get_by_test_id("score-outlook").fill("120")
    page.get_by_test_id("submit").click()
    page.wait_for_load_state("networkidle")
    assert "得分应在 0 至 100 之间" in page.content()
    assert page.get_by_test_id("sheet-status").inner_text() == "未提交"
    page.screenshot(path=SHOTS.format("error-zh"), full_page=True)
    page.get_by_test_id("score-outlook").fill("90")
    page.get_by_test_id("submit").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("评分已提交。").is_visible()
    assert "待评 0 · 退回重评 0 · 已提交 1" in page.get_by_test_id("counts").inner_text()

    case.refresh_from_db()
    assert case.status == "scored" and str(case.score) == "82.00"  # trimmed: 80, 82, 85.1
    world["assignment"].sheet.refresh_from_db()
    assert str(world["assignment"].sheet.total) == "85.10"

    page.get_by_test_id("score-link").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("my-total").inner_text() == "85.1"
    assert "综合得分 82 分" in page.content()
    page.screenshot(path=SHOTS.format("scored-zh"), full_page=True)

    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state("networkidle")
    assert "Score 82: the mean of 3 experts' weighted totals (85.1, 82, 80)" in page.content()
    assert NAME not in page.content()
    page.screenshot(path=SHOTS.format("scored-en"), full_page=True)
    page.goto("/panels/tasks/")
    assert page.locator("h1").inner_text() == "My assignments"
    assert "To score 0 · returned 0 · submitted 1" in page.get_by_test_id("counts").inner_text()
    page.screenshot(path=SHOTS.format("tasks-en"), full_page=True)

    # the expert chairs the panel: every case is settled, so they lock the scores
    page.click(f"a[href='/panels/{world['panel'].pk}/']")
    page.wait_for_load_state("networkidle")
    assert NAME not in page.content()
    page.get_by_test_id("panel-lock").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("panel-status").inner_text() == "Locked"
    page.screenshot(path=SHOTS.format("panel-en"), full_page=True)
