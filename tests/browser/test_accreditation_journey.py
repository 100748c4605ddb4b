"""An enterprise training centre from application to the public register, through the pages:
the enterprise applies and submits with its licence, the district returns it for a missing
document, the enterprise attaches it and resubmits, the district passes it, the panel scores,
the municipal reviewer and the bureau decide, the notice period passes without objection, and
the centre is in the public register."""

import datetime
import os
from pathlib import Path

import pytest

from haihe.accreditation.models import Application, Recognition
from haihe.notices import services as notices
from haihe.notices.models import Notice
from haihe.policy.loader import load_calendars, load_parameters
from tests.accreditation.conftest import make_call, settle_panel
from tests.browser.conftest import login
from tests.evidence import samples
from tests.factories import (
    OrganisationFactory,
    bureau_admin,
    district_reviewer,
    municipal_reviewer,
    org_admin,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    folder = os.environ.get("HAIHE_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"accreditation-{name}.png"), full_page=True)


def _upload(page, tmp_path, kind: str, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(samples.pdf(name))
    form = page.locator("[data-testid=evidence-form]")
    form.locator("select[name=kind]").select_option(kind)
    form.locator("input[name=file]").set_input_files(str(path))
    page.click("[data-testid=evidence-upload]")
    page.wait_for_load_state("networkidle")


def _decide(page, decision: str, reason: str = "") -> None:
    page.click(f"[data-testid=decision-{decision}]")
    if reason:
        page.fill("[data-testid=review-reason]", reason)
    page.click("[data-testid=review-submit]")
    page.wait_for_load_state("networkidle")


def test_an_enterprise_centre_from_application_to_the_public_register(
    page, clock, districts, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_parameters("120000")
    load_calendars()
    clock.travel(datetime.date(2020, 6, 1))
    heping = districts["120101"]
    enterprise = OrganisationFactory(
        district=heping, kinds=["enterprise"], name="天津海河机械有限公司"
    )
    org_admin(enterprise, username="haihe-machinery")
    district_reviewer(heping, username="heping-reviewer")
    municipal_reviewer(username="municipal")
    admin = bureau_admin(username="bureau")
    call = make_call(admin, required=("business_licence",))

    # the enterprise applies, with the live explanation of the conditions
    login(page, "haihe-machinery")
    page.goto(f"/accreditation/calls/{call.pk}/")
    page.click("[data-testid=apply]")
    page.fill("[data-testid=trainers]", "12")
    page.fill("[data-testid=area]", "800")
    page.fill("input[name=workstations]", "60")
    page.wait_for_load_state("networkidle")
    shot(page, "apply")
    page.click("[data-testid=save-draft]")
    page.wait_for_load_state("networkidle")
    application = Application.objects.get(organisation=enterprise)
    _upload(page, tmp_path, "business_licence", "营业执照.pdf")
    page.click("[data-testid=submit-application]")
    page.wait_for_load_state("networkidle")
    assert "待区级审核" in page.locator("[data-testid=application-status]").inner_text()
    page.context.clear_cookies()

    # the district returns it: the premises' proof is missing
    login(page, "heping-reviewer")
    page.goto("/accreditation/review/")
    page.click(f"text={application.number}")
    _decide(page, "return", "缺少培训场地及设施设备证明，请补充后重新提交。")
    assert "已退回修改" in page.locator("[data-testid=application-status]").inner_text()
    page.context.clear_cookies()

    # the enterprise reads the reason, attaches the document and resubmits
    login(page, "haihe-machinery")
    page.goto(f"/accreditation/applications/{application.pk}/")
    assert "缺少培训场地及设施设备证明" in page.locator("[data-testid=history]").inner_text()
    _upload(page, tmp_path, "premises", "场地租赁合同.pdf")
    assert page.locator("[data-testid=evidence] tbody tr").count() == 2
    page.click("[data-testid=submit-application]")
    page.wait_for_load_state("networkidle")
    assert "待区级审核" in page.locator("[data-testid=application-status]").inner_text()
    shot(page, "resubmitted")
    page.context.clear_cookies()

    login(page, "heping-reviewer")
    page.goto(f"/accreditation/applications/{application.pk}/")
    _decide(page, "approve")
    assert "待专家评审" in page.locator("[data-testid=application-status]").inner_text()
    page.context.clear_cookies()

    # the expert panel scores and signs off (the panels' own journey covers its pages)
    application.refresh_from_db()
    settle_panel(admin, application)

    login(page, "municipal")
    page.goto(f"/accreditation/applications/{application.pk}/")
    _decide(page, "approve")
    assert "待市人社局决定" in page.locator("[data-testid=application-status]").inner_text()
    page.context.clear_cookies()

    login(page, "bureau")
    page.goto(f"/accreditation/applications/{application.pk}/")
    _decide(page, "approve")
    assert "公示中" in page.locator("[data-testid=application-status]").inner_text()
    page.context.clear_cookies()

    # a second person publishes the notice; its period passes without objection
    application.refresh_from_db()
    notice = Notice.objects.get(pk=application.notice_id)
    notices.notice_approve(actor=municipal_reviewer(), notice=notice)
    notice.refresh_from_db()
    page.goto("/accreditation/register/")
    assert "天津海河机械有限公司" not in page.locator("[data-testid=register]").inner_text()
    clock.travel(notice.ends_on + datetime.timedelta(days=1))
    run = notices.notice_finalise_due()
    assert run.closed == [notice.pk]

    page.goto("/accreditation/register/")
    register = page.locator("[data-testid=register]").inner_text()
    recognition = Recognition.objects.get(application=application)
    assert "天津海河机械有限公司" in register and recognition.number in register
    shot(page, "register")
