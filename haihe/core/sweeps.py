"""Recovery sweeps: background work recorded in the database that a lost task left undone.

Work that must survive a crash is recorded in the module's own tables in the transaction that
creates it, enqueued as a task on commit, and marked done in the transaction that commits its
effect. The task queue only makes it prompt: a sweep registered here finds whatever is still
recorded and does it, so recovery does not depend on the queue (the database queue, or another
backend). The task worker (`haihe db_worker`) runs every sweep when it starts and periodically;
`haihe sweep` runs them by hand.

    register(name, fn)     # fn(*, older_than: float) -> how many items it did
    run_all(older_than=S)  # every sweep, on work recorded more than S seconds ago
"""

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

Sweep = Callable[..., int]

_sweeps: dict[str, Sweep] = {}


def register(name: str, fn: Sweep) -> None:
    """Register (or replace) the sweep called `name`."""
    _sweeps[name] = fn


def registered() -> dict[str, Sweep]:
    return dict(_sweeps)


def run_all(*, older_than: float = 0) -> dict[str, int | None]:
    """Run every sweep; {name: items done, or None if the sweep failed (logged)}. Work recorded
    less than `older_than` seconds ago is left to the task that is probably on its way."""
    done: dict[str, int | None] = {}
    for name, fn in _sweeps.items():
        try:
            done[name] = fn(older_than=older_than)
        except Exception:  # one failing sweep must not stop the others, nor the worker
            logger.exception("sweep %s failed", name)
            done[name] = None
    return done
