"""Panel endpoints (mounted at /api/v1/panels): an expert's assignments, their scoring, and a
panel's results for the bureau and the chair. The same `visible_to`, perms and services as the
pages; a case is always shown through `selectors.present`, so a blind panel's scorer never gets
a name or an organisation here either."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from haihe.panels import perms, scoring, selectors
from haihe.panels.models import Assignment, Panel
from haihe.panels.services import scheme_of

router = Router(tags=["panels"])


class Error(Schema):
    detail: str | dict | list


class ReasonOut(Schema):
    rule: str
    ok: bool
    message: str = Field(description="in the caller's language (Accept-Language)")
    parameter: str | None = None
    value: Any = None
    effective_from: datetime.date | None = None


class CriterionOut(Schema):
    code: str
    label: str
    weight: Decimal
    min: Decimal
    max: Decimal
    decimals: int


class ScoreOut(Schema):
    criterion: str
    value: Decimal
    note: str


class AssignmentOut(Schema):
    id: int
    panel_id: int
    panel: str
    deadline: datetime.date | None
    case_code: str
    case: str = Field(description="the case's name, or its blind label on a blind panel")
    organisations: list[str] = Field(description="empty on a blind panel")
    blind: bool
    status: str
    sheet_status: str
    total: Decimal | None
    scores: list[ScoreOut]


class AssignmentDetailOut(AssignmentOut):
    details: list[list[str]]
    criteria: list[CriterionOut]
    conflict: str | None = Field(None, description="why the member may not score, if so")
    reasons: list[ReasonOut] = Field(description="the latest aggregation of the case, if any")


class ScoresIn(Schema):
    scores: dict[str, str | int | float] = {}
    notes: dict[str, str] = {}
    comment: str | None = None
    submit: bool = False


class ResultOut(Schema):
    code: str
    case: str
    organisations: list[str]
    status: str
    round: int
    score: Decimal | None


def _reason(reason) -> dict:
    data = reason.as_dict()
    return {
        "rule": data["rule"],
        "ok": data["ok"],
        "message": data["message"],
        "parameter": data.get("parameter"),
        "value": data.get("value"),
        "effective_from": data.get("effective_from"),
    }


def _assignment(user, assignment: Assignment, *, detail: bool = False, hidden=None) -> dict:
    case, sheet = assignment.case, assignment.sheet
    refusal = scoring.conflict_refusal(user, assignment) if detail else None
    hidden = (refusal is not None) if hidden is None else hidden
    view = selectors.present(user, case)
    data = {
        "id": assignment.pk,
        "panel_id": case.panel_id,
        "panel": case.panel.name,
        "deadline": case.panel.deadline,
        "case_code": case.code,
        "case": case.code if hidden else view.label,
        "organisations": [] if hidden else view.organisations,
        "blind": view.blind,
        "status": assignment.status,
        "sheet_status": sheet.status,
        "total": sheet.total,
        "scores": [
            {"criterion": s.criterion, "value": s.value, "note": s.note} for s in sheet.scores.all()
        ],
    }
    if detail:
        scheme = scheme_of(case.panel)
        aggregation = selectors.latest_aggregation(user, case)
        data.update(
            details=[] if hidden else [[str(k), str(v)] for k, v in view.details],
            criteria=[
                {
                    "code": c.code,
                    "label": c.label,
                    "weight": c.weight,
                    "min": c.min,
                    "max": c.max,
                    "decimals": c.decimals,
                }
                for c in scheme.criteria
            ],
            conflict=refusal,
            reasons=[_reason(r) for r in selectors.reasons_of(aggregation.decision)]
            if aggregation
            else [],
        )
    return data


def _assignments(request):
    if not perms.can_view_panels(request.auth):
        raise PermissionDenied
    return (
        Assignment.objects.visible_to(request.auth)
        .live()
        .select_related("case__panel__chair", "member__expert", "sheet")
        .prefetch_related("sheet__scores", "case__target")
        .order_by("case__panel__deadline", "case__panel_id", "case__code")
    )


def _forbidden(request):
    return Status(403, {"detail": "forbidden"})


@router.get("/assignments", response={200: list[AssignmentOut], 403: Error})
def assignments(request, panel_id: int | None = None, limit: int = 100, offset: int = 0):
    """The caller's live assignments (an expert's own; the bureau's all)."""
    try:
        rows = _assignments(request)
    except PermissionDenied:
        return _forbidden(request)
    if panel_id is not None:
        rows = rows.filter(case__panel_id=panel_id)
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    page = list(rows[offset : offset + limit])
    # a conflict that arose after the assignment withholds the case from its expert
    blocked = selectors.conflicted(page) if perms.is_expert(request.auth) else set()
    return [_assignment(request.auth, a, hidden=a.pk in blocked) for a in page]


@router.get(
    "/assignments/{assignment_id}", response={200: AssignmentDetailOut, 403: Error, 404: Error}
)
def assignment(request, assignment_id: int):
    try:
        rows = _assignments(request)
    except PermissionDenied:
        return _forbidden(request)
    return _assignment(request.auth, get_object_or_404(rows, pk=assignment_id), detail=True)


@router.put(
    "/assignments/{assignment_id}/scores",
    response={200: AssignmentDetailOut, 400: Error, 403: Error, 404: Error},
)
def scores(request, assignment_id: int, payload: ScoresIn):
    """Save the caller's scores of one case; with `submit`, submit the sheet too."""
    try:
        rows = _assignments(request)
    except PermissionDenied:
        return _forbidden(request)
    found = get_object_or_404(rows, pk=assignment_id)
    write = scoring.sheet_submit if payload.submit else scoring.sheet_save
    try:
        write(
            actor=request.auth,
            sheet=found.sheet,
            scores={k: str(v) for k, v in payload.scores.items()},
            notes=payload.notes,
            comment=payload.comment,
            channel="api",
        )
    except ValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        return Status(400, {"detail": detail})
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc) or "forbidden"})
    return _assignment(
        request.auth, get_object_or_404(_assignments(request), pk=found.pk), detail=True
    )


@router.get("/{panel_id}/results", response={200: list[ResultOut], 403: Error, 404: Error})
def results(request, panel_id: int):
    """A panel's cases and scores, for the bureau and the panel's chair."""
    if not perms.can_view_panels(request.auth):
        return _forbidden(request)
    panel = get_object_or_404(Panel.objects.visible_to(request.auth), pk=panel_id)
    if not (perms.is_bureau(request.auth) or perms.is_chair(request.auth, panel)):
        return _forbidden(request)
    return [
        {
            "code": row.case.code,
            "case": row.view.label,
            "organisations": row.view.organisations,
            "status": row.case.status,
            "round": row.case.round,
            "score": row.case.score,
        }
        for row in selectors.panel_cases(request.auth, panel)
    ]
