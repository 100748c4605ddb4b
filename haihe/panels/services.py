"""Writes of panels: creating a panel for a purpose, its members and chair, its cases, and the
assignment of cases to members (by hand or drawn at random with a recorded seed). Keyword-only,
the acting user first, atomic, permission checked first, validated, audited; statuses change
through the workflows of workflows.py. Scoring, lock and sign-off are in scoring.py.

A conflicted member is never assigned: every assignment, by hand or drawn, is checked against
`conflicts.find_conflicts` on the day it is made.
"""

import datetime
import secrets

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from haihe.core import clock
from haihe.core.audit import diff, log_action
from haihe.panels import perms
from haihe.panels.allocation import Shortfall, allocate
from haihe.panels.cases import PURPOSES, purpose_for
from haihe.panels.conflicts import find_conflicts
from haihe.panels.models import (
    Assignment,
    AssignmentMethod,
    AssignmentStatus,
    CaseStatus,
    Expert,
    ExpertStatus,
    Panel,
    PanelCase,
    PanelMember,
    PanelStatus,
    ScoreSheet,
    SheetStatus,
)
from haihe.panels.scheme import Scheme
from haihe.panels.workflows import (
    System,
    assignment_workflow,
    case_workflow,
    panel_workflow,
    sheet_workflow,
)

SETUP = (PanelStatus.DRAFT, PanelStatus.SCORING)  # a panel's members and cases change only then
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _manager(actor) -> None:
    if not perms.can_manage_panels(actor):
        raise PermissionDenied(_("您无权管理评审专家组。"))


def _open_for_setup(panel: Panel) -> None:
    if panel.status not in SETUP:
        raise ValidationError(
            _("专家组状态为“%(status)s”，不能再调整成员、案卷或分配。")
            % {"status": panel.get_status_display()}
        )


def _name(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({"name": _("不能为空。")})
    if len(value) > 200:
        raise ValidationError({"name": _("不能超过 %(n)d 个字。") % {"n": 200}})
    return value


def _reason(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({"reason": _("请填写理由。")})
    if len(value) > 500:
        raise ValidationError({"reason": _("不能超过 %(n)d 个字。") % {"n": 500}})
    return value


def scheme_of(panel: Panel) -> Scheme:
    """The scheme the panel scores with: the values it opened with, or (in draft) the
    values in force on its reference date."""
    if panel.scheme:
        return Scheme.from_json(panel.scheme)
    return Scheme.read(purpose_for(panel.purpose), panel.reference_date)


@transaction.atomic
def panel_create(
    *,
    actor,
    purpose: str,
    name: str,
    reference_date: datetime.date | None = None,
    deadline: datetime.date | None = None,
    blind: bool = False,
    channel: str = "web",
) -> Panel:
    """A panel for `purpose` (a registered purpose key), scoring with the scheme in force on
    `reference_date` (today by default)."""
    _manager(actor)
    if purpose not in PURPOSES:
        raise ValidationError({"purpose": _("未知的评审事项。")})
    name = _name(name)
    reference_date = reference_date or clock.today()
    if deadline is not None and deadline < reference_date:
        raise ValidationError({"deadline": _("评分截止日期不能早于评分办法适用日期。")})
    scheme = Scheme.read(purpose_for(purpose), reference_date)
    panel = Panel.objects.create(
        purpose=purpose,
        name=name,
        reference_date=reference_date,
        deadline=deadline,
        blind=bool(blind),
        scheme=scheme.as_json(),
        created_by=actor,
    )
    log_action(
        actor=actor,
        action="panel.created",
        target=panel,
        data={
            "purpose": purpose,
            "reference_date": reference_date,
            "deadline": deadline,
            "blind": panel.blind,
        },
        channel=channel,
    )
    return panel


@transaction.atomic
def panel_update(
    *,
    actor,
    panel: Panel,
    name: str,
    deadline: datetime.date | None,
    blind: bool | None = None,
    channel: str = "web",
) -> Panel:
    """Rename a panel or move its deadline (while it is set up or scoring); blind mode changes
    only before scoring starts."""
    _manager(actor)
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    _open_for_setup(panel)
    before = {"name": panel.name, "deadline": panel.deadline, "blind": panel.blind}
    panel.name = _name(name)
    if deadline is not None and deadline < panel.reference_date:
        raise ValidationError({"deadline": _("评分截止日期不能早于评分办法适用日期。")})
    panel.deadline = deadline
    if blind is not None and bool(blind) != panel.blind:
        if panel.status != PanelStatus.DRAFT:
            raise ValidationError({"blind": _("开始评分后不能更改盲评设置。")})
        panel.blind = bool(blind)
    panel.save()
    changes = diff(before, {"name": panel.name, "deadline": panel.deadline, "blind": panel.blind})
    if changes:
        log_action(actor=actor, action="panel.updated", target=panel, data=changes, channel=channel)
    return panel


@transaction.atomic
def member_add(*, actor, panel: Panel, expert: Expert, channel: str = "web") -> PanelMember:
    _manager(actor)
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    _open_for_setup(panel)
    if expert.status != ExpertStatus.ACTIVE:
        raise ValidationError({"expert": _("该专家已出库，不能加入专家组。")})
    if PanelMember.objects.filter(panel=panel, expert=expert).exists():
        raise ValidationError({"expert": _("该专家已是（或曾是）本组成员。")})
    member = PanelMember.objects.create(panel=panel, expert=expert)
    log_action(
        actor=actor,
        action="panel.member_added",
        target=panel,
        data={"expert": expert.pk},
        channel=channel,
    )
    return member


def _end_assignment(assignment: Assignment, cause) -> None:
    """End a live assignment as the consequence of another action, voiding its sheet."""
    system = System(cause)
    assignment_workflow.apply(actor=system, obj=assignment, name="end", data=system.data())
    sheet = getattr(assignment, "sheet", None)
    if sheet is not None and sheet.status in ("draft", "submitted", "returned"):
        sheet_workflow.apply(actor=system, obj=sheet, name="void", data=system.data())


@transaction.atomic
def member_withdraw(*, actor, member: PanelMember, reason: str, channel: str = "web"):
    """Take a member off a panel: their live assignments end and their sheets are voided (the
    cases need new scorers). A chair who withdraws leaves the panel without a chair."""
    _manager(actor)
    reason = _reason(reason)
    member = PanelMember.objects.select_for_update().select_related("panel").get(pk=member.pk)
    _open_for_setup(member.panel)
    if member.withdrawn_at is not None:
        raise ValidationError(_("该成员已退出。"))
    member.withdrawn_at = clock.now()
    member.withdraw_reason = reason
    member.save(update_fields=["withdrawn_at", "withdraw_reason"])
    for assignment in member.assignments.filter(status=AssignmentStatus.ASSIGNED):
        _end_assignment(assignment, actor)
    panel = member.panel
    if panel.chair_id == member.expert_id:
        panel.chair = None
        panel.save(update_fields=["chair"])
    log_action(
        actor=actor,
        action="panel.member_withdrawn",
        target=panel,
        data={"expert": member.expert_id, "reason": reason},
        channel=channel,
    )
    return member


@transaction.atomic
def chair_set(*, actor, panel: Panel, expert: Expert, channel: str = "web") -> Panel:
    _manager(actor)
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    _open_for_setup(panel)
    if not PanelMember.objects.active().filter(panel=panel, expert=expert).exists():
        raise ValidationError({"expert": _("组长须是本组的在组成员。")})
    before = panel.chair_id
    panel.chair = expert
    panel.save(update_fields=["chair"])
    log_action(
        actor=actor,
        action="panel.chair_set",
        target=panel,
        data={"chair": [before, expert.pk]},
        channel=channel,
    )
    return panel


def _new_code(panel: Panel) -> str:
    taken = set(panel.cases.values_list("code", flat=True))
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
        if code not in taken:
            return code


@transaction.atomic
def case_add(*, actor, panel: Panel, obj: models.Model, channel: str = "web") -> PanelCase:
    """Add an instance of the purpose's case model to the panel, with a random code."""
    _manager(actor)
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    _open_for_setup(panel)
    purpose = purpose_for(panel.purpose)
    if not isinstance(obj, purpose.case_model) or obj.pk is None:
        raise ValidationError(_("该对象不是本专家组评审的案卷类型。"))
    content_type = ContentType.objects.get_for_model(obj)
    if PanelCase.objects.filter(
        panel=panel, content_type=content_type, object_id=str(obj.pk)
    ).exists():
        raise ValidationError(_("该案卷已在本专家组中。"))
    case = PanelCase.objects.create(
        panel=panel,
        content_type=content_type,
        object_id=str(obj.pk),
        code=_new_code(panel),
        added_by=actor,
    )
    log_action(
        actor=actor,
        action="panel.case_added",
        target=case,
        data={"model": purpose.model, "object_id": str(obj.pk), "code": case.code},
        channel=channel,
    )
    return case


@transaction.atomic
def case_withdraw(*, actor, case: PanelCase, reason: str, channel: str = "web") -> PanelCase:
    """Take a case out of the panel (e.g. the application was withdrawn)."""
    _manager(actor)
    _open_for_setup(Panel.objects.get(pk=case.panel_id))
    case = case_workflow.apply(
        actor=actor, obj=case, name="withdraw", reason=_reason(reason), channel=channel
    )
    for assignment in case.assignments.filter(status=AssignmentStatus.ASSIGNED):
        _end_assignment(assignment, actor)
    return case


def _live_members(panel: Panel) -> list[PanelMember]:
    return list(
        PanelMember.objects.active()
        .filter(panel=panel, expert__status=ExpertStatus.ACTIVE)
        .select_related("expert__person")
        .order_by("pk")
    )


def _create_assignment(case, member, *, actor, method, seed=None) -> Assignment:
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                case=case, member=member, method=method, seed=seed, assigned_by=actor
            )
    except IntegrityError:
        raise ValidationError(_("该专家已分配评审此案卷。")) from None
    ScoreSheet.objects.create(assignment=assignment)
    if case.status == CaseStatus.SCORED:  # a new scorer on a settled case: it waits for them
        system = System(actor)
        case_workflow.apply(actor=system, obj=case, name="resume", data=system.data())
    return assignment


@transaction.atomic
def assignment_create(
    *, actor, case: PanelCase, member: PanelMember, channel: str = "web"
) -> Assignment:
    """Assign a case to a member by hand; refused if the member has a conflict of interest."""
    _manager(actor)
    case = PanelCase.objects.select_for_update().select_related("panel").get(pk=case.pk)
    _open_for_setup(case.panel)
    member = PanelMember.objects.select_related("expert").get(pk=member.pk)
    if member.panel_id != case.panel_id or not member.active:
        raise ValidationError({"member": _("该专家不是本组的在组成员。")})
    if member.expert.status != ExpertStatus.ACTIVE:
        raise ValidationError({"member": _("该专家已出库，不能分配评分任务。")})
    if case.status == CaseStatus.WITHDRAWN:
        raise ValidationError(_("该案卷已撤出评审。"))
    conflicts = find_conflicts([member.expert], [case]).get((member.expert_id, case.pk))
    if conflicts:
        raise ValidationError(
            {"member": [_("存在利益冲突，不能分配：")] + [c.message for c in conflicts]}
        )
    assignment = _create_assignment(case, member, actor=actor, method=AssignmentMethod.MANUAL)
    log_action(
        actor=actor,
        action="panel_assignment.created",
        target=assignment,
        data={"case": case.pk, "expert": member.expert_id, "method": "manual"},
        channel=channel,
    )
    return assignment


@transaction.atomic
def assignments_draw(
    *,
    actor,
    panel: Panel,
    per_case: int | None = None,
    seed: int | None = None,
    channel: str = "web",
) -> list[Assignment]:
    """Draw scorers at random for every live case of the panel until each has `per_case`
    (the scheme's number by default): no conflicted member, load balanced, reproducible from
    the seed (drawn if not given, recorded on each assignment and in the audit entry). All or
    nothing: a case that cannot be served is named and nothing is assigned."""
    _manager(actor)
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    _open_for_setup(panel)
    per_case = scheme_of(panel).scorers if per_case is None else per_case
    if not isinstance(per_case, int) or per_case < 1:
        raise ValidationError({"per_case": _("每案评分人数至少为 1。")})
    if seed is None:
        seed = secrets.randbelow(2**31)
    if not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise ValidationError({"seed": _("随机种子应为非负整数。")})
    members = _live_members(panel)
    cases = list(PanelCase.objects.live().filter(panel=panel).prefetch_related("target"))
    live = list(
        Assignment.objects.live().filter(case__panel=panel).values_list("case_id", "member_id")
    )
    have: dict[int, int] = {}
    load: dict[int, int] = {}
    excluded = set()
    for case_id, member_id in live:
        have[case_id] = have.get(case_id, 0) + 1
        load[member_id] = load.get(member_id, 0) + 1
        excluded.add((member_id, case_id))
    by_expert = {m.expert_id: m.pk for m in members}
    conflicts = find_conflicts([m.expert for m in members], cases)
    excluded |= {(by_expert[e], c) for (e, c) in conflicts}
    need = {c.pk: max(0, per_case - have.get(c.pk, 0)) for c in cases}
    try:
        drawn = allocate(
            [c.pk for c in cases],
            [m.pk for m in members],
            need=need,
            load=load,
            excluded=excluded,
            seed=seed,
        )
    except Shortfall as short:
        case = next(c for c in cases if c.pk == short.case)
        raise ValidationError(
            {
                "per_case": _(
                    "案卷 %(code)s 只有 %(eligible)d 名无利益冲突的在组专家，需要 %(needed)d 名；"
                    "请增加成员或减少每案评分人数。"
                )
                % {"code": case.code, "eligible": short.eligible, "needed": short.needed}
            }
        ) from None
    cases_by_pk = {c.pk: c for c in cases}
    members_by_pk = {m.pk: m for m in members}
    created = [
        _create_assignment(
            cases_by_pk[case_id],
            members_by_pk[member_id],
            actor=actor,
            method=AssignmentMethod.RANDOM,
            seed=seed,
        )
        for case_id, member_ids in sorted(drawn.items())
        for member_id in member_ids
    ]
    log_action(
        actor=actor,
        action="panel.assignments_drawn",
        target=panel,
        data={
            "seed": seed,
            "per_case": per_case,
            "cases": len(cases),
            "members": len(members),
            "excluded_for_conflict": len(conflicts),
            "assigned": [[a.case_id, a.member.expert_id] for a in created],
        },
        channel=channel,
    )
    return created


@transaction.atomic
def assignment_cancel(*, actor, assignment: Assignment, reason: str, channel: str = "web"):
    _manager(actor)
    _open_for_setup(Panel.objects.get(cases__assignments=assignment))
    assignment = assignment_workflow.apply(
        actor=actor, obj=assignment, name="cancel", reason=_reason(reason), channel=channel
    )
    sheet = assignment.sheet
    if sheet.status in (SheetStatus.DRAFT, SheetStatus.SUBMITTED, SheetStatus.RETURNED):
        system = System(actor)
        sheet_workflow.apply(actor=system, obj=sheet, name="void", data=system.data())
    return assignment


def recuse_for_declaration(*, actor, assignment: Assignment, reason: str) -> None:
    """The recusal that follows a declared conflict with the case (services_experts)."""
    if Panel.objects.get(cases__assignments=assignment).status not in SETUP:
        return  # a locked panel changes only through a reopen; the declaration stays on record
    assignment_workflow.apply(actor=actor, obj=assignment, name="recuse", reason=reason)
    sheet = assignment.sheet
    if sheet.status in (SheetStatus.DRAFT, SheetStatus.SUBMITTED, SheetStatus.RETURNED):
        system = System(actor)
        sheet_workflow.apply(actor=system, obj=sheet, name="void", data=system.data())


def assignment_recuse(*, actor, assignment: Assignment, reason: str, channel: str = "web"):
    """The member steps back from a case for a conflict of interest: recorded as a declaration
    with the case (so they are never assigned it again) and the assignment is recused."""
    from haihe.panels.services_experts import conflict_declare

    if not (perms.owns_assignment(actor, assignment) or perms.can_manage_panels(actor)):
        raise PermissionDenied(_("只能处理分配给本人的评分任务。"))
    if Assignment.objects.get(pk=assignment.pk).status != AssignmentStatus.ASSIGNED:
        raise ValidationError(_("该评分任务已结束。"))
    _open_for_setup(Panel.objects.get(cases__assignments=assignment))
    return conflict_declare(
        actor=actor,
        expert=assignment.member.expert,
        case=assignment.case,
        reason=reason,
        channel=channel,
    )


def panel_open(*, actor, panel: Panel, channel: str = "web") -> Panel:
    """Start scoring: the panel needs a chair and members; the scheme in force on its
    reference date is read again and kept on the panel."""
    _manager(actor)
    panel = Panel.objects.get(pk=panel.pk)
    if panel.chair_id is None:
        raise ValidationError(_("请先指定组长。"))
    if not PanelMember.objects.active().filter(panel=panel).exists():
        raise ValidationError(_("专家组还没有成员。"))
    scheme = Scheme.read(purpose_for(panel.purpose), panel.reference_date)
    return panel_workflow.apply(
        actor=actor,
        obj=panel,
        name="open",
        channel=channel,
        extra_updates={"scheme": scheme.as_json()},
        data={"scheme": {k: v["effective_from"] for k, v in scheme.as_json().items()}},
    )


def panel_cancel(*, actor, panel: Panel, reason: str, channel: str = "web") -> Panel:
    _manager(actor)
    return panel_workflow.apply(
        actor=actor, obj=panel, name="cancel", reason=_reason(reason), channel=channel
    )
