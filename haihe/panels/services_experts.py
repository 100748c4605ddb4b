"""Writes of the expert roster and of declared conflicts of interest. Keyword-only, the acting
user first, atomic, permission checked first, validated, audited."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haihe.accounts.models import User
from haihe.accounts.roles import Role
from haihe.accounts.services import user_create
from haihe.core import clock
from haihe.core.audit import diff, log_action
from haihe.panels import perms
from haihe.panels.models import (
    Assignment,
    AssignmentStatus,
    ConflictDeclaration,
    Expert,
    ExpertStatus,
    PanelCase,
)
from haihe.panels.workflows import expert_workflow
from haihe.registry.models import Occupation, Organisation, Person


def _text(value, field: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("不能为空。")})
    if len(value) > limit:
        raise ValidationError({field: _("不能超过 %(n)d 个字。") % {"n": limit}})
    return value


def _occupations(specialities) -> list[Occupation]:
    occupations = list(specialities or [])
    inactive = [o.code for o in occupations if not o.active]
    if inactive:
        raise ValidationError(
            {"specialities": _("职业已停用：%(codes)s") % {"codes": "、".join(inactive)}}
        )
    return occupations


def _state(expert: Expert) -> dict:
    return {
        "employer": expert.employer_id,
        "title": expert.title,
        "expertise": expert.expertise,
        "note": expert.note,
        "specialities": sorted(o.code for o in expert.specialities.all()),
    }


@transaction.atomic
def expert_create(
    *,
    actor,
    person: Person,
    employer: Organisation | None = None,
    title: str = "",
    expertise: str = "",
    specialities=(),
    note: str = "",
    channel: str = "web",
) -> Expert:
    """Put a registry person on the roster."""
    if not perms.can_manage_roster(actor):
        raise PermissionDenied(_("您无权管理专家库。"))
    if Expert.objects.filter(person=person).exists():
        raise ValidationError({"person": _("该人员已在专家库中。")})
    expert = Expert.objects.create(
        person=person,
        employer=employer,
        title=_text(title, "title", 100),
        expertise=_text(expertise, "expertise", 255),
        note=_text(note, "note", 500),
        created_by=actor,
    )
    expert.specialities.set(_occupations(specialities))
    log_action(
        actor=actor,
        action="panel_expert.created",
        target=expert,
        data=_state(expert),
        channel=channel,
    )
    return expert


@transaction.atomic
def expert_update(
    *,
    actor,
    expert: Expert,
    employer: Organisation | None,
    title: str,
    expertise: str,
    specialities,
    note: str = "",
    channel: str = "web",
) -> Expert:
    if not perms.can_manage_roster(actor):
        raise PermissionDenied(_("您无权管理专家库。"))
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    before = _state(expert)
    expert.employer = employer
    expert.title = _text(title, "title", 100)
    expert.expertise = _text(expertise, "expertise", 255)
    expert.note = _text(note, "note", 500)
    expert.save()
    expert.specialities.set(_occupations(specialities))
    changes = diff(before, _state(expert))
    if changes:
        log_action(
            actor=actor,
            action="panel_expert.updated",
            target=expert,
            data=changes,
            channel=channel,
        )
    return expert


@transaction.atomic
def expert_account_create(
    *, actor, expert: Expert, username: str, password: str, channel: str = "web"
) -> User:
    """An account of role `expert` for the expert's person (how the expert signs in)."""
    if not perms.can_manage_roster(actor):
        raise PermissionDenied(_("您无权管理专家库。"))
    username = _text(username, "username", 150, required=True)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("该用户名已被使用。")})
    if User.objects.filter(person_id=expert.person_id, role=Role.EXPERT).exists():
        raise ValidationError({"username": _("该专家已有评审专家账户。")})
    try:
        validate_password(password, User(username=username))
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user = user_create(
        actor=actor,
        username=username,
        password=password,
        role=Role.EXPERT,
        display_name=expert.person.name,
        person=expert.person,
    )
    log_action(
        actor=actor,
        action="panel_expert.account_created",
        target=expert,
        data={"username": username},
        channel=channel,
    )
    return user


def expert_retire(*, actor, expert: Expert, reason: str, channel: str = "web") -> Expert:
    """Take an expert off the roster: no new panels or assignments (current ones stay)."""
    if not perms.can_manage_roster(actor):
        raise PermissionDenied(_("您无权管理专家库。"))
    return expert_workflow.apply(
        actor=actor, obj=expert, name="retire", reason=(reason or "").strip(), channel=channel
    )


def expert_reinstate(*, actor, expert: Expert, channel: str = "web") -> Expert:
    if not perms.can_manage_roster(actor):
        raise PermissionDenied(_("您无权管理专家库。"))
    return expert_workflow.apply(actor=actor, obj=expert, name="reinstate", channel=channel)


def is_active(expert: Expert) -> bool:
    return expert.status == ExpertStatus.ACTIVE


@transaction.atomic
def conflict_declare(
    *,
    actor,
    expert: Expert,
    reason: str,
    case: PanelCase | None = None,
    organisation: Organisation | None = None,
    person: Person | None = None,
    channel: str = "web",
) -> ConflictDeclaration:
    """Record a conflict of interest of `expert` with one case, an organisation or a person.
    With a case, the expert's live assignment to it is recused (while the panel scores)."""
    if not perms.can_declare_conflict(actor, expert):
        raise PermissionDenied(_("您无权为该专家申报利益冲突。"))
    reason = _text(reason, "reason", 500, required=True)
    subjects = [s for s in (case, organisation, person) if s is not None]
    if len(subjects) != 1:
        raise ValidationError(_("请选择一个冲突对象：案卷、单位或人员。"))
    if case is not None and not PanelCase.objects.visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied(_("您无权查看该案卷。"))
    declaration = ConflictDeclaration.objects.create(
        expert=expert,
        case=case,
        organisation=organisation,
        person=person,
        reason=reason,
        declared_by=actor,
    )
    log_action(
        actor=actor,
        action="panel_conflict.declared",
        target=declaration,
        data={
            "expert": expert.pk,
            "case": getattr(case, "pk", None),
            "organisation": getattr(organisation, "pk", None),
            "person": getattr(person, "pk", None),
            "reason": reason,
        },
        channel=channel,
    )
    if case is not None:
        from haihe.panels.services import recuse_for_declaration

        live = Assignment.objects.filter(
            case=case, member__expert=expert, status=AssignmentStatus.ASSIGNED
        ).select_related("case__panel", "member__expert")
        for assignment in live:
            recuse_for_declaration(actor=actor, assignment=assignment, reason=reason)
    return declaration


@transaction.atomic
def conflict_void(
    *, actor, declaration: ConflictDeclaration, reason: str, channel: str = "web"
) -> ConflictDeclaration:
    """Void a declaration recorded in error (the bureau only; a recusal stays recused)."""
    if not perms.can_manage_roster(actor):
        raise PermissionDenied(_("您无权作废利益冲突申报。"))
    reason = _text(reason, "reason", 500, required=True)
    declaration = ConflictDeclaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.voided_at is not None:
        raise ValidationError(_("该申报已作废。"))
    declaration.voided_at = clock.now()
    declaration.void_reason = reason
    declaration.save(update_fields=["voided_at", "void_reason"])
    log_action(
        actor=actor,
        action="panel_conflict.voided",
        target=declaration,
        data={"reason": reason},
        channel=channel,
    )
    return declaration
