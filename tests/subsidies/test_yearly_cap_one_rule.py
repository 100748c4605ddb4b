""" "Three subsidised trainings a year" is one rule (training.eligibility.yearly_cap), counted by
one dated basis at enrolment and at claim: a person an institution could enrol is not refused
payment for a different count."""

import datetime

import pytest

from haihe.policy.models import Parameter, ParameterValue
from haihe.subsidies import services
from haihe.training import eligibility
from tests.factories import PersonFactory
from tests.subsidies import factories as f

pytestmark = pytest.mark.django_db


def _claimed(org, filer, person, occupation, start, issued_on, clock):
    klass = f.training_class(org, occ=occupation, start=start)
    f.outcome(f.enrolment(klass, person), issued_on=issued_on)
    clock.travel(issued_on + datetime.timedelta(days=5))
    claim = services.claim_create(actor=filer, training_class=klass)
    services.claim_submit(actor=filer, claim=claim)


@pytest.fixture
def history(org, filer, clock):
    """Three trainings started and certified in 2021, each claimed, and a class that started in
    December 2020 whose certificate came in January 2021."""
    from haihe.registry.models import Occupation

    person = PersonFactory(district=org.district)
    occupations = list(Occupation.objects.order_by("code")[:4])
    for i in range(3):
        _claimed(
            org,
            filer,
            person,
            occupations[i],
            datetime.date(2021, 2 + 2 * i, 1),
            datetime.date(2021, 3 + 2 * i, 15),
            clock,
        )
    december = f.training_class(
        org, occ=occupations[3], start=datetime.date(2020, 12, 1), end=datetime.date(2020, 12, 28)
    )
    return person, december


def test_enrolment_and_claim_count_the_same_way(history, org, filer, clock):
    person, december = history
    at_enrolment = eligibility.decide_for(person, december)
    cap = {r.rule: r for r in at_enrolment.reasons}["training.max_per_year"]
    assert cap.ok and cap.params["year"] == 2020 and cap.params["count"] == 0
    f.outcome(f.enrolment(december, person), issued_on=datetime.date(2021, 1, 5))
    clock.travel(datetime.date(2021, 12, 1))
    claim = services.claim_create(actor=filer, training_class=december)
    line = claim.lines.get()
    reasons = {r["rule"]: r for r in line.decision["reasons"]}
    assert reasons["training.max_per_year"]["ok"]
    assert reasons["training.max_per_year"]["params"]["year"] == 2020
    assert line.status == "included"
    # the explanation names the basis in words, with its dated parameter
    assert "开班日期" in reasons["training.max_per_year"]["message"]
    assert reasons["training.max_per_year"]["params"]["basis"] == "class_start"


def test_the_basis_is_a_dated_parameter_both_sides_read(history, org, filer, clock):
    person, december = history
    ParameterValue.objects.create(
        parameter=Parameter.objects.get(key=eligibility.YEAR_BASIS),
        region_code="120000",
        effective_from=datetime.date(2020, 1, 1),
        value="certificate",
        source="测试：按发证日期计年",
    )
    f.outcome(f.enrolment(december, person), issued_on=datetime.date(2021, 1, 5))
    clock.travel(datetime.date(2021, 12, 1))
    claim = services.claim_create(actor=filer, training_class=december)
    cap = {r["rule"]: r for r in claim.lines.get().decision["reasons"]}["training.max_per_year"]
    assert not cap["ok"] and cap["params"]["year"] == 2021 and cap["params"]["count"] == 3
    # enrolment reads the same basis: the certificate year (its own certificate counts too)
    again = f.training_class(org, start=datetime.date(2021, 6, 1), end=datetime.date(2021, 6, 30))
    at_enrolment = eligibility.decide_for(person, again)
    cap = {r.rule: r for r in at_enrolment.reasons}["training.max_per_year"]
    assert not cap.ok and cap.params["year"] == 2021 and cap.params["count"] == 4
