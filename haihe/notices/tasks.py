"""Background work of notices, through Django's Tasks API."""

from django.tasks import task

from haihe.notices import services


@task
def finalise_due_notices() -> dict:
    """Close every notice whose period has ended with no objection open (run daily)."""
    run = services.notice_finalise_due()
    return {"closed": run.closed, "failed": run.failed}
