"""Performance pay: a school with an approved cooperation agreement in the year may raise its
total performance pay by at most the comparable civil servants' yearly income × the multiple ×
its staff; an amount over the cap is refused with the cap, the income figure and its date, and
nothing changes; the bureau approves (workflow, four-eyes)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from haihe.core.workflow import TransitionForbidden, TransitionNotPossible
from haihe.policy.models import Parameter, ParameterValue
from haihe.schools import services
from haihe.schools.models import PayPlan
from tests.schools import factories as f

pytestmark = pytest.mark.django_db

# 2026: the 2020 value of schools.civil_servant_comparable_income is in force (140,000 yuan)
CAP_FOR_10 = Decimal("1400000.00")


def plan_data(**kw):
    data = {
        "year": 2026,
        "staff_count": 10,
        "current_total": Decimal("2000000.00"),
        "proposed_increase": Decimal("1000000.00"),
        "base_percent": 70,
    }
    data.update(kw)
    return data


@pytest.fixture
def cooperating(filer, partner, district_user, municipal_user):
    return f.approved_agreement(filer, partner, district_user, municipal_user)


def test_the_calculator_explains_the_cap(filer, cooperating):
    _values, errors, decision = services.pay_calculate(actor=filer, data=plan_data())
    assert errors == {} and decision.ok and decision.amount == CAP_FOR_10
    rules = [r.rule for r in decision.reasons]
    assert rules == [
        "schools.pay_cooperation",
        "schools.pay_cap",
        "schools.pay_multiple",
        "schools.pay_split",
    ]
    cap = decision.reasons[1]
    assert cap.parameter.key == "schools.civil_servant_comparable_income"
    assert cap.parameter.effective_from == datetime.date(2020, 1, 1)
    assert "140,000 元" in cap.message and "1,400,000.00" in cap.message
    split = decision.reasons[3].message
    assert "2,100,000.00" in split and "900,000.00" in split  # 70% of 3,000,000 / the rest


def test_over_the_cap_is_refused_with_a_clear_message_and_nothing_saved(filer, cooperating):
    with pytest.raises(ValidationError) as caught:
        services.pay_create(actor=filer, data=plan_data(proposed_increase=Decimal("1400000.01")))
    message = " ".join(caught.value.message_dict["proposed_increase"])
    assert "超过了上限 1,400,000.00 元" in message and "140,000 元" in message
    assert not PayPlan.objects.exists()
    plan = services.pay_create(actor=filer, data=plan_data(proposed_increase=CAP_FOR_10))
    with pytest.raises(ValidationError):
        services.pay_update(
            actor=filer, plan=plan, data={"proposed_increase": Decimal("1500000.00")}
        )
    plan.refresh_from_db()
    assert plan.proposed_increase == CAP_FOR_10


def test_without_approved_cooperation_in_the_year_no_increase(filer, partner):
    with pytest.raises(ValidationError, match="没有经审核通过"):
        services.pay_create(actor=filer, data=plan_data())
    assert not PayPlan.objects.exists()


def test_cooperation_of_another_year_does_not_count(filer, cooperating):
    with pytest.raises(ValidationError, match="没有经审核通过"):
        services.pay_create(actor=filer, data=plan_data(year=2029))


@pytest.mark.parametrize(
    ("field", "value"),
    [("staff_count", 0), ("base_percent", 101), ("proposed_increase", Decimal("-1")),
     ("year", 1999)],
)  # fmt: skip
def test_bad_input_is_refused(filer, cooperating, field, value):
    with pytest.raises(ValidationError) as caught:
        services.pay_create(actor=filer, data=plan_data(**{field: value}))
    assert field in caught.value.message_dict
    assert not PayPlan.objects.exists()


def test_the_bureau_approves_and_the_school_cannot(filer, cooperating, municipal_user):
    plan = services.pay_create(actor=filer, data=plan_data())
    services.pay_submit(actor=filer, plan=plan)
    assert plan.status == "submitted"
    with pytest.raises(TransitionForbidden):
        services.pay_decide(actor=filer, plan=plan, decision="approve")
    services.pay_decide(actor=municipal_user, plan=plan, decision="approve")
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.cap == CAP_FOR_10
    assert plan.decision["ok"] is True


def test_a_lower_income_figure_before_approval_stops_the_approval(
    filer, cooperating, municipal_user
):
    plan = services.pay_create(actor=filer, data=plan_data(proposed_increase=CAP_FOR_10))
    services.pay_submit(actor=filer, plan=plan)
    ParameterValue.objects.create(
        parameter=Parameter.objects.get(key="schools.civil_servant_comparable_income"),
        region_code="120000",
        effective_from=datetime.date(2026, 1, 1),
        value=120000,
        source="test",
    )
    with pytest.raises(TransitionNotPossible, match="超过了上限 1,200,000"):
        services.pay_decide(actor=municipal_user, plan=plan, decision="approve")
    assert PayPlan.objects.get(pk=plan.pk).status == "submitted"
    services.pay_decide(actor=municipal_user, plan=plan, decision="return", reason="请按新标准调整")
    services.pay_update(actor=filer, plan=plan, data={"proposed_increase": Decimal("1200000")})
    services.pay_submit(actor=filer, plan=plan)
    services.pay_decide(actor=municipal_user, plan=plan, decision="approve")
    assert PayPlan.objects.get(pk=plan.pk).cap == Decimal("1200000.00")


def test_the_database_refuses_an_increase_over_the_recorded_cap(filer, cooperating):
    plan = services.pay_create(actor=filer, data=plan_data())
    services.pay_submit(actor=filer, plan=plan)
    with pytest.raises(IntegrityError), transaction.atomic():
        PayPlan.objects.filter(pk=plan.pk).update(proposed_increase=CAP_FOR_10 + 1)


def test_one_plan_per_school_and_year(filer, cooperating):
    services.pay_create(actor=filer, data=plan_data())
    with pytest.raises(ValidationError, match="已有增核申请"):
        services.pay_create(actor=filer, data=plan_data())


def test_a_school_never_sees_another_schools_plan(filer, cooperating, other_school_user, client):
    plan = services.pay_create(actor=filer, data=plan_data())
    assert not PayPlan.objects.visible_to(other_school_user).exists()
    with pytest.raises(PermissionDenied):
        services.pay_update(actor=other_school_user, plan=plan, data={"staff_count": 1})
    client.force_login(other_school_user)
    assert client.get(f"/schools/pay/{plan.pk}/").status_code == 404


def test_a_district_reviewer_sees_no_plans(filer, cooperating, district_user):
    services.pay_create(actor=filer, data=plan_data())
    assert not PayPlan.objects.visible_to(district_user).exists()
