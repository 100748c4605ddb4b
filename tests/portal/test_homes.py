"""Each role's home page (haihe.portal): what needs them now, counted from what they may see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from haihe.core import clock
from haihe.subsidies import services
from haihe.subsidies.models import Claim
from haihe.supervision.models import Flag
from tests.factories import (
    OrganisationFactory,
    bureau_admin,
    district_reviewer,
    municipal_reviewer,
    org_admin,
    org_staff,
    worker,
)
from tests.subsidies import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def heping(districts):
    return districts["120101"]


@pytest.fixture
def hexi(districts):
    return districts["120103"]


def _claim(org, filer, *, submit=True, days_ago=60):
    start = clock.today() - datetime.timedelta(days=days_ago)
    klass, outcomes = f.class_with_outcomes(org, n=2, start=start)
    claim = services.claim_create(actor=filer, training_class=klass)
    if submit:
        claim = services.claim_submit(actor=filer, claim=claim)
    return claim, klass, outcomes


@pytest.fixture
def world(heping, hexi):
    """Two institutions in Heping (A with a draft and two submitted claims, one overdue; B with
    one submitted claim) and one in Hexi (one submitted claim)."""
    a, b, c = f.institution(heping), f.institution(heping), f.institution(hexi)
    filer_a, filer_b, filer_c = org_admin(a), org_admin(b), org_admin(c)
    draft, _draft_class, draft_outcomes = _claim(a, filer_a, submit=False)
    late, _k, _o = _claim(a, filer_a, days_ago=70)
    on_time, _k, _o = _claim(a, filer_a, days_ago=50)
    other, _k, _o = _claim(b, filer_b)
    far, _k, _o = _claim(c, filer_c)
    Claim.objects.filter(pk=late.pk).update(stage_due_on=clock.today() - datetime.timedelta(days=2))
    Claim.objects.filter(pk__in=[on_time.pk, other.pk, far.pk]).update(
        stage_due_on=clock.today() + datetime.timedelta(days=5)
    )
    return {
        "orgs": (a, b, c),
        "filers": (filer_a, filer_b, filer_c),
        "draft": draft,
        "draft_person": draft_outcomes[0].enrolment.person,
        "late": late,
    }


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response


def test_a_district_reviewer_sees_their_districts_queue_with_the_overdue_claims(
    client, world, heping
):
    response = _home(client, district_reviewer(heping))
    home = response.context["home"]
    assert [(s.name, s.waiting, s.overdue) for s in home.stages] == [("district", 3, 1)]
    assert [c.pk for c in home.overdue_claims] == [world["late"].pk]
    page = response.content.decode()
    assert world["late"].number in page and reverse("subsidies:queue") in page
    assert f'href="{reverse("subsidies:queue")}?overdue=yes"' in page
    assert reverse("stats:dashboard") in page
    assert home.flags_open == 0 and home.objections_open is None
    assert home.batches_awaiting_results is None  # payments are the bureau's


def test_the_queues_overdue_filter_lists_the_overdue_claims_only(client, world, heping):
    client.force_login(district_reviewer(heping))
    response = client.get(reverse("subsidies:queue"), {"overdue": "yes"})
    assert [c.pk for c in response.context["page"]] == [world["late"].pk]
    response = client.get(reverse("subsidies:queue"), {"overdue": "no"})
    assert world["late"].pk not in [c.pk for c in response.context["page"]]
    assert len(response.context["page"]) == 2
    assert client.get(reverse("subsidies:queue"), {"overdue": "maybe"}).status_code == 400


def test_another_districts_reviewer_counts_none_of_them(client, world, hexi):
    home = _home(client, district_reviewer(hexi)).context["home"]
    assert [(s.name, s.waiting, s.overdue) for s in home.stages] == [("district", 1, 0)]
    assert world["late"].number not in _home(client, district_reviewer(hexi)).content.decode()


def test_a_municipal_reviewer_sees_the_second_stage_only(client, world, heping):
    services.claim_review(actor=district_reviewer(heping), claim=world["late"], decision="approve")
    home = _home(client, municipal_reviewer()).context["home"]
    assert [(s.name, s.waiting) for s in home.stages] == [("municipal", 1)]
    assert home.objections_open == 0  # the bureau handles objections


def test_the_bureau_admin_sees_every_stage_flags_and_payments(client, world, heping):
    Flag.objects.create(kind="face_check", subject_key="x", district=heping)
    Flag.objects.create(kind="face_check", subject_key="y", district=heping, status="resolved")
    response = _home(client, bureau_admin())
    home = response.context["home"]
    assert [(s.name, s.waiting, s.overdue) for s in home.stages] == [
        ("district", 4, 1),
        ("municipal", 0, 0),
    ]
    assert home.flags_open == 1 and home.batches_awaiting_results == 0
    assert reverse("payments:batches") in response.content.decode()


def test_an_organisations_home_counts_its_own_claims_and_classes_only(client, world, heping):
    a, b, _c = world["orgs"]
    f.training_class(a, status="draft", start=clock.today() + datetime.timedelta(days=20))
    f.training_class(b, status="returned", start=clock.today() + datetime.timedelta(days=20))
    ended = f.training_class(a, start=clock.today() - datetime.timedelta(days=40))
    f.enrolment(ended, status="enrolled")
    response = _home(client, world["filers"][0])
    home = response.context["home"]
    assert (home.claim_drafts, home.claim_returned, home.claim_in_review) == (1, 0, 2)
    assert (home.class_drafts, home.class_returned, home.classes_to_complete) == (1, 0, 1)
    assert [c.pk for c in home.claims_to_act] == [world["draft"].pk]
    assert home.claims_to_act[0].deadline is not None
    assert home.flags_open is None  # not an online platform: no supervision data
    page = response.content.decode()
    assert world["draft"].number in page and f"{reverse('subsidies:claims')}?status=draft" in page
    # organisation B's staff: its one claim in review, nothing of A's
    home_b = _home(client, org_staff(b)).context["home"]
    assert (home_b.claim_drafts, home_b.claim_in_review, home_b.class_returned) == (0, 1, 1)
    assert home_b.claims_to_act == []


def test_a_platforms_home_counts_the_open_flags_of_its_platform_only(client, heping):
    platform = OrganisationFactory(kinds=["online_training_platform"], district=heping)
    other = OrganisationFactory(kinds=["online_training_platform"], district=heping)
    Flag.objects.create(kind="face_check", subject_key="a", platform=platform)
    Flag.objects.create(kind="face_check", subject_key="b", platform=other)
    home = _home(client, org_admin(platform)).context["home"]
    assert home.flags_open == 1


def test_a_workers_home_summarises_their_trainings_certificates_and_subsidies(client, world):
    person = world["draft_person"]
    response = _home(client, worker(person))
    home = response.context["home"]
    assert (home.completed, home.in_training, home.outcomes) == (1, 0, 1)
    # the claim for them is a draft: not shown to a worker (only submitted claims are)
    assert home.subsidy_lines == 0
    page = response.content.decode()
    for name in ("training:mine", "subsidies:mine", "registry:me"):
        assert reverse(name) in page


def test_a_workers_home_counts_a_submitted_claim_and_no_one_elses(client, world):
    late = world["late"]
    person = late.lines.first().person
    home = _home(client, worker(person)).context["home"]
    assert home.subsidy_lines == 1 and home.subsidy_in_progress > 0 and home.subsidy_paid == 0
    assert home.enrolments[0].person_id == person.pk


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_home_renders_in_both_languages(client, world, heping, language):
    users = [
        bureau_admin(),
        municipal_reviewer(),
        district_reviewer(heping),
        world["filers"][0],
        worker(world["draft_person"]),
    ]
    for user in users:
        client.force_login(user)
        with translation.override(language):
            response = client.get(reverse("core:home"), headers={"accept-language": language})
        assert response.status_code == 200
        page = response.content.decode()
        if language == "en":
            assert "Hello" in page, user.role
        else:
            assert "您好" in page, user.role


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_amounts_on_the_pages_are_grouped_with_two_decimals(client, world, heping, language):
    from haihe.core.templatetags.format import amount

    late = world["late"]
    late.refresh_from_db()
    client.force_login(district_reviewer(heping))
    client.cookies["django_language"] = language
    page = client.get(
        reverse("subsidies:claim", args=[late.pk]), headers={"accept-language": language}
    ).content.decode()
    with translation.override(language):
        expected = amount(late.claimed_amount)
    assert f'data-testid="claimed-amount">{expected}<' in page
    assert late.claimed_amount < 1000 or "," in expected
    assert "." in expected and len(expected.split(".")[1]) == 2
