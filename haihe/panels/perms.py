"""Who may do what with experts and panels. Pure functions of the user and the object; which
rows a user sees at all is `Model.objects.visible_to(user)` (scopes.py)."""

from django.utils.translation import gettext as _

from haihe.accounts.roles import BUREAU_ROLES, Role, active_role


def is_bureau(user) -> bool:
    return active_role(user) in BUREAU_ROLES


def is_expert(user) -> bool:
    return active_role(user) == Role.EXPERT and user.person_id is not None


def can_view_roster(user) -> bool:
    return is_bureau(user)


def can_manage_roster(user) -> bool:
    return active_role(user) == Role.BUREAU_ADMIN


def can_manage_panels(user) -> bool:
    return active_role(user) == Role.BUREAU_ADMIN


def can_view_panels(user) -> bool:
    return is_bureau(user) or is_expert(user)


def is_chair(user, panel) -> bool:
    return (
        is_expert(user) and panel.chair_id is not None and (panel.chair.person_id == user.person_id)
    )


def sees_names(user, panel) -> bool:
    """Names and organisations of a panel's cases: the bureau always; scorers (experts, the
    chair too) only when the panel is not blind."""
    return is_bureau(user) or (is_expert(user) and not panel.blind)


def owns(user, expert) -> bool:
    return is_expert(user) and expert.person_id == user.person_id


def can_declare_conflict(user, expert) -> bool:
    """The expert themselves, or the bureau administrator recording it for them."""
    return owns(user, expert) or can_manage_roster(user)


def owns_assignment(user, assignment) -> bool:
    return owns(user, assignment.member.expert)


def chair_refusal(user, panel) -> str | None:
    if not is_chair(user, panel):
        return _("只有专家组组长可以执行此操作。")
    return None


def countersign_refusal(user, panel) -> str | None:
    """Four eyes: the second signature is a bureau person who is neither the chair nor a member
    of the panel (people compared, not accounts)."""
    if not is_bureau(user):
        return _("复核签发须由人社局人员完成。")
    if user.person_id is not None:
        if panel.chair_id and panel.chair.person_id == user.person_id:
            return _("组长不能复核签发本组结果。")
        if panel.members.filter(expert__person_id=user.person_id).exists():
            return _("专家组成员不能复核签发本组结果。")
    if panel.chair_signed_by_id == user.pk:
        return _("签字和复核签发须由不同人员完成。")
    return None
