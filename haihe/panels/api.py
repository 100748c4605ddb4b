"""Panel endpoints (mounted at /api/v1/panels): an expert's assignments, their scoring, and a
panel's results for the bureau and the chair. The same `visible_to`, perms and services as the
pages; a case is always shown through `selectors.present`, so a blind panel's scorer never gets
a name or an organisation here either."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from haihe.accounts.api_auth import allowed
from haihe.core.apischema import Id, Pagination, ReasonOut
from haihe.panels import perms, scoring, selectors
from haihe.panels.models import Assignment, Panel
from haihe.panels.services import scheme_of

router = Router(tags=["panels"])
PANELS = allowed(perms.can_view_panels, gettext_lazy("您无权查看评审任务。"))


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
    return (
        Assignment.objects.visible_to(request.auth)
        .live()
        .select_related("case__panel__chair", "member__expert", "sheet")
        .prefetch_related("sheet__scores", "case__target")
        .order_by("case__panel__deadline", "case__panel_id", "case__code")
    )


class AssignmentFilter(Schema):
    panel_id: Id | None = None


@router.get("/assignments", response=list[AssignmentOut], auth=PANELS)
@paginate(Pagination)
def assignments(request, filters: Query[AssignmentFilter]):
    """The caller's live assignments (an expert's own; the bureau's all)."""
    rows = _assignments(request)
    if filters.panel_id is not None:
        rows = rows.filter(case__panel_id=filters.panel_id)
    return _Presented(request.auth, rows)


class _Presented:
    """A page of assignments shown as the caller may see them (the paginator slices it)."""

    def __init__(self, user, rows):
        self.user, self.rows = user, rows

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window):
        page = list(self.rows[window])
        # a conflict that arose after the assignment withholds the case from its expert
        blocked = selectors.conflicted(page) if perms.is_expert(self.user) else set()
        return [_assignment(self.user, a, hidden=a.pk in blocked) for a in page]


@router.get("/assignments/{assignment_id}", response=AssignmentDetailOut, auth=PANELS)
def assignment(request, assignment_id: Id):
    return _assignment(
        request.auth, get_object_or_404(_assignments(request), pk=assignment_id), detail=True
    )


@router.put("/assignments/{assignment_id}/scores", response=AssignmentDetailOut, auth=PANELS)
def scores(request, assignment_id: Id, payload: ScoresIn):
    """Save the caller's scores of one case; with `submit`, submit the sheet too."""
    found = get_object_or_404(_assignments(request), pk=assignment_id)
    write = scoring.sheet_submit if payload.submit else scoring.sheet_save
    write(
        actor=request.auth,
        sheet=found.sheet,
        scores={k: str(v) for k, v in payload.scores.items()},
        notes=payload.notes,
        comment=payload.comment,
        channel="api",
    )
    return _assignment(
        request.auth, get_object_or_404(_assignments(request), pk=found.pk), detail=True
    )


@router.get("/{panel_id}/results", response=list[ResultOut], auth=PANELS)
def results(request, panel_id: Id):
    """A panel's cases and scores, for the bureau and the panel's chair."""
    panel = get_object_or_404(Panel.objects.visible_to(request.auth), pk=panel_id)
    if not (perms.is_bureau(request.auth) or perms.is_chair(request.auth, panel)):
        raise PermissionDenied(gettext_lazy("只有人社局或本组组长可以查看评审结果。"))
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
