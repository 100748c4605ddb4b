"""Numbers that are never handed out twice: claims, payment batches, certificates.

`issue("ZF", period="20201127", width=3)` → "ZF20201127001", then "…002". The counter of each
(prefix, period) is a row of `NumberSequence`, created on first use with an insert that ignores
a concurrent creator, then incremented under a row lock in the caller's transaction — so two
batches created at the same moment get different numbers, on SQLite (one writer at a time) and
on PostgreSQL (the row lock). A number is spent even if the caller's transaction later fails
only when the counter commits without it; inside one transaction it rolls back with it, and the
unique constraint on the numbered field remains the database's own guarantee.
"""

from django.db import transaction
from django.db.models import F

from haihe.core.models import NumberSequence


def next_value(key: str) -> int:
    """The next serial of counter `key` (1, 2, 3 …)."""
    with transaction.atomic():
        NumberSequence.objects.bulk_create([NumberSequence(key=key)], ignore_conflicts=True)
        NumberSequence.objects.select_for_update().filter(key=key).update(last=F("last") + 1)
        return NumberSequence.objects.filter(key=key).values_list("last", flat=True).get()


def issue(prefix: str, *, period: str, width: int) -> str:
    """The next number `prefix + period + serial`, the serial zero-padded to `width` digits."""
    serial = next_value(f"{prefix}{period}")
    if serial >= 10**width:
        raise OverflowError(f"number range {prefix}{period} exhausted at {10**width - 1}")
    return f"{prefix}{period}{serial:0{width}d}"


def advance(prefix: str, *, period: str, to: int) -> None:
    """Make sure the next serial of (prefix, period) is above `to` (numbers written by an
    import of history, such as the demo's 2020)."""
    key = f"{prefix}{period}"
    with transaction.atomic():
        NumberSequence.objects.bulk_create([NumberSequence(key=key)], ignore_conflicts=True)
        NumberSequence.objects.select_for_update().filter(key=key, last__lt=to).update(last=to)
