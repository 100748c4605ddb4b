"""Who may manage platform selection and xAPI credentials. Pure functions of user and object."""

from haihe.accounts.roles import BUREAU_ROLES, Role


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_view_platforms(user) -> bool:
    """The bureau and district reviewers see platforms (district reviewers those in their
    district); a platform's own administrator sees their platform."""
    return _active(user) and user.role in (BUREAU_ROLES | {Role.DISTRICT_REVIEWER, Role.ORG_ADMIN})


def can_select_platform(user) -> bool:
    return _active(user) and user.role == Role.BUREAU_ADMIN


def can_issue_credential(user, organisation) -> bool:
    return _active(user) and user.role == Role.BUREAU_ADMIN


def can_revoke_credential(user, credential) -> bool:
    """The bureau administrator, or the platform's own administrator for its own credentials."""
    if not _active(user):
        return False
    if user.role == Role.BUREAU_ADMIN:
        return True
    return user.role == Role.ORG_ADMIN and user.organisation_id == credential.organisation_id
