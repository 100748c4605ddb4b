"""Schema fuzzing of /api/v1 (issue 9): schemathesis against the OpenAPI document of a live
server on a small but real data set, with a bureau token and an organisation token, every
check on. Fails on any 500, any answer that breaks the document, any undocumented status.

    uv run --frozen python .ci/fuzz_api.py [--max-examples N] [--keep]

Steps: the demo scenario at a tiny scale into a fresh SQLite file under a temporary directory
(about 15 s), a token for `admin` (bureau) and one for `institution-admin` (a training
institution), gunicorn on a free port with the business date pinned to the scenario's day,
then `schemathesis run` once per token. The configuration of the checks is in
.ci/schemathesis.toml."""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DAY = "2020-11-27"
ACCOUNTS = {"bureau": "admin", "organisation": "institution-admin"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd, env, cwd=ROOT, **kw):
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, env=env, cwd=cwd, check=False, **kw)  # noqa: S603 (our own commands)


def issue_tokens(env) -> dict[str, str]:
    code = (
        "from haihe.accounts.models import User\n"
        "from haihe.accounts.services import token_issue\n"
        "admin = User.objects.get(username='admin')\n"
        f"for who, name in {ACCOUNTS!r}.items():\n"
        "    _t, secret = token_issue(actor=admin, user=User.objects.get(username=name),"
        " name='fuzz')\n"
        "    print(who, secret)\n"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "haihe", "shell", "-c", code],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    tokens = dict(
        line.split(" ", 1) for line in out.splitlines() if line.startswith(tuple(ACCOUNTS))
    )
    assert set(tokens) == set(ACCOUNTS), out
    return tokens


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer {url}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-examples", type=int, default=25, help="test cases per operation")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--keep", action="store_true", help="keep the database and reports")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="haihe-fuzz-"))
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="haihe.settings",
        DATABASE_URL=f"sqlite:///{work / 'fuzz.sqlite3'}",
        HAIHE_TODAY=SCENARIO_DAY,
        HAIHE_TASKS_BACKEND="django.tasks.backends.immediate.ImmediateBackend",
        HAIHE_LOG_LEVEL="ERROR",
    )
    env.pop("REDIS_URL", None)
    started = time.monotonic()
    built = run(
        [sys.executable, "-m", "haihe", "demo", "--scale", "0.001", "--no-serve"],
        env,
        stdout=subprocess.DEVNULL,
    )
    if built.returncode:
        return built.returncode
    tokens = issue_tokens(env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # --limit-request-line 0: negative cases send query strings longer than gunicorn's default
    # 4094-byte request line, which gunicorn itself answers 414 in HTML before the application
    # sees them; what is tested here is the application's contract, not the front server's.
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "haihe.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--limit-request-line",
            "0",
            "--log-level",
            "warning",
            "--error-logfile",
            str(work / "server.log"),
        ],
        env=env,
        cwd=ROOT,
    )
    failed = 0
    try:
        wait_for(f"{base}/api/v1/openapi.json")
        for who, token in tokens.items():
            report = work / f"report-{who}"
            result = run(
                [
                    sys.executable,
                    "-m",
                    "schemathesis.cli",
                    "--config-file",
                    str(ROOT / ".ci" / "schemathesis.toml"),
                    "run",
                    f"{base}/api/v1/openapi.json",
                    "--header",
                    f"Authorization: Bearer {token}",
                    "--checks",
                    "all",
                    "--max-examples",
                    str(args.max_examples),
                    "--seed",
                    str(args.seed),
                    "--phases",
                    "examples,coverage,fuzzing,stateful",
                    "--generation-database",
                    "none",
                    "--no-color",
                    "--report",
                    "junit",
                    "--report-dir",
                    str(report),
                ],
                env,
                cwd=work,  # schemathesis keeps its cache (.schemathesis/) where it runs
            )
            print(f"== schemathesis with the {who} token: exit {result.returncode}", flush=True)
            failed = failed or result.returncode
    finally:
        server.terminate()
        server.wait(timeout=30)
        log = (work / "server.log").read_text(encoding="utf-8", errors="replace")
        if "Traceback" in log:
            print("== server errors\n" + log[-20000:])
            failed = failed or 1
        print(f"== fuzzing took {time.monotonic() - started:.0f} s; work directory {work}")
        if not args.keep:
            for path in sorted(work.rglob("*"), reverse=True):
                path.unlink() if path.is_file() else path.rmdir()
            work.rmdir()
    return failed


if __name__ == "__main__":
    sys.exit(main())
