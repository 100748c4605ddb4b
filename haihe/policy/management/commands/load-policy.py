from django.conf import settings
from django.core.management.base import BaseCommand

from haihe.policy.loader import load_calendars, load_parameters


class Command(BaseCommand):
    help = (
        "Load the shipped dated policy parameters and the working-day calendars; values and "
        "years already present are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", default=settings.HAIHE_REGION_CODE)

    def handle(self, *args, region, **options):
        created = load_parameters(region)
        self.stdout.write(f"policy parameters: {created} new values for region {region}")
        years = load_calendars()
        self.stdout.write(f"working-day calendar: {years} new years")
