"""Fail when any interface string lacks an English translation (zh-Hans is the source language).

Runs Django's makemessages for every catalogue (the project's under haihe/locale, and each app
that keeps its own locale/), then reads the result with polib: an empty or fuzzy msgstr, or a
compiled .mo that differs from its .po, is an error. The tree is left as it was unless --update
is given, in which case the catalogues are refreshed and compiled (translate, then run again).
"""

import os
import shutil
import tempfile
from contextlib import chdir
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

LANGUAGE = "en"


def catalogue_roots() -> list[tuple[Path, list[str]]]:
    """(directory to run makemessages in, ignore patterns) for each catalogue."""
    base = settings.BASE_DIR
    apps_with_own = sorted(p.parent.name for p in base.glob("*/locale") if p.parent != base)
    roots = [(base, [f"{name}/*" for name in apps_with_own] + ["static/*"])]
    roots += [(base / name, []) for name in apps_with_own]
    return roots


class Command(BaseCommand):
    help = "Check (or --update) the English catalogues: every interface string translated."

    def add_arguments(self, parser):
        parser.add_argument("--update", action="store_true", help="refresh .po files and compile")

    def handle(self, *args, update: bool = False, **options):
        problems = []
        for root, ignore in catalogue_roots():
            po_path = root / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"
            po_path.parent.mkdir(parents=True, exist_ok=True)
            backup = None
            if not update and po_path.exists():
                backup = Path(tempfile.mkdtemp()) / "django.po"
                shutil.copy2(po_path, backup)
            try:
                with chdir(root):
                    call_command(
                        "makemessages",
                        locale=[LANGUAGE],
                        ignore_patterns=ignore,
                        no_obsolete=True,
                        verbosity=0,
                    )
                catalogue = polib.pofile(str(po_path))
                rel = os.path.relpath(po_path, settings.PROJECT_DIR)
                for entry in catalogue:
                    if entry.obsolete:
                        continue
                    if "fuzzy" in entry.flags or not entry.translated():
                        where = entry.occurrences[0][0] if entry.occurrences else "?"
                        problems.append(f"{rel}: untranslated: {entry.msgid!r} ({where})")
                if update:
                    with chdir(root):
                        call_command("compilemessages", locale=[LANGUAGE], verbosity=0)
                else:
                    problems += self._compiled_matches(po_path, catalogue, rel)
            finally:
                if backup is not None:
                    shutil.copy2(backup, po_path)
                    shutil.rmtree(backup.parent, ignore_errors=True)
        for line in problems:
            self.stderr.write(line)
        if problems:
            raise CommandError(f"{len(problems)} translation problem(s)")
        self.stdout.write("All interface strings have English translations.")

    def _compiled_matches(self, po_path: Path, catalogue, rel: str) -> list[str]:
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            return [f"{rel}: not compiled (run haihe i18n-check --update)"]
        compiled = {
            (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(mo_path))
        }
        stale = [
            e.msgid
            for e in catalogue
            if not e.obsolete
            and e.translated()
            and compiled.get((e.msgctxt, e.msgid)) != (e.msgstr, e.msgstr_plural)
        ]
        if stale:
            return [
                f"{rel}: .mo is stale for {len(stale)} string(s) (run haihe i18n-check --update)"
            ]
        return []
