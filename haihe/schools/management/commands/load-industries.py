from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from haihe.schools.services import DATA_DIR, industries_load


class Command(BaseCommand):
    help = (
        "Load the industries technical-school majors serve from a CSV (code, category, name_zh, "
        "name_en, sort_order); codes missing from the file are deactivated, never deleted. "
        "Without FILE: the shipped list (haihe/schools/data/industries.csv)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DATA_DIR / "industries.csv"))

    def handle(self, *args, file, **options):
        try:
            text = Path(file).read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from exc
        try:
            summary = industries_load(text)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(
            "industries: {created} added, {updated} updated, {deactivated} deactivated".format(
                **summary
            )
        )
