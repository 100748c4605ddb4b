"""The headline figures as the dashboard and the API read them: cached per as-of date.

Computing every figure takes about a second on a city's data, so the figures (and the
dashboard's breakdowns) of an as-of date are kept in Django's cache for
`HAIHE_STATS_CACHE_SECONDS`; within that time every reader gets the same numbers. `haihe stats`
still computes them live. Every reader allowed by `perms.can_view_figures` reads the same
city-wide set, the one scope in the cache key.
"""

import datetime

from django.conf import settings
from django.core.cache import cache

from haihe.core.figures import compute_all, ordered_figures

SCOPE = "city"
# The dates the figures can be asked for (a technical range, well beyond any record's date:
# the month arithmetic of the breakdowns overflows at the ends of Python's calendar).


def _cached(name: str, as_of: datetime.date, compute):
    seconds = settings.HAIHE_STATS_CACHE_SECONDS
    if seconds <= 0:
        return compute(as_of)
    key = f"haihe:stats:{name}:{SCOPE}:{as_of.isoformat()}"
    value = cache.get(key)
    if value is None:
        value = compute(as_of)
        cache.set(key, value, timeout=seconds)
    return value


def headline(as_of: datetime.date) -> dict:
    """Every figure's value as of the date, by key."""
    return _cached("headline", as_of, compute_all)


def _breakdowns(as_of: datetime.date) -> dict[str, dict[str, dict]]:
    result = {}
    for f in ordered_figures():
        parts = {}
        if f.by_district:
            parts["district"] = f.by_district(as_of)
        if f.by_month:
            parts["month"] = f.by_month(as_of)
        if parts:
            result[f.key] = parts
    return result


def breakdowns(as_of: datetime.date) -> dict[str, dict[str, dict]]:
    """{figure key: {"district": {code: value}, "month": {"YYYY-MM": value}}} as of the date."""
    return _cached("breakdowns", as_of, _breakdowns)
