"""Explicit state machines: every lifecycle declares its transitions once, and this module is the
only code that writes a state field (tests/test_architecture.py enforces it).

A transition names the states it leaves from, the state it goes to, who may take it (roles, or
`system=True` for the platform itself, e.g. completion when verified hours reach the threshold)
and an optional guard. `Workflow.apply` checks all of that, changes the state, saves and writes
the audit event; `apply_bulk` does the same for many objects in one statement with one audit
event each; `start` and `restore` set the state of objects not yet saved (a new object's initial
state; history replayed by the demo or an import).

A guard returns None (allowed) or a `Refusal` of one of two kinds, so that callers answer the
right way:
- `forbidden(message)`: who the user is does not allow it (another organisation's case, their
  own organisation's claim) — 403;
- `not_now(message)`: it cannot be done in the object's present situation (the class has
  started, nothing left to submit) — 409 with the reason, never 403.

`can(name)` gives the `can_<verb>` permission function from the same declaration, so that a
page, the API and a service never disagree about who may do what.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from haihe.core.audit import log_action, log_actions_bulk


@dataclass(frozen=True)
class Refusal:
    """Why a transition may not be taken: `forbidden` (who you are) or not possible now."""

    message: str
    forbidden: bool = False

    def __str__(self) -> str:
        return str(self.message)


def forbidden(message) -> Refusal:
    return Refusal(str(message), forbidden=True)


def not_now(message) -> Refusal:
    return Refusal(str(message), forbidden=False)


class TransitionForbidden(PermissionDenied):
    """The user may not take this transition (403)."""


class TransitionNotPossible(ValidationError):
    """The transition cannot be taken now (409), with the reason."""

    def __init__(self, message):
        super().__init__(str(message), code="not_possible_now")


Guard = Callable[[Any, models.Model], Refusal | None]


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str] = frozenset()
    label: Any = ""
    guard: Guard | None = None
    needs_reason: bool = False
    system: bool = False  # taken by the platform (actor None), never by a person


@dataclass
class Workflow:
    name: str
    state_field: str = "status"
    initial: tuple[str, ...] = ()
    transitions: dict[str, Transition] = field(default_factory=dict)

    def add(self, transition: Transition) -> Transition:
        if transition.name in self.transitions:
            raise ValueError(f"duplicate transition {transition.name!r} in {self.name}")
        if transition.system and transition.roles:
            raise ValueError(f"system transition {transition.name!r} names roles")
        self.transitions[transition.name] = transition
        return transition

    @property
    def states(self) -> frozenset[str]:
        found = set(self.initial)
        for t in self.transitions.values():
            found.update(t.sources)
            found.add(t.target)
        return frozenset(found)

    def state_of(self, obj: models.Model) -> str:
        return getattr(obj, self.state_field)

    # who may, and why not ------------------------------------------------------------------
    def refusal(self, user, obj: models.Model, name: str) -> Refusal | None:
        """Why `user` (None: the platform) may not take transition `name` on `obj` now."""
        transition = self.transitions.get(name)
        if transition is None:
            return not_now(_("未知的操作。"))
        if transition.system:
            if user is not None:
                return forbidden(_("该操作由系统自动执行。"))
        elif user is None or getattr(user, "role", None) not in transition.roles:
            return forbidden(_("您的角色无权执行此操作。"))
        if self.state_of(obj) not in transition.sources:
            return not_now(_("当前状态下不能执行此操作。"))
        if transition.guard is not None:
            refusal = transition.guard(user, obj)
            if refusal is not None and not isinstance(refusal, Refusal):
                raise TypeError(f"guard of {self.name}.{name} must return a Refusal or None")
            return refusal
        return None

    def can(self, name: str) -> Callable[[Any, models.Model], bool]:
        """The permission function `can_<name>(user, obj) -> bool` of this declaration."""
        if name not in self.transitions:
            raise ValueError(f"no transition {name!r} in {self.name}")

        def check(user, obj) -> bool:
            return self.refusal(user, obj, name) is None

        check.__name__ = f"can_{name}"
        check.__doc__ = f"May the user take {self.name}.{name} on the object now?"
        return check

    def available(self, user, obj: models.Model) -> list[Transition]:
        return [
            t
            for t in self.transitions.values()
            if not t.system and self.refusal(user, obj, t.name) is None
        ]

    @staticmethod
    def raise_for(refusal: Refusal):
        if refusal.forbidden:
            raise TransitionForbidden(str(refusal))
        raise TransitionNotPossible(str(refusal))

    # taking a transition -------------------------------------------------------------------
    def apply(
        self,
        *,
        actor,
        obj: models.Model,
        name: str,
        reason: str = "",
        data: dict | None = None,
        channel: str = "web",
        extra_updates: dict | None = None,
    ) -> models.Model:
        """Take transition `name` on `obj` (locked for the check), save and audit it."""
        transition = self.transitions.get(name)
        with transaction.atomic():
            locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
            refusal = self.refusal(actor, locked, name)
            if refusal is not None:
                self.raise_for(refusal)
            if transition.needs_reason and not reason.strip():
                raise ValidationError({"reason": _("请填写理由。")})
            before = self.state_of(locked)
            setattr(locked, self.state_field, transition.target)
            for key, value in (extra_updates or {}).items():
                setattr(locked, key, value)
            locked.save()
            log_action(
                actor=actor,
                action=f"{self.name}.{name}",
                target=locked,
                data={"from": before, "to": transition.target, "reason": reason, **(data or {})},
                channel=channel,
            )
        for key in [self.state_field, *(extra_updates or {})]:
            setattr(obj, key, getattr(locked, key))
        return obj

    def apply_bulk(
        self,
        *,
        actor,
        queryset: models.QuerySet,
        name: str,
        reason: str = "",
        data_for: Callable[[models.Model], dict] | None = None,
        channel: str = "web",
        extra_updates: dict | None = None,
    ) -> list[models.Model]:
        """Take `name` on every object of `queryset`, all or nothing: every object is checked
        first (a refusal names the object), then one UPDATE changes them and one audit event
        per object is written in one statement. Returns the objects as they were before."""
        transition = self.transitions.get(name)
        if transition is None:
            raise TransitionNotPossible(_("未知的操作。"))
        if transition.needs_reason and not reason.strip():
            raise ValidationError({"reason": _("请填写理由。")})
        with transaction.atomic():
            objs = list(queryset.select_for_update().order_by("pk"))
            problems = []
            for obj in objs:
                refusal = self.refusal(actor, obj, name)
                if refusal is not None:
                    if refusal.forbidden:
                        raise TransitionForbidden(f"{obj}: {refusal}")
                    problems.append(f"{obj}: {refusal}")
            if problems:
                raise TransitionNotPossible("; ".join(problems))
            if not objs:
                return []
            befores = {obj.pk: self.state_of(obj) for obj in objs}
            type(objs[0])._default_manager.filter(pk__in=list(befores)).update(
                **{self.state_field: transition.target}, **(extra_updates or {})
            )

            def event_data(obj):
                return {
                    "from": befores[obj.pk],
                    "to": transition.target,
                    "reason": reason,
                    **(data_for(obj) if data_for else {}),
                }

            log_actions_bulk(
                actor=actor,
                action=f"{self.name}.{name}",
                targets=objs,
                data_for=event_data,
                channel=channel,
            )
        return objs

    # objects not yet saved ---------------------------------------------------------------
    def start(self, obj: models.Model, state: str | None = None) -> models.Model:
        """Give a new (unsaved) object its initial state: one of `initial`."""
        state = state or (self.initial[0] if self.initial else None)
        if state not in self.initial:
            raise ValueError(f"{state!r} is not an initial state of {self.name}")
        if obj.pk is not None and not obj._state.adding:
            raise ValueError("start() is for objects not yet saved")
        setattr(obj, self.state_field, state)
        return obj

    def restore(
        self,
        objs: Iterable[models.Model],
        state: str | Callable[[models.Model], str],
        *,
        save: list[str] | None = None,
        batch_size: int = 2000,
    ) -> list[models.Model]:
        """Replay history: put objects in the states of this workflow they reached elsewhere
        (the demo's 2020 is written in bulk). `state` is a state or a function of the object;
        with `save`, the objects are written (state and the named fields) in bulk. The caller
        writes the audit trail of how they got there. Only the demo may call it
        (tests/test_architecture.py)."""
        objs = list(objs)
        for obj in objs:
            value = state(obj) if callable(state) else state
            if value not in self.states:
                raise ValueError(f"{value!r} is not a state of {self.name}")
            setattr(obj, self.state_field, value)
        if save is not None and objs:
            type(objs[0])._default_manager.bulk_update(
                objs, [self.state_field, *save], batch_size=batch_size
            )
        return objs
