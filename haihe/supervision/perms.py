"""Who may do what in supervision (pure functions; visibility is `visible_to`, scopes.py)."""

from haihe.accounts.roles import BUREAU_ROLES, ORG_ROLES, Role
from haihe.registry.models import OrgKind


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_platform_user(user) -> bool:
    return (
        _active(user)
        and user.role in ORG_ROLES
        and user.organisation is not None
        and user.organisation.kinds.filter(kind=OrgKind.ONLINE_TRAINING_PLATFORM).exists()
    )


def can_view_supervision(user) -> bool:
    """The bureau, district reviewers, and an online training platform's own users."""
    if not _active(user):
        return False
    if user.role in BUREAU_ROLES or user.role == Role.DISTRICT_REVIEWER:
        return True
    return is_platform_user(user)


def can_view_platform(user, platform) -> bool:
    if not _active(user):
        return False
    if user.role in BUREAU_ROLES:
        return True
    return user.role in ORG_ROLES and user.organisation_id == platform.pk


def can_close_flag(user, flag) -> bool:
    """Resolve or dismiss: the bureau, or the district reviewer of the flag's district; never a
    platform (it would be judging itself)."""
    from haihe.supervision.workflows import can_resolve_flag

    return _active(user) and can_resolve_flag(user, flag)
