"""Reading dated parameters, and decisions that explain themselves.

    value = param("training.max_subsidies_per_year", on=certificate_date)
    Reason.check("training.max_per_year", ok, value=value, count=n)

Every Reason names the rule, the parameter, its value and the date it took effect; its message is
rendered in the reader's language from the rule's template, so a stored explanation can be shown
again later in either language.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from haihe.policy.models import ParameterValue


class ParameterMissing(LookupError):
    pass


@dataclass(frozen=True)
class ParamValue:
    key: str
    value: Any
    effective_from: datetime.date
    source: str = ""
    confirmed: bool = True

    def as_dict(self) -> dict:
        return {
            "parameter": self.key,
            "value": self.value,
            "effective_from": self.effective_from.isoformat(),
            "source": self.source,
            "confirmed": self.confirmed,
        }


def param(key: str, *, on: datetime.date, region: str | None = None) -> ParamValue:
    """The value of parameter `key` in force on day `on` in `region`."""
    region = region or settings.HAIHE_REGION_CODE
    row = (
        ParameterValue.objects.filter(
            parameter__key=key,
            region_code=region,
            effective_from__lte=on,
            voided_at__isnull=True,
        )
        .order_by("-effective_from", "-created_at")
        .only("value", "effective_from", "source", "confirmed")
        .first()
    )
    if row is None:
        raise ParameterMissing(f"no value of {key!r} in force on {on} for region {region}")
    return ParamValue(key, row.value, row.effective_from, row.source, row.confirmed)


def _localised(value: Any) -> Any:
    """A value given in both languages ({"zh": …, "en": …}, e.g. a holiday's name in a stored
    explanation) in the reader's language; any other value as it is."""
    if isinstance(value, dict) and set(value) == {"zh", "en"}:
        return value["en"] if (get_language() or "").startswith("en") else value["zh"]
    return value


# rule -> message template; rules register their messages here so stored reasons re-render.
MESSAGES: dict[str, Promise] = {}


def register_messages(messages: dict[str, Promise]) -> None:
    MESSAGES.update(messages)


# param name -> {code: words}: a reason stores a code (e.g. basis "class_start") and its message
# shows the words in the reader's language.
LABELS: dict[str, dict[str, Promise]] = {}


def register_labels(labels: dict[str, dict[str, Promise]]) -> None:
    for name, words in labels.items():
        LABELS.setdefault(name, {}).update(words)


# A reason may rest on a source that is not a dated parameter (the subsidy catalogue): its name
# for people, by the key the reason carries.
SOURCE_LABELS: dict[str, Promise] = {}


def register_source_labels(labels: dict[str, Promise]) -> None:
    SOURCE_LABELS.update(labels)


def localise_labels(values: dict) -> dict:
    """`values` with each code that has registered words (LABELS) replaced by them."""
    values = dict(values)
    for name, words in LABELS.items():
        if name in values and str(values[name]) in words:
            values[name] = str(words[str(values[name])])
    return values


@dataclass(frozen=True)
class Reason:
    rule: str
    ok: bool
    params: dict = field(default_factory=dict)
    parameter: ParamValue | None = None

    @property
    def message(self) -> str:
        template = MESSAGES.get(self.rule)
        if template is None:
            return self.rule
        values = {key: _localised(value) for key, value in self.params.items()}
        for name, words in LABELS.items():
            if name in values and str(values[name]) in words:
                values[name] = str(words[str(values[name])])
        if self.parameter is not None:
            values.setdefault("value", _localised(self.parameter.value))
        try:
            return str(template).format(**values)
        except (KeyError, IndexError):
            return str(template)

    def as_dict(self) -> dict:
        data = {"rule": self.rule, "ok": self.ok, "params": self.params, "message": self.message}
        if self.parameter is not None:
            data.update(self.parameter.as_dict())
            if not self.parameter.confirmed:
                data["note"] = str(_("该参数取值为未经核实的合理默认值。"))
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Reason":
        parameter = None
        if data.get("parameter"):
            parameter = ParamValue(
                data["parameter"],
                data.get("value"),
                datetime.date.fromisoformat(data["effective_from"]),
                data.get("source", ""),
                data.get("confirmed", True),
            )
        return cls(data["rule"], data["ok"], data.get("params", {}), parameter)


@dataclass(frozen=True)
class Decision:
    """The outcome of a rule set: allowed or not, an optional amount, and every reason."""

    reasons: tuple[Reason, ...]
    amount: Any = None

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.reasons)

    @property
    def refusals(self) -> list[Reason]:
        return [r for r in self.reasons if not r.ok]

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "amount": None if self.amount is None else str(self.amount),
            "reasons": [r.as_dict() for r in self.reasons],
        }
