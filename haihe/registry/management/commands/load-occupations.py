from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from haihe.registry.services import DATA_DIR, occupations_replace


class Command(BaseCommand):
    help = (
        "Replace the occupation catalogue with a CSV (code, name_zh, name_en, levels); codes "
        "missing from the file are deactivated, never deleted. Without FILE: the shipped subset."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DATA_DIR / "occupations.csv"))

    def handle(self, *args, file, **options):
        try:
            raw = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        try:
            summary = occupations_replace(actor=None, text=text, channel="cli")
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(
            "occupations: {created} added, {updated} updated, {deactivated} deactivated".format(
                **summary
            )
        )
