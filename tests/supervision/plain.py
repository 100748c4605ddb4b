"""Plain-data builders for the verification rules (no database)."""

import datetime
import itertools
import uuid
import zoneinfo

from haihe.policy.rules import ParamValue
from haihe.supervision import profile
from haihe.supervision.verification import EnrolmentFacts, Params

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2020, 5, 11)
_pks = itertools.count(1)


def at(hour: int, minute: int = 0, second: int = 0, day: datetime.date = DAY):
    return datetime.datetime.combine(day, datetime.time(hour, minute, second), tzinfo=TZ)


def params(cap=8, start_tol=5, interval=45, overlap=60) -> Params:
    since = datetime.date(2020, 1, 1)
    return Params(
        daily_cap=ParamValue("supervision.daily_cap_hours", cap, since, "test"),
        face_start_tolerance=ParamValue(
            "supervision.face_check_start_tolerance_minutes", start_tol, since, "test"
        ),
        face_interval=ParamValue("supervision.face_check_interval_minutes", interval, since),
        overlap_tolerance=ParamValue("supervision.overlap_tolerance_seconds", overlap, since),
    )


def record(
    role,
    timestamp,
    *,
    platform=1,
    actor="account:https://p1.example|u1",
    registration=None,
    session="s1",
    success=None,
    duration=None,
    pk=None,
):
    return profile.Record(
        pk=pk or next(_pks),
        statement_id=str(uuid.uuid4()),
        platform_id=platform,
        actor_key=actor,
        registration=registration,
        role=role,
        timestamp=timestamp,
        session_id=session,
        success=success,
        duration=duration,
    )


def session(
    start, end, *, checks=None, registration, platform=1, actor=None, session_id=None, duration=None
):
    """Start, end and face checks (default: one successful check at the start, and one every
    30 minutes) of one session."""
    actor = actor or f"account:https://p{platform}.example|u1"
    session_id = session_id or str(uuid.uuid4())
    if checks is None:
        checks, t = [], start
        while t < end:
            checks.append((t, True))
            t += datetime.timedelta(minutes=30)
    common = {"platform": platform, "actor": actor, "session": session_id}
    out = [
        record(profile.START, start, registration=registration, **common),
        record(profile.END, end, registration=registration, duration=duration, **common),
    ]
    out += [
        record(profile.FACE, t, registration=registration, success=ok, **common) for t, ok in checks
    ]
    return out


def enrolment(
    id=1, *, registration=None, person=7, platform=1, start=DAY, end=None, completed_at=None
) -> EnrolmentFacts:
    return EnrolmentFacts(
        id=id,
        registration=registration or str(uuid.uuid4()),
        person_id=person,
        platform_id=platform,
        class_start=start,
        class_end=end or start + datetime.timedelta(days=30),
        completed_at=completed_at,
    )
