"""Blind mode: a scorer (and the chair) never sees a case's name or organisation — on the task
list, the scoring page, the chair's panel and case pages, the API and the exports — and sees
them on the same paths when the panel is not blind (so the test can fail)."""

import pytest
from django.urls import reverse

from haihe.panels import services
from haihe.panels.models import Assignment
from tests.factories import OrganisationFactory
from tests.panels.factories import panel_ready, score_all, users_of

pytestmark = pytest.mark.django_db

NAME = "渤海湾重型装备制造股份有限公司"


def paths(panel, case, assignment):
    """(method, url, data) of every way an expert reads a case."""
    return [
        ("get", reverse("panels:tasks"), None),
        ("get", reverse("panels:task", args=[assignment.pk]), None),
        ("get", reverse("panels:tasks_export"), None),
        ("get", "/api/v1/panels/assignments", None),
        ("get", f"/api/v1/panels/assignments/{assignment.pk}", None),
        ("get", reverse("panels:panel", args=[panel.pk]), None),
        ("get", reverse("panels:case", args=[case.pk]), None),
        ("get", reverse("panels:results_export", args=[panel.pk]), None),
        ("get", f"/api/v1/panels/{panel.pk}/results", None),
    ]


def setup(admin, blind):
    applicant = OrganisationFactory(name=NAME)
    panel, experts, (case,) = panel_ready(admin, n_experts=3, cases=[applicant], blind=blind)
    services.assignments_draw(actor=admin, panel=panel, seed=9)
    users = users_of(experts)
    score_all(case, users[1:], [80, 82])
    chair = users[0]  # the chair scores too, and has not submitted yet
    assignment = Assignment.objects.get(case=case, member__expert=experts[0])
    return panel, case, applicant, chair, assignment


def body(response) -> str:
    return response.content.decode("utf-8")


@pytest.mark.parametrize("blind", [True, False])
def test_names_are_hidden_on_every_path_of_a_blind_panel(client, admin, blind):
    panel, case, applicant, chair, assignment = setup(admin, blind)
    client.force_login(chair)
    for method, url, _data in paths(panel, case, assignment):
        response = getattr(client, method)(url)
        assert response.status_code == 200, url
        text = body(response)
        assert (NAME in text) is (not blind), url
        if blind:
            assert applicant.uscc not in text, url
            assert case.code in text, url
    # saving and submitting answer with the case too
    response = client.put(
        f"/api/v1/panels/assignments/{assignment.pk}/scores",
        {
            "scores": {
                c: "81" for c in ("conditions", "trainers", "programme", "results", "outlook")
            },
            "submit": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (NAME in body(response)) is (not blind)
    follow = client.get(reverse("panels:tasks"))
    assert (NAME in body(follow)) is (not blind)


def test_the_blind_label_comes_from_the_adapter(client, admin):
    from tests.factories import PersonFactory

    competitor = PersonFactory(name="隐名选手")
    panel, experts, (case,) = panel_ready(
        admin, n_experts=1, cases=[competitor], purpose="test_person_review", blind=True
    )
    member = panel.members.get()
    assignment = services.assignment_create(actor=admin, case=case, member=member)
    client.force_login(users_of(experts)[0])
    text = body(client.get(reverse("panels:task", args=[assignment.pk])))
    assert f"选手 {case.code}" in text and "隐名选手" not in text


def test_the_bureau_always_sees_names(client, admin):
    panel, _case, _applicant, _chair, _assignment = setup(admin, blind=True)
    client.force_login(admin)
    assert NAME in body(client.get(reverse("panels:panel", args=[panel.pk])))
    assert NAME in body(client.get(reverse("panels:results_export", args=[panel.pk])))


def test_a_conflict_refusal_on_a_blind_panel_names_only_the_kind(client, admin):
    _panel, case, applicant, chair, assignment = setup(admin, blind=True)
    from tests.panels.factories import employ

    employ(chair.person, applicant)
    client.force_login(chair)
    text = body(client.get(reverse("panels:task", args=[assignment.pk])))
    assert "利益冲突" in text and "任职单位" in text and NAME not in text
    detail = client.get(f"/api/v1/panels/assignments/{assignment.pk}").json()
    assert detail["conflict"] and NAME not in detail["conflict"] and detail["case"] == case.code
