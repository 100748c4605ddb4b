"""The platform's clock: the only module that reads the wall clock.

Two kinds of time, and which one each reader wants:

**Business time** — `today()` and `now()`. Every date a rule or a record of the programme uses:
"today" for a deadline, the day a class may still be approved, the date a claim was submitted,
when an audit event happened, when a flag was raised, when a batch was exported. `HAIHE_TODAY`
(``YYYY-MM-DD``) pins it: the demo pins the scenario's day (2020-11-27), a training exercise or
a replay pins theirs. Pinned, `now()` is that day at the real time of day (so that events of
one session still follow each other); unpinned, it is the real date and time in the platform's
time zone (`TIME_ZONE`). A rule never asks for "today" when it judges a fact: it judges the
fact's own date and asks the clock only for the day the decision is taken.

**Real time** — `real_now()`. Technical instants that must stay true whatever the business day:
the xAPI `stored` and `X-Experience-API-Consistent-Through` stamps (platforms and the ADL
conformance suite compare them with their own clocks), xAPI document timestamps, login
throttling windows, API token use and revocation, session expiry (Django's own), background
job timing. These are never pinned.

Tests pin the business day with the `clock` fixture (tests/conftest.py), which uses `pinned`.
`tests/test_architecture.py` fails the build when code outside this module reads the wall clock.
"""

import contextlib
import datetime
import os
import threading

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

ENV_VAR = "HAIHE_TODAY"

_lock = threading.Lock()
_pinned: list[datetime.date | None] = []  # a stack: the innermost `pinned` wins


def _parse(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"{ENV_VAR} must be a date YYYY-MM-DD, not {value!r}") from exc


def pinned_day() -> datetime.date | None:
    """The business day the platform is pinned to, or None when it follows the real date."""
    with _lock:
        if _pinned:
            return _pinned[-1]
    value = os.environ.get(ENV_VAR, "").strip()
    return _parse(value) if value else None


def real_now() -> datetime.datetime:
    """The real instant (aware, UTC) — for technical stamps only (see the module's text)."""
    return timezone.now()


def now() -> datetime.datetime:
    """The business instant (aware): the pinned day at the real time of day, or the real now."""
    real = timezone.localtime(real_now())
    day = pinned_day()
    if day is None:
        return real
    return real.replace(year=day.year, month=day.month, day=day.day)


def today() -> datetime.date:
    """The business day in the platform's time zone."""
    day = pinned_day()
    return day if day is not None else timezone.localdate(real_now())


def local_date(moment: datetime.datetime) -> datetime.date:
    """The calendar day of an instant in the platform's time zone (no clock read)."""
    return timezone.localdate(moment)


@contextlib.contextmanager
def pinned(day: datetime.date | str):
    """Pin the business day inside the block (tests, replays); blocks nest."""
    if isinstance(day, str):
        day = _parse(day)
    with _lock:
        _pinned.append(day)
    try:
        yield day
    finally:
        with _lock:
            _pinned.pop()
