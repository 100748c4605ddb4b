"""Background work of supervision (Django's Tasks API): thin wrappers around services."""

from django.tasks import task


@task
def process_statements(statement_pks: list[int]) -> int:
    """Verify what a stored batch changes; returns how many enrolments' hours changed."""
    from haihe.supervision.services import process_statements as process

    return len(process(statement_pks))
