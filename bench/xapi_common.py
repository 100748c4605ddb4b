"""Shared pieces of the xAPI benchmarks: a database, a platform credential, a gunicorn server on
127.0.0.1, realistic statements and a bounded HTTP client. Everything stops by itself."""

import base64
import http.client
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
VERBS = [
    "http://adlnet.gov/expapi/verbs/initialized",
    "http://adlnet.gov/expapi/verbs/progressed",
    "http://adlnet.gov/expapi/verbs/terminated",
    "http://adlnet.gov/expapi/verbs/passed",
    "https://haihe.tj.gov.cn/xapi/verbs/face-verified",
]


def database_env(kind: str, workdir: Path) -> dict:
    env = dict(os.environ)
    env["HAIHE_VAR_DIR"] = str(workdir)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env["HAIHE_LOG_LEVEL"] = "ERROR"
    # Persistent database connections, as in production: a connection per request would pay
    # PostgreSQL's backend start-up and an empty SQLite page cache on every request.
    env.setdefault("HAIHE_DB_CONN_MAX_AGE", "600")
    if kind == "postgres":
        env["DATABASE_URL"] = os.environ.get(
            "XAPI_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helper_xapi"
        )
    else:
        env.pop("DATABASE_URL", None)
    return env


def reset_postgres(env: dict) -> None:
    url = env["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    code = (
        "import psycopg,sys\n"
        f"c=psycopg.connect({admin!r}, autocommit=True)\n"
        f"c.execute('DROP DATABASE IF EXISTS {name} WITH (FORCE)')\n"
        f"c.execute('CREATE DATABASE {name}')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=60)


def migrate(env: dict) -> None:
    subprocess.run(
        [sys.executable, "-m", "haihe", "migrate", "-v", "0"],
        check=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )


SETUP_CODE = """
import datetime, django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haihe.settings")
django.setup()
from haihe.registry.models import District, Organisation, OrganisationKind
from haihe.xapi import services
district, _ = District.objects.get_or_create(
    code="120101", defaults={"name_zh": "和平区", "region_code": "120000"})
org, created = Organisation.objects.get_or_create(
    uscc="91120101BENCH0000X", defaults={"name": "bench platform", "district": district})
if created:
    OrganisationKind.objects.create(organisation=org, kind="online_training_platform")
    services.platform_select(actor=None, organisation=org,
        valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2099, 12, 31))
_c, key, secret = services.credential_issue(actor=None, organisation=org, label="bench")
print(org.pk, key, secret)
"""


def credential(env: dict) -> tuple[int, str, str]:
    out = subprocess.run(
        [sys.executable, "-c", SETUP_CODE],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    platform_id, key, secret = out.stdout.split()[-3:]
    return int(platform_id), key, secret


def fresh_database(kind: str, workdir: Path) -> tuple[dict, str, str]:
    """A new, migrated database ("sqlite" under workdir, or the PostgreSQL benchmark database
    recreated) with a selected platform; returns (environment, key, secret)."""
    env = database_env(kind, workdir)
    if kind == "postgres":
        reset_postgres(env)
    migrate(env)
    _platform, key, secret = credential(env)
    return env, key, secret


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving haihe.wsgi on 127.0.0.1 (the production way), killed on exit."""

    def __init__(self, env: dict, workers: int = 2, threads: int = 1):
        self.env = env
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (lives as long as the server)
            prefix="xapi-bench-", suffix=".log", delete=False
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "haihe.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "120",
                "--graceful-timeout",
                "5",
            ],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/xapi/about")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop(keep_log=True)
        raise RuntimeError(f"gunicorn did not start; see {self.log.name}")

    def stop(self, sig=signal.SIGTERM, keep_log: bool = False) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)
        self.log.close()
        if not keep_log:
            Path(self.log.name).unlink(missing_ok=True)

    def cpu_seconds(self) -> float:
        """User + system CPU time used so far by gunicorn's master and workers and, on
        PostgreSQL, by the server backends connected to the benchmark's database (from /proc):
        the work a statement costs, whatever else the machine is running."""
        database = ""
        url = self.env.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            database = url.rsplit("/", 1)[1]
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                pid, ppid = int(stat.parent.name), int(fields[1])
                ours = pid == self.process.pid or ppid == self.process.pid
                if not ours and database:
                    # a backend's title: "postgres: [CLUSTER:] USER DATABASE HOST(PORT) STATE"
                    title = (stat.parent / "cmdline").read_bytes().split(b"\0")[0].split()
                    ours = title[:1] == [b"postgres:"] and database.encode() in title[1:4]
            except (OSError, IndexError, ValueError):
                continue
            if ours:
                total += int(fields[11]) + int(fields[12])
        return total / ticks

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Client:
    def __init__(self, port: int, key: str, secret: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        token = base64.b64encode(f"{key}:{secret}".encode()).decode()
        self.headers = {
            "Authorization": f"Basic {token}",
            "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json",
        }

    def post(self, body: bytes) -> tuple[int, bytes]:
        self.conn.request("POST", "/xapi/statements", body, self.headers)
        response = self.conn.getresponse()
        return response.status, response.read()

    def get(self, path: str) -> tuple[int, bytes]:
        self.conn.request("GET", path, headers=self.headers)
        response = self.conn.getresponse()
        return response.status, response.read()


def learner(n: int) -> dict:
    return {
        "objectType": "Agent",
        "name": f"学员{n}",
        "account": {"homePage": "https://bench-platform.example", "name": f"u{n:07d}"},
    }


def make_statement(rng: random.Random, learners: int, when: float) -> dict:
    """A realistic Haihe-profile statement (session start/progress/end, face check, test)."""
    n = rng.randrange(learners)
    verb = rng.choice(VERBS)
    course = rng.randrange(200)
    statement = {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "actor": learner(n),
        "verb": {"id": verb, "display": {"zh-CN": verb.rsplit("/", 1)[1]}},
        "object": {
            "objectType": "Activity",
            "id": f"https://bench-platform.example/courses/{course}/lessons/{rng.randrange(20)}",
            "definition": {
                "name": {"zh-CN": f"课程{course}"},
                "type": "http://adlnet.gov/expapi/activities/lesson",
            },
        },
        "context": {
            "registration": str(uuid.UUID(int=n * 7919 + course, version=4)),
            "platform": "bench platform",
            "contextActivities": {
                "parent": [{"id": f"https://bench-platform.example/courses/{course}"}]
            },
        },
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(when)) + "+00:00",
    }
    if verb.endswith("terminated"):
        statement["result"] = {"duration": f"PT{rng.randrange(5, 120)}M"}
    elif verb.endswith("face-verified"):
        statement["result"] = {"success": rng.random() > 0.05}
    elif verb.endswith("passed"):
        statement["result"] = {"score": {"raw": rng.randrange(60, 101), "min": 0, "max": 100}}
    return statement


def batches(seed: int, count: int, size: int, learners: int) -> list[bytes]:
    rng = random.Random(seed)
    start = time.time() - 86400 * 30
    return [
        orjson.dumps(
            [make_statement(rng, learners, start + rng.random() * 86400 * 30) for _ in range(size)]
        )
        for _ in range(count)
    ]
