"""Signals of the learning record store.

Both are sent **inside** the transaction that stores the batch, so that what a receiver writes
(e.g. the record that the batch needs processing) commits or rolls back with the statements. A
receiver must not start work that assumes the batch is committed: it uses
``transaction.on_commit`` for that. An exception in a receiver refuses the batch.

`statements_stored` is sent once per batch that stores new statements, with keyword arguments:

- ``platform_id``: the primary key of the platform (registry.Organisation) whose credential wrote
  the batch;
- ``statement_pks``: the primary keys of the `Statement` rows just stored (voiding statements
  included; statements that were already stored and re-sent identically are not included).

`statements_resent` is sent once per batch that repeats statements already stored (identical,
so accepted again), with the same arguments; ``statement_pks`` are the primary keys of the stored
rows that the batch repeated. A platform re-sends when it did not get the answer to an earlier
request, so a receiver makes sure that whatever it owes those statements is under way.
"""

from django.dispatch import Signal

statements_stored = Signal()
statements_resent = Signal()
