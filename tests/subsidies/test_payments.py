"""Payment batches, the bank file, results (one by one and uploaded, all or nothing), and the
totals that always reconcile."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haihe.core.workflow import TransitionNotPossible
from haihe.subsidies import payments, services
from haihe.subsidies.models import Claim, PaymentLine
from haihe.subsidies.selectors import totals
from tests.factories import bureau_admin, district_reviewer, municipal_reviewer, org_admin
from tests.subsidies import factories as f

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 5, 1)


def _approved(org, filer, district_user, municipal_user, n=2):
    klass, _outcomes = f.class_with_outcomes(org, n=n)
    claim = services.claim_create(actor=filer, training_class=klass, today=DAY)
    services.claim_submit(actor=filer, claim=claim, today=DAY)
    services.claim_review(actor=district_user, claim=claim, decision="approve")
    services.claim_review(actor=municipal_user, claim=claim, decision="approve")
    claim.refresh_from_db()
    return claim


@pytest.fixture
def admin():
    return bureau_admin()


@pytest.fixture
def approved(org, filer, district_user, municipal_user):
    return _approved(org, filer, district_user, municipal_user)


@pytest.fixture
def exported(approved, admin):
    batch = payments.batch_create(actor=admin, claims=[approved])
    payments.batch_export(actor=admin, batch=batch, fmt="csv")
    batch.refresh_from_db()
    return batch


def _csv(rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def test_only_the_bureau_admin_makes_batches(approved, filer, municipal_user):
    for user in (filer, municipal_user):
        with pytest.raises(PermissionDenied):
            payments.batch_create(actor=user, claims=[approved])


def test_only_approved_claims_waiting_for_payment_go_into_a_batch(org, filer, admin, approved):
    klass, _outcomes = f.class_with_outcomes(org, n=1)
    draft = services.claim_create(actor=filer, training_class=klass, today=DAY)
    with pytest.raises(ValidationError, match=draft.number):
        payments.batch_create(actor=admin, claims=[approved, draft])
    payments.batch_create(actor=admin, claims=[approved])
    with pytest.raises(ValidationError):  # already in a batch
        payments.batch_create(actor=admin, claims=[approved])


def test_a_payee_without_a_bank_account_is_refused(approved, admin, org):
    org.bank_account = ""
    org.save()
    with pytest.raises(ValidationError, match="银行账号"):
        payments.batch_create(actor=admin, claims=[approved])


def test_the_bank_file_in_csv_and_xlsx(exported, admin, approved, org):
    text = payments.batch_export(actor=admin, batch=exported, fmt="csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["收款单位", "统一社会信用代码", "开户银行", "银行账号", "金额（元）", "附言"]
    assert rows[1] == [
        org.name,
        org.uscc,
        org.bank_name,
        org.bank_account,
        "3000.00",
        f"{exported.number}-{approved.number}",
    ]
    book = openpyxl.load_workbook(
        io.BytesIO(payments.batch_export(actor=admin, batch=exported, fmt="xlsx"))
    )
    sheet = book.active
    assert sheet.cell(2, 4).value == org.bank_account  # text, not a rounded number
    assert Decimal(str(sheet.cell(2, 5).value)) == Decimal("3000.00")
    assert exported.status == "exported"


def test_results_wait_for_the_export(approved, admin):
    batch = payments.batch_create(actor=admin, claims=[approved])
    with pytest.raises(TransitionNotPossible):  # not possible yet (409), not forbidden
        payments.payment_record(actor=admin, line=batch.lines.get(), paid=True)


def test_a_paid_line_pays_the_claim_and_closes_the_batch(exported, admin, approved):
    payments.payment_record(actor=admin, line=exported.lines.get(), paid=True)
    approved.refresh_from_db()
    exported.refresh_from_db()
    assert approved.status == "paid" and approved.paid_at is not None
    assert exported.status == "closed"


def test_a_failed_line_needs_a_reason_and_sends_the_claim_back_to_the_queue(
    exported, admin, approved
):
    line = exported.lines.get()
    with pytest.raises(ValidationError):
        payments.payment_record(actor=admin, line=line, paid=False, reason="")
    payments.payment_record(actor=admin, line=line, paid=False, reason="账号已销户")
    line.refresh_from_db()
    assert line.status == "failed" and not line.live
    assert approved in payments.payment_queue()
    again = payments.batch_create(actor=admin, claims=[approved])
    assert again.lines.get().amount == approved.approved_amount


def test_uploaded_results_are_all_or_nothing(org, filer, district_user, municipal_user, admin):
    claims = [_approved(org, filer, district_user, municipal_user) for _ in range(3)]
    batch = payments.batch_create(actor=admin, claims=claims)
    payments.batch_export(actor=admin, batch=batch, fmt="xlsx")
    refs = list(batch.lines.order_by("id").values_list("reference", flat=True))
    bad = _csv(
        [
            ["附言", "结果", "失败原因", "金额（元）"],
            [refs[0], "已支付", "", "3000.00"],
            [refs[1], "失败", "", ""],  # no reason
            ["ZF-NOT-IN-BATCH", "已支付", "", ""],
            [refs[0], "已支付", "", ""],  # twice
            [refs[2], "已支付", "", "2999.00"],  # wrong amount
            [refs[2], "maybe", "", ""],
        ]
    )
    with pytest.raises(payments.ResultFileError) as error:
        payments.payment_results_upload(actor=admin, batch=batch, filename="r.csv", data=bad)
    assert [e.row for e in error.value.rows] == [3, 4, 5, 6, 7, 7]  # row 7: twice and bad
    assert not PaymentLine.objects.exclude(status="pending").exists()
    assert not Claim.objects.filter(status="paid").exists()
    good = _csv(
        [
            ["reference", "result", "reason", "amount"],
            [refs[0], "已支付", "", "3000.00"],
            [refs[1], "失败", "户名不符", ""],
            [refs[2], "paid", "", ""],
        ]
    )
    summary = payments.payment_results_upload(actor=admin, batch=batch, filename="r.csv", data=good)
    assert summary == {"paid": 2, "failed": 1}
    batch.refresh_from_db()
    assert batch.status == "closed"
    assert list(payments.payment_queue()) == [claims[1]]


def test_a_file_that_cannot_be_read_is_refused(exported, admin):
    with pytest.raises(payments.ResultFileError):
        payments.payment_results_upload(actor=admin, batch=exported, filename="r.txt", data=b"x")
    with pytest.raises(payments.ResultFileError):
        payments.payment_results_upload(
            actor=admin, batch=exported, filename="r.csv", data=_csv([["附言"], ["x"]])
        )


def test_cancelling_a_draft_batch_returns_its_claims_to_the_queue(approved, admin):
    batch = payments.batch_create(actor=admin, claims=[approved])
    payments.batch_cancel(actor=admin, batch=batch)
    assert approved in payments.payment_queue()


# reconciliation ------------------------------------------------------------------------------

STEPS = st.lists(
    st.sampled_from(
        ["submit", "approve1", "approve2", "return", "reject", "exclude", "pay", "fail", "resubmit"]
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plans=st.lists(STEPS, min_size=1, max_size=3))
def test_totals_always_reconcile(plans, org, filer, district_user, municipal_user):
    """Whatever happens to claims, claimed = in review + approved + rejected + returned and
    approved = paid + failed + pending."""
    admin = bureau_admin()
    second = municipal_reviewer()
    for steps in plans:
        klass, _outcomes = f.class_with_outcomes(org, n=2)
        claim = services.claim_create(actor=filer, training_class=klass, today=DAY)
        for step in steps:
            _try(step, claim, filer, district_user, second, admin)
        _check(totals())
    _check(totals(Claim.objects.filter(district=org.district)))


def _check(t):
    assert t.claimed == t.in_review + t.approved + t.rejected + t.returned
    assert t.approved == t.paid + t.failed + t.pending


def _try(step, claim, filer, district_user, municipal_user, admin):
    claim.refresh_from_db()
    try:
        if step in ("submit", "resubmit"):
            services.claim_submit(actor=filer, claim=claim, today=DAY)
        elif step in ("approve1", "approve2", "return", "reject"):
            reviewer = district_user if claim.status == "submitted" else municipal_user
            decision = {"return": "return", "reject": "reject"}.get(step, "approve")
            services.claim_review(actor=reviewer, claim=claim, decision=decision, reason="理由")
        elif step == "exclude":
            reviewer = district_user if claim.status == "submitted" else municipal_user
            line = claim.lines.filter(status="included").first()
            if line is not None:
                services.line_exclude(actor=reviewer, line=line, reason="剔除")
        elif step in ("pay", "fail"):
            batch = payments.batch_create(actor=admin, claims=[claim])
            payments.batch_export(actor=admin, batch=batch, fmt="csv")
            payments.payment_record(
                actor=admin, line=batch.lines.get(), paid=step == "pay", reason="失败"
            )
    except (ValidationError, PermissionDenied):
        pass  # not possible in this state: nothing changes


def test_totals_of_a_district_reviewer_and_an_organisation_are_their_own(approved, hexi, heping):
    assert totals(Claim.objects.visible_to(district_reviewer(hexi))).claimed == 0
    assert totals(Claim.objects.visible_to(district_reviewer(heping))).approved == Decimal(
        "3000.00"
    )
    other = org_admin(f.institution(heping))
    assert totals(Claim.objects.visible_to(other)).claimed == 0
