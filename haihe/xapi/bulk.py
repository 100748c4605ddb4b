"""Bulk loading of statements Haihe produced itself (the demo's streams): the store's insert
without the checks meant for untrusted input. Never for what a platform sends: that goes through
`store.store_statements`."""

import datetime

from haihe.core import clock
from haihe.xapi import store


def import_trusted(platform, statements: list[dict]) -> list[tuple[int, store.Prepared]]:
    """Store statements that Haihe itself produced (the demo's streams, built by
    `haihe.supervision.statements` and checked against `validate_statement` by the tests), as
    one platform's, with the store's own bulk insert: what `store_statements` does less the
    validation of untrusted input (over half of its time), the duplicate check (the ids are new)
    and the `statements_stored` signal (the caller verifies what it stored). Never for what a
    platform sends. Returns (primary key, prepared statement) in the order given."""
    now = clock.real_now()
    stored = now.replace(microsecond=now.microsecond // 1000 * 1000)
    stored_iso = store.iso(stored)
    authority = store.authority_for(platform.uscc)
    prepared = []
    # relations_of reads the actor, the object and the context: statements sharing those three
    # objects (a session's statements do) share the result
    relations: dict[tuple[int, int, int], list] = {}
    for statement in statements:
        payload = dict(statement)
        payload.update(stored=stored_iso, authority=authority, version="1.0.0")
        parts = (id(statement["actor"]), id(statement["object"]), id(statement.get("context")))
        if parts not in relations:
            relations[parts] = store.relations_of(statement)
        prepared.append(
            store.Prepared(
                statement_id=statement["id"],
                payload=payload,
                timestamp=datetime.datetime.fromisoformat(statement["timestamp"]),
                given_timestamp=statement["timestamp"],
                relations=relations[parts],
            )
        )
    pks = store.insert_rows(prepared, platform.pk, None, stored)
    return list(zip(pks, prepared, strict=True))
