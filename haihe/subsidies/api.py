"""The subsidies API for institutions' systems (mounted at /api/v1/subsidies): create and submit
a claim, read its status with every line's amount and explanation; preview a class; price an
outcome from the catalogue. Scoped by `request.auth` through the same `visible_to` and perms."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from haihe.accounts.api_auth import allowed
from haihe.core import clock
from haihe.core.apischema import Day, Id, Pagination, ReasonOut
from haihe.registry.models import Occupation
from haihe.subsidies import perms, services
from haihe.subsidies.figures import person_times_by
from haihe.subsidies.filters import ClaimFilter
from haihe.subsidies.models import Claim, ClaimCheck
from haihe.subsidies.rules import Catalogue, explained, render_reason
from haihe.subsidies.selectors import totals
from haihe.training.models import OutcomeKind, TrainingClass

router = Router(tags=["subsidies"])

# who may call at all (checked before the request is read; the services check the claim)
CLAIMANT = allowed(perms.can_file_claims, gettext_lazy("只有培训机构或企业的账户可以申领补贴。"))
TOTALS = allowed(perms.can_view_totals, gettext_lazy("您无权查看补贴统计。"))


class LineOut(Schema):
    id: int
    person: str = Field(description="name and masked RIC")
    outcome_id: int
    outcome_kind: str
    certificate_number: str
    issued_on: datetime.date
    status: str = Field(description="included | ineligible | excluded")
    amount: Decimal
    exclusion_reason: str
    reasons: list[ReasonOut]


class CheckOut(Schema):
    code: str
    line_id: int | None
    message: str
    evidence: dict


class ClaimSummary(Schema):
    id: int
    number: str
    status: str
    training_class_id: int
    organisation: str
    district: str
    included_lines: int
    claimed_amount: Decimal
    approved_amount: Decimal
    raised_checks: int
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    paid_at: datetime.datetime | None

    @staticmethod
    def resolve_organisation(obj):
        return obj["organisation"] if isinstance(obj, dict) else obj.organisation.name

    @staticmethod
    def resolve_district(obj):
        return obj["district"] if isinstance(obj, dict) else obj.district.code


SUMMARY_FIELDS = [
    "id",
    "number",
    "status",
    "training_class_id",
    "included_lines",
    "claimed_amount",
    "approved_amount",
    "raised_checks",
    "submitted_at",
    "approved_at",
    "paid_at",
]


class ClaimOut(ClaimSummary):
    review_reason: str
    lines: list[LineOut]
    checks: list[CheckOut] = Field(description="only for reviewers and the bureau")


class ClaimIn(Schema):
    training_class: Id
    submit: bool = Field(False, description="submit at once instead of keeping a draft")


class PreviewLine(Schema):
    outcome_id: int
    person: str
    outcome_kind: str
    ok: bool
    amount: Decimal | None
    reasons: list[ReasonOut]


class PriceOut(Schema):
    ok: bool
    amount: Decimal | None
    message: str
    reason: ReasonOut


def _claim_out(claim: Claim, user) -> dict:
    lines = []
    for line in claim.lines.select_related("person", "outcome").order_by("id"):
        lines.append(
            {
                "id": line.pk,
                "person": str(line.person),
                "outcome_id": line.outcome_id,
                "outcome_kind": line.outcome.kind,
                "certificate_number": line.outcome.certificate_number,
                "issued_on": line.outcome.issued_on,
                "status": line.status,
                "amount": line.amount,
                "exclusion_reason": line.exclusion_reason,
                "reasons": explained(line.decision),
            }
        )
    checks = [
        {"code": c.code, "line_id": c.line_id, "message": c.message, "evidence": c.evidence}
        for c in ClaimCheck.objects.visible_to(user).current().filter(claim=claim)
    ]
    data = {name: getattr(claim, name) for name in SUMMARY_FIELDS}
    data.update(
        organisation=claim.organisation.name,
        district=claim.district.code,
        review_reason=claim.review_reason,
        lines=lines,
        checks=checks,
    )
    return data


def _visible(user):
    return Claim.objects.visible_to(user).select_related("organisation", "district")


@router.get("/claims", response=list[ClaimSummary], summary="Claims visible to the caller")
@paginate(Pagination)
def claims(request, filters: Query[ClaimFilter]):
    return filters.filter(_visible(request.auth)).order_by("-id")


@router.get("/claims/{claim_id}", response=ClaimOut)
def claim(request, claim_id: Id):
    found = get_object_or_404(_visible(request.auth), pk=claim_id)
    return Status(200, _claim_out(found, request.auth))


@router.post(
    "/claims",
    response={201: ClaimOut},
    auth=CLAIMANT,
    summary="Claim for a class (a line per trainee with an outcome)",
)
def claim_create(request, payload: ClaimIn):
    klass = get_object_or_404(
        TrainingClass.objects.visible_to(request.auth), pk=payload.training_class
    )
    made = services.claim_create(actor=request.auth, training_class=klass, channel="api")
    if payload.submit:
        made = services.claim_submit(actor=request.auth, claim=made, channel="api")
    return Status(201, _claim_out(_visible(request.auth).get(pk=made.pk), request.auth))


def _transition(request, claim_id: int, action):
    found = get_object_or_404(_visible(request.auth), pk=claim_id)
    action(found)
    return Status(200, _claim_out(_visible(request.auth).get(pk=found.pk), request.auth))


@router.post(
    "/claims/{claim_id}/submit",
    response=ClaimOut,
    auth=CLAIMANT,
    summary="Submit a draft, or resubmit a returned claim",
)
def claim_submit(request, claim_id: Id):
    return _transition(
        request,
        claim_id,
        lambda c: services.claim_submit(actor=request.auth, claim=c, channel="api"),
    )


class WithdrawIn(Schema):
    reason: str = Field("", max_length=2000, description="why the claim is withdrawn")


@router.post("/claims/{claim_id}/withdraw", response=ClaimOut, auth=CLAIMANT)
def claim_withdraw(request, claim_id: Id, payload: WithdrawIn | None = None):
    reason = payload.reason if payload else ""
    return _transition(
        request,
        claim_id,
        lambda c: services.claim_withdraw(
            actor=request.auth, claim=c, reason=reason, channel="api"
        ),
    )


@router.get(
    "/classes/{class_id}/preview",
    response=list[PreviewLine],
    summary="What a claim for the class would contain today, with reasons",
)
def class_preview(request, class_id: Id):
    klass = get_object_or_404(TrainingClass.objects.visible_to(request.auth), pk=class_id)
    rows = services.claim_preview(actor=request.auth, training_class=klass)
    return Status(
        200,
        [
            {
                "outcome_id": o.pk,
                "person": str(o.enrolment.person),
                "outcome_kind": o.kind,
                "ok": d.ok,
                "amount": d.amount if d.ok else None,
                "reasons": explained(d.as_dict()),
            }
            for o, d in rows
        ],
    )


@router.get(
    "/catalogue/price",
    response=PriceOut,
    summary="The amount for an outcome certified on a date, with its source",
)
def price(
    request,
    occupation: Annotated[str, Field(max_length=16)],
    level: Annotated[int, Field(ge=1, le=5)],
    kind: OutcomeKind,
    on: Day,
):
    found = Occupation.objects.filter(code=occupation).first()
    if found is None:
        raise ValidationError({"occupation": [_("未知的职业编码。")]})
    reason = Catalogue([found.pk]).price(found, level, kind, on).as_dict()
    reason["message"] = render_reason(reason)
    amount = Decimal(reason["params"]["amount"]) if reason["ok"] else None
    return Status(
        200, {"ok": reason["ok"], "amount": amount, "message": reason["message"], "reason": reason}
    )


@router.get("/statistics", response=dict, auth=TOTALS, summary="Person-times and totals")
def statistics(request, as_of: Day | None = None):
    day = as_of or clock.today()
    return Status(
        200,
        {
            "as_of": day.isoformat(),
            "subsidised_training_person_times": {
                dim: person_times_by(day, dim)
                for dim in ("month", "district", "occupation", "level")
            },
            "totals": totals(Claim.objects.visible_to(request.auth)).as_dict(),
        },
    )
