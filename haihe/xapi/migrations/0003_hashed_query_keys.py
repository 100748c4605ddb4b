"""Index actors, activities and registrations by an 8-byte digest instead of (text, stored).

The three columns are filled for statements stored before this migration (in chunks of 10,000,
by primary key), then indexed; SQLite's planner statistics (migration 0002) get rows for the new
indexes when none were measured.
"""

from django.db import migrations, models

from haihe.xapi.keys import key_hash

STATISTICS = {
    "xapi_st_actor": "1000000 50",
    "xapi_st_activity": "1000000 500",
    "xapi_st_registration_hash": "1000000 50",
}
OLD_INDEXES = ("xapi_st_actor_stored", "xapi_st_activity_stored", "xapi_st_registration")


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


def write_statistics(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sqlite_schema")
        cursor.execute(
            "DELETE FROM sqlite_stat1 WHERE tbl = 'xapi_statement' AND idx IN (%s, %s, %s)",
            list(OLD_INDEXES),
        )
        for index, stat in STATISTICS.items():
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE idx = %s", [index])
            if not cursor.fetchone()[0]:
                cursor.execute(
                    "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('xapi_statement', %s, %s)",
                    [index, stat],
                )
        cursor.execute("ANALYZE sqlite_schema")  # reload the statistics


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0001_initial'),
        ('xapi', '0002_sqlite_planner_statistics'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='statement',
            name='xapi_st_actor_stored',
        ),
        migrations.RemoveIndex(
            model_name='statement',
            name='xapi_st_activity_stored',
        ),
        migrations.RemoveIndex(
            model_name='statement',
            name='xapi_st_registration',
        ),
        migrations.AddField(
            model_name='statement',
            name='activity_hash',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='statement',
            name='actor_hash',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='statement',
            name='registration_hash',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(fill_hashes, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(condition=models.Q(('actor_hash__isnull', False)), fields=['actor_hash'], name='xapi_st_actor'),
        ),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(condition=models.Q(('activity_hash__isnull', False)), fields=['activity_hash'], name='xapi_st_activity'),
        ),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(condition=models.Q(('registration_hash__isnull', False)), fields=['registration_hash'], name='xapi_st_registration_hash'),
        ),
        migrations.RunPython(write_statistics, migrations.RunPython.noop),
    ]
