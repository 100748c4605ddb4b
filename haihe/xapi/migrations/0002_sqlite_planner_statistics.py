"""Give SQLite's query planner representative statistics for the statement indexes.

Without `sqlite_stat1` rows SQLite guesses index selectivity from the number of equality terms
and picks (platform, verb, stored) over (actor_key, stored) for an agent + verb + since query,
scanning every statement of that verb: hundreds of milliseconds at a million statements instead
of a few. These rows describe the expected shape (a learner has tens of statements, a verb tens
of thousands); a later `ANALYZE` replaces them with measured ones. PostgreSQL keeps its own
statistics (autovacuum), so nothing is done there.
"""

from django.db import migrations

STATISTICS = {
    "xapi_statement": {
        None: "1000000",
        "sqlite_autoindex_xapi_statement_1": "1000000 1",
        "xapi_st_platform_stored": "1000000 100000 10",
        "xapi_st_actor_stored": "1000000 50 2",
        "xapi_st_verb_stored": "1000000 100000 20000 10",
        "xapi_st_activity_stored": "1000000 500 2",
        "xapi_st_registration": "1000000 50 2",
        "xapi_st_target": "10000 1",
        "xapi_st_object_agent": "10000 5",
    },
    "xapi_statementrelation": {
        None: "2000000",
        "xapi_rel_kind_key": "2000000 1000000 100 1",
    },
}


def write_statistics(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sqlite_schema")  # creates sqlite_stat1 without scanning tables
        for table, rows in STATISTICS.items():
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
            if cursor.fetchone()[0]:
                continue  # measured statistics exist: keep them
            for index, stat in rows.items():
                cursor.execute(
                    "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)",
                    [table, index, stat],
                )
        cursor.execute("ANALYZE sqlite_schema")  # reload the statistics


class Migration(migrations.Migration):
    dependencies = [("xapi", "0001_initial")]

    operations = [migrations.RunPython(write_statistics, migrations.RunPython.noop)]
