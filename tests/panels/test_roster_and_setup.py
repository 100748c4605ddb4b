"""The roster services and the setup of a panel: who may write, what is refused, what changes
once scoring has started or the scores are locked."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haihe.core.models import AuditEvent
from haihe.panels import scoring, services
from haihe.panels.models import ConflictDeclaration
from haihe.panels.services_experts import (
    conflict_declare,
    conflict_void,
    expert_create,
    expert_reinstate,
    expert_retire,
    expert_update,
)
from haihe.registry.models import Occupation
from tests.factories import OrganisationFactory, PersonFactory
from tests.panels.factories import expert, expert_user, panel_ready, score_all, users_of

pytestmark = pytest.mark.django_db


def test_the_roster_is_kept_by_the_bureau_admin(admin, reviewer):
    person = PersonFactory()
    for actor in (reviewer, expert_user(expert())):
        with pytest.raises(PermissionDenied):
            expert_create(actor=actor, person=person)
    made = expert_create(
        actor=admin, person=person, title="高级技师", specialities=[Occupation.objects.first()]
    )
    with pytest.raises(ValidationError) as exc:
        expert_create(actor=admin, person=person)
    assert "person" in exc.value.message_dict
    employer = OrganisationFactory()
    expert_update(
        actor=admin, expert=made, employer=employer, title="教授", expertise="数控", specialities=[]
    )
    event = AuditEvent.objects.get(action="panel_expert.updated")
    assert event.data["title"] == ["高级技师", "教授"] and event.data["employer"][1] == employer.pk
    inactive = Occupation.objects.create(code="9-99-99-99", name_zh="停用职业", active=False)
    with pytest.raises(ValidationError):
        expert_update(
            actor=admin, expert=made, employer=None, title="", expertise="", specialities=[inactive]
        )


def test_a_retired_expert_joins_no_panel_until_reinstated(admin):
    e = expert()
    panel = services.panel_create(actor=admin, purpose="test_org_review", name="组")
    with pytest.raises(ValidationError):
        expert_retire(actor=admin, expert=e, reason="")
    expert_retire(actor=admin, expert=e, reason="年龄原因")
    with pytest.raises(ValidationError):
        services.member_add(actor=admin, panel=panel, expert=e)
    expert_reinstate(actor=admin, expert=e)
    services.member_add(actor=admin, panel=panel, expert=e)
    assert panel.members.count() == 1


def test_only_the_bureau_admin_voids_a_declaration(admin):
    e = expert()
    user = expert_user(e)
    declaration = conflict_declare(
        actor=user, expert=e, organisation=OrganisationFactory(), reason="顾问"
    )
    with pytest.raises(PermissionDenied):
        conflict_void(actor=user, declaration=declaration, reason="撤回")
    with pytest.raises(PermissionDenied):
        conflict_declare(
            actor=expert_user(expert()), expert=e, organisation=OrganisationFactory(), reason="x"
        )
    with pytest.raises(ValidationError):
        conflict_declare(
            actor=user,
            expert=e,
            reason="两个对象",
            person=PersonFactory(),
            organisation=OrganisationFactory(),
        )
    conflict_void(actor=admin, declaration=declaration, reason="登记错误")
    with pytest.raises(ValidationError):
        conflict_void(actor=admin, declaration=declaration, reason="再次")


def test_an_expert_cannot_declare_against_a_case_they_cannot_see(admin):
    _panel, _experts, (case,) = panel_ready(admin, n_experts=2)
    outsider = expert()
    with pytest.raises(PermissionDenied):
        conflict_declare(actor=expert_user(outsider), expert=outsider, case=case, reason="好奇")
    assert not ConflictDeclaration.objects.exists()


def test_a_declaration_on_a_locked_panel_is_recorded_and_changes_no_score(admin):
    panel, experts, (case,) = panel_ready(admin, n_experts=3)
    services.assignments_draw(actor=admin, panel=panel, seed=8)
    users = users_of(experts)
    score_all(case, users, [80, 81, 82])
    scoring.panel_lock(actor=users[0], panel=panel)
    conflict_declare(actor=users[1], expert=experts[1], case=case, reason="事后发现亲属关系")
    assert ConflictDeclaration.objects.filter(case=case).exists()
    assert case.assignments.filter(member__expert=experts[1]).get().status == "assigned"
    case.refresh_from_db()
    assert str(case.score) == "81.00"


def test_panel_update_and_blind_mode_before_scoring_only(admin, clock):
    panel = services.panel_create(actor=admin, purpose="test_org_review", name="组")
    services.panel_update(actor=admin, panel=panel, name="新名称", deadline=None, blind=True)
    panel.refresh_from_db()
    assert panel.name == "新名称" and panel.blind
    with pytest.raises(ValidationError):
        services.panel_update(
            actor=admin, panel=panel, name="x", deadline=clock.today - datetime.timedelta(days=1)
        )
    e = expert()
    services.member_add(actor=admin, panel=panel, expert=e)
    with pytest.raises(ValidationError):
        services.member_add(actor=admin, panel=panel, expert=e)
    with pytest.raises(ValidationError):
        services.panel_open(actor=admin, panel=panel)  # no chair yet
    services.chair_set(actor=admin, panel=panel, expert=e)
    services.panel_open(actor=admin, panel=panel)
    with pytest.raises(ValidationError) as exc:
        services.panel_update(actor=admin, panel=panel, name="x", deadline=None, blind=False)
    assert "blind" in exc.value.message_dict


def test_a_case_of_another_model_or_twice_is_refused(admin):
    panel = services.panel_create(actor=admin, purpose="test_org_review", name="组")
    org = OrganisationFactory()
    services.case_add(actor=admin, panel=panel, obj=org)
    with pytest.raises(ValidationError):
        services.case_add(actor=admin, panel=panel, obj=org)
    with pytest.raises(ValidationError):
        services.case_add(actor=admin, panel=panel, obj=PersonFactory())
    assert panel.cases.count() == 1


def test_a_withdrawn_case_ends_its_assignments_and_does_not_block_the_lock(admin):
    a, b = OrganisationFactory(), OrganisationFactory()
    panel, experts, (case_a, case_b) = panel_ready(admin, n_experts=3, cases=[a, b])
    services.assignments_draw(actor=admin, panel=panel, seed=3)
    users = users_of(experts)
    score_all(case_a, users, [80, 81, 82])
    with pytest.raises(ValidationError):
        scoring.panel_lock(actor=users[0], panel=panel)
    services.case_withdraw(actor=admin, case=case_b, reason="申报单位撤回申请")
    assert not case_b.assignments.filter(status="assigned").exists()
    scoring.panel_lock(actor=users[0], panel=panel)
    panel.refresh_from_db()
    assert panel.status == "locked"


def test_a_cancelled_panel_drops_out_of_the_task_list(admin):
    panel, experts, _cases = panel_ready(admin, n_experts=1)
    services.assignments_draw(actor=admin, panel=panel, per_case=1, seed=1)
    with pytest.raises(ValidationError):
        services.panel_cancel(actor=admin, panel=panel, reason="")
    services.panel_cancel(actor=admin, panel=panel, reason="本轮认定取消")
    from haihe.panels.selectors import task_list

    assert task_list(expert_user(experts[0])).panels == []
