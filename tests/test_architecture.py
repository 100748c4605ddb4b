"""Fitness tests of the code's shape (ARCHITECTURE.md): what must hold for every module."""

import ast
import re
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


# Lifecycle state is written by haihe/core/workflow.py only. Models with a `status` field that is
# not a lifecycle, with the reason (a fact or a computed result, not a state a case moves through):
NOT_LIFECYCLES = {
    # a fact imported monthly from the social-insurance system, not a state of ours
    "registry.InsurancePeriod",
    # a verification result recomputed wholesale from the statements on every run (its
    # explanation is stored beside it); not a state anyone moves a session through
    "supervision.LearningSession",
}
NOT_LIFECYCLE_WRITERS = {
    "registry.InsurancePeriod": (
        "haihe/registry/services.py",
        "haihe/registry/imports.py",
        "haihe/demo/generator.py",
    ),
    "supervision.LearningSession": ("haihe/supervision/verification.py",),
}
EXEMPT_WRITERS = {path for paths in NOT_LIFECYCLE_WRITERS.values() for path in paths}
# Replaying history in bulk (Workflow.restore) is the demo's alone.
RESTORE_ALLOWED = ("haihe/demo/",)


def _lifecycle_models() -> set[str]:
    from django.apps import apps

    return {
        model.__name__
        for model in apps.get_models()
        if model.__module__.startswith("haihe.")
        and any(f.name == "status" for f in model._meta.get_fields())
        and model._meta.label not in NOT_LIFECYCLES
    }


def _status_writes(tree: ast.AST, models: set[str]):
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for element in target.elts if isinstance(target, ast.Tuple) else [target]:
                if (
                    isinstance(element, ast.Attribute)
                    and element.attr == "status"
                    and not (isinstance(element.value, ast.Name) and element.value.id == "self")
                ):
                    yield node.lineno, "assignment to .status"
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        keywords = {k.arg for k in node.keywords}
        if "status" in keywords and (
            name in ("update", "create", "get_or_create", "update_or_create") or name in models
        ):
            yield node.lineno, f"status= in {name}()"
        if name == "bulk_update" and any(
            isinstance(c, ast.Constant) and c.value == "status"
            for arg in node.args
            for c in ast.walk(arg)
        ):
            yield node.lineno, "status in bulk_update()"
        if name == "setattr" and len(node.args) > 1:
            field = node.args[1]
            if isinstance(field, ast.Constant) and field.value == "status":
                yield node.lineno, "setattr(..., 'status')"
        if name == "restore" and isinstance(func, ast.Attribute):
            yield node.lineno, "Workflow.restore()"


def test_no_status_is_written_outside_the_workflow():
    models = _lifecycle_models()
    assert {"TrainingClass", "Enrolment", "Claim", "Flag", "ImportJob"} <= models
    offenders = []
    for path, tree in _sources():
        rel = str(path.relative_to(PACKAGE.parent))
        if rel == "haihe/core/workflow.py" or rel in EXEMPT_WRITERS:
            continue
        for line, what in _status_writes(tree, models):
            if what == "Workflow.restore()" and rel.startswith(RESTORE_ALLOWED):
                continue
            offenders.append(f"{rel}:{line} {what}")
    assert offenders == [], "change states through haihe.core.workflow:\n" + "\n".join(offenders)


def test_non_lifecycle_status_fields_are_written_where_they_are_computed():
    """The two exempt fields are written only by the code that computes or imports them."""
    offenders = []
    for label, writers in NOT_LIFECYCLE_WRITERS.items():
        name = label.split(".")[1]
        for path, tree in _sources():
            rel = str(path.relative_to(PACKAGE.parent))
            if rel.startswith(writers):
                continue
            offenders += [
                f"{rel}:{line} {what}"
                for line, what in _status_writes(tree, {name})
                if what.endswith(f"{name}()")
            ]
    assert offenders == []


def test_the_status_write_detector_finds_each_kind_of_write():
    sample = ast.parse(
        "a.status = 'x'\nClaim.objects.filter().update(status='x')\n"
        "Claim(status='x')\nM.objects.bulk_update(rows, ['status', 'at'])\n"
        "setattr(a, 'status', 'x')\na.status, b = 1, 2\nflow.restore([a], 'x')\n"
        "Q(status='x')\nM.objects.filter(status='x')\nHttpResponse(status=204)\n"
        "self.status = 400\n"
    )
    found = sorted(_status_writes(sample, {"Claim"}))
    assert [line for line, _what in found] == [1, 2, 3, 4, 5, 6, 7]


# --- Layers: modules depend downward only (the import-linter contract in pyproject.toml) ---

ROOT = PACKAGE.parent
# Packages under haihe/ that hold no code of a layer.
NOT_MODULES = {"locale", "static", "templates", "management", "formats"}


def _layers() -> list[set[str]]:
    from importlinter.api import read_configuration

    contracts = read_configuration(str(ROOT / "pyproject.toml"))["contracts_options"]
    (layered,) = [c for c in contracts if c["type"] == "layers"]
    return [
        {name.strip() for name in layer.replace("|", ":").split(":")} for layer in layered["layers"]
    ]


def test_every_module_has_its_place_in_a_layer():
    """A new app cannot escape the layering contract: it must be placed in pyproject.toml."""
    placed = set().union(*_layers())
    apps = {p.parent.name for p in PACKAGE.glob("*/__init__.py")} - NOT_MODULES
    assert apps - placed == set(), "place these apps in [tool.importlinter] layers"
    assert placed - apps == set(), "the layers name apps that do not exist"


def test_modules_depend_downward_only():
    """The contract as CI runs it (`lint-imports`): e.g. core never imports a programme module,
    a programme module never imports statistics."""
    import subprocess
    import sys

    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(  # noqa: S603  (a fixed command line: our own tool and file)
        [str(lint), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_every_router_is_mounted_on_the_one_api():
    """One API object (haihe/api.py) with one error contract: no module builds its own
    NinjaAPI (the xAPI store at /xapi/ answers as the xAPI specification requires, without
    django-ninja)."""
    makers = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in ("NinjaAPI", "HaiheAPI") and path != PACKAGE / "api.py":
                    makers.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert makers == []


def test_every_navigation_entry_reverses_and_each_module_registers_its_own():
    """The header's entries (haihe.core.nav) are registered by the modules that own the pages:
    every url_name reverses, names a known area and lives in the registering module's URLs."""
    from django.urls import reverse

    from haihe.core import nav

    assert len(nav.ENTRIES) >= 28
    for name, entry in nav.ENTRIES.items():
        assert entry.url_name == name
        assert reverse(name).startswith("/"), name
        assert entry.area in nav.AREA_KEYS, name
    files = [p for p in PACKAGE.glob("*/nav.py") if p.parent.name != "core"]
    for path in sorted([*files, PACKAGE / "core" / "nav_entries.py"]):
        app = path.parent.name
        names = [
            node.args[0].value
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "Entry"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ]
        assert names, f"{path} registers no entry"
        assert all(name.split(":")[0] == app for name in names), (app, names)


# Every audit action code has a sentence (haihe.core.audit_display), in English too. -----------
AUDIT_CODE = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")


def _code_strings(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _code_strings(node.body)
        yield from _code_strings(node.orelse)


def _audit_codes_in(tree: ast.AST):
    """String codes given as `action=` to any call (log_action, log_actions_bulk, AuditEvent,
    flows' helpers), and those a loop binds to `action` (`for action, rows in (("a.b", ...),)`)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "action":
                    yield from _code_strings(keyword.value)
        if isinstance(node, ast.For) and isinstance(node.target, ast.Tuple):
            first = node.target.elts[0]
            if isinstance(first, ast.Name) and first.id == "action":
                for element in getattr(node.iter, "elts", []):
                    if isinstance(element, ast.Tuple | ast.List) and element.elts:
                        yield from _code_strings(element.elts[0])


def _workflow_codes() -> set[str]:
    """The audit actions of every declared transition: core.workflow records
    f"{workflow.name}.{transition}" (pipelines' workflows included)."""
    import importlib
    import pkgutil

    from haihe.core.workflow import Workflow
    from haihe.review.pipeline import Pipeline

    codes = set()
    for module in pkgutil.iter_modules([str(PACKAGE)]):
        if not (PACKAGE / module.name / "workflows.py").exists():
            continue
        workflows = importlib.import_module(f"haihe.{module.name}.workflows")
        for value in vars(workflows).values():
            flow = value.workflow if isinstance(value, Pipeline) else value
            if isinstance(flow, Workflow):
                codes |= {f"{flow.name}.{name}" for name in flow.transitions}
    return codes


def _all_audit_codes() -> set[str]:
    from haihe.core.imports import IMPORTERS

    codes = {
        code
        for _path, tree in _sources()
        for code in _audit_codes_in(tree)
        if AUDIT_CODE.match(code)
    }
    return codes | _workflow_codes() | {f"import.{kind}" for kind in IMPORTERS}


def test_every_audit_action_has_a_sentence_translated_into_english():
    from django.utils import translation

    from haihe.core import audit_display

    codes = _all_audit_codes()
    assert len(codes) > 120 and "training_class.submit" in codes and "import.people" in codes
    missing = sorted(code for code in codes if audit_display.text_for(code) is None)
    assert missing == [], "give these audit actions a sentence (<app>/audit_texts.py):\n" + (
        "\n".join(missing)
    )
    untranslated = []
    for code in sorted(codes):
        text = audit_display.text_for(code)
        with translation.override("zh-hans"):
            chinese = str(text)
        with translation.override("en"):
            english = str(text)
        if english == chinese or re.search(r"[\u4e00-\u9fff]", english):
            untranslated.append(f"{code}: {chinese}")
    assert untranslated == [], "translate into English:\n" + "\n".join(untranslated)


def test_the_audit_code_detector_finds_each_way_a_code_is_given():
    sample = ast.parse(
        "log_action(actor=a, action='x.done', target=t)\n"
        "log_action(actor=a, action=('p.known' if ok else 'p.mismatch'))\n"
        "for action, rows in (('q.one', r1), ('q.two', r2)):\n    pass\n"
        "parser.add_argument('--json', action='store_true')\n"
        "flow.apply(actor=a, obj=o, name='submit')\n"
    )
    found = sorted(c for c in _audit_codes_in(sample) if AUDIT_CODE.match(c))
    assert found == ["p.known", "p.mismatch", "q.one", "q.two", "x.done"]
    assert "subsidy_claim.district_approve" in _workflow_codes()


def test_api_schemas_have_unique_names():
    """The OpenAPI document names each schema by its class: two modules' `RegisterOut` would be
    one component, and one operation's answers would be documented with the other's fields."""
    seen: dict[str, list[str]] = {}
    bases = {"Schema", "FilterSchema", "ListFilter", "ModelSchema"}
    for path, tree in _sources():
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and any(
                (getattr(b, "id", None) or getattr(b, "attr", None)) in bases for b in node.bases
            ):
                seen.setdefault(node.name, []).append(str(path.relative_to(PACKAGE)))
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}
