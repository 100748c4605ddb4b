"""The supervision API (mounted at /api/v1/supervision): verified online hours per enrolment with
their explanation, a trainee's learning sessions, and the flag queue with resolve and dismiss.

The same reads and writes as the supervisor pages: the supervised classes and `visible_to(user)`
of scopes.py (anything outside them is a 404), perms.py for who may look at all (403 otherwise)
and the flag workflow of services.py for who may close a flag (403 for a role that may not)."""

import datetime
from decimal import Decimal
from uuid import UUID

from django.http import Http404
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from haihe.accounts.api_auth import allowed
from haihe.core.apischema import Id, Pagination, ReasonOut
from haihe.supervision import perms, selectors, services
from haihe.supervision.filters import FlagFilter, HoursFilter, SessionFilter
from haihe.supervision.models import LearningSession, SessionStatus, VerifiedHours
from haihe.supervision.scopes import supervised_enrolments

# Who may look at supervision at all (403 otherwise, as on the pages), checked before the request
# is read; anything outside the caller's scope is a 404.
router = Router(
    tags=["supervision"],
    auth=allowed(perms.can_view_supervision, gettext_lazy("您无权查看线上培训监管数据。")),
)


class FaceCheckOut(Schema):
    at: datetime.datetime
    ok: bool


class SessionOut(Schema):
    id: int
    key: str = Field(description="platform|account|session id")
    person_id: int
    enrolment_id: int | None
    class_id: int | None
    platform_id: int
    platform: str
    actor_key: str
    session_id: str
    registration: UUID | None
    started_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    claimed_seconds: int | None = Field(description="result.duration reported by the platform")
    elapsed_seconds: int | None = Field(description="from the start to the end statement")
    counted_seconds: int
    counted_hours: Decimal
    status: str = Field(description="open | counted | partial | excluded")
    status_label: str
    face_checks_passed: int
    face_checks_failed: int
    face_checks: list[FaceCheckOut]
    reasons: list[ReasonOut] = Field(description="what counted, what did not, and why")

    @staticmethod
    def resolve_class_id(obj):
        return obj.enrolment.training_class_id if obj.enrolment_id else None

    @staticmethod
    def resolve_platform(obj):
        return obj.platform.name

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_face_checks_passed(obj):
        return sum(1 for _at, ok in obj.face_checks if ok)

    @staticmethod
    def resolve_face_checks_failed(obj):
        return sum(1 for _at, ok in obj.face_checks if not ok)

    @staticmethod
    def resolve_face_checks(obj):
        return [{"at": at, "ok": ok} for at, ok in obj.face_checks]

    @staticmethod
    def resolve_reasons(obj):
        return [r.as_dict() for r in obj.reason_objects()]


class HoursOut(Schema):
    enrolment_id: int = Field(alias="pk")
    registration: UUID = Field(description="the enrolment's registration number (学习登记号)")
    class_id: int = Field(alias="training_class_id")
    class_name: str = Field(alias="training_class.name")
    platform_id: int = Field(alias="training_class.platform_id")
    person_id: int
    person: str = Field(description="name and masked RIC")
    enrolment_status: str = Field(alias="status")
    planned_hours: Decimal = Field(
        alias="training_class.planned_hours", description="the class's planned hours"
    )
    hours: Decimal = Field(description="verified online hours (rounded down to 0.01)")
    seconds: int
    computed_at: datetime.datetime | None = Field(description="null: no statements yet")

    @staticmethod
    def resolve_person(obj):
        return str(obj.person)

    @staticmethod
    def resolve_hours(obj):
        verified = _verified(obj)
        return verified.hours if verified else Decimal("0.00")

    @staticmethod
    def resolve_seconds(obj):
        verified = _verified(obj)
        return verified.seconds if verified else 0

    @staticmethod
    def resolve_computed_at(obj):
        verified = _verified(obj)
        return verified.computed_at if verified else None


class HoursDetail(HoursOut):
    ok: bool = Field(description="false when some learning was not counted")
    sessions_by_status: dict[str, int] = Field(description="open, counted, partial, excluded")
    explanation: list[ReasonOut] = Field(
        description="the total, then every rule that kept time from counting, by session"
    )
    sessions: list[SessionOut] = Field(description="this enrolment's sessions, in time order")


class FlagOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str = Field(description="open | resolved | dismissed | withdrawn")
    status_label: str
    platform_id: int | None
    platform: str | None
    person_id: int | None
    person: str | None = Field(description="name and masked RIC")
    enrolment_id: int | None
    class_id: int | None
    district: str | None = Field(description="district code")
    session_key: str
    day: datetime.date | None
    reason: ReasonOut | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    closed_at: datetime.datetime | None
    closed_by: str | None
    close_reason: str
    can_close: bool = Field(description="whether the caller may resolve or dismiss it")

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_platform(obj):
        return obj.platform.name if obj.platform_id else None

    @staticmethod
    def resolve_person(obj):
        return str(obj.person) if obj.person_id else None

    @staticmethod
    def resolve_class_id(obj):
        return obj.enrolment.training_class_id if obj.enrolment_id else None

    @staticmethod
    def resolve_district(obj):
        return obj.district.code if obj.district_id else None

    @staticmethod
    def resolve_reason(obj):
        reason = obj.reason
        return reason.as_dict() if reason else None

    @staticmethod
    def resolve_closed_by(obj):
        return obj.closed_by.get_username() if obj.closed_by_id else None

    @staticmethod
    def resolve_can_close(obj, context):
        return perms.can_close_flag(context["request"].auth, obj)


class FlagDetail(FlagOut):
    sessions: list[SessionOut] = Field(description="the session(s) the flag is about")


class CloseIn(Schema):
    reason: str = Field(
        "", max_length=2000, description="required: why the flag is resolved or dismissed"
    )


# helpers ------------------------------------------------------------------------------------
class _With:
    """A row with the extra attributes of a detail answer (the row itself is not changed)."""

    def __init__(self, row, **extra):
        self._row = row
        self.__dict__.update(extra)

    def __getattr__(self, name):
        return getattr(self._row, name)


def _verified(enrolment) -> VerifiedHours | None:
    try:
        return enrolment.verified_online
    except VerifiedHours.DoesNotExist:
        return None


def _get(queryset, pk: int):
    """One row of a scoped queryset; anything outside the caller's scope is a 404."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _sessions(queryset):
    return queryset.select_related("platform", "enrolment").order_by("started_at", "id")


# verified hours -----------------------------------------------------------------------------
@router.get(
    "/hours",
    response=list[HoursOut],
    summary="Verified online hours per enrolment (online and blended classes)",
)
@paginate(Pagination)
def hours(request, filters: Query[HoursFilter]):
    rows = filters.filter(selectors.supervised_enrolment_rows(request.auth))
    return rows.order_by("training_class_id", "id")


@router.get(
    "/hours/{enrolment_id}",
    response=HoursDetail,
    summary="An enrolment's verified hours: which sessions counted, which did not, and why",
)
def hours_detail(request, enrolment_id: Id):
    user = request.auth
    enrolment = _get(selectors.supervised_enrolment_rows(user), enrolment_id)
    verified = _verified(enrolment)
    sessions = list(
        _sessions(LearningSession.objects.visible_to(user).filter(enrolment_id=enrolment.pk))
    )
    by_status = {status: 0 for status in SessionStatus.values}
    for session in sessions:
        by_status[session.status] = by_status.get(session.status, 0) + 1
    return Status(
        200,
        _With(
            enrolment,
            ok=verified.explanation.get("ok", True) if verified else True,
            sessions_by_status=by_status,
            explanation=[r.as_dict() for r in verified.reason_objects()] if verified else [],
            sessions=sessions,
        ),
    )


# a trainee's sessions -----------------------------------------------------------------------
@router.get(
    "/trainees/{person_id}/sessions",
    response=list[SessionOut],
    summary="A trainee's learning sessions on every platform and enrolment the caller may see",
)
@paginate(Pagination)
def trainee_sessions(request, person_id: Id, filters: Query[SessionFilter]):
    user = request.auth
    rows = selectors.trainee_sessions(user, person_id)
    if not (rows.exists() or supervised_enrolments(user).filter(person_id=person_id).exists()):
        raise Http404
    return filters.filter(rows)


# flags --------------------------------------------------------------------------------------
@router.get(
    "/flags",
    response=list[FlagOut],
    summary="The flag queue (open flags unless a status is given; status=all for every one)",
)
@paginate(Pagination)
def flags(request, filters: Query[FlagFilter]):
    return filters.filter(selectors.visible_flags(request.auth))


def _flag_detail(user, flag):
    return _With(flag, sessions=selectors.flag_sessions(user, flag))


@router.get("/flags/{flag_id}", response=FlagDetail)
def flag(request, flag_id: Id):
    user = request.auth
    return Status(200, _flag_detail(user, _get(selectors.visible_flags(user), flag_id)))


def _close(request, flag_id: int, action: str, payload: CloseIn):
    user = request.auth
    found = _get(selectors.visible_flags(user), flag_id)
    services.flag_close(actor=user, flag=found, action=action, reason=payload.reason, channel="api")
    return Status(200, _flag_detail(user, _get(selectors.visible_flags(user), flag_id)))


@router.post(
    "/flags/{flag_id}/resolve",
    response=FlagDetail,
    summary="Resolve an open flag (confirmed and handled), with a reason",
)
def flag_resolve(request, flag_id: Id, payload: CloseIn):
    return _close(request, flag_id, "resolve", payload)


@router.post(
    "/flags/{flag_id}/dismiss",
    response=FlagDetail,
    summary="Dismiss an open flag (no problem found), with a reason",
)
def flag_dismiss(request, flag_id: Id, payload: CloseIn):
    return _close(request, flag_id, "dismiss", payload)
