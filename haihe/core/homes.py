"""The home page each role lands on, registered by the module that builds it (the portal, at the
top of the house), so that core's `home` view needs no programme module:

    homes.register({Role.WORKER}, views.worker_home)

A role with no registered home sees the generic welcome page.
"""

from collections.abc import Callable, Iterable

HOMES: dict[str, Callable] = {}


def register(roles: Iterable[str], view: Callable) -> None:
    for role in roles:
        existing = HOMES.get(role)
        if existing is not None and existing is not view:
            raise ValueError(f"the home of {role!r} is already registered")
        HOMES[role] = view


def view_for(user) -> Callable | None:
    return HOMES.get(getattr(user, "role", None))
