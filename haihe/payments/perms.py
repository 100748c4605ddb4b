"""Who may do what with payments: pure functions of the user."""

from haihe.accounts.roles import BUREAU_ROLES, Role


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_manage_payments(user) -> bool:
    return _active(user) and user.role == Role.BUREAU_ADMIN


def can_view_payments(user) -> bool:
    return _active(user) and user.role in BUREAU_ROLES
