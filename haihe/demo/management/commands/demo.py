"""`haihe demo`: a fresh database with the Tianjin 2020 scenario, then serve it."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from haihe.core import clock
from haihe.demo.generator import SCENARIO_DAY, Scenario
from haihe.evidence.models import STORAGE_PREFIX


class Command(BaseCommand):
    help = "Build a fresh database with the Tianjin 2020 demo scenario and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.02, help="1 = the article's sizes")
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--no-serve", action="store_true", help="build only")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, **options):
        if not 0 < options["scale"] <= 10:
            raise CommandError("--scale must be in (0, 10]")
        # The platform lives on the scenario's day: set for this process (the build) and
        # inherited by the server and worker it starts. HAIHE_TODAY set by the caller wins.
        os.environ.setdefault(clock.ENV_VAR, SCENARIO_DAY.isoformat())
        day = clock.today()
        self.stdout.write(
            f"Business date pinned to {day.isoformat()} ({clock.ENV_VAR}; the scenario's day)"
        )
        started = time.monotonic()
        self._fresh_database()
        result = Scenario(seed=options["seed"], scale=options["scale"]).build()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo built in {elapsed:.1f} s (scale {options['scale']}, seed {options['seed']}): "
                + ", ".join(f"{k} {v:,}" for k, v in result.counts.items())
            )
        )
        self._print_accounts(result.accounts)
        for note in result.notes:
            self.stdout.write(note)
        if options["no_serve"]:
            return
        self._serve(options["host"], options["port"])

    def _fresh_database(self) -> None:
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            connections.close_all()
            path = Path(db["NAME"])
            path.parent.mkdir(parents=True, exist_ok=True)
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        else:
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        # the evidence files of the database just dropped (the demo's own; nothing else is there)
        shutil.rmtree(Path(settings.MEDIA_ROOT) / STORAGE_PREFIX, ignore_errors=True)
        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)

    def _print_accounts(self, accounts) -> None:
        self.stdout.write("\nDemo accounts (演示账户) — password for all: " + accounts[0][2])
        width = max(len(a[1]) for a in accounts)
        for role, username, _password, scope in accounts:
            self.stdout.write(f"  {username.ljust(width)}  {role}  · {scope}")

    def _serve(self, host: str, port: int) -> None:
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "haihe.settings")
        worker = subprocess.Popen([sys.executable, "-m", "haihe", "db_worker"], env=env)
        self.stdout.write(
            f"\nServing at http://{host}:{port}/  (Ctrl-C stops; the platform's date is "
            f"{clock.today().isoformat()}, pinned by {clock.ENV_VAR})\n"
        )
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "haihe.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--access-logfile",
                "-",
            ],
            env=env,
        )

        def stop(signum, frame):
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop)  # stopping the demo stops its server and worker
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for proc in (server, worker):
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            for proc in (server, worker):
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
