"""`haihe supervision_recompute`: rebuild learner accounts, sessions, verified hours and flags
from the stored statements (a repair tool; normal operation is incremental)."""

import time

from django.core.management.base import BaseCommand

from haihe.supervision.services import recompute_all


class Command(BaseCommand):
    help = "Recompute every verified online hour from the stored xAPI statements."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-notify", action="store_true", help="do not tell the training module"
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        changed = recompute_all(notify=not options["no_notify"])
        self.stdout.write(
            f"Recomputed in {time.monotonic() - started:.1f} s; "
            f"{len(changed)} enrolments' verified hours changed."
        )
