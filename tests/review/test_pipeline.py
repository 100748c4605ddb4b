"""The staged review (haihe.review) on the training-subsidy claim: four-eyes by person, not by
account; the review history; deadlines per stage; the reviewers' queues; the first filing date
kept through a return."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from haihe.core.models import AuditEvent
from haihe.review.models import ReviewAction
from haihe.review.services import history
from haihe.subsidies import services
from haihe.subsidies.models import Claim
from haihe.subsidies.workflows import CLAIM_PIPELINE
from tests.factories import PersonFactory, district_reviewer, municipal_reviewer
from tests.subsidies import factories as f

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 5, 1)


@pytest.fixture
def submitted(org, filer, clock):
    clock.travel(DAY)
    klass, _outcomes = f.class_with_outcomes(org, n=2)
    claim = services.claim_create(actor=filer, training_class=klass)
    return services.claim_submit(actor=filer, claim=claim)


def test_one_person_with_two_accounts_is_still_one_person(submitted, heping):
    person = PersonFactory(district=heping)
    at_district = district_reviewer(heping, person=person)
    at_city = municipal_reviewer(person=person)  # the same official's second account
    services.claim_review(actor=at_district, claim=submitted, decision="approve")
    with pytest.raises(PermissionDenied, match="两个审核环节"):
        services.claim_review(actor=at_city, claim=submitted, decision="approve")
    assert Claim.objects.get(pk=submitted.pk).status == "district_approved"
    services.claim_review(actor=municipal_reviewer(), claim=submitted, decision="approve")
    assert Claim.objects.get(pk=submitted.pk).status == "approved"


def test_the_same_account_at_two_stages_is_refused_too(submitted, heping):
    official = district_reviewer(heping)
    services.claim_review(actor=official, claim=submitted, decision="approve")
    official.role, official.district = "municipal_reviewer", None
    official.save()
    with pytest.raises(PermissionDenied, match="两个审核环节"):
        services.claim_review(actor=official, claim=submitted, decision="approve")


def test_a_reviewer_employed_by_the_filer_may_not_review(submitted, heping, org, clock):
    from haihe.registry.models import Affiliation

    person = PersonFactory(district=heping)
    Affiliation.objects.create(
        organisation=org, person=person, relation="employee", since=datetime.date(2019, 1, 1)
    )
    reviewer = district_reviewer(heping, person=person)
    with pytest.raises(PermissionDenied, match="任职"):
        services.claim_review(actor=reviewer, claim=submitted, decision="approve")
    # an employment that ended before today no longer conflicts
    Affiliation.objects.filter(person=person).update(until=datetime.date(2020, 1, 31))
    services.claim_review(actor=reviewer, claim=submitted, decision="approve")


def test_every_step_is_in_the_review_history(submitted, district_user, filer, municipal_user):
    services.claim_review(actor=district_user, claim=submitted, decision="return", reason="补材料")
    services.claim_submit(actor=filer, claim=submitted)
    services.claim_review(actor=district_user, claim=submitted, decision="approve")
    services.claim_review(actor=municipal_user, claim=submitted, decision="approve")
    steps = [(a.round, a.stage, a.step, a.actor_id) for a in history(submitted)]
    assert steps == [
        (1, "", "submit", filer.pk),
        (1, "district", "return", district_user.pk),
        (2, "", "resubmit", filer.pk),
        (2, "district", "approve", district_user.pk),
        (2, "municipal", "approve", municipal_user.pk),
    ]
    assert history(submitted)[1].reason == "补材料"


def test_each_stage_has_a_deadline_in_working_days_from_the_dated_parameter(
    submitted, district_user, clock
):
    """10 working days from the day after receipt, on the calendar: filed on 2020-05-01, the
    Labour Day holiday (1-5 May) does not count and Saturday 9 May (worked in exchange) does."""
    assert submitted.stage_due_on == datetime.date(2020, 5, 18)
    submit = ReviewAction.objects.of(submitted).get(step="submit")
    assert submit.due_on == datetime.date(2020, 5, 18)
    event = AuditEvent.objects.filter(action__endswith="submit").latest("id")
    reason = event.data["deadline"]
    assert reason["rule"] == "review.deadline_skipping" and reason["parameter"] == (
        "subsidies.review_working_days"
    )
    assert "劳动节" in reason["message"] and "10 个工作日" in reason["message"]
    clock.travel(datetime.date(2020, 5, 8))  # a Friday: the next stage counts from Saturday 9th
    services.claim_review(actor=district_user, claim=submitted, decision="approve")
    submitted.refresh_from_db()
    assert submitted.stage_due_on == datetime.date(2020, 5, 21)  # 9, 11-15, 18-21 May
    action = ReviewAction.objects.of(submitted).get(step="approve")
    assert action.due_on == submitted.stage_due_on


def test_a_stage_reached_in_a_year_without_calendar_has_no_deadline_and_says_why(reference_data):
    from haihe.policy.models import CalendarDay, CalendarYear

    CalendarDay.objects.filter(calendar__year=2026).delete()
    CalendarYear.objects.filter(year=2026).delete()
    due, reason = CLAIM_PIPELINE.due_on(CLAIM_PIPELINE.stages[0], datetime.date(2026, 12, 1))
    assert due is None and reason.rule == "review.deadline_unknown"
    assert "2026年的工作日历尚未录入" in reason.message
    with translation.override("en"):
        assert "2026" in reason.message and "calendar" in reason.message
        assert reason.message.startswith(str(CLAIM_PIPELINE.stages[0].label))  # in English


def test_the_queue_holds_the_reviewers_stage_and_jurisdiction(submitted, heping, hexi, clock):
    here, there = district_reviewer(heping), district_reviewer(hexi)
    claims = Claim.objects.all()
    assert list(CLAIM_PIPELINE.queue(claims, here)) == [submitted]
    assert list(CLAIM_PIPELINE.queue(claims, there)) == []
    assert list(CLAIM_PIPELINE.queue(claims, municipal_reviewer())) == []  # not at its stage yet
    clock.travel(datetime.date(2020, 5, 19))  # the day after the deadline
    overdue = CLAIM_PIPELINE.queue(claims, here).filter(stage_due_on__lt=clock.today)
    assert list(overdue) == [submitted]


def test_a_return_does_not_cost_the_first_filings_deadline(org, filer, district_user, clock):
    """Filed in time, returned, resubmitted after the deadline: still in time (the first filing
    met it); the explanation says which date counted."""
    issued = datetime.date(2020, 1, 10)  # the deadline is 12 months later: 2021-01-10
    klass = f.training_class(org, start=datetime.date(2019, 11, 1), end=datetime.date(2019, 12, 20))
    f.outcome(f.enrolment(klass), issued_on=issued)
    clock.travel(datetime.date(2021, 1, 5))
    claim = services.claim_create(actor=filer, training_class=klass)
    services.claim_submit(actor=filer, claim=claim)
    services.claim_review(actor=district_user, claim=claim, decision="return", reason="补签到表")
    clock.travel(datetime.date(2021, 1, 20))  # after the deadline
    f.outcome(f.enrolment(klass), issued_on=issued)  # a trainee added at the resubmission
    services.claim_submit(actor=filer, claim=claim)
    claim.refresh_from_db()
    assert claim.status == "submitted"
    first, added = claim.lines.order_by("id")
    assert first.status == "included"
    deadline = {r["rule"]: r for r in first.decision["reasons"]}
    assert deadline["subsidies.deadline_ok_first_filing"]["params"]["claimed_on"] == "2021-01-05"
    assert "首次提交日期 2021-01-05" in deadline["subsidies.deadline_ok_first_filing"]["message"]
    assert added.status == "ineligible"  # it was not part of the first filing
    assert {r["rule"] for r in added.decision["reasons"]} >= {"subsidies.deadline_passed"}


def test_a_stage_approves_only_when_it_is_ready_and_may_still_return(submitted, district_user):
    """A stage's `ready` check (an expert panel's stage: the result is settled) refuses an
    approval as not possible now (409), never as forbidden; returning stays possible."""
    import dataclasses

    from haihe.core.workflow import TransitionNotPossible, not_now
    from haihe.review.services import case_decide

    settled = {"yes": False}
    first, second = CLAIM_PIPELINE.stages
    waiting_for_panel = dataclasses.replace(
        first, ready=lambda user, case: None if settled["yes"] else not_now("专家评审尚未完成。")
    )
    pipeline = dataclasses.replace(CLAIM_PIPELINE, stages=(waiting_for_panel, second))
    assert not pipeline.workflow.can("district_approve")(district_user, submitted)
    with pytest.raises(TransitionNotPossible, match="专家评审尚未完成"):
        case_decide(pipeline, actor=district_user, case=submitted, decision="approve")
    assert pipeline.workflow.can("district_return")(district_user, submitted)
    settled["yes"] = True
    case_decide(pipeline, actor=district_user, case=submitted, decision="approve")
    submitted.refresh_from_db()
    assert submitted.status == "district_approved"
