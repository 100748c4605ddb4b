"""The technical-schools step of the demo: 2020's 23 new majors, 9 of them pre-technician, by
district and month in the figures; applications in every state; cooperation agreements; the
demo school's approved performance-pay plan within the cap."""

import datetime

import pytest

from haihe.core.figures import FIGURES
from haihe.demo.generator import Scenario
from haihe.review.models import ReviewAction
from haihe.schools.models import Agreement, Major, PayPlan
from haihe.schools.rules import plan_decision
from haihe.schools.workflows import AGREEMENT_PIPELINE, MAJOR_PIPELINE, PAY_PIPELINE

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2020, 9, 30)


def test_the_demo_has_2020s_majors_agreements_and_a_pay_decision():
    Scenario(seed=7, scale=0.0005).build()
    new, pre = (FIGURES[k] for k in ("technical_school_new_majors",
                                      "technical_school_new_pre_technician_majors"))  # fmt: skip
    assert new.compute(AS_OF) == 23 and pre.compute(AS_OF) == 9
    assert sum(new.by_district(AS_OF).values()) == 23
    assert sum(pre.by_month(AS_OF).values()) == 9
    assert set(Major.objects.values_list("status", flat=True)) == {
        "approved", "submitted", "district_approved", "returned", "rejected", "draft", "withdrawn",
    }  # fmt: skip
    assert Major.objects.filter(status="returned").exclude(review_reason="").exists()
    assert Major.objects.register().filter(start_year=2019).count() == 6
    assert Agreement.objects.filter(status="approved").count() == 12
    from haihe.accounts.models import User

    school_admin = User.objects.get(username="school-admin")
    enterprise_admin = User.objects.get(username="enterprise-admin")
    assert Agreement.objects.visible_to(enterprise_admin).exists()
    approved = PayPlan.objects.get(school=school_admin.organisation, status="approved")
    assert approved.proposed_increase <= approved.cap and plan_decision(approved).ok
    assert PayPlan.objects.filter(status="submitted").count() == 1
    district = User.objects.get(username=f"district-{school_admin.organisation.district.code}")
    assert MAJOR_PIPELINE.queue(Major.objects.all(), district).exists()
    municipal = User.objects.get(username="municipal1")
    assert MAJOR_PIPELINE.queue(Major.objects.all(), municipal).exists() or (
        MAJOR_PIPELINE.queue(Major.objects.all(), User.objects.get(username="municipal2")).exists()
    )
    waiting = Agreement.objects.filter(status="submitted").first()
    reviewer = User.objects.get(username=f"district-{waiting.district.code}")
    assert waiting in AGREEMENT_PIPELINE.queue(Agreement.objects.all(), reviewer)
    assert PAY_PIPELINE.queue(PayPlan.objects.all(), municipal).count() == 1
    assert ReviewAction.objects.filter(pipeline="school_major", step="approve").count() == (
        2 * 29 + 2 + 1  # approved at both stages; waiting at the bureau; rejected by it
    )


def test_the_demos_history_is_dated_before_its_day_and_numbered_like_the_services():
    from haihe.core.figures import end_of
    from haihe.demo.generator import SCENARIO_DAY

    Scenario(seed=3, scale=0.0005).build()
    last = end_of(SCENARIO_DAY)
    assert not ReviewAction.objects.filter(at__gt=last).exists()
    for model in (Major, Agreement, PayPlan):
        assert not model.objects.filter(bureau_reviewed_at__gt=last).exists()
        assert not model.objects.filter(submitted_at__gt=last).exists()
    assert all(len(n) == 11 for n in Major.objects.values_list("number", flat=True))
    assert all(len(n) == 10 for n in PayPlan.objects.values_list("number", flat=True))
