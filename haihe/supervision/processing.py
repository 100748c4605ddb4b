"""Processing stored statements exactly once in effect, whatever is killed when.

The store sends `statements_stored` inside the transaction that stores a batch; the receiver
(`record_pending`) writes a `PendingStatements` row in that same transaction and enqueues
`tasks.process_pending` once it commits. So a committed batch always has its pending row, and
the row is what recovery works from, not the queue (a task may be lost: the process dies between
the commit and the enqueue, a worker dies while running it, a queue that is not the database
forgets it).

`process_pending` processes one batch in two steps, each committed with its own record:

1. the real-name links the batch makes or undoes, committed together with the people the batch
   touches, stored on the row (`people`);
2. the recomputation of those people (sessions, verified hours, flags, and the training module's
   online hours), a transaction per chunk of people; the last one deletes the row.

Recomputing a person reads all of that person's statements, so doing step 2 again gives the same
figures, and step 1 is done only once (it is skipped when `people` is set). A crash in either
step leaves the row, and the work is done again from where it stands: exactly once in effect.

`sweep` processes every row still pending (the task worker runs it at start and periodically,
`haihe sweep` by hand; see `haihe.core.sweeps`), and a batch re-sent while still pending is
enqueued again (`wake_pending`).
"""

import datetime
import logging
from collections.abc import Iterable

from django.db import transaction

from haihe.core import clock
from haihe.supervision import profile
from haihe.supervision.models import PendingStatements
from haihe.supervision.services import (
    link_accounts,
    people_touched,
    recompute_people,
    records_of,
    unlink_voided_registrations,
)

logger = logging.getLogger(__name__)


def record_pending(*, platform_id: int, statement_pks: list[int]) -> PendingStatements | None:
    """Record a stored batch as pending work, in the caller's transaction (the store's), and
    enqueue its processing once that commits."""
    pks = [int(pk) for pk in statement_pks]
    if not pks:
        return None
    row = PendingStatements.objects.create(
        platform_id=platform_id, statement_pks=pks, first_pk=min(pks), last_pk=max(pks)
    )
    _enqueue_on_commit(row.pk)
    return row


def wake_pending(statement_pks: Iterable[int]) -> list[int]:
    """Enqueue again the pending batches these (re-sent) statements belong to; returns their
    ids. Batches already processed have no row and need nothing."""
    pks = {int(pk) for pk in statement_pks}
    if not pks:
        return []
    rows = PendingStatements.objects.filter(first_pk__lte=max(pks), last_pk__gte=min(pks))
    found = [
        pending_id
        for pending_id, batch in rows.order_by("pk").values_list("pk", "statement_pks")
        if pks.intersection(batch)
    ]
    for pending_id in found:
        _enqueue_on_commit(pending_id)
    return found


def _enqueue_on_commit(pending_id: int) -> None:
    from haihe.supervision.tasks import process_pending as task

    # robust: a queue that refuses the task must not turn a stored batch into an error (the
    # row is committed; the sweep will process it)
    transaction.on_commit(lambda: task.enqueue(pending_id), robust=True)


def prepare_batch(statement_pks: Iterable[int]) -> set[int]:
    """Step 1 of a batch, in the caller's transaction: undo the links of the real-name
    registrations it voids, make the links its registrations give, and return the people it
    touches (every person whose enrolment or account a statement names, or whose account a
    voided statement named)."""
    from haihe.xapi.models import Statement

    pks = list(statement_pks)
    batch = records_of(Statement.objects.filter(pk__in=pks))
    void_targets = list(
        Statement.objects.filter(pk__in=pks, verb_id=profile.VERB_VOIDED)
        .exclude(object_statement_id=None)
        .values_list("object_statement_id", flat=True)
    )
    targets = (
        records_of(
            Statement.objects.filter(statement_id__in=void_targets, voided=True).exclude(
                verb_id=profile.VERB_VOIDED
            )
        )
        if void_targets
        else []
    )
    live = [r for r in batch if r.role != profile.OTHER]
    affected = unlink_voided_registrations([t.pk for t in targets if t.role == profile.REGISTER])
    registrations = [r for r in live if r.role == profile.REGISTER]
    if registrations:
        still = set(
            Statement.objects.filter(
                pk__in=[r.pk for r in registrations], voided=False
            ).values_list("pk", flat=True)
        )
        affected |= link_accounts([r for r in registrations if r.pk in still])
    return affected | people_touched(live + targets)


def process_statements(statement_pks: Iterable[int]) -> list[int]:
    """Process statements that have no pending row (tasks queued before pending rows existed;
    tests): both steps, without the record. Returns the enrolments whose hours changed."""
    with transaction.atomic():
        people = prepare_batch(statement_pks)
    return recompute_people(people)


def process_pending(pending_id: int) -> list[int] | None:
    """Process one pending batch (both steps, or step 2 alone if step 1 is committed); returns
    the enrolments whose verified hours changed, or None if the batch is no longer pending
    (another run finished it)."""
    with transaction.atomic():
        row = PendingStatements.objects.select_for_update().filter(pk=pending_id).first()
        if row is None:
            return None
        if row.people is None:
            people = sorted(prepare_batch(row.statement_pks))
            if not people:
                row.delete()
                return []
            row.people = people
            row.save(update_fields=["people"])
        people = list(row.people)

    def finish() -> None:
        PendingStatements.objects.filter(pk=pending_id).delete()

    return recompute_people(people, finish=finish)


def record_failure(pending_id: int, error: BaseException) -> None:
    """Note on the row that processing it failed (for the operator; the sweep retries it)."""
    from django.db.models import F

    with transaction.atomic():
        PendingStatements.objects.filter(pk=pending_id).update(
            attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
        )


def sweep(*, older_than: float = 0) -> int:
    """Process every batch pending for more than `older_than` seconds, oldest first; returns how
    many were processed. A batch whose processing fails is noted and left for the next sweep."""
    cutoff = clock.real_now() - datetime.timedelta(seconds=older_than)
    ids = list(
        PendingStatements.objects.filter(created_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    done = 0
    for pending_id in ids:
        try:
            process_pending(pending_id)
        except Exception as exc:  # one failing batch must not stop the others
            logger.exception("processing pending statements %s failed", pending_id)
            record_failure(pending_id, exc)
        else:
            done += 1
    return done
