"""Data migration: the digests of statements stored before 0003, in chunks of 10,000 by primary
key (reversing leaves them; 0003's reversal drops the columns)."""

from django.db import migrations

from haihe.xapi.keys import key_hash


def fill_hashes(apps, schema_editor):
    statement = apps.get_model("xapi", "Statement")
    last = 0
    while True:
        rows = list(
            statement.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "actor_key", "activity_id", "registration")[:10_000]
        )
        if not rows:
            return
        changed = [
            statement(
                pk=pk,
                actor_hash=key_hash(actor),
                activity_hash=key_hash(activity),
                registration_hash=key_hash(str(registration) if registration else None),
            )
            for pk, actor, activity, registration in rows
        ]
        statement.objects.bulk_update(
            changed, ["actor_hash", "activity_hash", "registration_hash"], batch_size=1000
        )
        last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [("xapi", "0003_statement_key_digests")]

    operations = [migrations.RunPython(fill_hashes, migrations.RunPython.noop)]
