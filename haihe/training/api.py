"""Training endpoints for institutions' systems (mounted at /api/v1/training), scoped by the
token's user through the same `visible_to` and perms functions as the pages."""

import datetime
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from haihe.accounts.api_auth import allowed
from haihe.core.apischema import (
    Day,
    Id,
    LocalTime,
    Moment,
    Pagination,
    bounded_decimal,
    renamed,
)
from haihe.registry.models import District, Occupation, Organisation
from haihe.training import eligibility, perms, services
from haihe.training.filters import ClassFilter, EnrolmentFilter, OutcomeFilter
from haihe.training.models import (
    CAPACITY_MAX,
    PLANNED_HOURS_MAX,
    Enrolment,
    Mode,
    Outcome,
    OutcomeKind,
    SessionKind,
    TrainingClass,
    TrainingSession,
)

router = Router(tags=["training"])

# who may call the writes at all (checked before the request is read)
INSTITUTION = allowed(
    perms.can_act_for_classes, gettext_lazy("只有培训机构或企业的账户可以办理培训班业务。")
)
REVIEWER = allowed(perms.can_review_classes, gettext_lazy("只有区级审核员可以审核培训班。"))


Hours = bounded_decimal(PLANNED_HOURS_MAX)


class ClassOut(Schema):
    id: int
    name: str
    organisation_id: int
    occupation: str
    level: int
    mode: str
    platform_id: int | None
    planned_theory_hours: Decimal
    planned_practice_hours: Decimal
    planned_hours: Decimal
    start_date: datetime.date
    end_date: datetime.date
    district: str
    venue: str
    teachers: str
    capacity: int
    status: str
    return_reason: str

    @staticmethod
    def resolve_occupation(obj):
        return obj.occupation.code

    @staticmethod
    def resolve_district(obj):
        return obj.district.code


class ClassIn(Schema):
    name: str = Field("", max_length=200)
    occupation: str = Field(max_length=16, description="occupation code, e.g. 6-18-01-01")
    level: int = Field(ge=1, le=5, description="1 is the highest level")
    mode: Mode = Field(description="offline | online | blended")
    platform_id: Id | None = Field(None, description="online training platform (online/blended)")
    planned_theory_hours: Hours
    planned_practice_hours: Hours
    start_date: Day
    end_date: Day
    district: str = Field(max_length=6, description="district code of the venue, e.g. 120101")
    venue: str = Field("", max_length=255)
    teachers: str = Field("", max_length=2000)
    capacity: int = Field(ge=1, le=CAPACITY_MAX)


class ReviewIn(Schema):
    decision: str = Field(description="approve | return", pattern="^(approve|return)$")
    reason: str = Field("", max_length=2000)


class EnrolmentOut(Schema):
    id: int
    class_id: int
    person_id: int
    ric: str = Field(description="masked")
    name: str
    registration: UUID
    status: str
    enrolled_at: datetime.datetime
    completed_at: datetime.datetime | None
    attended_hours: Decimal
    online_hours: Decimal
    eligible: bool
    eligibility: dict = Field(description="every rule: rule, ok, message, parameter, value, date")
    override_reason: str

    @staticmethod
    def resolve_eligibility(obj):
        return eligibility.explained(obj.eligibility)

    @staticmethod
    def resolve_class_id(obj):
        return obj.training_class_id

    @staticmethod
    def resolve_ric(obj):
        return obj.person.masked_ric

    @staticmethod
    def resolve_name(obj):
        return obj.person.name


class EnrolmentIn(Schema):
    class_id: Id
    ric: str = Field(max_length=20)
    name: str = Field(max_length=50)
    mobile: str = Field("", max_length=20)


class AttendanceIn(Schema):
    enrolment_id: Id
    date: Day
    starts_at: LocalTime = Field(description="local time of the venue, HH:MM (no offset)")
    ends_at: LocalTime = Field(description="local time of the venue, HH:MM (no offset)")
    kind: SessionKind = Field(SessionKind.PRACTICE, description="theory | practice")
    signed_in_at: Moment | None = Field(None, description="ISO 8601; without an offset: local time")


class AttendanceOut(Schema):
    enrolment_id: int
    session_id: int
    hours: Decimal
    signed_in_at: datetime.datetime
    attended_hours: Decimal
    status: str


class OutcomeIn(Schema):
    enrolment_id: Id
    kind: OutcomeKind = Field(description="skill_certificate | special_ability | completion")
    certificate_number: str = Field(max_length=32)
    issuing_body: str = Field(max_length=200)
    issued_on: Day


class OutcomeOut(Schema):
    id: int
    enrolment_id: int
    kind: str
    certificate_number: str
    level: int | None
    issuing_body: str
    issued_on: datetime.date
    certification_certificate_id: int | None
    voided_at: datetime.datetime | None


def _classes(request):
    return TrainingClass.objects.visible_to(request.auth).select_related("occupation", "district")


@router.get("/classes", response=list[ClassOut])
@paginate(Pagination)
def classes(request, filters: Query[ClassFilter]):
    return filters.filter(_classes(request))


@router.get("/classes/{class_id}", response=ClassOut)
def training_class(request, class_id: Id):
    return get_object_or_404(_classes(request), pk=class_id)


def _code(model, field: str, code: str):
    found = model.objects.filter(code=code).first()
    if found is None:
        raise ValidationError({field: [_("未知的代码“%(code)s”。") % {"code": code}]})
    return found


@router.post("/classes", response={201: ClassOut}, auth=INSTITUTION)
def class_file(request, payload: ClassIn):
    occupation = _code(Occupation, "occupation", payload.occupation)
    district = _code(District, "district", payload.district)
    platform = None
    if payload.platform_id is not None:
        platform = Organisation.objects.filter(pk=payload.platform_id).first()
        if platform is None:
            raise ValidationError({"platform_id": [_("未知的单位。")]})
    data = payload.model_dump(exclude={"occupation", "district", "platform_id"})
    with renamed(platform="platform_id"):
        created = services.class_file(
            actor=request.auth,
            occupation=occupation,
            district=district,
            platform=platform,
            channel="api",
            **data,
        )
    return Status(201, created)


def _transition(request, class_id: int, name: str, reason: str = ""):
    obj = get_object_or_404(_classes(request), pk=class_id)
    return services.class_transition(
        actor=request.auth, training_class=obj, name=name, reason=reason, channel="api"
    )


@router.post("/classes/{class_id}/submit", response=ClassOut, auth=INSTITUTION)
def class_submit(request, class_id: Id):
    return _transition(request, class_id, "submit")


@router.post("/classes/{class_id}/review", response=ClassOut, auth=REVIEWER)
def class_review(request, class_id: Id, payload: ReviewIn):
    return _transition(request, class_id, payload.decision, payload.reason)


def _enrolments(request):
    return Enrolment.objects.visible_to(request.auth).select_related("person")


@router.get("/enrolments", response=list[EnrolmentOut])
@paginate(Pagination)
def enrolments(request, filters: Query[EnrolmentFilter]):
    return filters.filter(_enrolments(request))


@router.get("/enrolments/{enrolment_id}", response=EnrolmentOut)
def enrolment(request, enrolment_id: Id):
    return get_object_or_404(_enrolments(request), pk=enrolment_id)


@router.post("/enrolments", response={201: EnrolmentOut}, auth=INSTITUTION)
def enrol(request, payload: EnrolmentIn):
    """Enrol a trainee; the answer carries the eligibility decision with every rule's reason.
    An ineligible trainee is recorded with status "refused" (201) and the reasons."""
    obj = get_object_or_404(_classes(request), pk=payload.class_id)
    created = services.enrol_by_ric(
        actor=request.auth,
        training_class=obj,
        ric=payload.ric,
        name=payload.name,
        mobile=payload.mobile,
        channel="api",
    )
    return Status(201, created)


@router.post("/attendance", response={201: AttendanceOut}, auth=INSTITUTION)
def attendance(request, payload: AttendanceIn):
    """Sign a trainee in to an offline session (the session is created on first use)."""
    obj = get_object_or_404(
        _enrolments(request).select_related("training_class"), pk=payload.enrolment_id
    )
    with transaction.atomic():
        session = TrainingSession.objects.filter(
            training_class=obj.training_class, date=payload.date, starts_at=payload.starts_at
        ).first()
        if session is None:
            session = services.session_create(
                actor=request.auth,
                training_class=obj.training_class,
                date=payload.date,
                starts_at=payload.starts_at,
                ends_at=payload.ends_at,
                kind=payload.kind,
                channel="api",
            )
        elif session.ends_at != payload.ends_at:
            raise ValidationError({"ends_at": [_("与已有课次的结束时间不一致。")]})
        rows = services.attendance_record(
            actor=request.auth,
            session=session,
            enrolments=[obj],
            signed_in_at=payload.signed_in_at,
            channel="api",
        )
    obj.refresh_from_db()
    return Status(
        201,
        {
            "enrolment_id": obj.pk,
            "session_id": session.pk,
            "hours": rows[0].hours,
            "signed_in_at": rows[0].signed_in_at,
            "attended_hours": obj.attended_hours,
            "status": obj.status,
        },
    )


@router.get("/outcomes", response=list[OutcomeOut])
@paginate(Pagination)
def outcomes(request, filters: Query[OutcomeFilter]):
    return filters.filter(Outcome.objects.visible_to(request.auth))


@router.post("/outcomes", response={201: OutcomeOut}, auth=INSTITUTION)
def outcome_record(request, payload: OutcomeIn):
    obj = get_object_or_404(
        _enrolments(request).select_related("training_class"), pk=payload.enrolment_id
    )
    created = services.outcome_record(
        actor=request.auth,
        enrolment=obj,
        kind=payload.kind,
        certificate_number=payload.certificate_number,
        issuing_body=payload.issuing_body,
        issued_on=payload.issued_on,
        channel="api",
    )
    return Status(201, created)
