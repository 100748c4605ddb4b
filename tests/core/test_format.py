"""{% load format %}: numbers, amounts, hours and dates for people, in both languages."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation


def render(text: str, **context) -> str:
    return Template("{% load format %}" + text).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "1,661.8 小时"), ("en", "1,661.8 h")]
)
def test_hours_are_rounded_grouped_and_carry_their_unit(language, expected):
    with translation.override(language):
        assert render("{{ h|hours }}", h=Decimal("1661.80000000000")) == expected


@pytest.mark.parametrize(
    ("value", "filter_", "expected"),
    [
        (Decimal("1661.80000000000"), "number", "1,661.8"),
        (Decimal("40.00"), "number", "40"),
        (1234567, "number", "1,234,567"),
        (0, "number", "0"),
        (Decimal("2.25"), "number", "2.3"),  # half up, not to even
        (12.345, "number:2", "12.35"),
        (Decimal("12345.5"), "amount", "12,345.50"),
        (Decimal("-1000"), "amount", "-1,000.00"),
        (Decimal("87.25"), "percent", "87.3%"),
        (None, "number", "—"),
        ("n/a", "number", "n/a"),
        (float("nan"), "amount", "nan"),
    ],
)
def test_numbers_and_amounts(value, filter_, expected):
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert render("{{ v|" + filter_ + " }}", v=value) == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "12,345.50 元"), ("en", "¥12,345.50")]
)
def test_yuan_carry_the_unit_of_the_language(language, expected):
    with translation.override(language):
        assert render("{{ v|yuan }}", v=Decimal("12345.5")) == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "2020年11月27日"), ("en", "Nov. 27, 2020")]
)
def test_dates_in_the_languages_long_form(language, expected):
    with translation.override(language):
        assert render("{{ d|day }}", d=datetime.date(2020, 11, 27)) == expected
        assert render("{{ d|day }}", d=None) == "—"


def test_grouping_does_not_depend_on_the_thousand_separator_setting(settings):
    settings.USE_THOUSAND_SEPARATOR = False
    assert render("{{ v|number }}", v=12345) == "12,345"
