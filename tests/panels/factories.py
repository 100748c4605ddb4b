"""Factories and helpers for panel tests."""

import datetime

from haihe.accounts.roles import Role
from haihe.panels import scoring, services
from haihe.panels.models import Expert
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory, UserFactory
from tests.panels import adapters  # noqa: F401  (registers the test purposes)

FULL = {"conditions": "80", "trainers": "80", "programme": "80", "results": "80", "outlook": "80"}


def scores(value) -> dict:
    return {code: str(value) for code in FULL}


def expert(person=None, **kwargs) -> Expert:
    return Expert.objects.create(person=person or PersonFactory(), **kwargs)


def expert_user(expert_obj: Expert, **kwargs):
    return UserFactory(role=Role.EXPERT, person=expert_obj.person, **kwargs)


def employ(person, organisation, relation="employee", since=datetime.date(2015, 1, 1), until=None):
    return AffiliationFactory(
        person=person, organisation=organisation, relation=relation, since=since, until=until
    )


def panel_ready(admin, *, n_experts=3, cases=None, purpose="test_org_review", blind=False, **kw):
    """A panel with n members (the first is chair), the given case objects, opened."""
    panel = services.panel_create(
        actor=admin, purpose=purpose, name="认定评审组", blind=blind, **kw
    )
    experts = [expert() for _ in range(n_experts)]
    for e in experts:
        services.member_add(actor=admin, panel=panel, expert=e)
    services.chair_set(actor=admin, panel=panel, expert=experts[0])
    objs = cases if cases is not None else [OrganisationFactory()]
    added = [services.case_add(actor=admin, panel=panel, obj=o) for o in objs]
    services.panel_open(actor=admin, panel=panel)
    panel.refresh_from_db()
    return panel, experts, added


def users_of(experts):
    return [expert_user(e) for e in experts]


def score_all(case, users, values):
    """Each user submits their sheet of `case` with every criterion at the value given."""
    for user, value in zip(users, values, strict=True):
        sheet = case.assignments.get(member__expert__person=user.person, status="assigned").sheet
        scoring.sheet_submit(actor=user, sheet=sheet, scores=scores(value))
