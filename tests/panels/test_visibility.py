"""Who sees what: `visible_to` per model (an expert their own, the bureau all, others none) and
the negative cases on pages and the API (another expert's task is a 404, a wrong role a 403)."""

import pytest
from django.urls import reverse

from haihe.panels import services
from haihe.panels.models import (
    Aggregation,
    Assignment,
    ConflictDeclaration,
    Expert,
    Panel,
    PanelCase,
    PanelMember,
    Score,
    ScoreSheet,
)
from haihe.panels.services_experts import conflict_declare
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    district_reviewer,
    org_admin,
    worker,
)
from tests.panels.factories import expert, expert_user, panel_ready, score_all, users_of

pytestmark = pytest.mark.django_db

MODELS = [
    Expert,
    Panel,
    PanelMember,
    PanelCase,
    Assignment,
    ScoreSheet,
    Score,
    Aggregation,
    ConflictDeclaration,
]


@pytest.fixture
def world(admin, districts):
    """Two cases on a panel of four: A is scored by members 1–3, B by member 4 only."""
    a, b = OrganisationFactory(name="甲单位"), OrganisationFactory(name="乙单位")
    panel, experts, (case_a, case_b) = panel_ready(admin, n_experts=4, cases=[a, b])
    members = {m.expert_id: m for m in panel.members.all()}
    for e in experts[1:]:
        services.assignment_create(actor=admin, case=case_a, member=members[e.pk])
    services.assignment_create(actor=admin, case=case_b, member=members[experts[0].pk])
    users = users_of(experts)
    score_all(case_a, users[1:], [80, 81, 82])
    conflict_declare(actor=users[1], expert=experts[1], organisation=b, reason="顾问")
    return panel, experts, users, case_a, case_b


def test_the_bureau_sees_every_row(world, admin, reviewer):
    for user in (admin, reviewer):
        for model in MODELS:
            assert model.objects.visible_to(user).count() == model.objects.count() > 0, model


def test_others_see_no_row(world, districts):
    _panel, _experts, _users, case_a, _case_b = world
    outsiders = [
        district_reviewer(districts["120101"]),
        org_admin(case_a.target),
        worker(PersonFactory()),
        expert_user(expert()),  # an expert on no panel
        None,
    ]
    from django.contrib.auth.models import AnonymousUser

    outsiders[-1] = AnonymousUser()
    for user in outsiders:
        for model in MODELS:
            if model is Expert and getattr(user, "role", "") == "expert":
                assert list(model.objects.visible_to(user)) == [user.person.expert_profile]
                continue
            assert not model.objects.visible_to(user).exists(), (user, model)


def test_an_expert_sees_only_their_own(world):
    panel, experts, users, case_a, _case_b = world
    member = users[2]  # scores case A, not the chair
    assert list(Expert.objects.visible_to(member)) == [experts[2]]
    assert list(Panel.objects.visible_to(member)) == [panel]
    assert list(PanelCase.objects.visible_to(member)) == [case_a]
    own = Assignment.objects.visible_to(member)
    assert [a.member.expert for a in own] == [experts[2]]
    assert {s.assignment.member.expert_id for s in ScoreSheet.objects.visible_to(member)} == {
        experts[2].pk
    }
    assert {s.sheet.assignment.member.expert_id for s in Score.objects.visible_to(member)} == {
        experts[2].pk
    }
    assert list(PanelMember.objects.visible_to(member)) == [panel.members.get(expert=experts[2])]
    assert not ConflictDeclaration.objects.visible_to(member).exists()
    assert [a.case for a in Aggregation.objects.visible_to(member)] == [case_a]
    declarer = users[1]
    assert ConflictDeclaration.objects.visible_to(declarer).count() == 1


def test_the_chair_sees_the_panel_s_cases_but_no_other_sheet(world):
    _panel, _experts, users, case_a, case_b = world
    chair = users[0]
    assert set(PanelCase.objects.visible_to(chair)) == {case_a, case_b}
    assert PanelMember.objects.visible_to(chair).count() == 4
    assert [a.case for a in Assignment.objects.visible_to(chair)] == [case_b]
    assert not Score.objects.visible_to(chair).exists()  # chair has not scored B yet
    assert ScoreSheet.objects.visible_to(chair).count() == 1


def test_a_recused_case_disappears_from_the_expert_s_view(world):
    _panel, _experts, users, _case_a, case_b = world
    chair = users[0]
    assignment = Assignment.objects.get(case=case_b)
    services.assignment_recuse(actor=chair, assignment=assignment, reason="亲属关系")
    # still the chair, so the panel's cases stay visible; but not as an assignment
    assert not Assignment.objects.visible_to(chair).live().exists()


def test_pages_for_another_expert_s_task_are_404_and_other_roles_403(client, world, districts):
    _panel, _experts, users, case_a, case_b = world
    someone_elses = Assignment.objects.get(case=case_b)
    client.force_login(users[2])
    assert client.get(reverse("panels:task", args=[someone_elses.pk])).status_code == 404
    assert client.post(reverse("panels:recuse", args=[someone_elses.pk])).status_code == 404
    own = Assignment.objects.get(case=case_a, member__expert__person=users[2].person)
    assert client.get(reverse("panels:task", args=[own.pk])).status_code == 200
    # a member who is not the chair has no panel or case page
    assert client.get(reverse("panels:panel", args=[case_a.panel_id])).status_code == 403
    assert client.get(reverse("panels:case", args=[case_b.pk])).status_code == 404
    for user in (
        org_admin(case_a.target),
        district_reviewer(districts["120101"]),
        worker(PersonFactory()),
    ):
        client.force_login(user)
        for name, args in [
            ("panels:tasks", []),
            ("panels:task", [own.pk]),
            ("panels:index", []),
            ("panels:experts", []),
            ("panels:panel", [case_a.panel_id]),
            ("panels:tasks_export", []),
        ]:
            assert client.get(reverse(name, args=args)).status_code == 403, (user.role, name)


def test_the_api_scopes_the_same_way(client, world):
    _panel, _experts, users, case_a, case_b = world
    someone_elses = Assignment.objects.get(case=case_b)
    client.force_login(users[2])
    rows = client.get("/api/v1/panels/assignments").json()
    assert [r["case_code"] for r in rows] == [case_a.code]
    assert client.get(f"/api/v1/panels/assignments/{someone_elses.pk}").status_code == 404
    response = client.put(
        f"/api/v1/panels/assignments/{someone_elses.pk}/scores",
        {"scores": {"conditions": "80"}},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert client.get(f"/api/v1/panels/{case_a.panel_id}/results").status_code == 403
    client.force_login(org_admin(case_a.target))
    assert client.get("/api/v1/panels/assignments").status_code == 403


def test_roster_pages_are_the_bureau_s(client, world, reviewer):
    _panel, experts, users, _a, _b = world
    client.force_login(users[0])
    assert client.get(reverse("panels:expert", args=[experts[0].pk])).status_code == 403
    client.force_login(reviewer)  # a municipal reviewer reads the roster but does not edit it
    assert client.get(reverse("panels:expert", args=[experts[0].pk])).status_code == 200
    response = client.post(reverse("panels:expert_action", args=[experts[0].pk]), {"op": "retire"})
    assert response.status_code == 403
