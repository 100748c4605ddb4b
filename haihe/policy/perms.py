from haihe.accounts.roles import BUREAU_ROLES, Role


def can_view_parameters(user) -> bool:
    return bool(user and user.is_authenticated and user.role in BUREAU_ROLES)


def can_edit_parameters(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.BUREAU_ADMIN)


def can_view_calendar(user) -> bool:
    return can_view_parameters(user)


def can_edit_calendar(user) -> bool:
    return can_edit_parameters(user)
