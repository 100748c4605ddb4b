import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from haihe.core import clock
from haihe.core.figures import compute_all, ordered_figures


class Command(BaseCommand):
    help = "Print the platform's headline figures, computed live as of a date."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="one flat JSON object")
        parser.add_argument("--as-of", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        as_of = clock.today()
        if options["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError("--as-of must be a date, YYYY-MM-DD") from exc
        values = compute_all(as_of)
        if options["json"]:
            self.stdout.write(json.dumps(values, ensure_ascii=False, sort_keys=False))
            return
        width = max(len(k) for k in values) if values else 0
        self.stdout.write(f"as of {as_of.isoformat()}")
        for fig in ordered_figures():
            self.stdout.write(f"{fig.key.ljust(width)}  {values[fig.key]}")
