"""Conflicts of interest: detected from each kind of affiliation and declared; a conflicted
member is never assigned (by hand or drawn) and can never score."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haihe.panels import scoring, services
from haihe.panels.conflicts import conflicts_of
from haihe.panels.models import Assignment, ConflictDeclaration
from haihe.panels.services_experts import conflict_declare, conflict_void
from tests.factories import OrganisationFactory, PersonFactory
from tests.panels import adapters
from tests.panels.factories import employ, expert, expert_user, panel_ready, scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_panel(admin):
    applicant = OrganisationFactory(name="海河精密机械有限公司")
    panel, _experts, cases = panel_ready(admin, n_experts=2, cases=[applicant])
    return panel, cases[0], applicant


@pytest.fixture
def person_panel(admin):
    workshop = OrganisationFactory(name="滨海装备制造有限公司")
    competitor = PersonFactory(name="选手甲")
    employ(competitor, workshop)
    panel, _experts, cases = panel_ready(
        admin, n_experts=2, cases=[competitor], purpose="test_person_review"
    )
    return panel, cases[0], competitor, workshop


def kinds(found) -> list[str]:
    return sorted(c.kind for c in found)


def test_no_tie_no_conflict(org_panel):
    _panel, case, _applicant = org_panel
    assert conflicts_of(expert(), case) == []


def test_employee_of_the_case_organisation(org_panel):
    _panel, case, applicant = org_panel
    e = expert()
    employ(e.person, applicant)
    found = conflicts_of(e, case)
    assert kinds(found) == ["employer"]
    assert "海河精密机械有限公司" in found[0].message and "职工" in found[0].message
    assert found[0].reason.parameter.key == "panels.conflict_lookback_years"


def test_declared_employer(org_panel):
    _panel, case, applicant = org_panel
    found = conflicts_of(expert(employer=applicant), case)
    assert kinds(found) == ["employer"]
    assert found[0].reason.rule == "panels.conflict.declared_employer"


@pytest.mark.parametrize("relation", ["trainee", "student", "registered"])
def test_any_other_tie_to_the_case_organisation(org_panel, relation):
    _panel, case, applicant = org_panel
    e = expert()
    employ(e.person, applicant, relation=relation)
    assert kinds(conflicts_of(e, case)) == ["affiliated"]


def test_a_past_tie_counts_within_the_lookback_window_only(org_panel, clock):
    _panel, case, applicant = org_panel
    recent, long_ago = expert(), expert()
    today = clock.today
    employ(recent.person, applicant, until=today - datetime.timedelta(days=365 * 2))
    employ(long_ago.person, applicant, until=today - datetime.timedelta(days=365 * 4))
    found = conflicts_of(recent, case)
    assert kinds(found) == ["employer"]
    assert found[0].reason.rule == "panels.conflict.organisation_past"
    assert "3 年" in found[0].message  # the dated parameter's value
    assert conflicts_of(long_ago, case) == []


def test_a_tie_that_starts_later_does_not_count(org_panel, clock):
    _panel, case, applicant = org_panel
    e = expert()
    employ(e.person, applicant, since=clock.today + datetime.timedelta(days=30))
    assert conflicts_of(e, case) == []


def test_the_expert_is_the_case_s_person(person_panel):
    _panel, case, competitor, _workshop = person_panel
    assert "self" in kinds(conflicts_of(expert(person=competitor), case))


def test_colleague_of_the_case_s_person(person_panel):
    _panel, case, _competitor, workshop = person_panel
    e = expert()
    employ(e.person, workshop)
    found = conflicts_of(e, case)
    # the workshop is the case's organisation (the competitor's employer) and a shared workplace
    assert kinds(found) == ["colleague", "employer"]
    other = OrganisationFactory()
    colleague_elsewhere = expert()
    employ(colleague_elsewhere.person, other)
    employ(case.target, other)
    assert "colleague" in kinds(conflicts_of(colleague_elsewhere, case))


@pytest.mark.parametrize("learner", ["trainee", "student"])
def test_trainer_relation(person_panel, learner):
    _panel, case, competitor, _workshop = person_panel
    school = OrganisationFactory(kinds=["training_institution"])
    employ(competitor, school, relation=learner)
    teacher = expert()
    employ(teacher.person, school)
    found = conflicts_of(teacher, case)
    assert kinds(found) == ["trainer"]
    assert found[0].reason.rule == "panels.conflict.trainer"
    declared = expert(employer=school)  # a declared employer counts as a workplace too
    assert kinds(conflicts_of(declared, case)) == ["trainer"]


def test_trained_by_the_case_s_person_s_organisation(person_panel):
    _panel, case, competitor, _workshop = person_panel
    school = OrganisationFactory(kinds=["technical_school"])
    employ(competitor, school)  # the competitor teaches at the school
    pupil = expert()
    employ(pupil.person, school, relation="student")
    found = conflicts_of(pupil, case)
    # the school employs the competitor, so it is one of the case's organisations too
    assert kinds(found) == ["affiliated", "trainer"]
    assert "panels.conflict.trained_by" in [c.reason.rule for c in found]


def test_declared_conflicts_with_a_case_an_organisation_or_a_person(admin, person_panel):
    _panel, case, competitor, workshop = person_panel
    by_case, by_org, by_person = expert(), expert(), expert()
    conflict_declare(actor=admin, expert=by_case, case=case, reason="曾指导该选手")
    conflict_declare(actor=admin, expert=by_org, organisation=workshop, reason="顾问")
    declaration = conflict_declare(actor=admin, expert=by_person, person=competitor, reason="亲属")
    for e in (by_case, by_org, by_person):
        assert kinds(conflicts_of(e, case)) == ["declared"]
    conflict_void(actor=admin, declaration=declaration, reason="登记错误")
    assert conflicts_of(by_person, case) == []


def test_the_adapter_adds_module_conflicts(org_panel):
    _panel, case, applicant = org_panel
    e = expert()
    adapters.EXTRA.add((e.person_id, applicant.pk))
    try:
        assert kinds(conflicts_of(e, case)) == ["other"]
    finally:
        adapters.EXTRA.discard((e.person_id, applicant.pk))


def test_a_conflicted_member_is_never_assigned_by_hand(admin, org_panel):
    panel, case, applicant = org_panel
    member = panel.members.first()
    employ(member.expert.person, applicant)
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(actor=admin, case=case, member=member)
    assert "利益冲突" in " ".join(exc.value.messages)
    assert not Assignment.objects.filter(member=member).exists()


def test_a_drawn_assignment_skips_the_conflicted_and_fails_whole_when_none_is_left(admin):
    applicant = OrganisationFactory()
    panel, experts, _cases = panel_ready(admin, n_experts=3, cases=[applicant])
    employ(experts[1].person, applicant)
    created = services.assignments_draw(actor=admin, panel=panel, per_case=2, seed=5)
    assert sorted(a.member.expert_id for a in created) == sorted([experts[0].pk, experts[2].pk])
    second = OrganisationFactory()
    services.case_add(actor=admin, panel=panel, obj=second)
    for e in experts:
        employ(e.person, second, relation="trainee")
    with pytest.raises(ValidationError) as exc:
        services.assignments_draw(actor=admin, panel=panel, per_case=2, seed=5)
    assert "只有 0 名" in " ".join(exc.value.messages)
    assert Assignment.objects.filter(case__panel=panel).count() == 2  # nothing more assigned


def test_a_conflict_found_after_assignment_stops_the_member_scoring(admin, org_panel):
    panel, case, applicant = org_panel
    member = panel.members.first()
    assignment = services.assignment_create(actor=admin, case=case, member=member)
    user = expert_user(member.expert)
    employ(member.expert.person, applicant)  # recorded in the registry after the assignment
    with pytest.raises(PermissionDenied) as exc:
        scoring.sheet_save(actor=user, sheet=assignment.sheet, scores=scores(80))
    assert "利益冲突" in str(exc.value)
    with pytest.raises(PermissionDenied):
        scoring.sheet_submit(actor=user, sheet=assignment.sheet, scores=scores(80))
    assert not assignment.sheet.scores.exists()


def test_recusal_records_a_declaration_and_the_member_is_not_assigned_again(admin, org_panel):
    panel, case, _applicant = org_panel
    member = panel.members.first()
    assignment = services.assignment_create(actor=admin, case=case, member=member)
    user = expert_user(member.expert)
    with pytest.raises(ValidationError):
        services.assignment_recuse(actor=user, assignment=assignment, reason=" ")
    services.assignment_recuse(actor=user, assignment=assignment, reason="曾为该单位提供咨询")
    assignment.refresh_from_db()
    assert assignment.status == "recused"
    assert assignment.sheet.status == "voided"
    assert ConflictDeclaration.objects.filter(expert=member.expert, case=case).exists()
    with pytest.raises(ValidationError):
        services.assignment_create(actor=admin, case=case, member=member)
    drawn = services.assignments_draw(actor=admin, panel=panel, per_case=1, seed=1)
    assert [a.member_id for a in drawn] != [member.pk]


def test_an_expert_cannot_recuse_another_s_assignment(admin, org_panel):
    panel, case, _applicant = org_panel
    first, second = panel.members.all()[:2]
    assignment = services.assignment_create(actor=admin, case=case, member=first)
    with pytest.raises(PermissionDenied):
        services.assignment_recuse(
            actor=expert_user(second.expert), assignment=assignment, reason="x"
        )


def test_a_case_is_withheld_from_a_member_once_a_conflict_appears(admin, client):
    from django.urls import reverse

    applicant = OrganisationFactory(name="后来任职的单位")
    panel, _experts, (case,) = panel_ready(admin, n_experts=1, cases=[applicant])
    member = panel.members.get()
    assignment = services.assignment_create(actor=admin, case=case, member=member)
    client.force_login(expert_user(member.expert))
    before = client.get(reverse("panels:tasks")).content.decode()
    assert "后来任职的单位" in before  # not blind: the name is shown while there is no conflict
    employ(member.expert.person, applicant)
    for url in (
        reverse("panels:tasks"),
        reverse("panels:task", args=[assignment.pk]),
        reverse("panels:tasks_export"),
        "/api/v1/panels/assignments",
        f"/api/v1/panels/assignments/{assignment.pk}",
    ):
        text = client.get(url).content.decode()
        assert "后来任职的单位" not in text and case.code in text, url
    assert "存在利益冲突" in client.get(reverse("panels:tasks")).content.decode()
