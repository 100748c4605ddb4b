"""{% load format %}: numbers, amounts, hours and dates for people, in the active language.

    {{ verified|hours }}     1661.80000000000 -> "1,661.8 小时" / "1,661.8 h"
    {{ claim.amount|amount }}     12345.5 -> "12,345.50"        (yuan, two decimals)
    {{ total|yuan }}              12345.5 -> "12,345.50 元" / "¥12,345.50"
    {{ count|number }}              12345 -> "12,345"; a decimal keeps at most `places` (1)
    {{ share|percent }}             87.25 -> "87.3%"
    {{ day|day }}              2020-11-27 -> "2020年11月27日" / "Nov. 27, 2020"

Thousands are grouped whatever USE_THOUSAND_SEPARATOR says (django.utils.formats with
force_grouping), and decimals are rounded half up, then trailing zeros dropped where the figure
is a quantity (hours, numbers), kept where it is money. A value that is not a number is shown
as it is (or "—" for None), never an error on a page.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()

EMPTY = "—"


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _round(number: Decimal, places: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_number(value, places: int = 1, *, keep_zeros: bool = False) -> str:
    number = _decimal(value)
    if number is None:
        return EMPTY if value is None or value == "" else str(value)
    rounded = _round(number, places)
    if not keep_zeros:
        rounded = rounded.normalize() if rounded != rounded.to_integral() else rounded.quantize(1)
    decimals = max(0, -rounded.as_tuple().exponent)
    return formats.number_format(rounded, decimals, use_l10n=True, force_grouping=True)


@register.filter
def number(value, places=1):
    """A count or a quantity: grouped thousands, at most `places` decimals, no trailing zeros."""
    return format_number(value, int(places))


@register.filter
def hours(value, places=1):
    """Hours with their unit."""
    figure = format_number(value, int(places))
    if figure == EMPTY:
        return figure
    return _("%(hours)s 小时") % {"hours": figure}


@register.filter
def amount(value):
    """Money in yuan: two decimals, grouped thousands, no unit (the column names it)."""
    return format_number(value, 2, keep_zeros=True)


@register.filter
def yuan(value):
    """Money in yuan with its unit."""
    figure = amount(value)
    if figure == EMPTY:
        return figure
    return _("%(amount)s 元") % {"amount": figure}


@register.filter
def percent(value, places=1):
    figure = format_number(value, int(places))
    return figure if figure == EMPTY else f"{figure}%"


@register.filter
def day(value):
    """A date in the active language's long form."""
    if not value:
        return EMPTY
    return formats.date_format(value, "DATE_FORMAT")
