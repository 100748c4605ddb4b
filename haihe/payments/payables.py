"""What can be paid: each programme module registers its payables once, in its AppConfig.ready().

    register(PayableKind(
        key="training_subsidy",
        label=_("培训补贴"),
        model="subsidies.Claim",
        approved=lambda: Claim.objects.filter(status="approved"),
        payee=lambda claim: Payee(name=..., identifier=..., bank_name=..., bank_account=...,
                                  organisation_id=..., district_id=...),
        amount=lambda claim: claim.approved_amount,
        label_of=lambda claim: claim.number,
        on_paid=mark_claim_paid,  # (payable, payment, actor) -> None, same transaction
    ))

The payments module never imports a programme module: it reaches payables only through what
they registered. A payable waits in its kind's queue while it is approved and has no live
payment (never paid, or its last payment failed).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models


@dataclass(frozen=True)
class Payee:
    name: str
    identifier: str  # a USCC for an organisation, a RIC for a person
    bank_name: str
    bank_account: str
    organisation_id: int | None = None
    district_id: int | None = None


@dataclass(frozen=True)
class PayableKind:
    key: str
    label: Any
    model: str  # "app_label.Model"
    approved: Callable[[], models.QuerySet]  # payables granted and not yet paid
    payee: Callable[[Any], Payee]
    amount: Callable[[Any], Decimal]
    label_of: Callable[[Any], str]
    on_paid: Callable[[Any, Any, Any], None]  # (payable, payment, actor)
    related: tuple[str, ...] = ()  # select_related for the queue page
    url_of: Callable[[Any], str] | None = None  # the payable's own page

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model_class)


KINDS: dict[str, PayableKind] = {}


def register(kind: PayableKind) -> PayableKind:
    if kind.key in KINDS and KINDS[kind.key] is not kind:
        raise ValueError(f"payable kind {kind.key!r} registered twice")
    KINDS[kind.key] = kind
    return kind


def kind_of(key: str) -> PayableKind:
    try:
        return KINDS[key]
    except KeyError:
        raise LookupError(f"no payable kind {key!r}") from None
