"""The Haihe xAPI profile: the IRIs online training platforms use (docs/xapi-profile.md).

Standard ADL and cmi5 IRIs where one exists; the profile's own IRIs live under `PROFILE`.
`classify(payload)` turns a stored statement into the plain facts verification needs.
"""

import datetime
import functools
import re
import uuid
from dataclasses import dataclass

PROFILE = "https://haihe.hrss.tj.gov.cn/xapi/profile"

# Verbs ---------------------------------------------------------------------------------------
VERB_INITIALIZED = "http://adlnet.gov/expapi/verbs/initialized"
VERB_PROGRESSED = "http://adlnet.gov/expapi/verbs/progressed"
VERB_TERMINATED = "http://adlnet.gov/expapi/verbs/terminated"
VERB_FACE_VERIFIED = f"{PROFILE}/verbs/face-verified"
VERB_REGISTERED = f"{PROFILE}/verbs/real-name-registered"
VERB_PASSED = "http://adlnet.gov/expapi/verbs/passed"
VERB_FAILED = "http://adlnet.gov/expapi/verbs/failed"
VERB_VOIDED = "http://adlnet.gov/expapi/verbs/voided"

# Activity types ------------------------------------------------------------------------------
TYPE_COURSE = "http://adlnet.gov/expapi/activities/course"
TYPE_LESSON = "http://adlnet.gov/expapi/activities/lesson"
TYPE_ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
TYPE_FACE_CHECK = f"{PROFILE}/activity-types/face-check"
TYPE_PLATFORM_ACCOUNT = f"{PROFILE}/activity-types/platform-account"

# Context extensions --------------------------------------------------------------------------
EXT_SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
EXT_CHECK_KIND = f"{PROFILE}/extensions/face-check-kind"  # "start" | "roll-call"
EXT_RIC = f"{PROFILE}/extensions/ric"
EXT_REAL_NAME = f"{PROFILE}/extensions/real-name"

# Roles a statement plays in verification.
START, PROGRESS, END, FACE, REGISTER, ASSESS, OTHER = (
    "start",
    "progress",
    "end",
    "face",
    "register",
    "assess",
    "other",
)
ROLE_OF_VERB = {
    VERB_INITIALIZED: START,
    VERB_PROGRESSED: PROGRESS,
    VERB_TERMINATED: END,
    VERB_FACE_VERIFIED: FACE,
    VERB_REGISTERED: REGISTER,
    VERB_PASSED: ASSESS,
    VERB_FAILED: ASSESS,
}

_DURATION_RE = re.compile(
    r"^P(?:(?P<weeks>\d+(?:\.\d+)?)W)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(value) -> datetime.timedelta | None:
    """An ISO 8601 duration of weeks, days, hours, minutes and seconds; None if absent or if it
    uses years or months (not a length of time a learning session can be measured in)."""
    if not isinstance(value, str) or value in ("P", "PT") or value.endswith("T"):
        return None
    match = _DURATION_RE.match(value)
    if match is None:
        return None
    parts = {k: float(v) for k, v in match.groupdict().items() if v is not None}
    return datetime.timedelta(
        weeks=parts.get("weeks", 0),
        days=parts.get("days", 0),
        hours=parts.get("hours", 0),
        minutes=parts.get("minutes", 0),
        seconds=parts.get("seconds", 0),
    )


@dataclass(frozen=True)
class Record:
    """A stored statement reduced to what verification reads."""

    pk: int
    statement_id: str
    platform_id: int
    actor_key: str
    registration: str | None
    role: str
    timestamp: datetime.datetime
    session_id: str | None = None
    success: bool | None = None
    duration: datetime.timedelta | None = None
    check_kind: str | None = None
    ric: str | None = None
    real_name: str | None = None


@functools.lru_cache(maxsize=4096)  # a registration recurs in every statement of an enrolment
def _normal_uuid(value) -> str | None:
    if value in (None, ""):
        return None
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def to_record(
    *,
    pk: int,
    statement_id,
    platform_id: int,
    actor_key: str,
    registration,
    verb_id: str,
    timestamp: datetime.datetime,
    payload: dict,
) -> Record:
    role = ROLE_OF_VERB.get(verb_id, OTHER)
    context = payload.get("context") or {}
    extensions = context.get("extensions") or {}
    result = payload.get("result") or {}
    session_id = extensions.get(EXT_SESSION_ID)
    success = result.get("success")
    return Record(
        pk=pk,
        statement_id=str(statement_id),
        platform_id=platform_id,
        actor_key=actor_key,
        registration=_normal_uuid(registration),
        role=role,
        timestamp=timestamp,
        session_id=str(session_id) if session_id not in (None, "") else None,
        success=success if isinstance(success, bool) else None,
        duration=parse_duration(result.get("duration")),
        check_kind=extensions.get(EXT_CHECK_KIND) if role == FACE else None,
        ric=str(extensions.get(EXT_RIC) or "") or None if role == REGISTER else None,
        real_name=str(extensions.get(EXT_REAL_NAME) or "") or None if role == REGISTER else None,
    )
