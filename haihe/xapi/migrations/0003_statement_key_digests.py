"""Actors, activities and registrations get an 8-byte digest column each (`keys.key_hash`); the
(text key, stored) indexes go. Filled by 0004, indexed by 0005 (docs/xapi-lrs.md, "Storage and
speed")."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
        ("xapi", "0002_sqlite_planner_statistics"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="statement",
            name="xapi_st_actor_stored",
        ),
        migrations.RemoveIndex(
            model_name="statement",
            name="xapi_st_activity_stored",
        ),
        migrations.RemoveIndex(
            model_name="statement",
            name="xapi_st_registration",
        ),
        migrations.AddField(
            model_name="statement",
            name="activity_hash",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="statement",
            name="actor_hash",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="statement",
            name="registration_hash",
            field=models.BigIntegerField(blank=True, null=True),
        ),
    ]
