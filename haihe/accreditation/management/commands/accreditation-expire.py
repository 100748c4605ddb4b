from django.core.management.base import BaseCommand

from haihe.accreditation import services


class Command(BaseCommand):
    help = (
        "Mark every recognition whose validity has ended as expired (run daily, e.g. from cron "
        "shortly after midnight, like notices-finalise)."
    )

    def handle(self, *args, **options):
        moved = services.recognitions_expire_due()
        self.stdout.write(f"accreditation: {moved} recognitions expired")
