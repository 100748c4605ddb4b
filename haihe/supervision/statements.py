"""Statements that follow the Haihe xAPI profile (docs/xapi-profile.md).

Used by the demo to produce the platforms' streams, by the tests, and as the reference for the
examples in the profile document. Every statement carries its own id, so sending a batch twice
is harmless (the store accepts identical statements idempotently)."""

import datetime
import uuid

from haihe.core import clock
from haihe.supervision import profile


def new_uuid() -> str:
    return str(uuid.uuid4())


def iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def duration(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"PT{hours}H{minutes}M{secs}S"


def agent(home_page: str, name: str) -> dict:
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": name}}


def _verb(verb_id: str, zh: str, en: str) -> dict:
    return {"id": verb_id, "display": {"zh-CN": zh, "en-US": en}}


def _activity(activity_id: str, activity_type: str, zh: str, en: str = "") -> dict:
    return {
        "objectType": "Activity",
        "id": activity_id,
        "definition": {"type": activity_type, "name": {"zh-CN": zh, "en-US": en or zh}},
    }


def real_name_registration(
    *,
    home_page: str,
    account: str,
    ric: str,
    real_name: str,
    at: datetime.datetime,
    new_id=new_uuid,
) -> dict:
    """The platform declares that its account `account` belongs to the person with this RIC,
    after checking the identity card and the face (profile section 2)."""
    return {
        "id": new_id(),
        "actor": agent(home_page, account),
        "verb": _verb(profile.VERB_REGISTERED, "完成实名登记", "registered with real name"),
        "object": _activity(
            f"{home_page.rstrip('/')}/accounts", profile.TYPE_PLATFORM_ACCOUNT, "平台学员账号"
        ),
        "context": {
            "platform": home_page,
            "extensions": {profile.EXT_RIC: ric, profile.EXT_REAL_NAME: real_name},
        },
        "timestamp": iso(at),
    }


def _context(registration, session_id, home_page, course_id, extra=None) -> dict:
    extensions = {profile.EXT_SESSION_ID: session_id}
    extensions.update(extra or {})
    return {
        "registration": str(registration),
        "platform": home_page,
        "contextActivities": {
            "parent": [{"objectType": "Activity", "id": course_id}],
            "category": [{"objectType": "Activity", "id": profile.PROFILE}],
        },
        "extensions": extensions,
    }


def session_statements(
    *,
    new_id=new_uuid,
    home_page: str,
    account: str,
    registration,
    course_id: str,
    lesson_id: str,
    start: datetime.datetime,
    end: datetime.datetime | None,
    checks: list[tuple[datetime.datetime, bool]],
    claimed_seconds: float | None = None,
    session_id: str | None = None,
    progress: bool = True,
) -> list[dict]:
    """One learning session: initialized, face checks (the first at the start, then roll-calls),
    a progress statement half-way (optional in the profile: `progress=False` leaves it out), and
    terminated with result.duration (unless still open)."""
    session_id = session_id or new_id()
    actor = agent(home_page, account)
    lesson = _activity(lesson_id, profile.TYPE_LESSON, "课程学习", "lesson")
    context = _context(registration, session_id, home_page, course_id)
    out = [
        {
            "id": new_id(),
            "actor": actor,
            "verb": _verb(profile.VERB_INITIALIZED, "开始学习", "initialized"),
            "object": lesson,
            "context": context,
            "timestamp": iso(start),
        }
    ]
    # what face_check() builds, made once per session (demo streams have millions of checks)
    face_verb = _verb(profile.VERB_FACE_VERIFIED, "人脸核验", "face verified")
    face_object = _face_check_activity(home_page)
    face_context = {
        kind: _context(
            registration, session_id, home_page, course_id, {profile.EXT_CHECK_KIND: kind}
        )
        for kind in ("start", "roll-call")
    }
    for index, (moment, ok) in enumerate(checks):
        out.append(
            {
                "id": new_id(),
                "actor": actor,
                "verb": face_verb,
                "object": face_object,
                "result": {"success": ok},
                "context": face_context["start" if index == 0 else "roll-call"],
                "timestamp": iso(moment),
            }
        )
    if end is not None and progress:
        middle = start + (end - start) / 2
        out.append(
            {
                "id": new_id(),
                "actor": actor,
                "verb": _verb(profile.VERB_PROGRESSED, "学习进度", "progressed"),
                "object": lesson,
                "result": {
                    "extensions": {"https://w3id.org/xapi/cmi5/result/extensions/progress": 50}
                },
                "context": context,
                "timestamp": iso(middle),
            }
        )
    if end is not None:
        seconds = (end - start).total_seconds() if claimed_seconds is None else claimed_seconds
        out.append(
            {
                "id": new_id(),
                "actor": actor,
                "verb": _verb(profile.VERB_TERMINATED, "结束学习", "terminated"),
                "object": lesson,
                "result": {"duration": duration(seconds)},
                "context": context,
                "timestamp": iso(end),
            }
        )
    return out


def _face_check_activity(home_page: str) -> dict:
    return _activity(
        f"{home_page.rstrip('/')}/face-check", profile.TYPE_FACE_CHECK, "人脸核验", "face check"
    )


def face_check(
    *,
    new_id=new_uuid,
    home_page: str,
    account: str,
    registration,
    course_id: str,
    session_id: str,
    at: datetime.datetime,
    success: bool,
    kind: str = "roll-call",
) -> dict:
    return {
        "id": new_id(),
        "actor": agent(home_page, account),
        "verb": _verb(profile.VERB_FACE_VERIFIED, "人脸核验", "face verified"),
        "object": _face_check_activity(home_page),
        "result": {"success": success},
        "context": _context(
            registration, session_id, home_page, course_id, {profile.EXT_CHECK_KIND: kind}
        ),
        "timestamp": iso(at),
    }


def assessment(
    *,
    new_id=new_uuid,
    home_page: str,
    account: str,
    registration,
    course_id: str,
    at: datetime.datetime,
    score: int,
    passing: int = 60,
) -> dict:
    passed = score >= passing
    return {
        "id": new_id(),
        "actor": agent(home_page, account),
        "verb": _verb(
            profile.VERB_PASSED if passed else profile.VERB_FAILED,
            "考核通过" if passed else "考核未通过",
            "passed" if passed else "failed",
        ),
        "object": _activity(
            f"{course_id.rstrip('/')}/assessment", profile.TYPE_ASSESSMENT, "结业考核", "assessment"
        ),
        "result": {
            "score": {"scaled": score / 100, "raw": score, "min": 0, "max": 100},
            "success": passed,
            "completion": True,
        },
        "context": {
            "registration": str(registration),
            "platform": home_page,
            "contextActivities": {
                "parent": [{"objectType": "Activity", "id": course_id}],
                "category": [{"objectType": "Activity", "id": profile.PROFILE}],
            },
        },
        "timestamp": iso(at),
    }


def voiding(*, home_page: str, operator: str, target_id: str, new_id=new_uuid) -> dict:
    return {
        "id": new_id(),
        "actor": agent(home_page, operator),
        "verb": _verb(profile.VERB_VOIDED, "作废", "voided"),
        "object": {"objectType": "StatementRef", "id": target_id},
        "timestamp": iso(clock.now()),
    }
