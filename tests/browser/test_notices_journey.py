"""A visitor reads a public notice and objects; the bureau decides; the result becomes final."""

import datetime
import os
from pathlib import Path

import pytest

from haihe.notices import services
from haihe.notices.models import Objection
from haihe.policy.loader import load_calendars, load_parameters
from tests.browser.conftest import login
from tests.factories import bureau_admin, municipal_reviewer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    """A full-page screenshot notices-NAME.png in $HAIHE_SCREENSHOTS, when it is set."""
    folder = os.environ.get("HAIHE_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"notices-{name}.png"), full_page=True)


def test_a_visitor_objects_and_the_bureau_decides(page, clock):
    load_parameters("120000")
    load_calendars()
    clock.travel(datetime.date(2020, 9, 28))
    preparer, approver = bureau_admin(username="preparer"), municipal_reviewer(username="approver")
    handler = municipal_reviewer(username="handler")
    notice = services.notice_create(
        actor=preparer,
        kind="notices.announcement",
        title="2020年天津市企业培训中心拟认定名单公示",
        title_en="Enterprise training centres proposed for recognition, 2020",
        body="经单位申报、区级审核、专家评审，拟认定以下企业培训中心：\n"
        "一、天津某机械有限公司培训中心\n二、天津某电子科技有限公司培训中心\n"
        '<script>alert("injected")</script><img src=x onerror="alert(2)">',
        contact="天津市人力资源和社会保障局职业能力建设处（书面异议请寄送本处）",
    )
    services.notice_approve(actor=approver, notice=notice)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    page.goto("/notices/")
    assert page.locator("h1").inner_text() == "公示公告"
    shot(page, "list-zh")
    page.click("text=2020年天津市企业培训中心拟认定名单公示")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=phase]").inner_text() == "公示中"
    assert "2020-10-10" in page.locator("[data-testid=period]").inner_text()
    assert '<script>alert("injected")</script>' in page.locator("[data-testid=body]").inner_text()
    shot(page, "detail-zh")

    page.fill("input[name=name]", "王小明")
    page.fill("input[name=phone]", "12345")
    page.fill("textarea[name=grounds]", "第二家单位的培训场地面积不符合申报条件。")
    page.click("[data-testid=objection-form] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-field=phone]").is_visible()
    assert page.locator("[data-field=pledge]").is_visible()
    assert page.locator("[data-field=name]").count() == 0
    assert page.input_value("input[name=name]") == "王小明"  # what was typed is kept
    shot(page, "form-errors-zh")
    assert Objection.objects.count() == 0

    page.fill("input[name=phone]", "13800138000")
    page.check("input[name=pledge]")
    page.click("[data-testid=objection-form] button[type=submit]")
    page.wait_for_load_state("networkidle")
    reference = page.locator("[data-testid=reference]").inner_text()
    token = page.locator("[data-testid=token]").inner_text()
    shot(page, "received-zh")
    page.get_by_role("button", name="查询处理进度").click()
    page.fill("input[name=reference]", reference)
    page.fill("input[name=token]", token)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已收到" in page.locator("[data-testid=objection-status]").inner_text()

    page.goto(f"/notices/{notice.pk}/")
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == (
        "Enterprise training centres proposed for recognition, 2020"
    )
    assert page.locator("[data-testid=phase]").inner_text() == "Open for objection"
    assert "Not counted: the National Day and Mid-Autumn Festival holiday" in page.content()
    shot(page, "detail-en")
    page.goto("/notices/")
    shot(page, "list-en")
    page.get_by_role("link", name="Follow an objection").click()
    page.fill("input[name=reference]", reference)
    page.fill("input[name=token]", token)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Received" in page.locator("[data-testid=objection-status]").inner_text()
    page.click("[data-testid=lang-zh-hans]")
    page.wait_for_load_state("networkidle")

    login(page, handler.username)
    objection = Objection.objects.get()
    page.goto(f"/notices/manage/objections/{objection.pk}/")
    page.fill(
        "[data-testid=form-dismiss] textarea[name=reason]",
        "经实地核查，该单位培训场地面积符合条件。",
    )
    page.click("[data-testid=action-dismiss]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=status]").inner_text() == "异议不成立"
    shot(page, "bureau-objection-zh")

    clock.travel(datetime.date(2020, 10, 12))
    assert services.notice_finalise_due().closed == [notice.pk]
    page.goto(f"/notices/{notice.pk}/")
    assert page.locator("[data-testid=phase]").inner_text() == "公示期满，结果生效"
    assert page.locator("[data-testid=not-accepting]").is_visible()
    page.goto(f"/notices/manage/{notice.pk}/")
    shot(page, "bureau-notice-zh")
    assert dialogs == []  # the injected script never ran


def test_the_bureau_reads_a_year_of_the_working_day_calendar(page):
    load_parameters("120000")
    load_calendars()
    admin = bureau_admin(username="calendar-admin")
    login(page, admin.username)
    page.goto("/policy/calendar/")
    page.get_by_role("link", name="2020", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.locator("td[data-date='2020-10-01']").get_attribute("class") == "day holiday"
    assert page.locator("td[data-date='2020-10-10']").get_attribute("class") == "day adjusted"
    assert page.locator("td[data-date='2020-02-01']").get_attribute("class") == "day holiday"
    shot(page, "calendar-2020-zh")
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Working-day calendar 2020"
    shot(page, "calendar-2020-en")
