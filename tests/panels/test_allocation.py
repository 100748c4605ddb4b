"""Random assignment: within constraints (n scorers per case, no conflicts, balanced load) and
reproducible from its recorded seed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haihe.core.models import AuditEvent
from haihe.panels import services
from haihe.panels.allocation import Shortfall, allocate
from haihe.panels.models import Assignment
from tests.factories import OrganisationFactory
from tests.panels.factories import employ, panel_ready


@st.composite
def problems(draw):
    members = draw(st.lists(st.integers(1, 60), min_size=1, max_size=10, unique=True))
    cases = draw(st.lists(st.integers(100, 400), min_size=1, max_size=25, unique=True))
    n = draw(st.integers(1, len(members)))
    excluded = draw(
        st.sets(st.tuples(st.sampled_from(members), st.sampled_from(cases)), max_size=30)
    )
    seed = draw(st.integers(0, 2**31))
    return members, cases, n, excluded, seed


@given(problems())
def test_each_case_gets_n_distinct_eligible_members_or_the_impossible_case_is_named(problem):
    members, cases, n, excluded, seed = problem
    need = dict.fromkeys(cases, n)
    try:
        result = allocate(cases, members, need=need, excluded=excluded, seed=seed)
    except Shortfall as short:
        eligible = [m for m in members if (m, short.case) not in excluded]
        assert len(eligible) == short.eligible < n == short.needed
        return
    assert set(result) == set(cases)
    for case, picked in result.items():
        assert len(picked) == len(set(picked)) == n
        assert all((m, case) not in excluded for m in picked)
        assert set(picked) <= set(members)


@given(problems())
def test_the_same_seed_gives_the_same_assignment(problem):
    members, cases, n, _excluded, seed = problem
    need = dict.fromkeys(cases, n)
    first = allocate(cases, members, need=need, seed=seed)
    again = allocate(list(reversed(cases)), list(reversed(members)), need=need, seed=seed)
    assert first == again


@given(problems())
def test_without_conflicts_the_load_is_balanced_within_one(problem):
    members, cases, n, _excluded, seed = problem
    result = allocate(cases, members, need=dict.fromkeys(cases, n), seed=seed)
    load = dict.fromkeys(members, 0)
    for picked in result.values():
        for m in picked:
            load[m] += 1
    assert max(load.values()) - min(load.values()) <= 1
    assert sum(load.values()) == n * len(cases)


def test_existing_load_is_evened_out():
    result = allocate([1, 2], [10, 11, 12], need={1: 1, 2: 1}, load={10: 3, 11: 0, 12: 0}, seed=0)
    assert sorted(m for picked in result.values() for m in picked) == [11, 12]


def test_different_seeds_draw_differently():
    cases, members = list(range(20)), list(range(100, 110))
    draws = {
        tuple(
            sorted(
                (c, tuple(p))
                for c, p in allocate(cases, members, need=dict.fromkeys(cases, 2), seed=s).items()
            )
        )
        for s in range(5)
    }
    assert len(draws) > 1


@pytest.mark.django_db
def test_the_drawn_assignment_is_recorded_and_can_be_replayed(admin):
    orgs = [OrganisationFactory() for _ in range(6)]
    panel, experts, cases = panel_ready(admin, n_experts=5, cases=orgs)
    employ(experts[2].person, orgs[0])
    created = services.assignments_draw(actor=admin, panel=panel, per_case=3)
    seed = created[0].seed
    assert seed is not None and {a.seed for a in created} == {seed}
    assert {a.method for a in created} == {"random"}
    event = AuditEvent.objects.get(action="panel.assignments_drawn")
    assert event.data["seed"] == seed and event.data["per_case"] == 3
    assert event.data["excluded_for_conflict"] == 1
    assert not Assignment.objects.filter(case=cases[0], member__expert=experts[2]).exists()
    loads = [Assignment.objects.filter(member__expert=e).count() for e in experts]
    assert sum(loads) == 18 and max(loads) - min(loads) <= 1
    # the same seed on the same facts gives the same draw (a second panel, same shape)
    recorded = sorted((a.case.target.pk, experts.index(a.member.expert)) for a in created)
    for a in Assignment.objects.filter(case__panel=panel):
        services.assignment_cancel(actor=admin, assignment=a, reason="重新抽取")
    replay = services.assignments_draw(actor=admin, panel=panel, per_case=3, seed=seed)
    assert sorted((a.case.target.pk, experts.index(a.member.expert)) for a in replay) == recorded
