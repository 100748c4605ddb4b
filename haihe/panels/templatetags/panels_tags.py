"""Template filters of the panel pages."""

from django import template

from haihe.panels.rules import fmt

register = template.Library()


@register.filter
def score(value) -> str:
    """A score for people: at most two decimals, no trailing zeros; "" for none."""
    return "" if value is None or value == "" else fmt(value)
