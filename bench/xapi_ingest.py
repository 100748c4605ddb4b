"""Ingestion benchmark: concurrent clients POST batches of 1,000 statements to gunicorn.

    uv run python bench/xapi_ingest.py --db sqlite
    uv run python bench/xapi_ingest.py --db postgres   # DATABASE helper_xapi on 127.0.0.1

Prints statements/s (accepted statements divided by wall time from first request to last
response). The database is created afresh under a temporary directory (SQLite) or recreated
(PostgreSQL); the server runs only on 127.0.0.1 and is stopped at the end.
"""

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from xapi_common import (
    Client,
    Server,
    batches,
    fresh_database,
)


def run_clients(port, key, secret, payloads_per_client: list[list[bytes]]) -> tuple[int, float]:
    errors: list[str] = []
    accepted = [0]
    lock = threading.Lock()

    def work(payloads):
        client = Client(port, key, secret)
        for body in payloads:
            status, content = client.post(body)
            with lock:
                if status == 200:
                    accepted[0] += content.count(b'"') // 2
                else:
                    errors.append(f"{status} {content[:200]!r}")

    threads = [threading.Thread(target=work, args=(p,)) for p in payloads_per_client]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    elapsed = time.perf_counter() - started
    if errors:
        print(f"  {len(errors)} failed requests, first: {errors[0]}")
    return accepted[0], elapsed


def measure(server, key, secret, *, clients: int, batches_per_client: int, size: int, seed: int):
    """(accepted statements, seconds, statements/s, server CPU µs per statement) of one run."""
    payloads = [
        batches(seed + c, batches_per_client, size, learners=20_000) for c in range(clients)
    ]
    cpu_before = server.cpu_seconds()
    accepted, elapsed = run_clients(server.port, key, secret, payloads)
    cpu_us = (server.cpu_seconds() - cpu_before) / accepted * 1e6
    return accepted, elapsed, accepted / elapsed, cpu_us


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--batches", type=int, default=5, help="batches per client")
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="xapi-ingest-") as tmp:
        env, key, secret = fresh_database(args.db, Path(tmp))
        with Server(env, workers=args.workers) as server:
            measure(server, key, secret, clients=1, batches_per_client=1, size=100, seed=999)
            accepted, elapsed, rate, cpu_us = measure(
                server,
                key,
                secret,
                clients=args.clients,
                batches_per_client=args.batches,
                size=args.size,
                seed=1,
            )
        load = os.getloadavg()[0]
        print(
            f"  server CPU {cpu_us:.0f} µs per statement "
            f"(= {1e6 / cpu_us:,.0f} statements/s per fully available core); "
            f"load average during the run {load:.1f} on {os.cpu_count()} cores"
        )
        print(
            f"db={args.db} workers={args.workers} clients={args.clients} "
            f"batch={args.size}: {accepted} statements in {elapsed:.2f} s "
            f"= {rate:,.0f} statements/s"
        )


if __name__ == "__main__":
    main()
