"""The technical-schools API (mounted at /api/v1/schools): schools create, read and submit
their majors and cooperation agreements; reviewers decide at the stage a case waits for; anyone
reads the public register of approved majors. Scoped by `request.auth` through the same
`visible_to`, perms and services as the pages."""

import datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from haihe.accounts.api_auth import allowed
from haihe.core.apischema import Day, Id, Pagination, ReviewDecisionIn
from haihe.schools import perms, services
from haihe.schools.filters import AgreementFilter, MajorFilter, RegisterFilter
from haihe.schools.models import (
    INTAKE_MAX,
    STUDENTS_MAX,
    YEAR_MAX,
    YEAR_MIN,
    Agreement,
    CooperationForm,
    Major,
    MajorLevel,
)

router = Router(tags=["schools"])

SCHOOL = allowed(perms.can_file, gettext_lazy("只有技工院校的账户可以办理。"))
REVIEWER = allowed(perms.is_reviewer, gettext_lazy("只有审核人员可以审核。"))
READER = allowed(
    lambda user: perms.can_use_schools_api(user) or perms.is_enterprise_user(user),
    gettext_lazy("您无权查看技工院校的申请。"),
)


class MajorOut(Schema):
    id: int
    number: str
    status: str = Field(
        description="draft | submitted | district_approved | returned | "
        "rejected | approved | withdrawn"
    )
    school: str
    school_uscc: str
    district: str
    name: str
    occupation: str = Field(description="occupation code")
    level: str
    industry: str = Field(description="industry code")
    planned_intake: int
    start_year: int
    submitted_at: datetime.datetime | None
    stage_due_on: datetime.date | None
    approved_at: datetime.datetime | None
    review_reason: str

    @staticmethod
    def resolve_school(obj):
        return obj.school.name

    @staticmethod
    def resolve_school_uscc(obj):
        return obj.school.uscc

    @staticmethod
    def resolve_district(obj):
        return obj.district.code

    @staticmethod
    def resolve_occupation(obj):
        return obj.occupation.code

    @staticmethod
    def resolve_industry(obj):
        return obj.industry.code


class RegisterOut(Schema):
    number: str
    school: str
    school_uscc: str
    district: str
    name: str
    occupation: str
    level: str
    industry: str
    planned_intake: int
    start_year: int
    approved_on: datetime.date | None

    resolve_school = staticmethod(MajorOut.resolve_school)
    resolve_school_uscc = staticmethod(MajorOut.resolve_school_uscc)
    resolve_district = staticmethod(MajorOut.resolve_district)
    resolve_occupation = staticmethod(MajorOut.resolve_occupation)
    resolve_industry = staticmethod(MajorOut.resolve_industry)

    @staticmethod
    def resolve_approved_on(obj):
        return obj.approved_at.date() if obj.approved_at else None


class MajorIn(Schema):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    occupation: Annotated[str, Field(max_length=16, description="occupation code")]
    level: MajorLevel
    industry: Annotated[str, Field(max_length=40, description="industry code")]
    planned_intake: Annotated[int, Field(ge=1, le=INTAKE_MAX)]
    start_year: Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]


class AgreementOut(Schema):
    id: int
    number: str
    status: str
    school: str
    enterprise: str
    enterprise_uscc: str
    district: str
    form: str
    major_id: int | None
    students: int
    start_date: datetime.date
    end_date: datetime.date
    summary: str
    submitted_at: datetime.datetime | None
    stage_due_on: datetime.date | None
    approved_at: datetime.datetime | None
    review_reason: str

    @staticmethod
    def resolve_school(obj):
        return obj.school.name

    @staticmethod
    def resolve_enterprise(obj):
        return obj.enterprise.name

    @staticmethod
    def resolve_enterprise_uscc(obj):
        return obj.enterprise.uscc

    @staticmethod
    def resolve_district(obj):
        return obj.district.code


class AgreementIn(Schema):
    enterprise: Annotated[str, Field(min_length=18, max_length=18, description="USCC")]
    form: CooperationForm
    major: Id | None = Field(None, description="an approved major of the school")
    students: Annotated[int, Field(ge=1, le=STUDENTS_MAX)]
    start_date: Day
    end_date: Day
    summary: Annotated[str, Field(max_length=2000)] = ""


def _majors(user):
    return Major.objects.visible_to(user).select_related(
        "school", "district", "occupation", "industry"
    )


def _agreements(user):
    return Agreement.objects.visible_to(user).select_related("school", "enterprise", "district")


# the public register ---------------------------------------------------------------------------


@router.get(
    "/register",
    response=list[RegisterOut],
    auth=None,
    summary="The public register of approved majors, by school and year",
)
@paginate(Pagination)
def register(request, filters: Query[RegisterFilter]):
    return filters.filter(
        Major.objects.register().select_related("school", "district", "occupation", "industry")
    ).order_by("-start_year", "school__name", "name", "id")


# majors ----------------------------------------------------------------------------------------


@router.get("/majors", response=list[MajorOut], auth=READER, summary="Majors visible to you")
@paginate(Pagination)
def majors(request, filters: Query[MajorFilter]):
    return filters.filter(_majors(request.auth)).order_by("-id")


@router.get("/majors/{major_id}", response=MajorOut, auth=READER)
def major(request, major_id: Id):
    return get_object_or_404(_majors(request.auth), pk=major_id)


@router.post("/majors", response={201: MajorOut}, auth=SCHOOL, summary="Apply to open a major")
def major_create(request, payload: MajorIn):
    made = services.major_create(actor=request.auth, data=payload.dict(), channel="api")
    return Status(201, _majors(request.auth).get(pk=made.pk))


@router.post(
    "/majors/{major_id}/submit",
    response=MajorOut,
    auth=SCHOOL,
    summary="Submit a draft (with its programme plan attached), or resubmit a returned one",
)
def major_submit(request, major_id: Id):
    found = get_object_or_404(_majors(request.auth), pk=major_id)
    services.major_submit(actor=request.auth, major=found, channel="api")
    return _majors(request.auth).get(pk=found.pk)


@router.post(
    "/majors/{major_id}/decide",
    response=MajorOut,
    auth=REVIEWER,
    summary="A reviewer's decision at the stage the major waits for",
)
def major_decide(request, major_id: Id, payload: ReviewDecisionIn):
    found = get_object_or_404(_majors(request.auth), pk=major_id)
    services.major_decide(
        actor=request.auth,
        major=found,
        decision=payload.decision,
        reason=payload.reason,
        channel="api",
    )
    return _majors(request.auth).get(pk=found.pk)


# agreements ------------------------------------------------------------------------------------


@router.get(
    "/agreements",
    response=list[AgreementOut],
    auth=READER,
    summary="Cooperation agreements visible to you (an enterprise: those it is party to)",
)
@paginate(Pagination)
def agreements(request, filters: Query[AgreementFilter]):
    return filters.filter(_agreements(request.auth)).order_by("-id")


@router.get("/agreements/{agreement_id}", response=AgreementOut, auth=READER)
def agreement(request, agreement_id: Id):
    return get_object_or_404(_agreements(request.auth), pk=agreement_id)


@router.post(
    "/agreements", response={201: AgreementOut}, auth=SCHOOL, summary="Record an agreement"
)
def agreement_create(request, payload: AgreementIn):
    made = services.agreement_create(actor=request.auth, data=payload.dict(), channel="api")
    return Status(201, _agreements(request.auth).get(pk=made.pk))


@router.post(
    "/agreements/{agreement_id}/submit",
    response=AgreementOut,
    auth=SCHOOL,
    summary="Submit a draft (with the signed agreement attached), or resubmit a returned one",
)
def agreement_submit(request, agreement_id: Id):
    found = get_object_or_404(_agreements(request.auth), pk=agreement_id)
    services.agreement_submit(actor=request.auth, agreement=found, channel="api")
    return _agreements(request.auth).get(pk=found.pk)


@router.post(
    "/agreements/{agreement_id}/decide",
    response=AgreementOut,
    auth=REVIEWER,
    summary="A reviewer's decision at the stage the agreement waits for",
)
def agreement_decide(request, agreement_id: Id, payload: ReviewDecisionIn):
    found = get_object_or_404(_agreements(request.auth), pk=agreement_id)
    services.agreement_decide(
        actor=request.auth,
        agreement=found,
        decision=payload.decision,
        reason=payload.reason,
        channel="api",
    )
    return _agreements(request.auth).get(pk=found.pk)
