"""One class from filing to a paid claim, through the pages, across the institution, district,
municipal and bureau accounts. Only the passing of time is simulated: once the class is approved
and its trainee enrolled, the class's dates are moved into the past, as if it had run."""

import datetime

import pytest

from haihe.core import clock
from haihe.payments.models import Payment
from haihe.subsidies.models import Claim
from haihe.training.models import Enrolment, TrainingClass
from tests.browser.conftest import login
from tests.factories import (
    OrganisationFactory,
    bureau_admin,
    district_reviewer,
    make_ric,
    municipal_reviewer,
    org_admin,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.click("form[action='/accounts/logout/'] button")
    page.wait_for_load_state("networkidle")


def test_class_from_filing_to_paid_claim(page, districts):
    heping = districts["120101"]
    institution = OrganisationFactory(
        district=heping,
        kinds=["training_institution"],
        bank_name="天津银行",
        bank_account="6222000011112222",
    )
    org_admin(institution, username="school")
    district_reviewer(heping, username="heping-reviewer")
    municipal_reviewer(username="city-reviewer")
    bureau_admin(username="bureau")
    start = clock.today() + datetime.timedelta(days=10)

    # 1. the institution files the class and submits it
    login(page, "school")
    page.goto("/training/")
    page.click("text=开班备案")
    page.fill("input[name=name]", "电工四级全程班")
    page.select_option("select[name=occupation]", label="6-31-01-03 电工")
    page.select_option("select[name=level]", "4")
    page.select_option("select[name=mode]", "offline")
    page.fill("input[name=planned_theory_hours]", "8")
    page.fill("input[name=planned_practice_hours]", "8")
    page.fill("input[name=start_date]", start.isoformat())
    page.fill("input[name=end_date]", (start + datetime.timedelta(days=1)).isoformat())
    page.fill("input[name=venue]", "和平区实训基地")
    page.fill("input[name=capacity]", "20")
    page.click("form button[type=submit] >> text=保存")
    page.wait_for_load_state("networkidle")
    page.click("[data-testid=transition-submit]")
    page.wait_for_load_state("networkidle")
    klass = TrainingClass.objects.get(name="电工四级全程班")
    logout(page)

    # 2. the district reviewer approves it before it starts
    login(page, "heping-reviewer")
    page.goto("/training/review/")
    page.click(f"[data-testid=approve-{klass.pk}]")
    page.wait_for_load_state("networkidle")
    logout(page)

    # 3. the institution enrols a trainee; every eligibility rule is explained
    login(page, "school")
    page.goto(f"/training/classes/{klass.pk}/")
    page.click("text=报名（逐个）")
    ric = make_ric(datetime.date(1992, 5, 4), "M")
    page.fill("input[name=ric]", ric)
    page.fill("input[name=name]", "钱海河")
    page.click("[data-testid=enrol]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=enrolment-status]").inner_text() == "在训"

    # ... the class runs (simulated: its dates move 30 days into the past)
    shift = datetime.timedelta(days=30)
    TrainingClass.objects.filter(pk=klass.pk).update(
        start_date=klass.start_date - shift, end_date=klass.end_date - shift
    )
    enrolment = Enrolment.objects.get(person__ric=ric)
    Enrolment.objects.filter(pk=enrolment.pk).update(enrolled_at=enrolment.enrolled_at - shift)
    klass.refresh_from_db()

    # 4. two 8-hour sessions, and the trainee signs in to both
    for day in (klass.start_date, klass.end_date):
        page.goto(f"/training/classes/{klass.pk}/")
        page.click("text=添加课次")
        page.fill("input[name=date]", day.isoformat())
        page.fill("input[name=starts_at]", "08:30")
        page.fill("input[name=ends_at]", "16:30")
        page.fill("input[name=hours]", "8")
        page.click("main form[action$='/sessions/'] button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.check("input[name=enrolment]")
        page.click("text=为所选学员签到")
        page.wait_for_load_state("networkidle")
    page.goto(f"/training/enrolments/{enrolment.pk}/")
    assert page.locator("[data-testid=enrolment-status]").inner_text() == "已结业"

    # 5. the outcome: a level-4 skill certificate
    issued = klass.end_date + datetime.timedelta(days=5)
    number = f"S123412000001{issued:%y}4000001"
    page.click("text=登记培训成果")
    page.select_option("select[name=kind]", "skill_certificate")
    page.fill("input[name=certificate_number]", number)
    page.fill("input[name=issuing_body]", "天津市职业技能评价中心")
    page.fill("input[name=issued_on]", issued.isoformat())
    page.click("main form[action$='/outcomes/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert number in page.content()

    # 6. the claim
    page.goto("/subsidies/claims/")
    page.click(f"[data-testid=claim-class-{klass.pk}]")
    page.click("[data-testid=submit-claim]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=claim-status]").inner_text() == "待区级审核"
    claim = Claim.objects.get()
    logout(page)

    # 7. district, then municipal approval (two different people)
    for reviewer in ("heping-reviewer", "city-reviewer"):
        login(page, reviewer)
        page.goto("/subsidies/queue/")
        page.click(f"text={claim.number}")
        page.check("[data-testid=decision-approve]")
        page.click("[data-testid=review-submit]")
        page.wait_for_load_state("networkidle")
        logout(page)

    # 8. the bureau pays it
    login(page, "bureau")
    page.goto("/payments/")
    page.check(f"input[name=item][value='{claim.pk}']")
    page.click("[data-testid=create-batch]")
    page.wait_for_load_state("networkidle")
    with page.expect_download() as download:
        page.click("[data-testid=export-xlsx]")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.reload()
    line = Payment.objects.of(claim).get()
    page.click(f"[data-testid=paid-{line.pk}]")
    page.wait_for_load_state("networkidle")
    logout(page)

    # 9. the institution sees its claim paid
    login(page, "school")
    page.goto(f"/subsidies/claims/{claim.pk}/")
    assert page.locator("[data-testid=claim-status]").inner_text() == "已支付"
    claim.refresh_from_db()
    assert claim.status == "paid" and claim.approved_amount > 0
