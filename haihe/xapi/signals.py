"""Signals of the learning record store.

`statements_stored` is sent once per stored batch, **after** the transaction that stored it
commits, with keyword arguments:

- ``platform_id``: the primary key of the platform (registry.Organisation) whose credential wrote
  the batch;
- ``statement_pks``: the primary keys of the `Statement` rows just stored (voiding statements
  included; statements that were already stored and re-sent identically are not included).
"""

from django.dispatch import Signal

statements_stored = Signal()
