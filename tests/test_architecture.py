"""Fitness tests of the code's shape (ARCHITECTURE.md): what must hold for every module."""

import ast
from pathlib import Path

import haihe

PACKAGE = Path(haihe.__file__).parent


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


# Calls that read the wall clock; only haihe/core/clock.py may make them.
WALL_CLOCK_CALLS = {
    ("timezone", "now"),
    ("timezone", "localdate"),
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("time", "time"),
    ("time", "time_ns"),
}


def _wall_clock_reads(tree: ast.AST):
    for node in ast.walk(tree):
        # a call such as timezone.now() / datetime.date.today() / time.time(), or a reference
        # passed as a callable (default=timezone.now)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name | ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else node.value.attr
            if (owner, node.attr) in WALL_CLOCK_CALLS:
                yield node.lineno, f"{owner}.{node.attr}"
        # timezone.localtime() with no argument reads the clock too
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "localtime"
            and not node.args
        ):
            yield node.lineno, "timezone.localtime()"


def test_only_the_clock_reads_the_wall_clock():
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line} {what}"
        for path, tree in _sources()
        if path != PACKAGE / "core" / "clock.py"
        for line, what in _wall_clock_reads(tree)
    ]
    assert offenders == [], "read the date through haihe.core.clock:\n" + "\n".join(offenders)


def test_the_wall_clock_detector_finds_each_kind_of_read():
    sample = ast.parse(
        "import datetime, time\nfrom django.utils import timezone\n"
        "a = timezone.now()\nb = datetime.date.today()\nc = time.time()\n"
        "d = timezone.localtime()\ne = datetime.datetime.now()\nf = dict(default=timezone.now)\n"
        "g = timezone.localtime(a)\n"
    )
    found = sorted(_wall_clock_reads(sample))
    assert found == [
        (3, "timezone.now"),
        (4, "date.today"),
        (5, "time.time"),
        (6, "timezone.localtime()"),
        (7, "datetime.now"),
        (8, "timezone.now"),
    ]
