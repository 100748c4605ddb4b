"""The learning record store tells supervision about every stored batch."""

from django.db import transaction


def on_statements_stored(sender, *, platform_id: int, statement_pks: list[int], **kwargs) -> None:
    """Enqueue the incremental processing of just these statements (after commit)."""
    from haihe.supervision.tasks import process_statements

    pks = [int(pk) for pk in statement_pks]
    if pks:
        transaction.on_commit(lambda: process_statements.enqueue(pks))
