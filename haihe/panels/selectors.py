"""Reads of panels: how a case is presented to a user (names, or the blind label), the expert's
task list, a panel's overview and results, and the result a module reads for its own object.

Every page, API answer and export shows a case through `present(user, case)`: on a blind panel
an expert (scorer or chair) gets the adapter's blind label and no organisation, whatever path
they read it by.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from haihe.core import clock
from haihe.panels import perms
from haihe.panels.cases import purpose_for
from haihe.panels.models import (
    Aggregation,
    Assignment,
    AssignmentStatus,
    CaseStatus,
    ConflictDeclaration,
    Expert,
    Panel,
    PanelCase,
    PanelStatus,
    SheetStatus,
)
from haihe.policy.rules import Reason


def expert_for(user) -> Expert | None:
    """The roster entry an expert account acts as (through its person)."""
    if not perms.is_expert(user):
        return None
    return Expert.objects.filter(person_id=user.person_id).first()


@dataclass(frozen=True)
class CaseView:
    code: str
    label: str
    organisations: list[str]
    details: list[tuple[str, str]]
    blind: bool


def present(user, case: PanelCase) -> CaseView:
    """The case as `user` may see it: names for the bureau (and for scorers of an open panel),
    the blind label and nothing naming the case for scorers of a blind panel."""
    adapter = purpose_for(case.panel.purpose).adapter
    target = case.target
    names = perms.sees_names(user, case.panel)
    if target is None:
        return CaseView(case.code, case.code, [], [], not names)
    if names:
        return CaseView(
            case.code,
            adapter.label(target),
            [o.name for o in adapter.organisations(target)],
            adapter.details(target, blind=False),
            False,
        )
    return CaseView(
        case.code,
        adapter.blind_label(target, case.code),
        [],
        adapter.details(target, blind=True),
        True,
    )


def conflicted(assignments) -> set[int]:
    """The ids of the assignments whose member has a conflict of interest with the case today
    (one that arose after the assignment: a new affiliation, a declaration); their case is
    withheld from the member (`withheld`) and they cannot score it."""
    from haihe.panels.conflicts import find_conflicts

    assignments = list(assignments)
    experts = {a.member.expert_id: a.member.expert for a in assignments}
    cases = {a.case_id: a.case for a in assignments}
    if not assignments:
        return set()
    found = find_conflicts(list(experts.values()), list(cases.values()))
    return {a.pk for a in assignments if (a.member.expert_id, a.case_id) in found}


def withheld(case: PanelCase) -> CaseView:
    """A case shown to a conflicted member: its code only."""
    return CaseView(
        case.code, _("案卷 %(code)s（存在利益冲突，不能评分）") % {"code": case.code}, [], [], True
    )


@dataclass
class PanelTasks:
    panel: Panel
    assignments: list[Assignment] = field(default_factory=list)
    to_score: int = 0
    returned: int = 0
    submitted: int = 0

    @property
    def open(self) -> int:
        return self.to_score + self.returned

    @property
    def overdue(self) -> bool:
        deadline = self.panel.deadline
        return bool(deadline and deadline < clock.today() and self.open)


@dataclass
class ChairedPanel:
    panel: Panel
    cases: int
    scored: int
    rescore: int


@dataclass
class TaskList:
    expert: Expert | None
    panels: list[PanelTasks]
    chaired: list[ChairedPanel]
    declarations: list[ConflictDeclaration]

    @property
    def open(self) -> int:
        return sum(p.open for p in self.panels)


def task_list(user) -> TaskList:
    """An expert's live assignments grouped by panel (with deadlines and counts), the panels
    they chair with their progress, and their declared conflicts."""
    expert = expert_for(user)
    if expert is None:
        return TaskList(None, [], [], [])
    assignments = (
        Assignment.objects.visible_to(user)
        .live()
        .exclude(case__panel__status=PanelStatus.CANCELLED)
        .exclude(case__status=CaseStatus.WITHDRAWN)
        .select_related("case__panel", "sheet", "member__expert")
        .prefetch_related("case__target")
        .order_by("case__panel__deadline", "case__panel_id", "case__code")
    )
    groups: dict[int, PanelTasks] = {}
    for assignment in assignments:
        panel = assignment.case.panel
        tasks = groups.setdefault(panel.pk, PanelTasks(panel))
        tasks.assignments.append(assignment)
        status = assignment.sheet.status
        if status == SheetStatus.DRAFT:
            tasks.to_score += 1
        elif status == SheetStatus.RETURNED:
            tasks.returned += 1
        else:
            tasks.submitted += 1
    chaired = [
        ChairedPanel(p, p.n_cases, p.n_scored, p.n_rescore)
        for p in Panel.objects.visible_to(user)
        .filter(chair=expert)
        .exclude(status=PanelStatus.CANCELLED)
        .annotate(
            n_cases=Count("cases", filter=~Q(cases__status=CaseStatus.WITHDRAWN), distinct=True),
            n_scored=Count("cases", filter=Q(cases__status=CaseStatus.SCORED), distinct=True),
            n_rescore=Count("cases", filter=Q(cases__status=CaseStatus.RESCORE), distinct=True),
        )
    ]
    declarations = list(
        ConflictDeclaration.objects.visible_to(user).select_related("case__panel", "organisation")
    )
    return TaskList(expert, list(groups.values()), chaired, declarations)


def reasons_of(decision: dict) -> list[Reason]:
    """The stored reasons of an aggregation, re-rendered in the reader's language."""
    return [Reason.from_dict(r) for r in (decision or {}).get("reasons", [])]


def latest_aggregation(user, case: PanelCase) -> Aggregation | None:
    return Aggregation.objects.visible_to(user).filter(case=case).order_by("-pk").first()


@dataclass(frozen=True)
class CaseResult:
    """What a module reads about one of its objects scored by a panel."""

    panel: Panel
    case: PanelCase
    score: object  # Decimal
    final: bool  # the panel's results are signed off
    reasons: list[Reason]


def result_for(obj: models.Model, *, purpose: str) -> CaseResult | None:
    """The latest settled score of `obj` on a panel of `purpose` (the newest panel first);
    final only once that panel is signed off. None if it was never settled."""
    purpose_for(purpose)
    case = (
        PanelCase.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            panel__purpose=purpose,
            status=CaseStatus.SCORED,
        )
        .exclude(panel__status=PanelStatus.CANCELLED)
        .select_related("panel")
        .order_by("-panel__created_at", "-pk")
        .first()
    )
    if case is None:
        return None
    aggregation = case.aggregations.filter(accepted=True).order_by("-pk").first()
    return CaseResult(
        panel=case.panel,
        case=case,
        score=case.score,
        final=case.panel.status == PanelStatus.SIGNED_OFF,
        reasons=reasons_of(aggregation.decision if aggregation else {}),
    )


@dataclass
class CaseRow:
    case: PanelCase
    view: CaseView
    assignments: list[Assignment]
    live: int
    submitted: int
    conflicts: list = field(default_factory=list)


def panel_cases(user, panel: Panel, *, with_conflicts: bool = False) -> list[CaseRow]:
    """The panel's cases `user` may see, presented for them, with their scorers' progress
    (the experts' names only for the bureau) and, for the bureau, each member's conflicts."""
    cases = list(
        PanelCase.objects.visible_to(user)
        .filter(panel=panel)
        .select_related("panel")
        .prefetch_related("target")
        .order_by("code")
    )
    bureau = perms.is_bureau(user)
    assignments: dict[int, list[Assignment]] = {}
    counts = (
        Assignment.objects.filter(case__in=cases)
        .select_related("member__expert__person", "sheet")
        .order_by("pk")
    )
    for assignment in counts:
        assignments.setdefault(assignment.case_id, []).append(assignment)
    conflicts = {}
    if with_conflicts and bureau:
        from haihe.panels.conflicts import find_conflicts

        members = list(panel.members.active().select_related("expert__person"))
        conflicts = find_conflicts([m.expert for m in members], cases)
        names = {m.expert_id: m.expert for m in members}
    rows = []
    for case in cases:
        mine = assignments.get(case.pk, [])
        live = [a for a in mine if a.status == AssignmentStatus.ASSIGNED]
        row = CaseRow(
            case=case,
            view=present(user, case),
            assignments=mine if bureau else [],
            live=len(live),
            submitted=sum(
                1 for a in live if a.sheet.status in (SheetStatus.SUBMITTED, SheetStatus.LOCKED)
            ),
        )
        if conflicts:
            row.conflicts = [
                (names[e], found) for (e, c), found in conflicts.items() if c == case.pk
            ]
        rows.append(row)
    return rows


def due_label(deadline: datetime.date | None) -> int | None:
    """Days left until a deadline (negative once passed)."""
    return None if deadline is None else (deadline - clock.today()).days
