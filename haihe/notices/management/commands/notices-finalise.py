from django.core.management.base import BaseCommand

from haihe.notices import services


class Command(BaseCommand):
    help = (
        "Close every public notice whose period has ended with no objection open and tell the "
        "owning modules (run daily, e.g. from cron shortly after midnight)."
    )

    def handle(self, *args, **options):
        run = services.notice_finalise_due()
        self.stdout.write(f"notices: {len(run.closed)} closed, {len(run.failed)} failed")
        if run.failed:
            self.stderr.write(f"failed (see the log; retried next run): {run.failed}")
