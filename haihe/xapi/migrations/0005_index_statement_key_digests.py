"""Index the digests; SQLite's planner statistics (migration 0002) get rows for the new indexes
when none were measured, and lose those of the dropped ones."""

from django.db import migrations, models

STATISTICS = {
    "xapi_st_actor": "1000000 50",
    "xapi_st_activity": "1000000 500",
    "xapi_st_registration_hash": "1000000 50",
}
OLD_INDEXES = ("xapi_st_actor_stored", "xapi_st_activity_stored", "xapi_st_registration")


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
    dependencies = [("xapi", "0004_fill_statement_key_digests")]

    operations = [
        migrations.AddIndex(
            model_name="statement",
            index=models.Index(
                condition=models.Q(("actor_hash__isnull", False)),
                fields=["actor_hash"],
                name="xapi_st_actor",
            ),
        ),
        migrations.AddIndex(
            model_name="statement",
            index=models.Index(
                condition=models.Q(("activity_hash__isnull", False)),
                fields=["activity_hash"],
                name="xapi_st_activity",
            ),
        ),
        migrations.AddIndex(
            model_name="statement",
            index=models.Index(
                condition=models.Q(("registration_hash__isnull", False)),
                fields=["registration_hash"],
                name="xapi_st_registration_hash",
            ),
        ),
        migrations.RunPython(write_statistics, migrations.RunPython.noop),
    ]
