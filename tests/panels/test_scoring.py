"""Scoring through the services: validation of each score, aggregation when the last sheet is
in, the spread check sending a case back (recorded), the chair's return, lock, sign-off with
four eyes, and the recorded reopen; every step audited."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haihe.core.models import AuditEvent
from haihe.panels import scoring, services
from haihe.panels.models import Aggregation, Score
from haihe.panels.selectors import result_for
from haihe.policy.models import ParameterValue
from tests.factories import UserFactory, bureau_admin, municipal_reviewer
from tests.panels.factories import (
    FULL,
    expert,
    expert_user,
    panel_ready,
    score_all,
    scores,
    users_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(admin):
    """A panel of three, one case drawn to all three."""
    panel, experts, cases = panel_ready(admin, n_experts=3)
    services.assignments_draw(actor=admin, panel=panel, seed=11)
    return panel, experts, cases[0], users_of(experts)


def sheet_of(case, user):
    return case.assignments.get(member__expert__person=user.person, status="assigned").sheet


@pytest.mark.parametrize(
    "value, message",
    [
        ("101", "之间"),
        ("-1", "之间"),
        ("80.55", "小数"),
        ("八十", "数字"),
        ("NaN", "数字"),
        ("Infinity", "数字"),
    ],
)
def test_each_score_is_checked_against_its_criterion(scored, value, message):
    _panel, _experts, case, users = scored
    sheet = sheet_of(case, users[0])
    with pytest.raises(ValidationError) as exc:
        scoring.sheet_save(actor=users[0], sheet=sheet, scores={**FULL, "trainers": value})
    assert list(exc.value.message_dict) == ["trainers"]
    assert message in exc.value.message_dict["trainers"][0]
    assert not Score.objects.filter(sheet=sheet).exists()  # nothing saved


def test_an_unknown_criterion_and_a_missing_one_are_refused(scored):
    _panel, _experts, case, users = scored
    sheet = sheet_of(case, users[0])
    with pytest.raises(ValidationError) as exc:
        scoring.sheet_save(actor=users[0], sheet=sheet, scores={"bogus": "1"})
    assert "bogus" in exc.value.message_dict
    partial = {k: v for k, v in FULL.items() if k != "outlook"}
    scoring.sheet_save(actor=users[0], sheet=sheet, scores=partial)
    with pytest.raises(ValidationError) as exc:
        scoring.sheet_submit(actor=users[0], sheet=sheet)
    assert list(exc.value.message_dict) == ["outlook"]
    sheet.refresh_from_db()
    assert sheet.status == "draft"


def test_only_the_assigned_member_writes_the_sheet(scored, admin):
    _panel, _experts, case, users = scored
    sheet = sheet_of(case, users[0])
    outsider = expert_user(expert())
    for actor in (users[1], outsider, admin, municipal_reviewer()):
        with pytest.raises(PermissionDenied):
            scoring.sheet_save(actor=actor, sheet=sheet, scores=scores(80))


def test_the_last_sheet_in_settles_the_case_with_an_explained_score(scored):
    _panel, _experts, case, users = scored
    score_all(case, users[:2], [80, 90])
    case.refresh_from_db()
    assert case.status == "scoring" and not Aggregation.objects.filter(case=case).exists()
    score_all(case, users[2:], [70])
    case.refresh_from_db()
    assert case.status == "scored" and case.score == Decimal("80.00")  # trimmed mean of 3
    aggregation = Aggregation.objects.get(case=case)
    assert aggregation.accepted and aggregation.method == "trimmed_mean"
    rules = [r["rule"] for r in aggregation.decision["reasons"]]
    assert "panels.aggregate.trimmed_mean" in rules and "panels.spread_ok" in rules
    aggregate = next(r for r in aggregation.decision["reasons"] if "aggregate" in r["rule"])
    assert aggregate["parameter"] == "panels.accreditation_review.aggregation"
    assert aggregate["effective_from"] == "2020-01-01"
    result = result_for(case.target, purpose="test_org_review")
    assert result.score == Decimal("80.00") and result.final is False


def test_a_spread_beyond_the_limit_sends_the_case_back_and_is_recorded(scored):
    _panel, _experts, case, users = scored
    score_all(case, users, [95, 90, 60])  # spread 35 > 20
    case.refresh_from_db()
    assert case.status == "rescore" and case.round == 2 and case.score is None
    first = Aggregation.objects.get(case=case)
    assert not first.accepted and first.spread == Decimal("35.00") and first.round == 1
    assert {sheet_of(case, u).status for u in users} == {"returned"}
    event = AuditEvent.objects.get(action="panel_case.spread_return")
    assert event.actor is None and event.data["caused_by"] == users[2].pk
    # the scorers discuss and re-score
    score_all(case, users, [88, 85, 80])
    case.refresh_from_db()
    assert case.status == "scored" and case.score == Decimal("85.00")
    assert list(Aggregation.objects.filter(case=case).values_list("round", "accepted")) == [
        (2, True),
        (1, False),
    ]


def test_the_spread_limit_is_the_dated_parameter_in_force_on_the_reference_date(admin):
    ParameterValue.objects.filter(parameter__key="panels.accreditation_review.spread_limit").update(
        value="50"
    )
    panel, experts, cases = panel_ready(admin, n_experts=3)
    services.assignments_draw(actor=admin, panel=panel, seed=3)
    score_all(cases[0], users_of(experts), [95, 90, 60])
    cases[0].refresh_from_db()
    assert cases[0].status == "scored"


def test_a_parameter_changed_after_the_panel_opened_does_not_change_its_scheme(scored):
    _panel, _experts, case, users = scored
    ParameterValue.objects.filter(parameter__key="panels.accreditation_review.spread_limit").update(
        value="50"
    )
    score_all(case, users, [95, 90, 60])
    case.refresh_from_db()
    assert case.status == "rescore"  # still 20, as when the panel opened


def test_the_chair_sends_a_case_back_with_a_reason(scored, admin):
    _panel, _experts, case, users = scored
    score_all(case, users, [80, 82, 84])
    chair = users[0]
    with pytest.raises(PermissionDenied):
        scoring.case_return(actor=users[1], case=case, reason="复核")
    with pytest.raises(ValidationError):
        scoring.case_return(actor=chair, case=case, reason="")
    scoring.case_return(actor=chair, case=case, reason="请结合现场核查重新评分")
    case.refresh_from_db()
    assert case.status == "rescore" and case.round == 2
    sheet = sheet_of(case, users[1])
    assert sheet.status == "returned" and sheet.return_reason == "请结合现场核查重新评分"


def test_lock_needs_every_case_settled_then_freezes_the_scores(scored, admin):
    panel, _experts, case, users = scored
    chair = users[0]
    score_all(case, users[:2], [80, 82])
    with pytest.raises(ValidationError) as exc:
        scoring.panel_lock(actor=chair, panel=panel)
    assert "1 个案卷未评定" in " ".join(exc.value.messages)
    score_all(case, users[2:], [84])
    with pytest.raises(PermissionDenied):
        scoring.panel_lock(actor=users[1], panel=panel)  # not the chair
    with pytest.raises(PermissionDenied):
        scoring.panel_lock(actor=admin, panel=panel)  # the chair locks
    scoring.panel_lock(actor=chair, panel=panel)
    panel.refresh_from_db()
    assert panel.status == "locked" and panel.locked_at is not None
    assert {sheet_of(case, u).status for u in users} == {"locked"}
    with pytest.raises(ValidationError):
        scoring.sheet_save(actor=users[1], sheet=sheet_of(case, users[1]), scores=scores(10))
    with pytest.raises(ValidationError):
        scoring.case_return(actor=chair, case=case, reason="x")
    with pytest.raises(ValidationError):
        services.assignments_draw(actor=admin, panel=panel, per_case=4)
    with pytest.raises(ValidationError):
        services.case_add(actor=admin, panel=panel, obj=case.target.__class__.objects.first())


def test_sign_off_by_the_chair_and_a_second_bureau_person(scored, admin):
    panel, _experts, case, users = scored
    chair = users[0]
    score_all(case, users, [80, 82, 84])
    scoring.panel_lock(actor=chair, panel=panel)
    with pytest.raises(ValidationError):
        scoring.panel_countersign(actor=admin, panel=panel)  # not signed by the chair yet
    with pytest.raises(PermissionDenied):
        scoring.panel_sign(actor=users[1], panel=panel)
    scoring.panel_sign(actor=chair, panel=panel)
    # the chair's own person with a bureau account may not countersign (people, not accounts)
    chair_as_bureau = bureau_admin(person=chair.person)
    with pytest.raises(PermissionDenied) as exc:
        scoring.panel_countersign(actor=chair_as_bureau, panel=panel)
    assert "组长" in str(exc.value)
    member_as_bureau = municipal_reviewer(person=users[1].person)
    with pytest.raises(PermissionDenied):
        scoring.panel_countersign(actor=member_as_bureau, panel=panel)
    with pytest.raises(PermissionDenied):
        scoring.panel_countersign(actor=chair, panel=panel)  # an expert is not the bureau
    scoring.panel_countersign(actor=municipal_reviewer(), panel=panel)
    panel.refresh_from_db()
    assert panel.status == "signed_off" and panel.countersigned_by is not None
    assert result_for(case.target, purpose="test_org_review").final is True


def test_after_lock_only_a_recorded_reopen_changes_anything(scored, admin):
    panel, _experts, case, users = scored
    chair = users[0]
    score_all(case, users, [80, 82, 84])
    scoring.panel_lock(actor=chair, panel=panel)
    scoring.panel_sign(actor=chair, panel=panel)
    scoring.panel_countersign(actor=municipal_reviewer(), panel=panel)
    with pytest.raises(PermissionDenied):
        scoring.panel_reopen(actor=chair, panel=panel, reason="发现计分错误")  # signed off
    with pytest.raises(ValidationError):
        scoring.panel_reopen(actor=admin, panel=panel, reason="  ")
    scoring.panel_reopen(actor=admin, panel=panel, reason="异议核查：需重新评分")
    panel.refresh_from_db()
    assert panel.status == "scoring" and panel.countersigned_at is None
    assert panel.chair_signed_at is None and panel.locked_at is None
    event = AuditEvent.objects.filter(action="panel.reopen").get()
    assert event.data["reason"] == "异议核查：需重新评分"
    assert {sheet_of(case, u).status for u in users} == {"submitted"}
    scoring.case_return(actor=chair, case=case, reason="按异议核查结果重新评分")
    score_all(case, users, [70, 72, 74])
    case.refresh_from_db()
    assert case.score == Decimal("72.00")


def test_a_member_who_withdraws_loses_their_assignments(scored, admin):
    panel, experts, case, users = scored
    member = panel.members.get(expert=experts[1])
    with pytest.raises(ValidationError):
        services.member_withdraw(actor=admin, member=member, reason="")
    services.member_withdraw(actor=admin, member=member, reason="因病退出")
    assert sheet_of(case, users[0]).status == "draft"
    assert not case.assignments.filter(member=member, status="assigned").exists()
    # the case now needs another scorer before it can settle
    score_all(case, [users[0], users[2]], [80, 80])
    case.refresh_from_db()
    assert case.status == "scoring"
    newcomer = expert()
    services.member_add(actor=admin, panel=panel, expert=newcomer)
    services.assignments_draw(actor=admin, panel=panel, seed=2)
    score_all(case, [expert_user(newcomer)], [80])
    case.refresh_from_db()
    assert case.status == "scored"


def test_every_write_is_audited(scored, admin):
    _panel, _experts, case, users = scored
    score_all(case, users, [80, 82, 84])
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "panel.created",
        "panel.member_added",
        "panel.chair_set",
        "panel.case_added",
        "panel.open",
        "panel.assignments_drawn",
        "panel_sheet.saved",
        "panel_sheet.submit",
        "panel_case.settle",
    } <= actions


def test_setup_needs_the_bureau_admin(admin, reviewer):
    panel, experts, cases = panel_ready(admin, n_experts=2)
    for actor in (
        reviewer,
        expert_user(experts[0]),
        UserFactory(role="org_admin", organisation=cases[0].target),
    ):
        with pytest.raises(PermissionDenied):
            services.assignments_draw(actor=actor, panel=panel, seed=1)
        with pytest.raises(PermissionDenied):
            services.member_add(actor=actor, panel=panel, expert=expert())
        with pytest.raises(PermissionDenied):
            services.panel_create(actor=actor, purpose="test_org_review", name="x")


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"purpose": "nope", "name": "x"}, "purpose"),
        ({"purpose": "test_org_review", "name": "  "}, "name"),
        (
            {"purpose": "test_org_review", "name": "x", "reference_date": "2019-06-01"},
            "reference_date",
        ),
    ],
)
def test_panel_create_refuses_bad_input(admin, kwargs, field):
    import datetime

    if "reference_date" in kwargs:
        kwargs["reference_date"] = datetime.date.fromisoformat(kwargs["reference_date"])
    with pytest.raises(ValidationError) as exc:
        services.panel_create(actor=admin, **kwargs)
    assert field in exc.value.message_dict  # 2019: no scheme in force yet
