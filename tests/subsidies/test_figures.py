"""The headline figures: subsidised person-times counted on the municipal approval date, and
the amounts claimed, approved and paid, as of a date."""

import datetime

import pytest
from django.utils import timezone

from haihe.core import clock
from haihe.core.figures import FIGURES, compute_all
from haihe.payments import services as payments
from haihe.subsidies import figures, services
from haihe.subsidies.models import Claim
from haihe.subsidies.payables import PAYABLE_KIND
from tests.factories import bureau_admin
from tests.subsidies import factories as f

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 5, 1)


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def test_the_figures_are_registered_under_their_keys():
    for key in (
        "subsidised_training_person_times",
        "training_subsidy_claimed_yuan",
        "training_subsidy_approved_yuan",
        "training_subsidy_paid_yuan",
    ):
        assert key in FIGURES


def test_person_times_and_amounts_as_of_a_date(org, filer, district_user, municipal_user):
    klass, _outcomes = f.class_with_outcomes(org, n=3)
    claim = services.claim_create(actor=filer, training_class=klass, today=DAY)
    services.claim_submit(actor=filer, claim=claim, today=DAY)
    services.line_exclude(actor=district_user, line=claim.lines.first(), reason="存疑")
    services.claim_review(actor=district_user, claim=claim, decision="approve")
    services.claim_review(actor=municipal_user, claim=claim, decision="approve")
    Claim.objects.filter(pk=claim.pk).update(
        approved_at=_at(datetime.date(2020, 6, 15)), first_submitted_at=_at(DAY)
    )
    assert figures.person_times(datetime.date(2020, 6, 14)) == 0
    assert figures.person_times(datetime.date(2020, 6, 15)) == 2
    values = compute_all(datetime.date(2020, 6, 30))
    assert values["subsidised_training_person_times"] == 2
    assert values["training_subsidy_claimed_yuan"] == 4500.0
    assert values["training_subsidy_approved_yuan"] == 3000.0
    assert values["training_subsidy_paid_yuan"] == 0.0
    assert figures.person_times_by(datetime.date(2020, 6, 30), "month")["2020-06"] == 2
    assert figures.person_times_by(datetime.date(2020, 6, 30), "district")[org.district.code] == 2
    assert figures.person_times_by(datetime.date(2020, 6, 30), "level")["4"] == 2
    occupation = klass.occupation.code
    assert figures.person_times_by(datetime.date(2020, 6, 30), "occupation") == {occupation: 2}
    admin = bureau_admin()
    batch = payments.batch_create(actor=admin, kind=PAYABLE_KIND, payables=[claim])
    payments.batch_export(actor=admin, batch=batch, fmt="csv")
    payments.payment_record(actor=admin, line=batch.payments.get(), paid=True)
    today = clock.today()
    assert compute_all(today)["training_subsidy_paid_yuan"] == 3000.0
    assert figures.person_times(today) == 2  # paid still counts once


def test_rejected_and_returned_claims_are_not_subsidised(org, filer, district_user):
    for decision in ("reject", "return"):
        klass, _outcomes = f.class_with_outcomes(org, n=2)
        claim = services.claim_create(actor=filer, training_class=klass, today=DAY)
        services.claim_submit(actor=filer, claim=claim, today=DAY)
        services.claim_review(actor=district_user, claim=claim, decision=decision, reason="理由")
    assert figures.person_times(clock.today()) == 0
    with pytest.raises(ValueError):
        figures.person_times_by(clock.today(), "colour")
