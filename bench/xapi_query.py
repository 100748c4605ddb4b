"""Query benchmark: p50/p95 of GET /xapi/statements?agent=…&verb=…&since=… with 1 M statements
stored, and ingestion throughput with 1 M stored against an empty store.

    uv run python bench/xapi_query.py --db sqlite
    uv run python bench/xapi_query.py --db postgres   # DATABASE helper_xapi on 127.0.0.1

The million statements (and 5,000 voiding statements, 0.5 %) are written directly in the database
(the store's own bulk insert, without HTTP or validation, for speed); the measurements go through
gunicorn on 127.0.0.1.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from xapi_common import (
    ROOT,
    VERBS,
    Client,
    Server,
    fresh_database,
    learner,
)
from xapi_ingest import measure

LEARNERS = 20_000

FILL_CODE = """
import os, random, sys, time, datetime, uuid
sys.path.insert(0, {bench!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haihe.settings")
import django; django.setup()
from django.db import transaction
from django.utils import timezone
from xapi_common import make_statement
from haihe.xapi.auth import Principal
from haihe.xapi import store
from haihe.registry.models import Organisation
from haihe.xapi.models import Statement

org = Organisation.objects.get(uscc="91120101BENCH0000X")
rng = random.Random(42)
total, chunk = {total}, 10_000
start = time.time() - 86400 * 60
begun = time.perf_counter()
for offset in range(0, total, chunk):
    prepared = []
    for i in range(chunk):
        when = start + (offset + i) * (86400 * 59 / total)
        s = make_statement(rng, {learners}, when)
        stored = datetime.datetime.fromtimestamp(when + 60, datetime.UTC)
        s["stored"] = store.iso(stored)
        s["authority"] = store.authority_for(org.uscc)
        s["version"] = "1.0.0"
        prepared.append(store.Prepared(
            statement_id=s["id"], payload=s,
            timestamp=datetime.datetime.fromtimestamp(when, datetime.UTC),
            given_timestamp=None, relations=store.relations_of(s)))
    # Platforms void a few statements (0.5 %): voiding statements are StatementRefs, which
    # every filtered query must also consider (Part Three 2.1.3).
    targets = [p.statement_id for p in rng.sample(prepared, chunk // 200)]
    for target in targets:
        v = {{"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
             "actor": prepared[0].payload["actor"],
             "verb": {{"id": "http://adlnet.gov/expapi/verbs/voided"}},
             "object": {{"objectType": "StatementRef", "id": target}},
             "stored": store.iso(stored), "authority": store.authority_for(org.uscc),
             "version": "1.0.0", "timestamp": store.iso(stored)}}
        prepared.append(store.Prepared(statement_id=v["id"], payload=v, timestamp=stored,
            given_timestamp=None, relations=store.relations_of(v), voids=target))
    with transaction.atomic():
        # One stored time per chunk of 10,000 is close enough for a query benchmark.
        store.insert_rows(prepared, org.pk, None, stored)
        Statement.objects.filter(statement_id__in=targets).update(voided=True)
print(f"filled {{total}} statements in {{time.perf_counter() - begun:.0f}} s")
"""


def fill(env: dict, total: int) -> None:
    code = FILL_CODE.format(
        bench=str(Path(__file__).resolve().parent), total=total, learners=LEARNERS
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    print(" ", out.stdout.strip())


def query_latencies(port, key, secret, requests: int) -> tuple[list[float], float]:
    rng = random.Random(7)
    client = Client(port, key, secret)
    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 86400 * 30))
    latencies, returned = [], 0
    for _ in range(requests):
        params = {
            "agent": orjson.dumps({"account": learner(rng.randrange(LEARNERS))["account"]}),
            "verb": rng.choice(VERBS),
            "since": since,
        }
        started = time.perf_counter()
        status, body = client.get("/xapi/statements?" + urlencode(params))
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"query failed: {status} {body[:200]!r}")
        returned += len(orjson.loads(body)["statements"])
    return latencies, returned / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--total", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="xapi-query-") as tmp:
        env, key, secret = fresh_database(args.db, Path(tmp))
        with Server(env, workers=args.workers) as server:
            # warm-up (as before the measurement with a million stored)
            measure(server, key, secret, clients=2, batches_per_client=1, size=1000, seed=9)
            _n, _t, empty_rate, empty_cpu = measure(
                server,
                key,
                secret,
                clients=args.clients,
                batches_per_client=args.batches,
                size=1000,
                seed=1,
            )
        print(
            f"  ingestion, empty store: {empty_rate:,.0f} statements/s, "
            f"{empty_cpu:.0f} µs CPU per statement"
        )
        fill(env, args.total)
        if args.db == "postgres":
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    (
                        "import psycopg; c = psycopg.connect(" + repr(env["DATABASE_URL"]) + ", "
                        "autocommit=True); c.execute('VACUUM ANALYZE xapi_statement')"
                    ),
                ],
                check=True,
                env=env,
                timeout=600,
            )
        with Server(env, workers=args.workers) as server:
            query_latencies(server.port, key, secret, 20)  # warm-up
            latencies, per_request = query_latencies(server.port, key, secret, args.requests)
            measure(server, key, secret, clients=2, batches_per_client=1, size=1000, seed=99)
            _n, _t, full_rate, full_cpu = measure(
                server,
                key,
                secret,
                clients=args.clients,
                batches_per_client=args.batches,
                size=1000,
                seed=1000,
            )
    quantiles = statistics.quantiles(latencies, n=100)
    print(
        f"db={args.db} stored={args.total:,}: GET agent+verb+since over {args.requests} requests "
        f"(avg {per_request:.1f} statements returned): p50 {quantiles[49]:.1f} ms, "
        f"p95 {quantiles[94]:.1f} ms"
    )
    change = (full_rate - empty_rate) / empty_rate * 100
    print(
        f"db={args.db} ingestion: empty {empty_rate:,.0f}/s, with {args.total:,} stored "
        f"{full_rate:,.0f}/s ({change:+.0f} %)"
    )
    cpu_change = (full_cpu - empty_cpu) / empty_cpu * 100
    who = "gunicorn + its PostgreSQL backends" if args.db == "postgres" else "gunicorn"
    print(
        f"db={args.db} CPU per statement ({who}): "
        f"empty {empty_cpu:.0f} µs, with {args.total:,} stored {full_cpu:.0f} µs "
        f"({cpu_change:+.0f} %); load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
