"""`haihe db_worker`: django-tasks-db's worker, which also runs the recovery sweeps
(haihe.core.sweeps) when it starts and every --sweep-interval seconds."""

import os
import threading
import time

from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from haihe.core import sweeps


def sweep_forever(interval: float, grace: float) -> None:
    """The periodic sweeps, in a thread of their own (with its own database connection)."""
    while True:
        time.sleep(interval)
        try:
            sweeps.run_all(older_than=grace)
        finally:
            connections.close_all()  # this thread's connections only


class Command(db_worker.Command):
    help = (
        "Run the database background worker; it runs the recovery sweeps at start and every "
        "--sweep-interval seconds."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--sweep-interval",
            type=db_worker.valid_interval,
            default=60,
            help="seconds between recovery sweeps; 0 sweeps only at start (default: %(default)r)",
        )
        parser.add_argument(
            "--sweep-grace",
            type=db_worker.valid_interval,
            default=60,
            help="periodic sweeps leave work younger than this to its task (default: %(default)r)",
        )

    def handle(self, *args, sweep_interval: float, sweep_grace: float, **options):
        # with --reload the command runs twice: in the reloader and in the worker it restarts;
        # only the worker sweeps
        if not options.get("reload") or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            sweeps.run_all(older_than=0)  # at start: whatever a killed worker or server left
            if sweep_interval:
                threading.Thread(
                    target=sweep_forever,
                    args=(sweep_interval, sweep_grace),
                    name="haihe-sweeps",
                    daemon=True,
                ).start()
        super().handle(*args, **options)
