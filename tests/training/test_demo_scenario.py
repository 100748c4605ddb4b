"""The training part of the demo: valid by the module's own rules, in every state, sized for the
subsidies step."""

import datetime
from collections import Counter

import pytest

from haihe.core.figures import compute_all
from haihe.core.identifiers import certificate_level, validate_certificate_number
from haihe.demo import generator
from haihe.demo.generator import SCENARIO_DAY
from haihe.demo.training_scenario import OUTCOMES_BEFORE_SHARE, READY_BY
from haihe.registry.models import OrgKind
from haihe.training import eligibility, services
from haihe.training.models import ClassStatus, Enrolment, Outcome, TrainingClass

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(monkeypatch):
    monkeypatch.setattr(generator, "STEPS", ["haihe.demo.training_scenario"])
    built = generator.Scenario(seed=5, scale=0.001)
    built.build()
    return built


def test_classes_in_every_state_and_queues_with_work(scenario):
    assert set(TrainingClass.objects.values_list("status", flat=True)) == set(ClassStatus.values)
    home = scenario.users["institution-admin"].organisation
    assert set(
        TrainingClass.objects.filter(organisation=home).values_list("status", flat=True)
    ) == set(ClassStatus.values)
    today = SCENARIO_DAY  # the demo lives on the scenario's day
    for district in scenario.districts:
        reviewer = scenario.users[f"district-{district.code}"]
        waiting = TrainingClass.objects.visible_to(reviewer).filter(
            status="submitted", start_date__gt=today
        )
        assert waiting.exists(), district.code


def test_online_classes_run_on_online_training_platforms(scenario):
    online = TrainingClass.objects.exclude(mode="offline")
    assert online.exists()
    for c in online.select_related("platform"):
        assert c.platform.has_kind(OrgKind.ONLINE_TRAINING_PLATFORM)


def test_enough_eligible_outcomes_for_the_subsidies_step(scenario):
    target = round(370_000 * scenario.scale)
    before = Outcome.objects.filter(enrolment__eligible=True, issued_on__lte=READY_BY).count()
    assert before >= target * OUTCOMES_BEFORE_SHARE
    assert Outcome.objects.filter(issued_on__gt=datetime.date(2020, 9, 30)).exists()


def test_demo_data_obey_the_rules(scenario):
    refused = Enrolment.objects.filter(status="refused")
    assert refused.exists()
    assert all(not e.eligibility["ok"] for e in refused)
    counting = Enrolment.objects.filter(
        status__in=eligibility.COUNTING_STATUSES, training_class__start_date__year=2020
    )
    per_year = Counter(counting.filter(eligible=True).values_list("person_id", flat=True))
    assert max(per_year.values()) <= 3
    for e in counting.filter(eligible=True).select_related("person", "training_class")[:150]:
        decision = eligibility.decide_for(e.person, e.training_class, exclude_enrolment_id=e.pk)
        assert decision.ok, (e.pk, [r.rule for r in decision.refusals])
    for e in Enrolment.objects.filter(status="completed").select_related("training_class")[:300]:
        assert services.completion_facts(e)["reached"]
    for o in Outcome.objects.filter(kind="skill_certificate").select_related(
        "enrolment__training_class"
    ):
        validate_certificate_number(o.certificate_number)
        assert certificate_level(o.certificate_number) == o.enrolment.training_class.level
    offline = Enrolment.objects.filter(training_class__mode="offline", attendance__isnull=False)
    sample = offline.distinct().first()
    assert sum(a.hours for a in sample.attendance.all()) == sample.attended_hours


def test_figures_are_computed(scenario):
    figures = compute_all(datetime.date(2020, 9, 30))
    assert figures["training_outcomes"] > 0
    assert figures["training_classes_approved"] >= 0
    assert figures["training_completions"] > 0
    assert figures["training_enrolments_refused"] > 0


def test_figures_break_down_by_district_and_month(scenario):
    from haihe.core.figures import FIGURES

    day = datetime.date(2020, 9, 30)
    for key in (
        "training_classes_approved",
        "training_enrolments",
        "training_completions",
        "training_outcomes",
    ):
        figure = FIGURES[key]
        by_district = figure.by_district(day)
        by_month = figure.by_month(day)
        assert len(by_district) == 16
        assert sorted(by_month) == [f"2020-{m:02d}" for m in range(1, 10)]
        assert sum(by_district.values()) == figure.compute(day)
        # months of 2020 only: classes approved (or people enrolled) in December 2019 for
        # January classes are in the total but in no month of 2020
        assert sum(by_month.values()) <= figure.compute(day)
        if key == "training_outcomes":
            assert sum(by_month.values()) == figure.compute(day)


def test_demo_classes_have_their_trail(scenario):
    from haihe.core.audit import trail_for

    approved = TrainingClass.objects.filter(status="approved").first()
    actions = [e.action for e in trail_for(approved)]
    assert sorted(actions) == [
        "training_class.approve",
        "training_class.filed",
        "training_class.submit",
    ]
