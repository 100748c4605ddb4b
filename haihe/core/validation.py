"""Field rules declared once, on the model, and enforced by the service and the database.

A numeric field carries its range as validators (`bounded(low, high)`), a choice field its
choices; `clean_fields(Model, data)` checks values against those declarations (choices, range,
digits, length) and is what every service calls before it writes, whether the values came from
a form, the API or an import. The same bounds are CHECK constraints (`range_check`,
`choice_check` in the model's Meta), so that no path — a bulk update, a shell, a bug — stores a
value the platform would refuse, on SQLite as on PostgreSQL."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext as _

# The dates a business fact may carry (a class, a sign-in, a certificate).
FIRST_DAY = datetime.date(1950, 1, 1)
LAST_DAY = datetime.date(2099, 12, 31)


def day_problem(day) -> str | None:
    """Why a business date cannot be accepted, or None."""
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        return _("日期应在 %(first)s 至 %(last)s 之间。") % {"first": FIRST_DAY, "last": LAST_DAY}
    return None


def bounded(low, high) -> list:
    """The validators of a numeric field's range (inclusive)."""
    return [MinValueValidator(low), MaxValueValidator(high)]


def range_check(field: str, low, high, *, name: str, nullable: bool = False):
    """CHECK (low <= field <= high), or NULL when the field is nullable."""
    condition = models.Q(**{f"{field}__gte": low, f"{field}__lte": high})
    if nullable:
        condition |= models.Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=name)


def choice_check(field: str, choices, *, name: str, blank: bool = False, nullable: bool = False):
    """CHECK (field IN the choices' values), '' allowed when the field may be blank. `choices`
    is a Choices class or a list of (value, label) pairs."""
    values = list(getattr(choices, "values", None) or [value for value, _label in choices])
    if blank:
        values.append("")
    condition = models.Q(**{f"{field}__in": values})
    if nullable:
        condition |= models.Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=name)


def clean_fields(model, data: dict, *, errors: dict | None = None) -> dict:
    """`data`'s values checked against `model`'s own field declarations (choices, validators,
    max_digits, max_length, null/blank): the cleaned values, or ValidationError({field: [...]}).
    Relations and fields not in `data` are left to the caller. With `errors`, problems are added
    to that dict instead of raised (for a service that has cross-field checks of its own)."""
    found: dict[str, list[str]] = {}
    cleaned = {}
    for name, value in data.items():
        field = model._meta.get_field(name)
        if field.is_relation:
            cleaned[name] = value
            continue
        try:
            cleaned[name] = field.clean(value, None)
        except ValidationError as exc:
            found[name] = list(exc.messages)
    if errors is not None:
        for name, messages in found.items():
            errors.setdefault(name, []).extend(messages)
    elif found:
        raise ValidationError(found)
    return cleaned
