"""Each verification rule at its edges, on plain data."""

import datetime

from haihe.supervision import profile
from haihe.supervision.verification import hms, hours_of, verify_person
from tests.supervision.plain import DAY, TZ, at, enrolment, params, record, session

PERSON = 7
ACTOR = "account:https://p1.example|u1"
ACCOUNTS = {(1, ACTOR): PERSON, (2, "account:https://p2.example|u1"): PERSON}


def run(records, enrolments, *, accounts=ACCOUNTS, p=None, **kw):
    p = p or params()
    return verify_person(
        person_id=PERSON,
        records=records,
        enrolments=enrolments,
        accounts=accounts,
        params_on=lambda day: p,
        tz=TZ,
        **kw,
    )


def rules(session_outcome):
    return [r.rule for r in session_outcome.reasons if not r.ok]


def test_a_clean_session_counts_in_full():
    e = enrolment()
    out = run(session(at(9), at(10), registration=e.registration), [e])
    assert out.seconds == {e.id: 3600}
    assert out.sessions[0].status == "counted"
    assert out.flags == []
    assert out.explanations[e.id].amount == hours_of(3600)


def test_open_session_counts_nothing_and_is_not_flagged():
    e = enrolment()
    start = record(profile.START, at(9), registration=e.registration, session="x")
    check = record(profile.FACE, at(9), registration=e.registration, session="x", success=True)
    out = run([start, check], [e])
    assert out.seconds[e.id] == 0
    assert out.sessions[0].status == "open"
    assert out.flags == []


def test_end_with_duration_alone_is_a_session():
    e = enrolment()
    end = record(
        profile.END,
        at(10),
        registration=e.registration,
        session="d",
        duration=datetime.timedelta(minutes=40),
    )
    check = record(profile.FACE, at(9, 20), registration=e.registration, session="d", success=True)
    out = run([end, check], [e])
    assert out.sessions[0].started_at == at(9, 20)
    assert out.seconds[e.id] == 40 * 60


def test_claimed_duration_shorter_than_elapsed_counts_the_claim():
    e = enrolment()
    recs = session(
        at(9), at(10), registration=e.registration, duration=datetime.timedelta(minutes=50)
    )
    out = run(recs, [e])
    assert out.seconds[e.id] == 50 * 60
    assert any(r.rule == "supervision.duration" for r in out.sessions[0].reasons)


def test_end_before_start_is_excluded_and_flagged():
    e = enrolment()
    out = run(session(at(10), at(9), registration=e.registration, checks=[]), [e])
    assert out.seconds[e.id] == 0
    assert [f.kind for f in out.flags] == ["invalid_session"]


# face checks ---------------------------------------------------------------------------------
def test_no_face_check_at_start_counts_zero():
    e = enrolment()
    recs = session(at(9), at(9, 30), registration=e.registration, checks=[(at(9, 5, 1), True)])
    out = run(recs, [e])
    assert out.seconds[e.id] == 0
    assert rules(out.sessions[0]) == ["supervision.face_check_start"]
    assert [f.kind for f in out.flags] == ["face_check"]


def test_face_check_exactly_at_the_start_tolerance_passes():
    e = enrolment()
    recs = session(at(9), at(9, 30), registration=e.registration, checks=[(at(9, 5), True)])
    assert run(recs, [e]).seconds[e.id] == 30 * 60


def test_face_check_just_before_start_within_tolerance_passes():
    e = enrolment()
    recs = session(at(9), at(9, 30), registration=e.registration, checks=[(at(8, 55), True)])
    assert run(recs, [e]).seconds[e.id] == 30 * 60


def test_failed_face_check_at_start_counts_zero():
    e = enrolment()
    recs = session(at(9), at(9, 30), registration=e.registration, checks=[(at(9), False)])
    out = run(recs, [e])
    assert out.seconds[e.id] == 0
    assert out.flags[0].kind == "face_check"


def test_roll_call_exactly_at_the_interval_passes():
    e = enrolment()
    recs = session(
        at(9), at(10, 30), registration=e.registration, checks=[(at(9), True), (at(9, 45), True)]
    )
    out = run(recs, [e])
    assert out.seconds[e.id] == 90 * 60
    assert out.flags == []


def test_roll_call_one_second_late_counts_zero():
    e = enrolment()
    recs = session(
        at(9),
        at(10, 30),
        registration=e.registration,
        checks=[(at(9), True), (at(9, 45, 1), True)],
    )
    out = run(recs, [e])
    assert out.seconds[e.id] == 0
    assert rules(out.sessions[0]) == ["supervision.face_check_interval"]


def test_last_check_to_end_must_be_within_the_interval():
    e = enrolment()
    recs = session(at(9), at(9, 45, 1), registration=e.registration, checks=[(at(9), True)])
    assert run(recs, [e]).seconds[e.id] == 0
    recs = session(at(9), at(9, 45), registration=e.registration, checks=[(at(9), True)])
    assert run(recs, [e]).seconds[e.id] == 45 * 60


def test_a_failed_roll_call_retried_in_time_passes():
    e = enrolment()
    checks = [(at(9), True), (at(9, 40), False), (at(9, 42), True)]
    recs = session(at(9), at(10), registration=e.registration, checks=checks)
    assert run(recs, [e]).seconds[e.id] == 60 * 60


def test_a_failed_roll_call_not_retried_counts_zero():
    e = enrolment()
    checks = [(at(9), True), (at(9, 40), False)]
    recs = session(at(9), at(10), registration=e.registration, checks=checks)
    assert run(recs, [e]).seconds[e.id] == 0


def test_face_check_of_another_session_does_not_count():
    e = enrolment()
    recs = session(at(9), at(9, 30), registration=e.registration, checks=[], session_id="a")
    recs.append(record(profile.FACE, at(9), registration=e.registration, session="b", success=True))
    assert run(recs, [e]).seconds[e.id] == 0


# identity and platform ------------------------------------------------------------------------
def test_unregistered_account_counts_zero_and_is_flagged():
    e = enrolment()
    out = run(session(at(9), at(10), registration=e.registration), [e], accounts={})
    assert out.seconds[e.id] == 0
    assert [f.kind for f in out.flags] == ["unregistered_account"]


def test_account_of_another_person_counts_zero_and_is_flagged():
    e = enrolment()
    out = run(session(at(9), at(10), registration=e.registration), [e], accounts={(1, ACTOR): 99})
    assert out.seconds[e.id] == 0
    assert [f.kind for f in out.flags] == ["identity_mismatch"]


def test_statement_from_another_platform_counts_zero():
    e = enrolment(platform=1)
    recs = session(at(9), at(10), registration=e.registration, platform=2)
    out = run(recs, [e])
    assert out.seconds[e.id] == 0
    assert [f.kind for f in out.flags] == ["wrong_platform"]


def test_unknown_registration_of_own_account_is_flagged_without_enrolment():
    e = enrolment()
    out = run(session(at(9), at(10), registration="00000000-0000-4000-8000-000000000000"), [e])
    assert out.seconds[e.id] == 0
    assert [(f.kind, f.enrolment_id) for f in out.flags] == [("unknown_registration", None)]


def test_foreign_registration_is_left_to_its_own_person():
    e = enrolment()
    foreign = "00000000-0000-4000-8000-000000000001"
    out = run(
        session(at(9), at(10), registration=foreign),
        [e],
        foreign_registrations=frozenset({foreign}),
    )
    assert out.sessions == [] and out.flags == []


# class dates and completion ---------------------------------------------------------------------
def test_session_ending_at_midnight_after_the_last_day_counts_in_full():
    last = DAY
    e = enrolment(start=DAY - datetime.timedelta(days=5), end=last)
    recs = session(
        at(23), at(0, day=last + datetime.timedelta(days=1)), registration=e.registration
    )
    out = run(recs, [e])
    assert out.seconds[e.id] == 3600
    assert out.flags == []


def test_session_running_into_the_day_after_the_last_day_is_clipped_and_flagged():
    last = DAY
    e = enrolment(start=DAY - datetime.timedelta(days=5), end=last)
    recs = session(
        at(23), at(0, 0, 1, day=last + datetime.timedelta(days=1)), registration=e.registration
    )
    out = run(recs, [e])
    assert out.seconds[e.id] == 3600
    assert [f.kind for f in out.flags] == ["outside_class_dates"]
    assert out.sessions[0].status == "partial"


def test_session_before_the_first_day_counts_zero():
    e = enrolment(start=DAY + datetime.timedelta(days=1))
    out = run(session(at(9), at(10), registration=e.registration), [e])
    assert out.seconds[e.id] == 0
    assert [f.kind for f in out.flags] == ["outside_class_dates"]


def test_time_after_completion_is_not_counted():
    e = enrolment(completed_at=at(9, 30))
    out = run(session(at(9), at(10), registration=e.registration), [e])
    assert out.seconds[e.id] == 30 * 60
    assert [f.kind for f in out.flags] == ["after_completion"]


def test_session_ending_exactly_at_completion_is_not_flagged():
    e = enrolment(completed_at=at(10))
    out = run(session(at(9), at(10), registration=e.registration), [e])
    assert out.seconds[e.id] == 3600
    assert out.flags == []


# overlaps -----------------------------------------------------------------------------------
def test_overlap_across_platforms_counts_once_and_is_flagged():
    e1 = enrolment(1, platform=1)
    e2 = enrolment(2, platform=2)
    recs = session(at(9), at(10), registration=e1.registration, platform=1)
    recs += session(at(9, 30), at(10, 30), registration=e2.registration, platform=2)
    out = run(recs, [e1, e2])
    assert out.seconds == {1: 3600, 2: 1800}
    assert [f.kind for f in out.flags] == ["overlap_cross_platform"]
    assert out.flags[0].enrolment_id == 2


def test_overlap_by_one_second_beyond_tolerance_is_flagged():
    e1, e2 = enrolment(1, platform=1), enrolment(2, platform=2)
    recs = session(at(9), at(10, 1, 1), registration=e1.registration, platform=1)
    recs += session(at(10), at(11), registration=e2.registration, platform=2)
    out = run(recs, [e1, e2])
    assert out.seconds == {1: 3661, 2: 3539}
    assert [f.kind for f in out.flags] == ["overlap_cross_platform"]


def test_overlap_exactly_at_tolerance_counts_once_but_is_not_flagged():
    e1, e2 = enrolment(1, platform=1), enrolment(2, platform=2)
    recs = session(at(9), at(10, 1), registration=e1.registration, platform=1)
    recs += session(at(10), at(11), registration=e2.registration, platform=2)
    out = run(recs, [e1, e2])
    assert out.seconds == {1: 3660, 2: 3540}
    assert out.flags == []
    assert any(r.rule == "supervision.overlap" and r.ok for r in out.sessions[1].reasons)


def test_overlap_by_one_second_with_zero_tolerance_is_flagged():
    e1, e2 = enrolment(1, platform=1), enrolment(2, platform=2)
    recs = session(at(9), at(10, 0, 1), registration=e1.registration, platform=1)
    recs += session(at(10), at(11), registration=e2.registration, platform=2)
    out = run(recs, [e1, e2], p=params(overlap=0))
    assert out.seconds == {1: 3601, 2: 3599}
    assert [f.kind for f in out.flags] == ["overlap_cross_platform"]


def test_back_to_back_sessions_do_not_overlap():
    e = enrolment()
    recs = session(at(9), at(10), registration=e.registration)
    recs += session(at(10), at(11), registration=e.registration)
    out = run(recs, [e], p=params(overlap=0))
    assert out.seconds[e.id] == 7200
    assert out.flags == []


def test_overlap_on_one_platform_is_flagged_as_overlap():
    e = enrolment()
    recs = session(at(9), at(10), registration=e.registration)
    recs += session(at(9, 10), at(9, 50), registration=e.registration)
    out = run(recs, [e])
    assert out.seconds[e.id] == 3600
    assert [f.kind for f in out.flags] == ["overlap"]
    assert sorted(s.status for s in out.sessions) == ["counted", "excluded"]


def test_excluded_session_does_not_shadow_a_good_one():
    e1, e2 = enrolment(1, platform=1), enrolment(2, platform=2)
    recs = session(at(9), at(10), registration=e1.registration, platform=1, checks=[])
    recs += session(at(9, 30), at(10, 30), registration=e2.registration, platform=2)
    out = run(recs, [e1, e2])
    assert out.seconds == {1: 0, 2: 3600}
    assert [f.kind for f in out.flags] == ["face_check"]


# daily cap ------------------------------------------------------------------------------------
def _day_of(hours, e, start_hour=8):
    recs = []
    t = at(start_hour)
    for _ in range(hours):
        recs += session(t, t + datetime.timedelta(hours=1), registration=e.registration)
        t += datetime.timedelta(hours=1)
    return recs


def test_exactly_the_daily_cap_counts_in_full():
    e = enrolment()
    out = run(_day_of(8, e), [e])
    assert out.seconds[e.id] == 8 * 3600
    assert out.flags == []


def test_one_second_over_the_daily_cap_is_cut_and_flagged():
    e = enrolment()
    recs = _day_of(8, e)
    recs += session(at(16), at(16, 0, 1), registration=e.registration, checks=[(at(16), True)])
    out = run(recs, [e])
    assert out.seconds[e.id] == 8 * 3600
    assert [f.kind for f in out.flags] == ["daily_cap"]
    assert out.flags[0].day == DAY
    assert out.flags[0].reason.parameter.key == "supervision.daily_cap_hours"


def test_daily_cap_is_per_person_across_enrolments():
    e1, e2 = enrolment(1, platform=1), enrolment(2, platform=2)
    recs = session(
        at(6),
        at(11),
        registration=e1.registration,
        platform=1,
        checks=[(at(6) + datetime.timedelta(minutes=30 * i), True) for i in range(10)],
    )
    recs += session(
        at(12),
        at(17),
        registration=e2.registration,
        platform=2,
        checks=[(at(12) + datetime.timedelta(minutes=30 * i), True) for i in range(10)],
    )
    out = run(recs, [e1, e2])
    assert out.seconds == {1: 5 * 3600, 2: 3 * 3600}
    assert [f.kind for f in out.flags] == ["daily_cap"]


def test_session_across_midnight_counts_against_both_days():
    e = enrolment()
    start = at(20)
    recs = session(start, start + datetime.timedelta(hours=6), registration=e.registration)
    out = run(recs, [e], p=params(cap=4))
    # 20:00-24:00 on day 1 (4 h, at the cap) and 00:00-02:00 on day 2
    assert out.seconds[e.id] == 6 * 3600
    assert out.flags == []


def test_cap_follows_the_dated_value_of_the_day():
    e = enrolment()
    recs = _day_of(8, e)
    p6 = params(cap=6)
    p8 = params(cap=8)
    out = verify_person(
        person_id=PERSON,
        records=recs,
        enrolments=[e],
        accounts=ACCOUNTS,
        params_on=lambda day: p6 if day >= DAY else p8,
        tz=TZ,
    )
    assert out.seconds[e.id] == 6 * 3600


# explanations ---------------------------------------------------------------------------------
def test_explanation_names_every_rule_with_its_parameter():
    e = enrolment()
    recs = session(at(9), at(10), registration=e.registration)
    recs += session(at(11), at(11, 30), registration=e.registration, checks=[])
    out = run(recs, [e])
    decision = out.explanations[e.id]
    assert decision.amount == hours_of(3600)
    head = decision.reasons[0]
    assert head.rule == "supervision.enrolment_total"
    assert head.params["counted"] == 1 and head.params["excluded"] == 1
    refusal = decision.refusals[0]
    assert refusal.rule == "supervision.face_check_start"
    data = refusal.as_dict()
    assert data["parameter"] == "supervision.face_check_start_tolerance_minutes"
    assert data["value"] == 5
    assert data["effective_from"] == "2020-01-01"
    assert "5" in refusal.message
    excluded = next(s for s in out.sessions if s.status == "excluded")
    assert data["params"]["session"] == excluded.key


def test_counted_session_explains_its_face_checks():
    e = enrolment()
    out = run(session(at(9), at(10), registration=e.registration), [e])
    rules_ok = [r.rule for r in out.sessions[0].reasons if r.ok]
    assert rules_ok == [
        "supervision.face_check_start_ok",
        "supervision.face_check_interval_ok",
        "supervision.counted",
    ]


def test_hms_and_hours():
    assert hms(3661) == "1:01:01"
    assert hours_of(3599) == hours_of(3599)  # rounds down
    assert str(hours_of(3599)) == "0.99"
    assert str(hours_of(8 * 3600)) == "8.00"


def test_parse_duration():
    assert profile.parse_duration("PT1H30M") == datetime.timedelta(minutes=90)
    assert profile.parse_duration("PT0.5S") == datetime.timedelta(seconds=0.5)
    assert profile.parse_duration("P1DT1S") == datetime.timedelta(days=1, seconds=1)
    assert profile.parse_duration("P1M") is None
    assert profile.parse_duration("PT") is None
    assert profile.parse_duration(None) is None


def test_overlap_with_a_session_outside_its_class_dates_is_still_flagged():
    """Learning in two places at once is suspicious even when one place does not count it."""
    e1 = enrolment(1, platform=1)
    e2 = enrolment(2, platform=2, start=DAY + datetime.timedelta(days=40))
    recs = session(at(9), at(10), registration=e1.registration, platform=1)
    recs += session(at(9, 30), at(10, 30), registration=e2.registration, platform=2)
    out = run(recs, [e1, e2])
    assert out.seconds == {1: 3600, 2: 0}
    assert sorted(f.kind for f in out.flags) == ["outside_class_dates", "overlap_cross_platform"]
