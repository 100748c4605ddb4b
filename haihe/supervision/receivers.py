"""The learning record store tells supervision about every stored batch (inside its
transaction; see haihe.xapi.signals)."""


def on_statements_stored(sender, *, platform_id: int, statement_pks: list[int], **kwargs) -> None:
    """Record the batch as pending work in the store's transaction; its processing is enqueued
    once that commits (and the sweep finds it if the task is lost)."""
    from haihe.supervision.processing import record_pending

    record_pending(platform_id=platform_id, statement_pks=statement_pks)


def on_statements_resent(sender, *, platform_id: int, statement_pks: list[int], **kwargs) -> None:
    """A platform re-sent statements already stored: if their batch is still pending, enqueue
    its processing again (the platform's recovery after a lost answer)."""
    from haihe.supervision.processing import wake_pending

    wake_pending(statement_pks)
