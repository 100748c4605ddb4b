"""One class from its claim to a paid subsidy, across the institution, district, municipal and
bureau accounts. The class, enrolments and outcomes are set up directly (as the training module
leaves them); everything from the claim on goes through the pages."""

import datetime

import pytest

from haihe.core import clock
from haihe.payments.models import Payment
from haihe.policy.loader import load_parameters
from haihe.subsidies.models import Claim
from tests.browser.conftest import login
from tests.factories import bureau_admin, district_reviewer, municipal_reviewer, org_admin
from tests.subsidies import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_class_from_claim_to_paid_subsidy(page, districts):
    load_parameters("120000")
    heping = districts["120101"]
    org = f.institution(heping, name="和平职业培训学校")
    start = clock.today() - datetime.timedelta(days=60)
    klass, _outcomes = f.class_with_outcomes(org, n=3, start=start, name="电工四级一班")
    f.outcome(f.enrolment(klass, eligible=False))  # refused at enrolment: shown, not claimed
    org_admin(org, username="school")
    district_reviewer(heping, username="heping-reviewer")
    municipal_reviewer(username="city-reviewer")
    bureau_admin(username="bureau")

    # the institution claims for its class
    login(page, "school")
    page.goto("/subsidies/claims/")
    page.click(f"[data-testid=claim-class-{klass.pk}]")
    assert "3 / 4" in page.locator("[data-testid=preview-summary]").inner_text()
    page.click("[data-testid=submit-claim]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=claim-status]").inner_text() == "待区级审核"
    assert page.locator("[data-testid=claimed-amount]").inner_text() == "4,500.00"
    claim = Claim.objects.get()
    page.context.clear_cookies()

    # the district reviewer approves it from the queue
    login(page, "heping-reviewer")
    page.goto("/subsidies/queue/")
    page.click(f"text={claim.number}")
    assert page.locator("[data-testid=checks]").count() == 0  # nothing raised
    page.check("[data-testid=decision-approve]")
    page.click("[data-testid=review-submit]")
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()

    # the municipal reviewer approves it
    login(page, "city-reviewer")
    page.goto("/subsidies/queue/")
    page.click(f"text={claim.number}")
    page.check("[data-testid=decision-approve]")
    page.click("[data-testid=review-submit]")
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()

    # the bureau pays it: a batch, the bank file, the result
    login(page, "bureau")
    page.goto("/payments/")
    page.check(f"input[name=item][value='{claim.pk}']")
    page.click("[data-testid=create-batch]")
    page.wait_for_load_state("networkidle")
    with page.expect_download() as download:
        page.click("[data-testid=export-csv]")
    assert download.value.suggested_filename.endswith(".csv")
    page.reload()
    line = Payment.objects.of(claim).get()
    page.click(f"[data-testid=paid-{line.pk}]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=batch-status]").inner_text() == "已办结"
    page.context.clear_cookies()

    # the institution sees it paid
    login(page, "school")
    page.goto(f"/subsidies/claims/{claim.pk}/")
    assert page.locator("[data-testid=claim-status]").inner_text() == "已支付"
    assert page.locator("[data-testid=approved-amount]").inner_text() == "4,500.00"
