"""kill -9 of the task worker and the server while batches are stored and processed loses no
verification (issue 9, item 3): after a restart every stored statement is processed, and the
verified hours, sessions, open flags, real-name links and the training module's online hours
are what a clean run over the same statements computes.

Gunicorn and the task worker run as separate processes on a file SQLite database, as in
production. Phase 1 uses the database queue: the worker is killed while it works through the
queue (a task it had claimed is lost with it), more batches are queued for no worker, then the
server is killed with a batch in flight. Phase 2
restarts both with a server whose queue loses every task (Django's dummy backend, standing for
a queue that is not the database and forgot its messages): only the pending rows and the
worker's sweeps can get the work done. The platform re-sends the batch whose answer it lost.
"""

import base64
import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import orjson

from tests.xapi.test_crash import ROOT, _env, _kill, _post, _send, _start

SETUP = """
import datetime, os, random, sys, uuid, zoneinfo
from decimal import Decimal
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haihe.settings")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
import orjson
from haihe.policy.loader import load_parameters
from haihe.registry.models import District, Occupation
from haihe.registry.services import DATA_DIR, load_districts, occupations_replace
from haihe.supervision import statements as st
from haihe.training.models import Enrolment, TrainingClass
from haihe.xapi import services
from tests.factories import OrganisationFactory, PersonFactory

load_districts("120000")
occupations_replace(actor=None, text=(DATA_DIR / "occupations.csv").read_text(encoding="utf-8"))
load_parameters("120000")
heping = District.objects.get(code="120101")
platform = OrganisationFactory(district=heping, kinds=["online_training_platform"])
services.platform_select(actor=None, organisation=platform, valid_from=datetime.date(2020, 1, 1),
                         valid_until=datetime.date(2099, 12, 31))
_c, key, secret = services.credential_issue(actor=None, organisation=platform)
institution = OrganisationFactory(district=heping, kinds=["training_institution"])
klass = TrainingClass.objects.create(
    organisation=institution, name="线上班", occupation=Occupation.objects.order_by("code").first(),
    level=5, mode="online", platform=platform, planned_theory_hours=Decimal(3),
    planned_practice_hours=Decimal(0), start_date=datetime.date(2020, 5, 1),
    end_date=datetime.date(2020, 6, 30), district=heping, capacity=60, status="approved")
PEOPLE, BATCHES = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(9)
tz = zoneinfo.ZoneInfo("Asia/Shanghai")
home = f"https://p{platform.pk}.example.cn/"
stream, later = [], []  # (place, statement): a person's statements together, roughly
for i in range(PEOPLE):
    person = PersonFactory(district=heping, name=f"学员{i}")
    enrolment = Enrolment.objects.create(training_class=klass, person=person)
    account = f"u{person.pk}"
    registration = st.real_name_registration(home_page=home, account=account, ric=person.ric,
        real_name=person.name, at=datetime.datetime(2020, 5, 11, 7, tzinfo=tz))
    stream.append((i + rng.uniform(0, 4), registration))
    for day in range(3):
        start = datetime.datetime(2020, 5, 11 + day, 8 + rng.randrange(6), rng.randrange(60),
                                  tzinfo=tz)
        end = start + datetime.timedelta(minutes=rng.randrange(20, 300))
        checks = [(start + datetime.timedelta(minutes=m), rng.random() > 0.1)
                  for m in range(0, int((end - start).total_seconds() // 60), 30)]
        session = st.session_statements(
            home_page=home, account=account, registration=enrolment.registration,
            course_id=f"{home}courses/{klass.pk}", lesson_id=f"{home}lessons/{uuid.uuid4()}",
            start=start, end=end, checks=checks if rng.random() > 0.15 else [])
        stream += [(i + rng.uniform(0, 3), statement) for statement in session]
        if rng.random() < 0.1:  # the platform withdraws a session's end
            later.append(st.voiding(home_page=home, operator="ops", target_id=session[-1]["id"]))
stream = [statement for _place, statement in sorted(stream, key=lambda pair: pair[0])]
size = len(stream) // BATCHES + 1
batches = [stream[i : i + size] for i in range(0, len(stream), size)] + [later]
sys.stdout.buffer.write(orjson.dumps({"key": key, "secret": secret, "batches": batches}))
"""

PEOPLE = 30
BATCHES = 12  # and one more with the voidings
DERIVED = (
    "supervision_verifiedhours",
    "supervision_learningsession",
    "supervision_flag",
    "supervision_learneraccount",
    "supervision_pendingstatements",
)


def _run(env, *args, **kw):
    return subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, *args], env=env, cwd=ROOT, check=True, timeout=120, **kw
    )


def _worker(env, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "haihe", "db_worker", "--no-reload", "--no-startup-delay",
             "--interval", "0.1", "--sweep-interval", "0.5", "--sweep-grace", "0.5"],
            env=env, cwd=ROOT, stdout=out, stderr=out, start_new_session=True,
        )  # fmt: skip


def _query(db: Path, sql: str, params=()) -> list:
    with closing(sqlite3.connect(db, timeout=30)) as conn:
        return conn.execute(sql, params).fetchall()


def _pending(db: Path) -> int:
    return _query(db, "SELECT count(*) FROM supervision_pendingstatements")[0][0]


def _tasks(db: Path, status: str) -> int:
    return _query(
        db, "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = ?", [status]
    )[0][0]


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.005)


def _outcome(db: Path) -> dict:
    """What verification computed: per enrolment, session, open flag and account."""
    return {
        "hours": sorted(
            (e, s, str(Decimal(str(h)).quantize(Decimal("0.01"))))
            for e, s, h in _query(
                db, "SELECT enrolment_id, seconds, hours FROM supervision_verifiedhours "
                "WHERE seconds > 0"
            )
        ),
        "sessions": sorted(_query(
            db, "SELECT key, enrolment_id, status, counted_seconds FROM supervision_learningsession"
        )),
        "open_flags": sorted(_query(
            db, "SELECT kind, subject_key FROM supervision_flag WHERE status = 'open'"
        )),
        "accounts": sorted(_query(
            db, "SELECT platform_id, actor_key, person_id FROM supervision_learneraccount"
        )),
        "enrolments": sorted(
            (i, str(Decimal(str(h)).quantize(Decimal("0.01"))), status)
            for i, h, status in _query(
                db, "SELECT id, online_hours, status FROM training_enrolment"
            )
        ),
    }  # fmt: skip


def _clean_run(db: Path, tmp: Path) -> dict:
    """The same statements on a copy of the database, derived data erased, processed from
    scratch by the repair tool (`haihe supervision_recompute`)."""
    clean = tmp / "clean"
    clean.mkdir()
    with (
        closing(sqlite3.connect(db)) as source,
        closing(sqlite3.connect(clean / "haihe.sqlite3")) as copy,
    ):
        source.backup(copy)
        for table in DERIVED:
            copy.execute(f"DELETE FROM {table}")  # noqa: S608 (our table names)
        copy.execute(
            "UPDATE training_enrolment SET online_hours = 0, status = 'enrolled', "
            "completed_at = NULL"
        )
        copy.commit()
    _run(_env(clean), "-m", "haihe", "supervision_recompute", stdout=subprocess.DEVNULL)
    return _outcome(clean / "haihe.sqlite3")


def test_kill_9_of_worker_and_server_loses_no_verification(tmp_path):
    env = _env(tmp_path)
    db = tmp_path / "haihe.sqlite3"
    log = tmp_path / "worker.log"
    out = _run(env, "-c", SETUP, str(PEOPLE), str(BATCHES), capture_output=True).stdout
    world = orjson.loads(out)
    token = base64.b64encode(f"{world['key']}:{world['secret']}".encode()).decode()
    headers = {
        "Authorization": f"Basic {token}",
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
    }
    bodies = [orjson.dumps(batch) for batch in world["batches"]]
    first, in_flight, second = bodies[:7], bodies[7], bodies[8:]

    # phase 1: the database queue; kill -9 the worker once it is part-way through the queue,
    # then the server while a batch is in flight
    worker = _worker(env, log)
    server, port = _start(env)
    statuses: list[int] = []
    poster = threading.Thread(
        target=lambda: statuses.extend(_post(port, headers, body)[0] for body in first[:4])
    )
    try:
        poster.start()
        _wait(lambda: _tasks(db, "SUCCESSFUL"), 60, "the worker to process a batch")
        # kill it in the middle of a task if we catch one (it stays claimed, never finished)
        with contextlib.suppress(AssertionError):
            _wait(lambda: _tasks(db, "RUNNING"), 3, "a running task")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        poster.join(timeout=60)
        # queued for a worker that is gone
        statuses += [_post(port, headers, body)[0] for body in first[4:]]
        left = _pending(db)
        outcome: dict = {}
        sender = threading.Thread(target=_send, args=(port, headers, in_flight, outcome))
        sender.start()
        time.sleep(0.02)
        _kill(server)
        sender.join(timeout=60)
    finally:
        _kill(server)
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    assert statuses == [200] * len(first)
    assert left >= len(first) - 4

    # phase 2: a queue that loses every task; the worker's sweeps process what is pending
    lossy = {**env, "HAIHE_TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    worker = _worker(env, log)
    server, port = _start(lossy)
    try:
        # the platform re-sends the batch whose answer it lost, then carries on
        for body in [in_flight, *second]:
            assert _post(port, headers, body)[0] == 200
        _wait(lambda: _pending(db) == 0, 60, "the sweeps to process every pending batch")
    finally:
        _kill(server)
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)

    stored = _query(db, "SELECT count(*) FROM xapi_statement")[0][0]
    assert stored == sum(len(batch) for batch in world["batches"])
    after_crash = _outcome(db)
    assert len(after_crash["hours"]) >= PEOPLE // 2, "too little was verified to compare"
    assert any(status == "completed" for _i, _h, status in after_crash["enrolments"])
    assert after_crash == _clean_run(db, tmp_path), log.read_text(errors="replace")[-3000:]
    shutil.rmtree(tmp_path / "clean", ignore_errors=True)
