"""The cases that carry evidence: each module registers its kind of case once, in its
AppConfig.ready(), with the evidence kinds its cases take and who may see and attach:

    register(CaseKind(
        key="subsidy_claim",
        model="subsidies.Claim",
        kinds={"attendance_sheet": _("培训签到表"), "invoice": _("发票"), "other": _("其他")},
        visible=lambda user: Claim.objects.visible_to(user),   # the cases the user may see
        may_attach=perms.can_edit_claim,                        # (user, case) -> bool
        url_of=lambda claim: reverse("subsidies:claim", args=[claim.pk]),
    ))

The evidence module never imports a programme module: it reaches cases only through what they
registered. `may_view(user, case)` defaults to "the case is in visible(user)"; `may_remove`
defaults to `may_attach` (removal only while the module lets the user attach, i.e. while the case
is editable). The allowed types and the size limit are the dated parameters
`evidence.media_types` (looked up as "<key>.<kind>", then "<key>", then "default") and
`evidence.max_bytes`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models

KIND_CODE_MAX = 40


@dataclass(frozen=True)
class CaseKind:
    key: str
    model: str  # "app_label.Model"
    kinds: dict[str, Any]  # evidence kind code -> label (Chinese, lazily translated)
    visible: Callable[[Any], models.QuerySet]  # the cases `user` may see
    may_attach: Callable[[Any, Any], bool]
    may_view: Callable[[Any, Any], bool] | None = None
    may_remove: Callable[[Any, Any], bool] | None = None
    url_of: Callable[[Any], str] | None = None  # the case's own page
    label_of: Callable[[Any], str] = str
    extra: dict = field(default_factory=dict)

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model_class)

    def can_view(self, user, case) -> bool:
        if self.may_view is not None:
            return bool(self.may_view(user, case))
        return self.visible(user).filter(pk=case.pk).exists()

    def can_attach(self, user, case) -> bool:
        return bool(self.may_attach(user, case))

    def can_remove(self, user, case) -> bool:
        check = self.may_remove or self.may_attach
        return bool(check(user, case))

    def kind_label(self, code: str) -> str:
        return str(self.kinds.get(code, code))


CASE_KINDS: dict[str, CaseKind] = {}


def register(kind: CaseKind) -> CaseKind:
    if kind.key in CASE_KINDS and CASE_KINDS[kind.key] is not kind:
        raise ValueError(f"evidence case kind {kind.key!r} registered twice")
    for code in kind.kinds:
        if not (code[:1].isalpha() and len(code) <= KIND_CODE_MAX and code.isascii()):
            raise ValueError(f"evidence kind code {code!r} of {kind.key!r} is not a short code")
        if not all(ch.islower() or ch.isdigit() or ch == "_" for ch in code):
            raise ValueError(f"evidence kind code {code!r} of {kind.key!r} is not a short code")
    CASE_KINDS[kind.key] = kind
    return kind


def case_kind(key: str) -> CaseKind:
    try:
        return CASE_KINDS[key]
    except KeyError:
        raise LookupError(f"no evidence case kind {key!r}") from None


def case_kind_for_model(model: type[models.Model] | models.Model) -> CaseKind:
    label = model._meta.label
    for kind in CASE_KINDS.values():
        if kind.model == label:
            return kind
    raise LookupError(f"{label} is not a registered evidence case")


def case_kind_for_content_type(content_type_id: int) -> CaseKind:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return case_kind_for_model(model)
