"""Accreditation endpoints (mounted at /api/v1/accreditation): open calls; applications
(an organisation's staff create, read and submit theirs; district and bureau reviewers decide);
recognitions (their holders and the reviewers); and the public register of each kind (no
credential). Scoped by `request.auth` through the same `visible_to` and perms as the pages."""

import datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from haihe.accounts.api_auth import allowed
from haihe.accreditation import perms, selectors, services
from haihe.accreditation.filters import (
    ApplicationFilter,
    RecognitionFilter,
    RecognitionRegisterFilter,
)
from haihe.accreditation.models import (
    AREA_MAX,
    COUNT_MAX,
    SCOPE_MAX,
    TEXT_MAX,
    Application,
    Call,
    Kind,
    Recognition,
)
from haihe.core import clock
from haihe.core.apischema import Id, Pagination, ReasonOut, ReviewDecisionIn, renamed
from haihe.policy.rules import Reason

router = Router(tags=["accreditation"])

# who may call at all (checked before the request is read; the services check the object)
APPLICANT = allowed(perms.can_apply, gettext_lazy("只有单位用户可以提交认定申请。"))
REVIEWER = allowed(perms.can_view_queue, gettext_lazy("只有区级和市级审核人员可以审核认定申请。"))
PARTICIPANT = allowed(
    perms.can_read_accreditation, gettext_lazy("只有单位用户和审核人员可以查看认定申请和认定。")
)


class ScopeItem(Schema):
    occupation: str = Field(min_length=1, max_length=16, description="occupation code")
    level: int = Field(ge=1, le=5, description="1 is the highest level")


class CallOut(Schema):
    id: int
    number: str
    kind: str
    year: int
    round: int
    title: str
    opens_on: datetime.date
    closes_on: datetime.date
    required_evidence: list[str]
    quotas: dict[str, int]
    description: str
    status: str


class ApplicationOut(Schema):
    id: int
    number: str
    call_id: int
    kind: str
    organisation_id: int
    organisation: str
    district: str
    status: str
    summary: str
    trainers: int
    workstations: int
    area: int
    leader_id: int | None
    leader_title: str
    scope: list[ScopeItem]
    submissions: int
    submitted_at: datetime.datetime | None
    stage_due_on: datetime.date | None
    decided_at: datetime.datetime | None
    eligibility: list[ReasonOut] = Field(description="the conditions checked at the last submit")

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name

    @staticmethod
    def resolve_district(obj):
        return obj.district.code

    @staticmethod
    def resolve_eligibility(obj):
        rows = [r for r in (obj.eligibility or {}).get("reasons", []) if isinstance(r, dict)]
        return [{"rule": r.rule, "ok": r.ok, "message": r.message} for r in map(_reason, rows)]


class ApplicationIn(Schema):
    call_id: Id
    summary: str = Field("", max_length=TEXT_MAX)
    trainers: int = Field(0, ge=0, le=COUNT_MAX, description="trainers (centres, bases)")
    workstations: int = Field(0, ge=0, le=COUNT_MAX, description="training workstations")
    area: int = Field(0, ge=0, le=AREA_MAX, description="square metres of premises")
    leader_id: Id | None = Field(None, description="the studio's leader (master studios only)")
    leader_title: str = Field("", max_length=100, description="the leader's title of honour")
    scope: list[ScopeItem] = Field(
        [], max_length=SCOPE_MAX, description="occupations and levels (evaluation bodies only)"
    )


class RecognitionOut(Schema):
    id: int
    number: str
    kind: str
    holder_id: int
    holder: str
    district: str
    source: str
    scope: list[ScopeItem]
    leader_id: int | None
    valid_from: datetime.date
    valid_until: datetime.date
    status: str
    status_since: datetime.date
    status_reason: str

    @staticmethod
    def resolve_holder(obj):
        return obj.holder.name

    @staticmethod
    def resolve_district(obj):
        return obj.district.code


class RecognitionRegisterOut(Schema):
    number: str
    holder: str
    uscc: str
    district: str
    scope: list[ScopeItem]
    valid_from: datetime.date
    valid_until: datetime.date

    @staticmethod
    def resolve_holder(obj):
        return obj.holder.name

    @staticmethod
    def resolve_uscc(obj):
        return obj.holder.uscc

    @staticmethod
    def resolve_district(obj):
        return obj.district.code


def _reason(data: dict) -> Reason:
    """A stored reason, its message in the caller's language."""
    return Reason.from_dict(data)


# -- calls ----------------------------------------------------------------------------------
@router.get("/calls", response=list[CallOut], summary="Calls open for applications today")
@paginate(Pagination)
def calls(request, kind: Kind | None = None):
    user = request.auth
    if perms.can_apply(user):
        rows = selectors.open_calls(user.organisation)
    else:
        today = clock.today()
        rows = Call.objects.visible_to(user).filter(
            status="open", opens_on__lte=today, closes_on__gte=today
        )
    if kind is not None:
        rows = rows.filter(kind=kind)
    return rows.order_by("closes_on", "id")


# -- applications ---------------------------------------------------------------------------
def _applications(user):
    return Application.objects.visible_to(user).select_related("organisation", "district")


@router.get("/applications", response=list[ApplicationOut], auth=PARTICIPANT)
@paginate(Pagination)
def applications(request, filters: Query[ApplicationFilter]):
    return filters.filter(_applications(request.auth)).order_by("-id")


@router.get("/applications/{application_id}", response=ApplicationOut, auth=PARTICIPANT)
def application(request, application_id: Id):
    return get_object_or_404(_applications(request.auth), pk=application_id)


@router.post(
    "/applications",
    response={201: ApplicationOut},
    auth=APPLICANT,
    summary="A draft application of the caller's organisation under an open call",
)
def application_create(request, payload: ApplicationIn):
    user = request.auth
    call = get_object_or_404(selectors.open_calls(user.organisation), pk=payload.call_id)
    data = payload.model_dump(exclude={"call_id", "leader_id"}, exclude_unset=True)
    if payload.leader_id is not None:
        data["leader"] = payload.leader_id
    with renamed(call="call_id", leader="leader_id"):
        made = services.application_create(actor=user, call=call, channel="api", **data)
    return Status(201, _applications(user).get(pk=made.pk))


@router.post(
    "/applications/{application_id}/submit",
    response=ApplicationOut,
    auth=APPLICANT,
    summary="Submit a draft, or resubmit a returned application (refused while a condition "
    "fails or a required document is missing)",
)
def application_submit(request, application_id: Id):
    found = get_object_or_404(_applications(request.auth), pk=application_id)
    services.application_submit(actor=request.auth, application=found, channel="api")
    return _applications(request.auth).get(pk=found.pk)


@router.post(
    "/applications/{application_id}/decide",
    response=ApplicationOut,
    auth=REVIEWER,
    summary="The decision at the stage the application waits for",
)
def application_decide(request, application_id: Id, payload: ReviewDecisionIn):
    found = get_object_or_404(_applications(request.auth), pk=application_id)
    services.application_decide(
        actor=request.auth,
        application=found,
        decision=payload.decision,
        reason=payload.reason,
        channel="api",
    )
    return _applications(request.auth).get(pk=found.pk)


# -- recognitions ---------------------------------------------------------------------------
def _recognitions(user):
    return Recognition.objects.visible_to(user).select_related("holder", "district")


@router.get("/recognitions", response=list[RecognitionOut], auth=PARTICIPANT)
@paginate(Pagination)
def recognitions(request, filters: Query[RecognitionFilter]):
    return filters.filter(_recognitions(request.auth)).order_by("kind", "number")


@router.get("/recognitions/{recognition_id}", response=RecognitionOut, auth=PARTICIPANT)
def recognition(request, recognition_id: Id):
    return get_object_or_404(_recognitions(request.auth), pk=recognition_id)


# -- the public registers -------------------------------------------------------------------
KindPath = Annotated[Kind, Field(description="the kind of recognition")]


@router.get(
    "/register/{kind}",
    response=list[RecognitionRegisterOut],
    auth=None,
    summary="The public register of one kind: every recognition in force today",
)
@paginate(Pagination)
def register(request, kind: KindPath, filters: Query[RecognitionRegisterFilter]):
    return filters.filter(selectors.register(kind))
