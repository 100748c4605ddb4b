"""The subsidy step of the demo against outcomes made here (the training step makes them in the
real scenario): the headline figure is exact, and the totals reconcile."""

import datetime
import random
from decimal import Decimal

import pytest

from haihe.accounts.models import User
from haihe.demo import subsidy_scenario
from haihe.demo.generator import DemoResult
from haihe.evidence.models import Evidence
from haihe.subsidies.figures import person_times
from haihe.subsidies.models import Claim, ClaimLine
from haihe.subsidies.selectors import review_queue, totals
from tests.factories import PersonFactory
from tests.subsidies import factories as f


class FakeScenario:
    def __init__(self, scale, users):
        self.rng = random.Random(2020)
        self.scale = scale
        self.users = users
        self.result = DemoResult()


HOME_CLASSES = (0, 40, 50, 55)  # the home institution's classes, over the year


@pytest.fixture
def demo_world(districts):
    rng = random.Random(1)
    codes = sorted(districts)[:4]
    users = {
        "admin": User.objects.create(username="admin", role="bureau_admin"),
        "municipal1": User.objects.create(username="municipal1", role="municipal_reviewer"),
        "municipal2": User.objects.create(username="municipal2", role="municipal_reviewer"),
    }
    for code in codes:
        users[f"district-{code}"] = User.objects.create(
            username=f"district-{code}", role="district_reviewer", district=districts[code]
        )
    people = [PersonFactory(district=districts[codes[0]]) for _ in range(320)]
    for i in range(64):
        district = districts[codes[i % len(codes)]]
        if i not in HOME_CLASSES[1:]:
            org = f.institution(district)
        if i == 0:  # the institution whose accounts the demo prints; its classes also end the year
            users["institution-admin"] = User.objects.create(
                username="institution-admin", role="org_admin", organisation=org
            )
            users["institution-staff"] = User.objects.create(
                username="institution-staff", role="org_staff", organisation=org
            )
            home = org
        if i in HOME_CLASSES[1:]:
            org = home
        start = datetime.date(2020, 1, 5) + datetime.timedelta(days=5 * i)
        klass = f.training_class(org, start=start, end=start + datetime.timedelta(days=14))
        for person in rng.sample(people, 5):
            kind = rng.choice(["skill_certificate"] * 4 + ["completion"])
            f.outcome(f.enrolment(klass, person), kind=kind)
    return users


def test_the_headline_figure_is_exact_and_totals_reconcile(demo_world, settings):
    scale = 0.0003  # round(370,000 × 0.0003) = 111
    scenario = FakeScenario(scale, demo_world)
    counts = subsidy_scenario.build(scenario)
    assert counts["subsidy_claims"] > 0
    assert person_times(datetime.date(2020, 9, 30)) == round(370_000 * scale)
    overall = totals()
    assert overall.claimed_reconciles and overall.approved_reconciles
    assert overall.paid > Decimal(0)
    assert len(set(Claim.objects.values_list("status", flat=True))) >= 4
    # the real rule judged every line: each carries its explanation
    assert not ClaimLine.objects.filter(decision={}).exists()
    municipal = demo_world["municipal1"]
    waiting = review_queue(municipal).count() + sum(
        review_queue(u).count() for k, u in demo_world.items() if k.startswith("district-")
    )
    assert waiting > 0
    # a claim in review carries the deadline of the stage it waits at, as a submission sets it
    in_review = Claim.objects.filter(status__in=("submitted", "district_approved"))
    assert in_review.exists() and not in_review.filter(stage_due_on__isnull=True).exists()
    for claim in in_review.filter(status="submitted")[:5]:
        assert claim.stage_due_on > claim.submitted_at.date()
    assert not scenario.result.notes
    # the demo's institution has a claim returned for correction, with the reviewer's reason
    home = demo_world["institution-admin"].organisation
    returned = Claim.objects.filter(organisation=home, status="returned")
    assert returned.exists() and all(c.review_reason for c in returned)
    # its claims carry their evidence, attached (and checked) while each was a draft
    filed = Claim.objects.filter(organisation=home, first_submitted_at__isnull=False)
    for claim in filed:
        files = Evidence.objects.of(claim).live()
        assert {e.kind for e in files} >= {"attendance_sheet"}
        assert all(e.media_type == "application/pdf" and len(e.sha256) == 64 for e in files)
        assert all(e.uploaded_at < claim.first_submitted_at for e in files)
