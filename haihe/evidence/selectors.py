"""Reads: a case's evidence as the user may see it, the limits in force, and what a case page
shows (`case_panel`, for the `evidence/_case_evidence.html` include)."""

from django.db import models
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from haihe.core import clock
from haihe.evidence import perms
from haihe.evidence.cases import case_kind_for_model
from haihe.evidence.files import MEDIA_TYPES, TYPES
from haihe.evidence.models import SIZE_CEILING, Evidence
from haihe.policy.rules import param


def max_bytes(day=None) -> int:
    """The largest file accepted on `day` (today): the dated parameter, within the ceiling."""
    value = param("evidence.max_bytes", on=day or clock.today()).value
    return max(1, min(int(value), SIZE_CEILING))


def accepted_types(case_key: str, kind: str, day=None) -> list[str]:
    """The media types evidence of `kind` on a `case_key` case accepts on `day` (the dated
    parameter evidence.media_types: "<case>.<kind>", else "<case>", else "default")."""
    table = param("evidence.media_types", on=day or clock.today()).value or {}
    for key in (f"{case_key}.{kind}", case_key, "default"):
        if key in table:
            return [t for t in table[key] if t in MEDIA_TYPES]
    return list(MEDIA_TYPES)


def for_case(user, case: models.Model) -> models.QuerySet:
    """The live evidence of `case`, if `user` may see it (else none), oldest first per kind."""
    if not perms.can_view_case_evidence(user, case):
        return Evidence.objects.none()
    return (
        Evidence.objects.of(case)
        .live()
        .select_related("uploaded_by", "organisation")
        .order_by("kind", "uploaded_at", "id")
    )


def case_panel(user, case) -> dict:
    """What `evidence/_case_evidence.html` shows of `case` to `user`."""
    kind = case_kind_for_model(case)
    can_attach = perms.can_attach_evidence(user, case)
    rows = list(for_case(user, case))
    for row in rows:
        row.kind_label = kind.kind_label(row.kind)
        row.can_remove = can_attach and perms.can_remove_evidence(user, row)
    context = {
        "visible": perms.can_view_case_evidence(user, case),
        "rows": rows,
        "can_attach": can_attach,
        "kinds": list(kind.kinds.items()),
        "attach_url": reverse("evidence:attach", args=[kind.key, case.pk]),
    }
    if can_attach:
        limit = max_bytes()
        context["limit"] = filesizeformat(limit)
        context["accept"] = ",".join(sorted({e for t in TYPES.values() for e in t.extensions}))
    return context
