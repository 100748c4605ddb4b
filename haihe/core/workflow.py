"""Explicit state machines: every lifecycle declares its transitions once.

A transition names the states it leaves from, the state it goes to, the roles that may take it
and an optional guard (a function of user and object that returns a refusal message or None).
`Workflow.apply` checks all of that, changes the state, saves, and writes the audit event, so
every module's lifecycle is logged the same way.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from haihe.core.audit import log_action

Guard = Callable[[Any, models.Model], str | None]


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    label: Any = ""
    guard: Guard | None = None
    needs_reason: bool = False


@dataclass
class Workflow:
    name: str
    state_field: str = "status"
    transitions: dict[str, Transition] = field(default_factory=dict)

    def add(self, transition: Transition) -> Transition:
        if transition.name in self.transitions:
            raise ValueError(f"duplicate transition {transition.name!r} in {self.name}")
        self.transitions[transition.name] = transition
        return transition

    def state_of(self, obj: models.Model) -> str:
        return getattr(obj, self.state_field)

    def refusal(self, user, obj: models.Model, name: str) -> str | None:
        """Why `user` may not take transition `name` on `obj` now; None if they may."""
        transition = self.transitions.get(name)
        if transition is None:
            return _("未知的操作。")
        if self.state_of(obj) not in transition.sources:
            return _("当前状态下不能执行此操作。")
        if getattr(user, "role", None) not in transition.roles:
            return _("您的角色无权执行此操作。")
        if transition.guard is not None:
            return transition.guard(user, obj)
        return None

    def available(self, user, obj: models.Model) -> list[Transition]:
        return [t for t in self.transitions.values() if self.refusal(user, obj, t.name) is None]

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
        transition = self.transitions.get(name)
        with transaction.atomic():
            locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
            refusal = self.refusal(actor, locked, name)
            if refusal is not None:
                if transition is not None and self.state_of(locked) in transition.sources:
                    raise PermissionDenied(refusal)
                raise ValidationError(refusal)
            if transition.needs_reason and not reason.strip():
                raise ValidationError(_("请填写理由。"))
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
