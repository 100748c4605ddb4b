"""Training endpoints for institutions' systems (mounted at /api/v1/training), scoped by the
token's user through the same `visible_to` and perms functions as the pages."""

import datetime
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from haihe.registry.models import District, Occupation, Organisation
from haihe.training import eligibility, services
from haihe.training.models import (
    Enrolment,
    Outcome,
    TrainingClass,
    TrainingSession,
)

router = Router(tags=["training"])


class Error(Schema):
    detail: str | dict | list


def _detail(exc: ValidationError):
    return exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}


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
    name: str = ""
    occupation: str = Field(description="occupation code, e.g. 6-18-01-01")
    level: int = Field(ge=1, le=5, description="1 is the highest level")
    mode: str = Field(description="offline | online | blended")
    platform_id: int | None = Field(None, description="online training platform (online/blended)")
    planned_theory_hours: Decimal = Field(ge=0)
    planned_practice_hours: Decimal = Field(ge=0)
    start_date: datetime.date
    end_date: datetime.date
    district: str = Field(description="district code of the venue, e.g. 120101")
    venue: str = ""
    teachers: str = ""
    capacity: int = Field(ge=1)


class ReviewIn(Schema):
    decision: str = Field(description="approve | return")
    reason: str = ""


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
    class_id: int
    ric: str
    name: str
    mobile: str = ""


class AttendanceIn(Schema):
    enrolment_id: int
    date: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time
    kind: str = Field("practice", description="theory | practice")
    signed_in_at: datetime.datetime | None = None


class AttendanceOut(Schema):
    enrolment_id: int
    session_id: int
    hours: Decimal
    signed_in_at: datetime.datetime
    attended_hours: Decimal
    status: str


class OutcomeIn(Schema):
    enrolment_id: int
    kind: str = Field(description="skill_certificate | special_ability | completion")
    certificate_number: str
    issuing_body: str
    issued_on: datetime.date


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


def _call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "forbidden") from exc


@router.get("/classes", response=list[ClassOut])
@paginate(LimitOffsetPagination)
def classes(request, status: str = "", district: str = "", occupation: str = ""):
    rows = _classes(request)
    if status:
        rows = rows.filter(status=status)
    if district:
        rows = rows.filter(district__code=district)
    if occupation:
        rows = rows.filter(occupation__code=occupation)
    return rows


@router.get("/classes/{class_id}", response={200: ClassOut, 404: Error})
def training_class(request, class_id: int):
    return get_object_or_404(_classes(request), pk=class_id)


@router.post("/classes", response={201: ClassOut, 400: Error, 403: Error})
def class_file(request, payload: ClassIn):
    occupation = Occupation.objects.filter(code=payload.occupation).first()
    district = District.objects.filter(code=payload.district).first()
    if occupation is None or district is None:
        key = "occupation" if occupation is None else "district"
        return Status(400, {"detail": {key: ["unknown code"]}})
    platform = None
    if payload.platform_id is not None:
        platform = Organisation.objects.filter(pk=payload.platform_id).first()
        if platform is None:
            return Status(400, {"detail": {"platform_id": ["unknown organisation"]}})
    data = payload.model_dump(exclude={"occupation", "district", "platform_id"})
    try:
        created = _call(
            services.class_file,
            actor=request.auth,
            occupation=occupation,
            district=district,
            platform=platform,
            channel="api",
            **data,
        )
    except ValidationError as exc:
        return Status(400, {"detail": _detail(exc)})
    return Status(201, created)


def _transition(request, class_id: int, name: str, reason: str = ""):
    obj = get_object_or_404(_classes(request), pk=class_id)
    try:
        return Status(
            200,
            _call(
                services.class_transition,
                actor=request.auth,
                training_class=obj,
                name=name,
                reason=reason,
                channel="api",
            ),
        )
    except ValidationError as exc:
        return Status(400, {"detail": _detail(exc)})


@router.post(
    "/classes/{class_id}/submit", response={200: ClassOut, 400: Error, 403: Error, 404: Error}
)
def class_submit(request, class_id: int):
    return _transition(request, class_id, "submit")


@router.post(
    "/classes/{class_id}/review", response={200: ClassOut, 400: Error, 403: Error, 404: Error}
)
def class_review(request, class_id: int, payload: ReviewIn):
    if payload.decision not in ("approve", "return"):
        return Status(400, {"detail": {"decision": ["approve | return"]}})
    return _transition(request, class_id, payload.decision, payload.reason)


def _enrolments(request):
    return Enrolment.objects.visible_to(request.auth).select_related("person")


@router.get("/enrolments", response=list[EnrolmentOut])
@paginate(LimitOffsetPagination)
def enrolments(request, class_id: int | None = None, status: str = ""):
    rows = _enrolments(request)
    if class_id is not None:
        rows = rows.filter(training_class_id=class_id)
    if status:
        rows = rows.filter(status=status)
    return rows


@router.get("/enrolments/{enrolment_id}", response={200: EnrolmentOut, 404: Error})
def enrolment(request, enrolment_id: int):
    return get_object_or_404(_enrolments(request), pk=enrolment_id)


@router.post("/enrolments", response={201: EnrolmentOut, 400: Error, 403: Error, 404: Error})
def enrol(request, payload: EnrolmentIn):
    """Enrol a trainee; the answer carries the eligibility decision with every rule's reason.
    An ineligible trainee is recorded with status "refused" (201) and the reasons."""
    obj = get_object_or_404(_classes(request), pk=payload.class_id)
    try:
        created = _call(
            services.enrol_by_ric,
            actor=request.auth,
            training_class=obj,
            ric=payload.ric,
            name=payload.name,
            mobile=payload.mobile,
            channel="api",
        )
    except ValidationError as exc:
        return Status(400, {"detail": _detail(exc)})
    return Status(201, created)


@router.post("/attendance", response={201: AttendanceOut, 400: Error, 403: Error, 404: Error})
def attendance(request, payload: AttendanceIn):
    """Sign a trainee in to an offline session (the session is created on first use)."""
    obj = get_object_or_404(
        _enrolments(request).select_related("training_class"), pk=payload.enrolment_id
    )
    try:
        with transaction.atomic():
            session = TrainingSession.objects.filter(
                training_class=obj.training_class, date=payload.date, starts_at=payload.starts_at
            ).first()
            if session is None:
                session = _call(
                    services.session_create,
                    actor=request.auth,
                    training_class=obj.training_class,
                    date=payload.date,
                    starts_at=payload.starts_at,
                    ends_at=payload.ends_at,
                    kind=payload.kind,
                    channel="api",
                )
            elif session.ends_at != payload.ends_at:
                raise ValidationError({"ends_at": ["differs from the existing session"]})
            rows = _call(
                services.attendance_record,
                actor=request.auth,
                session=session,
                enrolments=[obj],
                signed_in_at=payload.signed_in_at,
                channel="api",
            )
    except ValidationError as exc:
        return Status(400, {"detail": _detail(exc)})
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
@paginate(LimitOffsetPagination)
def outcomes(request, class_id: int | None = None):
    rows = Outcome.objects.visible_to(request.auth)
    if class_id is not None:
        rows = rows.filter(enrolment__training_class_id=class_id)
    return rows


@router.post("/outcomes", response={201: OutcomeOut, 400: Error, 403: Error, 404: Error})
def outcome_record(request, payload: OutcomeIn):
    obj = get_object_or_404(
        _enrolments(request).select_related("training_class"), pk=payload.enrolment_id
    )
    try:
        created = _call(
            services.outcome_record,
            actor=request.auth,
            enrolment=obj,
            kind=payload.kind,
            certificate_number=payload.certificate_number,
            issuing_body=payload.issuing_body,
            issued_on=payload.issued_on,
            channel="api",
        )
    except ValidationError as exc:
        return Status(400, {"detail": _detail(exc)})
    return Status(201, created)
