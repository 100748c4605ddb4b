"""The one way to record a business action (after pretix's `log_action`)."""

import datetime
import decimal
import operator
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from haihe.core.models import AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def audit_scope(target: models.Model | None, which: str) -> int | None:
    """The organisation or district (`which`) an event about `target` belongs to, so that the
    people of that organisation or district see it: the model names the path to it in
    `audit_organisation` / `audit_district` (e.g. "training_class.district_id")."""
    path = getattr(target, f"audit_{which}", None) if target is not None else None
    return operator.attrgetter(path)(target) if path else None


def log_action(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    data: dict | None = None,
    organisation_id: int | None = None,
    district_id: int | None = None,
    channel: str = "web",
) -> AuditEvent:
    """Record that `actor` did `action` to `target`. Call inside the service's transaction."""
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    if organisation_id is None:
        organisation_id = audit_scope(target, "organisation")
    if district_id is None:
        district_id = audit_scope(target, "district")
    return AuditEvent.objects.create(
        actor=actor_user,
        actor_label=(actor_user.get_username() if actor_user else "system")[:150],
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        organisation_id=organisation_id,
        district_id=district_id,
        channel=channel,
        data=_jsonable(data or {}),
    )


def diff(before: dict, after: dict) -> dict:
    """Only the fields that changed, as {"field": [before, after]}."""
    return {
        key: [_jsonable(before.get(key)), _jsonable(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def trail_for(obj: models.Model):
    """The audit trail of one record, newest first."""
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
    ).select_related("actor")


def log_actions_bulk(
    *,
    actor,
    action: str,
    targets: list[models.Model],
    data_for=None,
    channel: str = "web",
    actor_scope: bool = True,
) -> int:
    """One audit event per target, written in one statement (for imports). An event belongs to
    the organisation its target names, else to the actor's (unless `actor_scope` is False: then
    only the bureau and the target's district see it)."""
    if not targets:
        return 0
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    content_type = ContentType.objects.get_for_model(targets[0])
    events = [
        AuditEvent(
            actor=actor_user,
            actor_label=(actor_user.get_username() if actor_user else "system")[:150],
            action=action,
            target_type=content_type,
            target_id=str(t.pk),
            target_label=str(t)[:255],
            organisation_id=audit_scope(t, "organisation")
            or (getattr(actor_user, "organisation_id", None) if actor_scope else None),
            district_id=audit_scope(t, "district"),
            channel=channel,
            data=_jsonable(data_for(t) if data_for else {}),
        )
        for t in targets
    ]
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)
