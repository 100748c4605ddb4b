"""Verified online hours: the interface between training and the online-supervision module.

Training never invents online hours. The supervision module registers one provider; until it
does, every enrolment has zero verified online hours.

    register_online_hours_provider(fn)      # fn(enrolment_ids) -> {enrolment_id: Decimal hours}
    verified_online_hours(enrolment_ids)    # the provider's figures, zero for any id it omits
    online_hours_changed(enrolment_ids)     # supervision calls this after hours change; training
                                            # re-evaluates completion of those enrolments only
"""

from collections.abc import Callable, Iterable
from decimal import Decimal

Provider = Callable[[Iterable[int]], dict[int, Decimal]]

_provider: Provider | None = None


def register_online_hours_provider(fn: Provider | None) -> None:
    """Register (or, with None, unregister) the source of verified online hours."""
    global _provider
    _provider = fn


def current_provider() -> Provider | None:
    return _provider


def has_provider() -> bool:
    return _provider is not None


def verified_online_hours(enrolment_ids: Iterable[int]) -> dict[int, Decimal]:
    ids = list(dict.fromkeys(int(i) for i in enrolment_ids))
    zero = {i: Decimal(0) for i in ids}
    if _provider is None or not ids:
        return zero
    figures = _provider(ids) or {}
    for key, value in figures.items():
        if int(key) in zero and value is not None:
            zero[int(key)] = max(Decimal(value), Decimal(0))
    return zero


def online_hours_changed(enrolment_ids: Iterable[int]) -> None:
    """Refresh the stored online hours of these enrolments and re-evaluate their completion."""
    from haihe.training.services import refresh_online_hours

    refresh_online_hours(list(enrolment_ids))
