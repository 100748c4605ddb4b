from django.conf import settings
from django.core.management.base import BaseCommand

from haihe.registry.services import load_districts


class Command(BaseCommand):
    help = "Load (or refresh) a region's districts from haihe/registry/data/districts_REGION.csv."

    def add_arguments(self, parser):
        parser.add_argument("region", nargs="?", default=settings.HAIHE_REGION_CODE)

    def handle(self, *args, region, **options):
        created = load_districts(region)
        self.stdout.write(f"districts of {region}: {created} new")
