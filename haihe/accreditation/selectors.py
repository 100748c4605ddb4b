"""Reads of accreditation: open calls for an organisation, reviewers' queues, the public
registers, and the selector the certification module asks (`may_certify`)."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haihe.accreditation.models import Call, Kind, Recognition
from haihe.accreditation.workflows import APPLICATION_PIPELINE
from haihe.core import clock
from haihe.policy.rules import Decision, Reason, param, register_messages

register_messages(
    {
        "accreditation.certify_ok": _(
            "{organisation}已备案为评价机构（{number}，有效期 {valid_from} 至 {valid_until}），"
            "范围包括 {occupation} {level}级。"
        ),
        "accreditation.certify_none": _("{organisation}在 {on} 没有有效的评价机构备案。"),
        "accreditation.certify_scope": _(
            "{organisation}的评价机构备案（{number}）不包括 {occupation} {level}级。"
        ),
    }
)


def open_calls(organisation, *, on=None):
    """The calls open today to which `organisation`'s kinds may apply (dated parameter)."""
    on = on or clock.today()
    allowed = param("accreditation.applicant_kinds", on=on).value or {}
    has = set(organisation.kind_codes()) if organisation is not None else set()
    kinds = [kind for kind, org_kinds in allowed.items() if has & set(org_kinds)]
    return Call.objects.filter(
        status="open", opens_on__lte=on, closes_on__gte=on, kind__in=kinds
    ).order_by("closes_on")


def queue(user, queryset):
    """The applications waiting for a stage `user` acts at, in their jurisdiction."""
    return APPLICATION_PIPELINE.queue(queryset, user).order_by("stage_due_on", "submitted_at")


def register(kind: str, *, on=None):
    """The public register of one kind: every recognition in force on the day."""
    on = on or clock.today()
    return (
        Recognition.objects.public()
        .in_force(on)
        .filter(kind=kind)
        .select_related("holder", "district")
        .order_by("number")
    )


def _certifying_on(organisation, on: datetime.date):
    """The organisation's evaluation-body recognitions that allowed certifying on day `on`:
    valid on that day and either still active, or suspended/revoked/renewed only after it
    (a revoked body issues no certificate from the revocation date)."""
    return (
        Recognition.objects.filter(
            holder=organisation,
            kind=Kind.EVALUATION_BODY,
            valid_from__lte=on,
            valid_until__gte=on,
        )
        .filter(
            Q(status="active")
            | Q(status__in=("suspended", "revoked", "renewed", "expired"), status_since__gt=on)
        )
        .order_by("-valid_from")
    )


def certify_decision(organisation, occupation, level: int, *, on=None) -> Decision:
    """May `organisation` certify `occupation` (an Occupation or its code) at `level` on day
    `on`? With the reason (for the certification module's own explanations)."""
    on = on or clock.today()
    code = getattr(occupation, "code", occupation)
    params = {
        "organisation": organisation.name,
        "occupation": str(code),
        "level": int(level),
        "on": on.isoformat(),
    }
    bodies = list(_certifying_on(organisation, on))
    if not bodies:
        return Decision((Reason("accreditation.certify_none", False, params),))
    for body in bodies:
        if (str(code), int(level)) in body.scope_pairs():
            details = {
                **params,
                "number": body.number,
                "valid_from": body.valid_from.isoformat(),
                "valid_until": body.valid_until.isoformat(),
            }
            return Decision((Reason("accreditation.certify_ok", True, details),))
    params["number"] = bodies[0].number
    return Decision((Reason("accreditation.certify_scope", False, params),))


def may_certify(organisation, occupation, level: int, *, on=None) -> bool:
    """The selector for the certification module: a filed evaluation body whose scope covers
    the occupation and level, valid and not suspended or revoked on day `on`."""
    return certify_decision(organisation, occupation, level, on=on).ok
