"""Background work of supervision (Django's Tasks API): thin wrappers around services."""

from django.tasks import task


@task
def process_pending(pending_id: int) -> int | None:
    """Process one pending batch of stored statements (processing.py); returns how many
    enrolments' hours changed, or None if it was already processed."""
    from haihe.supervision import processing

    try:
        changed = processing.process_pending(pending_id)
    except Exception as exc:
        processing.record_failure(pending_id, exc)
        raise
    return None if changed is None else len(changed)


@task
def process_statements(statement_pks: list[int]) -> int:
    """Verify what a stored batch changes; returns how many enrolments' hours changed. (Tasks
    queued before batches had a pending row; new batches go through `process_pending`.)"""
    from haihe.supervision.processing import process_statements as process

    return len(process(statement_pks))
