"""Claims: every transition and who may take it, with the negative cases (other organisation,
other district, own organisation, the same person at both levels), and the audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haihe.core.audit import trail_for
from haihe.subsidies import services
from haihe.subsidies.models import Claim, ClaimLine
from haihe.subsidies.workflows import claim_workflow
from tests.factories import (
    bureau_admin,
    district_reviewer,
    municipal_reviewer,
    org_admin,
    org_staff,
)
from tests.subsidies import factories as f

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 5, 1)


@pytest.fixture
def claim(org, filer):
    klass, _outcomes = f.class_with_outcomes(org, n=3)
    return services.claim_create(actor=filer, training_class=klass, today=DAY)


@pytest.fixture
def submitted(claim, filer):
    return services.claim_submit(actor=filer, claim=claim, today=DAY)


@pytest.fixture
def district_approved(submitted, district_user):
    return services.claim_review(actor=district_user, claim=submitted, decision="approve")


def _actions(claim):
    return [e.action for e in trail_for(claim)][::-1]


def test_a_claim_has_a_line_per_trainee_and_ineligible_lines_are_kept_and_excluded(org, filer):
    klass, _outcomes = f.class_with_outcomes(org, n=2)
    f.outcome(f.enrolment(klass, eligible=False))
    claim = services.claim_create(actor=filer, training_class=klass, today=DAY)
    lines = ClaimLine.objects.filter(claim=claim)
    assert lines.count() == 3
    assert claim.included_lines == 2
    assert lines.get(status="ineligible").amount == 0
    assert str(claim.claimed_amount) == "3000.00"  # 2 × level-4 default


def test_one_line_per_trainee_even_with_two_outcomes(org, filer):
    klass = f.training_class(org)
    enrolment = f.enrolment(klass)
    f.outcome(enrolment, kind="completion")
    best = f.outcome(enrolment, kind="skill_certificate")
    claim = services.claim_create(actor=filer, training_class=klass, today=DAY)
    assert list(claim.lines.values_list("outcome_id", flat=True)) == [best.pk]


def test_only_the_classes_organisation_may_claim(org, heping):
    klass, _outcomes = f.class_with_outcomes(org, n=1)
    other = org_admin(f.institution(heping))
    with pytest.raises(PermissionDenied):
        services.claim_create(actor=other, training_class=klass)
    with pytest.raises(PermissionDenied):
        services.claim_create(actor=district_reviewer(heping), training_class=klass)


def test_a_class_not_filed_cannot_be_claimed(org, filer):
    klass, _outcomes = f.class_with_outcomes(org, n=1, status="submitted")
    with pytest.raises(ValidationError):
        services.claim_create(actor=filer, training_class=klass)


def test_submit_is_audited_holds_the_outcomes_and_runs_the_checks(claim, filer):
    submitted = services.claim_submit(actor=filer, claim=claim, today=DAY)
    assert submitted.status == "submitted" and submitted.submissions == 1
    assert _actions(claim)[-1] == "subsidy_claim.submit"
    assert claim.lines.filter(holds_outcome=True).count() == 3
    # the same trainees cannot be claimed again in another claim
    with pytest.raises(ValidationError):
        services.claim_create(actor=filer, training_class=claim.training_class, today=DAY)


def test_staff_of_the_organisation_may_submit_but_not_another_organisation(claim, org, heping):
    with pytest.raises(PermissionDenied):
        services.claim_submit(actor=org_admin(f.institution(heping)), claim=claim)
    assert services.claim_submit(actor=org_staff(org), claim=claim, today=DAY).status == "submitted"


def test_the_full_review_path(district_approved, municipal_user):
    assert district_approved.status == "district_approved"
    approved = services.claim_review(
        actor=municipal_user, claim=district_approved, decision="approve"
    )
    approved.refresh_from_db()
    assert approved.status == "approved"
    assert approved.approved_amount == approved.claimed_amount
    assert approved.approved_at is not None
    assert _actions(approved)[-3:] == [
        "subsidy_claim.submit",
        "subsidy_claim.district_approve",
        "subsidy_claim.municipal_approve",
    ]


def test_a_reviewer_of_another_district_cannot_review(submitted, hexi):
    with pytest.raises(PermissionDenied):
        services.claim_review(actor=district_reviewer(hexi), claim=submitted, decision="approve")


def test_the_municipal_level_cannot_act_before_the_district(submitted, municipal_user):
    with pytest.raises(PermissionDenied):
        services.claim_review(actor=municipal_user, claim=submitted, decision="approve")


def test_nobody_reviews_a_claim_of_their_own_organisation(submitted, org, heping):
    insider = district_reviewer(heping, organisation=org)
    with pytest.raises(PermissionDenied, match="本单位"):
        services.claim_review(actor=insider, claim=submitted, decision="approve")


def test_nobody_reviews_a_claim_that_pays_for_themselves(submitted, heping):
    trainee = submitted.lines.first().person
    reviewer = district_reviewer(heping, person=trainee)
    with pytest.raises(PermissionDenied, match="本人"):
        services.claim_review(actor=reviewer, claim=submitted, decision="approve")


def test_the_district_and_municipal_approvals_are_different_people(district_approved):
    same = district_approved.district_reviewed_by
    same.role = "municipal_reviewer"  # the district reviewer moved to the municipal level
    same.district = None
    same.save()
    with pytest.raises(PermissionDenied, match="两个审核环节"):
        services.claim_review(actor=same, claim=district_approved, decision="approve")
    assert (
        claim_workflow.refusal(municipal_reviewer(), district_approved, "municipal_approve") is None
    )


def test_org_users_and_the_bureau_admin_cannot_review(submitted, filer):
    for user in (filer, bureau_admin()):
        with pytest.raises(PermissionDenied):
            services.claim_review(actor=user, claim=submitted, decision="approve")


@pytest.mark.parametrize("level", ["district", "municipal"])
def test_return_needs_a_reason_and_the_claim_is_resubmitted(
    level, submitted, district_user, municipal_user, filer
):
    claim = submitted
    reviewer = district_user
    if level == "municipal":
        claim = services.claim_review(actor=district_user, claim=claim, decision="approve")
        reviewer = municipal_user
    with pytest.raises(ValidationError):
        services.claim_review(actor=reviewer, claim=claim, decision="return", reason=" ")
    services.claim_review(actor=reviewer, claim=claim, decision="return", reason="签到表不全")
    claim.refresh_from_db()
    assert claim.status == "returned" and claim.review_reason == "签到表不全"
    again = services.claim_submit(actor=filer, claim=claim, today=DAY)
    assert again.status == "submitted" and again.submissions == 2
    assert again.district_reviewed_by is None  # the district level reviews it again
    assert "subsidy_claim.resubmit" in _actions(claim)


def test_resubmission_adds_outcomes_recorded_since(submitted, district_user, filer):
    services.claim_review(actor=district_user, claim=submitted, decision="return", reason="补充")
    f.outcome(f.enrolment(submitted.training_class))
    again = services.claim_submit(actor=filer, claim=submitted, today=DAY)
    assert again.included_lines == 4


def test_reject_is_final_and_keeps_the_outcomes(submitted, district_user, filer):
    with pytest.raises(ValidationError):
        services.claim_review(actor=district_user, claim=submitted, decision="reject", reason="")
    services.claim_review(
        actor=district_user, claim=submitted, decision="reject", reason="虚假培训"
    )
    submitted.refresh_from_db()
    assert submitted.status == "rejected"
    with pytest.raises(PermissionDenied):
        services.claim_submit(actor=filer, claim=submitted)
    with pytest.raises(ValidationError):  # its outcomes cannot be claimed again
        services.claim_create(actor=filer, training_class=submitted.training_class, today=DAY)


def test_withdraw_releases_the_outcomes(submitted, district_user, filer):
    services.claim_review(actor=district_user, claim=submitted, decision="return", reason="补充")
    services.claim_withdraw(actor=filer, claim=submitted)
    submitted.refresh_from_db()
    assert submitted.status == "withdrawn"
    fresh = services.claim_create(actor=filer, training_class=submitted.training_class, today=DAY)
    assert fresh.included_lines == 3


def test_a_claim_in_review_cannot_be_withdrawn(submitted, filer):
    with pytest.raises(ValidationError):
        services.claim_withdraw(actor=filer, claim=submitted)


def test_a_reviewer_excludes_a_line_with_a_reason_and_may_restore_it(
    submitted, district_user, filer
):
    line = submitted.lines.first()
    with pytest.raises(ValidationError):
        services.line_exclude(actor=district_user, line=line, reason="")
    with pytest.raises(PermissionDenied):
        services.line_exclude(actor=filer, line=line, reason="自己剔除")
    services.line_exclude(actor=district_user, line=line, reason="证书存疑")
    line.refresh_from_db()
    assert line.status == "excluded" and line.exclusion_reason == "证书存疑"
    services.line_include(actor=district_user, line=line)
    line.refresh_from_db()
    assert line.status == "included"
    assert [e.action for e in trail_for(line)][::-1] == [
        "subsidy_claim_line.exclude",
        "subsidy_claim_line.include",
    ]


def test_excluded_lines_are_not_approved(district_approved, district_user, municipal_user):
    line = district_approved.lines.first()
    services.line_exclude(actor=municipal_user, line=line, reason="重复培训")
    services.claim_review(actor=municipal_user, claim=district_approved, decision="approve")
    district_approved.refresh_from_db()
    assert str(district_approved.approved_amount) == "3000.00"
    assert str(district_approved.claimed_amount) == "4500.00"


def test_a_claim_with_every_line_excluded_cannot_be_approved(submitted, district_user):
    for line in submitted.lines.all():
        services.line_exclude(actor=district_user, line=line, reason="不符合")
    with pytest.raises(ValidationError):
        services.claim_review(actor=district_user, claim=submitted, decision="approve")


def test_batch_approval_is_all_or_nothing(org, filer, district_user, hexi):
    claims = []
    for _ in range(3):
        klass, _outcomes = f.class_with_outcomes(org, n=2)
        claim = services.claim_create(actor=filer, training_class=klass, today=DAY)
        claims.append(services.claim_submit(actor=filer, claim=claim, today=DAY))
    Claim.objects.filter(pk=claims[1].pk).update(raised_checks=1)
    with pytest.raises(ValidationError, match=claims[1].number):
        services.claims_batch_approve(actor=district_user, claims=claims)
    assert not Claim.objects.filter(status="district_approved").exists()
    assert services.claims_batch_approve(actor=district_user, claims=[claims[0], claims[2]]) == 2
    assert Claim.objects.filter(status="district_approved").count() == 2
    with pytest.raises(ValidationError):
        services.claims_batch_approve(actor=district_reviewer(hexi), claims=[claims[1]])


def test_every_declared_transition_names_its_roles():
    for transition in claim_workflow.transitions.values():
        assert transition.roles or transition.system
        assert transition.sources
