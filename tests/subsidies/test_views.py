"""The pages, by role: what each sees, what each may do, and 404 outside one's scope."""

import datetime
import io

import pytest
from django.urls import reverse

from haihe.core import clock
from haihe.payments import services as payments
from haihe.payments.models import Payment
from haihe.payments.payables import KINDS
from haihe.subsidies import services
from haihe.subsidies.models import CatalogueEntry, Claim
from haihe.subsidies.payables import PAYABLE_KIND
from tests.factories import bureau_admin, district_reviewer, org_admin, worker
from tests.subsidies import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def recent_class(org):
    start = clock.today() - datetime.timedelta(days=60)
    klass, _outcomes = f.class_with_outcomes(org, n=3, start=start)
    return klass


@pytest.fixture
def submitted(recent_class, filer):
    claim = services.claim_create(actor=filer, training_class=recent_class)
    return services.claim_submit(actor=filer, claim=claim)


def _login(client, user):
    client.force_login(user)
    return client


def test_an_institution_claims_for_a_class_from_its_page(client, filer, recent_class):
    _login(client, filer)
    page = client.get(reverse("subsidies:claims"))
    assert page.status_code == 200
    assert f"?class={recent_class.pk}" in page.content.decode()
    preview = client.get(reverse("subsidies:claim_new") + f"?class={recent_class.pk}")
    assert "3 / 3" in preview.content.decode()
    response = client.post(
        reverse("subsidies:claim_new"), {"class": recent_class.pk, "submit_now": "1"}
    )
    claim = Claim.objects.get()
    assert response.url == reverse("subsidies:claim", args=[claim.pk])
    assert claim.status == "submitted"
    detail = client.get(response.url).content.decode()
    assert "subsidies.amount_default" in detail and "subsidies.deadline_ok" in detail


def test_another_organisation_gets_404(client, submitted, recent_class, heping):
    _login(client, org_admin(f.institution(heping)))
    assert client.get(reverse("subsidies:claim", args=[submitted.pk])).status_code == 404
    assert (
        client.get(reverse("subsidies:claim_new") + f"?class={recent_class.pk}").status_code == 404
    )
    assert client.post(reverse("subsidies:claim_submit", args=[submitted.pk])).status_code == 404


def test_another_district_gets_404_and_an_empty_queue(client, submitted, hexi):
    _login(client, district_reviewer(hexi))
    assert client.get(reverse("subsidies:claim", args=[submitted.pk])).status_code == 404
    assert submitted.number not in client.get(reverse("subsidies:queue")).content.decode()


def test_the_district_reviewer_reviews_from_the_queue_and_sees_checks(
    client, submitted, district_user
):
    _login(client, district_user)
    queue = client.get(reverse("subsidies:queue")).content.decode()
    assert submitted.number in queue
    detail = client.get(reverse("subsidies:claim", args=[submitted.pk])).content.decode()
    assert 'data-testid="review-submit"' in detail
    client.post(reverse("subsidies:claim_review", args=[submitted.pk]), {"decision": "return"})
    submitted.refresh_from_db()
    assert submitted.status == "submitted"  # a return needs a reason
    client.post(
        reverse("subsidies:claim_review", args=[submitted.pk]),
        {"decision": "approve", "reason": ""},
    )
    submitted.refresh_from_db()
    assert submitted.status == "district_approved"


def test_batch_approval_from_the_queue(client, submitted, district_user, org, filer):
    start = clock.today() - datetime.timedelta(days=50)
    klass, _outcomes = f.class_with_outcomes(org, n=1, start=start)
    second = services.claim_submit(
        actor=filer, claim=services.claim_create(actor=filer, training_class=klass)
    )
    _login(client, district_user)
    client.post(reverse("subsidies:queue"), {"claim": [submitted.pk, second.pk]})
    assert Claim.objects.filter(status="district_approved").count() == 2


def test_the_same_person_cannot_approve_at_both_levels_in_the_page(
    client, submitted, district_user
):
    services.claim_review(actor=district_user, claim=submitted, decision="approve")
    district_user.role = "municipal_reviewer"
    district_user.district = None
    district_user.save()
    _login(client, district_user)
    detail = client.get(reverse("subsidies:claim", args=[submitted.pk])).content.decode()
    assert 'data-testid="review-refusal"' in detail
    client.post(reverse("subsidies:claim_review", args=[submitted.pk]), {"decision": "approve"})
    submitted.refresh_from_db()
    assert submitted.status == "district_approved"


def test_the_bureau_edits_the_catalogue_with_dates_and_voids_with_a_reason(client, recent_class):
    admin = bureau_admin()
    _login(client, admin)
    assert client.get(reverse("subsidies:catalogue")).status_code == 200
    data = {
        "occupation": recent_class.occupation.code,
        "level": 4,
        "outcome_kind": "skill_certificate",
        "amount": "1700.50",
        "effective_from": "2020-07-01",
        "source": "津人社发〔2020〕9号",
    }
    assert client.post(reverse("subsidies:catalogue"), data).status_code == 302
    entry = CatalogueEntry.objects.get()
    assert str(entry.amount) == "1700.50"
    again = client.post(reverse("subsidies:catalogue"), data)
    assert again.status_code == 200 and "请先作废" in again.content.decode()
    client.post(reverse("subsidies:catalogue_void", args=[entry.pk]), {"reason": ""})
    entry.refresh_from_db()
    assert entry.voided_at is None
    client.post(reverse("subsidies:catalogue_void", args=[entry.pk]), {"reason": "文号错误"})
    entry.refresh_from_db()
    assert entry.voided_at is not None and entry.void_reason == "文号错误"
    price = client.get(
        reverse("subsidies:catalogue_price"),
        {
            "occupation": data["occupation"],
            "level": 4,
            "outcome_kind": "skill_certificate",
            "on": "2020-08-01",
        },
    )
    assert "1500.00" in price.content.decode()


def test_only_the_bureau_admin_edits_the_catalogue(client, filer, recent_class):
    _login(client, filer)
    assert client.get(reverse("subsidies:catalogue")).status_code == 200
    response = client.post(
        reverse("subsidies:catalogue"),
        {
            "occupation": recent_class.occupation.code,
            "level": 4,
            "outcome_kind": "completion",
            "amount": "1",
            "effective_from": "2020-01-01",
            "source": "x",
        },
    )
    assert response.status_code == 403
    assert not CatalogueEntry.objects.exists()


def test_payment_pages_export_and_upload(client, submitted, district_user, municipal_user):
    services.claim_review(actor=district_user, claim=submitted, decision="approve")
    services.claim_review(actor=municipal_user, claim=submitted, decision="approve")
    admin = bureau_admin()
    _login(client, admin)
    assert submitted.number in client.get(reverse("payments:batches")).content.decode()
    response = client.post(
        reverse("payments:batches"), {"kind": PAYABLE_KIND, "item": [submitted.pk]}
    )
    batch = Payment.objects.of(submitted).get().batch
    assert response.url == reverse("payments:batch", args=[batch.pk])
    exported = client.post(reverse("payments:batch_export", args=[batch.pk, "csv"]))
    assert exported["Content-Type"].startswith("text/csv")
    reference = Payment.objects.of(submitted).get().reference
    assert reference in exported.content.decode("utf-8-sig")
    upload = io.BytesIO(f"附言,结果\n{reference},已支付\n".encode())
    upload.name = "results.csv"
    client.post(reverse("payments:batch", args=[batch.pk]), {"file": upload})
    submitted.refresh_from_db()
    assert submitted.status == "paid"
    totals = client.get(reverse("subsidies:totals")).content.decode()
    assert 'data-testid="reconciles"><span class="ok">' in totals


def test_payment_pages_are_the_bureaus(client, filer, district_user):
    for user in (filer, district_user):
        _login(client, user)
        assert client.get(reverse("payments:batches")).status_code == 403


def test_a_worker_sees_the_subsidies_for_them(client, submitted, heping):
    line = submitted.lines.first()
    _login(client, worker(line.person))
    page = client.get(reverse("subsidies:mine")).content.decode()
    assert submitted.organisation.name in page and "subsidies.amount_default" in page
    other = worker(f.enrolment(submitted.training_class).person)
    _login(client, other)
    assert submitted.organisation.name not in client.get(reverse("subsidies:mine")).content.decode()
    assert client.get(reverse("subsidies:claim", args=[submitted.pk])).status_code == 404


def test_pages_render_in_english(client, submitted, district_user):
    _login(client, district_user)
    client.cookies["django_language"] = "en"
    for name in ("subsidies:queue", "subsidies:catalogue", "subsidies:totals"):
        assert client.get(reverse(name), headers={"accept-language": "en"}).status_code == 200
    assert client.get(reverse("subsidies:claim", args=[submitted.pk])).status_code == 200


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("subsidies:queue"))
    assert response.status_code == 302 and "login" in response.url
    assert payments.queue(KINDS[PAYABLE_KIND]).count() == 0
