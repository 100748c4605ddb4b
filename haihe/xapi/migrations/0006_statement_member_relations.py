"""Data migration: the relations of statements stored before Group members were indexed (the
`agent` filter matches a Group actor or object listing the agent, `related_agents` also the
members of instructor, team and sub-statement Groups). Every stored statement's relations are
computed again with `store.relations_of`; the missing rows are added, in chunks of 5,000 by
primary key. Reversing leaves them (they are what the current code writes)."""

import orjson
from django.db import migrations

from haihe.xapi.store import relations_of


def add_missing_relations(apps, schema_editor):
    statement = apps.get_model("xapi", "Statement")
    relation = apps.get_model("xapi", "StatementRelation")
    last = 0
    while True:
        rows = list(
            statement.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "payload")[:5000]
        )
        if not rows:
            return
        pks = [pk for pk, _payload in rows]
        existing = set(
            relation.objects.filter(statement_id__in=pks).values_list(
                "statement_id", "kind", "key"
            )
        )
        missing = [
            relation(statement_id=pk, kind=kind, key=key)
            for pk, payload in rows
            # only statements naming Group members can miss rows (a cheap pre-filter)
            if b'"member"' in orjson.dumps(payload)
            for kind, key in relations_of(payload)
            if (pk, kind, key) not in existing
        ]
        relation.objects.bulk_create(missing, batch_size=1000)
        last = pks[-1]


class Migration(migrations.Migration):
    dependencies = [("xapi", "0005_index_statement_key_digests")]

    operations = [migrations.RunPython(add_missing_relations, migrations.RunPython.noop)]
