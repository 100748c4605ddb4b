"""Killing the server (SIGKILL) in the middle of a batch loses no accepted statement and stores
no partial batch: gunicorn on a file SQLite database, as in production."""

import base64
import http.client
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from contextlib import closing
from pathlib import Path

import orjson

from tests.xapi.conftest import statement

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import datetime, django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haihe.settings")
django.setup()
from haihe.registry.models import District, Organisation, OrganisationKind
from haihe.xapi import services
district = District.objects.create(code="120101", name_zh="和平区", region_code="120000")
org = Organisation.objects.create(uscc="91120101CRASH0000X", name="crash", district=district)
OrganisationKind.objects.create(organisation=org, kind="online_training_platform")
services.platform_select(actor=None, organisation=org, valid_from=datetime.date(2020, 1, 1),
                         valid_until=datetime.date(2099, 12, 31))
_c, key, secret = services.credential_issue(actor=None, organisation=org)
print(key, secret)
"""


def _env(tmp: Path) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["HAIHE_VAR_DIR"] = str(tmp)
    env["HAIHE_LOG_LEVEL"] = "CRITICAL"
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(env) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "haihe.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "60",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            conn.request("GET", "/xapi/about")
            if conn.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.1)
        finally:
            conn.close()
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError("gunicorn did not start")


def _kill(process) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _post(port, headers, body, timeout=60):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/xapi/statements", body, headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _send(port, headers, body, outcome: dict) -> None:
    try:
        outcome["status"] = _post(port, headers, body)[0]
    except (OSError, http.client.HTTPException) as exc:
        outcome["error"] = exc


def _stored_ids(tmp: Path) -> set[str]:
    with closing(sqlite3.connect(tmp / "haihe.sqlite3")) as db:
        return {row[0] for row in db.execute("SELECT statement_id FROM xapi_statement")}


def test_sigkill_mid_batch_is_all_or_nothing(tmp_path):
    env = _env(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "haihe", "migrate", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=300,
    )
    key, secret = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETUP],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.split()[-2:]
    token = base64.b64encode(f"{key}:{secret}".encode()).decode()
    headers = {
        "Authorization": f"Basic {token}",
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
    }
    accepted: set[str] = set()
    interrupted = 0
    for attempt, delay in enumerate((0.3, 1.0, 2.0)):
        process, port = _start(env)
        try:
            small = [statement() for _ in range(50)]
            status, _body = _post(port, headers, orjson.dumps(small))
            assert status == 200
            accepted |= {s["id"] for s in small}
            big = [statement() for _ in range(15_000)]
            outcome = {}

            sender = threading.Thread(
                target=_send, args=(port, headers, orjson.dumps(big), outcome)
            )
            sender.start()
            time.sleep(delay)
            _kill(process)
            sender.join(timeout=60)
        finally:
            _kill(process)
        if outcome.get("status") == 200:
            accepted |= {s["id"] for s in big}
        else:
            interrupted += 1
        # Restart: the database opens cleanly and holds exactly what was accepted, plus the
        # interrupted batch entirely or not at all.
        process, port = _start(env)
        _kill(process)
        stored = {str(uuid.UUID(hex=i)) for i in _stored_ids(tmp_path)}
        assert accepted <= stored, f"attempt {attempt}: an accepted statement was lost"
        big_ids = {s["id"] for s in big}
        assert stored & big_ids in (set(), big_ids), f"attempt {attempt}: partial batch"
        accepted |= stored & big_ids
        assert stored == accepted
    assert interrupted >= 1, "no attempt was killed mid-request; increase the batch size"
