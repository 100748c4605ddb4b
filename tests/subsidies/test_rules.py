"""The subsidy rule at its edges: the deadline day, the catalogue in force on the certificate's
date, defaults per level and outcome type, and the per-person limits counted at claim time."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haihe.policy.models import Parameter, ParameterValue
from haihe.subsidies import services
from haihe.subsidies.models import CatalogueEntry
from haihe.subsidies.rules import add_months, claim_deadline, evaluate
from haihe.training.models import Outcome
from tests.factories import PersonFactory, bureau_admin
from tests.subsidies import factories as f

pytestmark = pytest.mark.django_db


def _decide(outcome, today, claim=None):
    outcome = Outcome.objects.select_related(
        "enrolment__person", "enrolment__training_class__occupation"
    ).get(pk=outcome.pk)
    return evaluate([outcome], claim=claim, today=today)[outcome.pk]


def _rules(decision):
    return {r.rule: r for r in decision.reasons}


@given(
    st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2090, 12, 31)),
    st.integers(min_value=0, max_value=48),
)
def test_add_months_stays_in_the_month_and_never_goes_back(day, months):
    later = add_months(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day <= day.day
    assert later >= day


def test_deadline_of_the_29th_of_february_is_the_28th():
    assert claim_deadline(datetime.date(2020, 2, 29), 12) == datetime.date(2021, 2, 28)
    assert claim_deadline(datetime.date(2020, 1, 31), 1) == datetime.date(2020, 2, 29)


def test_a_claim_on_the_deadline_day_is_in_time_and_the_day_after_is_late(org):
    klass = f.training_class(org)
    outcome = f.outcome(f.enrolment(klass), issued_on=datetime.date(2020, 4, 15))
    on_the_day = _decide(outcome, datetime.date(2021, 4, 15))
    assert on_the_day.ok
    reason = _rules(on_the_day)["subsidies.deadline_ok"]
    assert reason.parameter.key == "subsidies.claim_deadline_months"
    assert reason.parameter.value == 12
    late = _decide(outcome, datetime.date(2021, 4, 16))
    assert not late.ok and late.amount == Decimal("0.00")
    refusal = _rules(late)["subsidies.deadline_passed"]
    assert "2021-04-15" in refusal.message and "2021-04-16" in refusal.message


def test_defaults_per_level_and_outcome_type(org):
    expected = {
        ("skill_certificate", 5): "1000.00",
        ("skill_certificate", 3): "2000.00",
        ("skill_certificate", 1): "3500.00",
        ("special_ability", 4): "600.00",
        ("completion", 4): "700.00",
    }
    for (kind, level), amount in expected.items():
        klass = f.training_class(org, level=level)
        outcome = f.outcome(f.enrolment(klass), kind=kind)
        decision = _decide(outcome, datetime.date(2020, 6, 1))
        assert decision.amount == Decimal(amount), (kind, level)
        reason = _rules(decision)["subsidies.amount_default"]
        assert reason.parameter.key == "subsidies.default_amounts"
        assert reason.parameter.effective_from == datetime.date(2019, 1, 1)
        assert reason.as_dict()["note"]  # an unconfirmed default says so


def test_a_catalogue_value_changed_mid_year_applies_from_its_date_only(org):
    admin = bureau_admin()
    klass = f.training_class(org, level=4)
    occupation = klass.occupation
    services.catalogue_add(
        actor=admin,
        occupation=occupation,
        level=4,
        outcome_kind="skill_certificate",
        amount="1800",
        effective_from=datetime.date(2020, 7, 1),
        source="津人社发〔2020〕1号",
    )
    before = f.outcome(f.enrolment(klass), issued_on=datetime.date(2020, 6, 30))
    on_the_day = f.outcome(f.enrolment(klass), issued_on=datetime.date(2020, 7, 1))
    assert _decide(before, datetime.date(2020, 8, 1)).amount == Decimal("1500.00")
    decision = _decide(on_the_day, datetime.date(2020, 8, 1))
    assert decision.amount == Decimal("1800.00")
    reason = _rules(decision)["subsidies.amount_catalogue"]
    assert reason.parameter.key == "subsidies.catalogue"
    assert reason.parameter.effective_from == datetime.date(2020, 7, 1)
    assert "2020-07-01" in reason.message and "1800.00" in reason.message


def test_a_voided_catalogue_row_no_longer_applies(org):
    admin = bureau_admin()
    klass = f.training_class(org, level=4)
    entry = services.catalogue_add(
        actor=admin,
        occupation=klass.occupation,
        level=4,
        outcome_kind="skill_certificate",
        amount="15000",
        effective_from=datetime.date(2020, 1, 1),
        source="录入错误",
    )
    outcome = f.outcome(f.enrolment(klass))
    assert _decide(outcome, datetime.date(2020, 6, 1)).amount == Decimal("15000.00")
    services.catalogue_void(actor=admin, entry=entry, reason="多录一个零")
    assert _decide(outcome, datetime.date(2020, 6, 1)).amount == Decimal("1500.00")
    assert CatalogueEntry.objects.filter(pk=entry.pk).exists()  # voided, not deleted


def test_a_zero_price_refuses_the_line_with_its_reason(org):
    klass = f.training_class(org, level=4)
    services.catalogue_add(
        actor=bureau_admin(),
        occupation=klass.occupation,
        level=4,
        outcome_kind="completion",
        amount="0",
        effective_from=datetime.date(2020, 1, 1),
        source="不纳入目录",
    )
    decision = _decide(f.outcome(f.enrolment(klass), kind="completion"), datetime.date(2020, 6, 1))
    assert not decision.ok
    assert "subsidies.amount_zero" in _rules(decision)


def test_a_changed_default_parameter_applies_from_its_date(org):
    parameter = Parameter.objects.get(key="subsidies.default_amounts")
    value = dict(ParameterValue.objects.filter(parameter=parameter).first().value)
    value["skill_certificate"] = {**value["skill_certificate"], "4": "1600.00"}
    ParameterValue.objects.create(
        parameter=parameter,
        region_code="120000",
        effective_from=datetime.date(2020, 5, 1),
        value=value,
    )
    klass = f.training_class(org, level=4)
    early = f.outcome(f.enrolment(klass), issued_on=datetime.date(2020, 4, 30))
    late = f.outcome(f.enrolment(klass), issued_on=datetime.date(2020, 5, 1))
    assert _decide(early, datetime.date(2020, 6, 1)).amount == Decimal("1500.00")
    assert _decide(late, datetime.date(2020, 6, 1)).amount == Decimal("1600.00")


def _claimed(org, filer, person, *, level=4, occupation=None, issued_on):
    """An outcome of `person` already claimed (submitted) in another claim."""
    start = issued_on - datetime.timedelta(days=40)
    klass = f.training_class(org, level=level, occ=occupation, start=start)
    f.outcome(f.enrolment(klass, person), issued_on=issued_on)
    claim = services.claim_create(actor=filer, training_class=klass, today=issued_on)
    return services.claim_submit(actor=filer, claim=claim, today=issued_on)


def test_the_third_subsidy_of_a_year_is_allowed_and_the_fourth_refused(org, filer):
    from haihe.registry.models import Occupation

    person = PersonFactory(district=org.district)
    occupations = list(Occupation.objects.order_by("code")[:4])
    for i in range(2):
        _claimed(
            org, filer, person, occupation=occupations[i], issued_on=datetime.date(2020, 3 + i, 10)
        )
    third = f.outcome(
        f.enrolment(
            f.training_class(org, occ=occupations[2], start=datetime.date(2020, 6, 1)), person
        ),
        issued_on=datetime.date(2020, 7, 10),
    )
    decision = _decide(third, datetime.date(2020, 8, 1))
    assert decision.ok
    assert _rules(decision)["training.max_per_year"].params["count"] == 2
    _claimed(org, filer, person, occupation=occupations[2], issued_on=datetime.date(2020, 8, 10))
    fourth = f.outcome(
        f.enrolment(
            f.training_class(org, occ=occupations[3], start=datetime.date(2020, 9, 1)), person
        ),
        issued_on=datetime.date(2020, 10, 10),
    )
    decision = _decide(fourth, datetime.date(2020, 11, 1))
    assert not decision.ok
    reason = _rules(decision)["training.max_per_year"]
    assert not reason.ok
    assert reason.parameter.key == "training.max_subsidised_per_year"
    assert reason.params["count"] == 3
    # by the shipped basis (the class's start date), a class of the next year starts a new count
    next_year = f.outcome(
        f.enrolment(
            f.training_class(org, occ=occupations[3], start=datetime.date(2021, 1, 4)), person
        ),
        issued_on=datetime.date(2021, 2, 5),
    )
    assert _decide(next_year, datetime.date(2021, 3, 1)).ok


def test_the_same_occupation_and_level_is_subsidised_once(org, filer):
    person = PersonFactory(district=org.district)
    first = _claimed(org, filer, person, level=4, issued_on=datetime.date(2020, 3, 10))
    again = f.outcome(
        f.enrolment(f.training_class(org, level=4, start=datetime.date(2020, 5, 1)), person),
        issued_on=datetime.date(2020, 6, 10),
    )
    decision = _decide(again, datetime.date(2020, 7, 1))
    assert not decision.ok
    assert _rules(decision)["subsidies.same_level_twice"].params["claim"] == first.number


def test_no_lower_level_after_a_higher_one_but_higher_after_lower_is_fine(org, filer):
    person = PersonFactory(district=org.district)
    _claimed(org, filer, person, level=3, issued_on=datetime.date(2020, 3, 10))
    lower = f.outcome(
        f.enrolment(f.training_class(org, level=4, start=datetime.date(2020, 5, 1)), person),
        issued_on=datetime.date(2020, 6, 10),
    )
    assert "subsidies.lower_after_higher" in _rules(_decide(lower, datetime.date(2020, 7, 1)))
    other = PersonFactory(district=org.district)
    _claimed(org, filer, other, level=4, issued_on=datetime.date(2020, 3, 10))
    higher = f.outcome(
        f.enrolment(f.training_class(org, level=3, start=datetime.date(2020, 5, 1)), other),
        issued_on=datetime.date(2020, 6, 10),
    )
    assert _decide(higher, datetime.date(2020, 7, 1)).ok


def test_an_enrolment_refused_at_enrolment_is_refused_unless_overridden(org):
    klass = f.training_class(org)
    refused = f.outcome(f.enrolment(klass, eligible=False))
    assert "subsidies.enrolment_refused" in _rules(_decide(refused, datetime.date(2020, 5, 1)))
    overridden = f.outcome(f.enrolment(klass, eligible=False, override_reason="市级复核：材料齐全"))
    decision = _decide(overridden, datetime.date(2020, 5, 1))
    assert decision.ok
    assert "市级复核" in _rules(decision)["subsidies.enrolment_overridden"].message


def test_an_enrolment_not_completed_or_a_class_not_filed_is_refused(org):
    klass = f.training_class(org)
    unfinished = f.outcome(f.enrolment(klass, status="enrolled"))
    assert "subsidies.enrolment_not_completed" in _rules(
        _decide(unfinished, datetime.date(2020, 5, 1))
    )
    cancelled = f.training_class(org, status="cancelled")
    outcome = f.outcome(f.enrolment(cancelled))
    reason = _rules(_decide(outcome, datetime.date(2020, 5, 1)))["subsidies.class_not_filed"]
    assert not reason.ok


@pytest.mark.django_db
def test_a_stored_reason_shows_its_codes_in_words_in_either_language(reference_data):
    """A code in a reason's parameters (the yearly cap's basis) and the subsidy catalogue as a
    source are shown in words, never as their codes."""
    from django.template import Context, Template
    from django.utils import translation

    from haihe.subsidies.rules import render_reason

    stored = {
        "rule": "training.max_per_year",
        "ok": True,
        "params": {"year": 2020, "count": 1, "basis": "class_start"},
        "value": 3,
    }
    with translation.override("zh-hans"):
        assert "按培训班开班日期所在年度计" in render_reason(stored)
    with translation.override("en"):
        text = render_reason(stored)
        assert "class_start" not in text and "培训" not in text
    catalogue = {
        "rule": "subsidies.amount_catalogue",
        "ok": True,
        "params": {},
        "parameter": "subsidies.catalogue",
        "value": "3900.00",
        "effective_from": "2020-07-01",
        "message": "补贴 3900.00 元",
    }
    page = Template("{% load policy_tags %}{% explain reasons %}").render(
        Context({"reasons": [catalogue]})
    )
    assert "依据：补贴目录" in page and "subsidies.catalogue 3900" not in page
