"""`haihe sweep`: do the background work that lost tasks left undone (haihe.core.sweeps)."""

from django.core.management.base import BaseCommand

from haihe.core import sweeps


class Command(BaseCommand):
    help = "Run every recovery sweep: process the work recorded and not yet done."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            default=0,
            help="only work recorded more than this many seconds ago (default: all)",
        )

    def handle(self, *args, **options):
        failed = False
        for name, done in sweeps.run_all(older_than=options["older_than"]).items():
            if done is None:
                failed = True
                self.stderr.write(f"{name}: failed (see the log)")
            else:
                self.stdout.write(f"{name}: {done}")
        if failed:
            raise SystemExit(1)
