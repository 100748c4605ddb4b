"""Who may manage accounts and tokens."""

from haihe.accounts.roles import ORG_ROLES, Role


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_manage_users(user, *, role: str, organisation=None) -> bool:
    if not _active(user):
        return False
    if user.role == Role.BUREAU_ADMIN:
        return True
    return (
        user.role == Role.ORG_ADMIN
        and role in ORG_ROLES
        and organisation is not None
        and organisation.pk == user.organisation_id
    )


def can_manage_tokens(user, owner) -> bool:
    """An organisation administrator manages the tokens of their organisation's accounts."""
    if not _active(user):
        return False
    if user.role == Role.BUREAU_ADMIN:
        return True
    return (
        user.role == Role.ORG_ADMIN
        and owner.organisation_id is not None
        and owner.organisation_id == user.organisation_id
    )


def can_view_audit_log(user) -> bool:
    return _active(user) and user.role in (Role.BUREAU_ADMIN, Role.MUNICIPAL_REVIEWER)


def can_view_security_alerts(user) -> bool:
    """Security alerts (e.g. sustained failed logins) go to the bureau's administrator."""
    return _active(user) and user.role == Role.BUREAU_ADMIN
