"""Ballots cast per second through the HTTP API, and a check that none was lost.

Starts ``mandate serve`` on 127.0.0.1 (a free port, a temporary data folder; SQLite unless
``--database-url`` names a PostgreSQL database; ``--workers`` processes), sets a contest up
through the API exactly as an official would (``labour-2016``, two candidates, ``--electors``
electors, credentials), then casts one ballot per elector with ``POST /api/ballots`` from
``--threads`` concurrent clients, each on its own keep-alive connection. Bounded: it stops
after every elector has voted (or ``--seconds``). Then it closes the ballot, counts, declares
and checks that every acknowledged receipt's tracker is in the published cast-vote records and
that the count and the turnout equal the number acknowledged.

Not run in CI. Usage: ``.venv/bin/python benchmarks/http_casting.py [--electors 5000]
[--threads 8] [--workers 1] [--database-url URL] [--seconds 120]``.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.support.web import running_server  # noqa: E402

PASSWORD = "correct horse battery staple"
CONTEST = "bench"
CANDIDATES = ("Jeremy Corbyn", "Owen Smith")


class Client:
    """One keep-alive HTTP connection to the server, with the session cookie if any."""

    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.address = (host, int(port))
        self.connection = http.client.HTTPConnection(host, int(port), timeout=60)
        self.headers: dict[str, str] = {}

    def reconnect(self) -> None:
        """A fresh connection (the server closes idle keep-alive connections)."""
        self.connection.close()
        self.connection = http.client.HTTPConnection(*self.address, timeout=60)

    def call(self, method: str, path: str, body: Any = None, raw: bytes | None = None) -> Any:
        headers = dict(self.headers)
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        payload = response.read()
        cookie = response.getheader("set-cookie")
        if cookie:
            self.headers["Cookie"] = cookie.split(";", 1)[0]
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: {response.status} {payload[:300]!r}")
        kind = response.getheader("content-type") or ""
        return json.loads(payload) if kind.startswith("application/json") else payload

    def close(self) -> None:
        self.connection.close()


def add_official(data: Path, database_url: str | None) -> None:
    command = [sys.executable, "-m", "mandate", "officials", "add", "ro"]
    command += ["--role", "returning-officer", "--password-stdin", "--data-dir", str(data)]
    if database_url:
        command += ["--database-url", database_url]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    subprocess.run(command, input=PASSWORD + "\n", text=True, check=True, env=env)


def set_up(official: Client, electors: int) -> list[str]:
    """A contest with its ballot open, through the API; returns the credentials."""
    signed_in = official.call("POST", "/api/session", {"username": "ro", "password": PASSWORD})
    official.headers["X-CSRF-Token"] = signed_in["csrf_token"]
    official.call("POST", "/api/contests", {"contest_id": CONTEST, "rulebook": "labour-2016"})
    base = f"/api/contests/{CONTEST}"
    official.call("POST", f"{base}/actions", {"action": "open nominations"})
    official.call("POST", f"{base}/nominations", {"name": CANDIDATES[0], "automatic": "incumbent"})
    official.call("POST", f"{base}/nominations", {"name": CANDIDATES[1], "nominations": 172})
    threshold = {"process": "challenge", "body_size": 251, "on": "2016-07-20"}
    official.call("POST", f"{base}/close-nominations", threshold)
    roll = io.StringIO()
    writer = csv.writer(roll)
    writer.writerow(["member_id", "voter_class", "joined"])
    for n in range(electors):
        writer.writerow([f"M{n:07d}", "member", "2010-01-01"])
    official.call("PUT", f"{base}/roll?on=2016-08-08", raw=roll.getvalue().encode())
    issued = official.call("POST", f"{base}/credentials").decode()
    official.call("POST", f"{base}/actions", {"action": "open the ballot"})
    return [row["credential"] for row in csv.DictReader(io.StringIO(issued))]


def chunks(items: list[str], parts: int) -> Iterator[list[str]]:
    for i in range(parts):
        yield items[i::parts]


def cast_all(
    url: str, credentials: list[str], threads: int, seconds: float
) -> tuple[list[str], list[float], float]:
    """Cast one ballot per credential from ``threads`` clients; returns trackers, latencies."""
    trackers: list[str] = []
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def caster(mine: list[str], number: int) -> None:
        client = Client(url)
        got: list[str] = []
        took: list[float] = []
        for i, credential in enumerate(mine):
            if time.monotonic() > deadline:
                break
            ranking = list(CANDIDATES) if (i + number) % 3 else list(reversed(CANDIDATES))
            started = time.perf_counter()
            receipt = client.call(
                "POST", "/api/ballots", {"credential": credential, "ranking": ranking}
            )
            took.append(time.perf_counter() - started)
            got.append(receipt["tracker"])
        client.close()
        with lock:
            trackers.extend(got)
            latencies.extend(took)

    workers = [
        threading.Thread(target=caster, args=(part, n))
        for n, part in enumerate(chunks(credentials, threads))
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return trackers, latencies, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--electors", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="mandate-http-bench-") as folder:
        data = Path(folder) / "data"
        add_official(data, args.database_url)
        with running_server(data, database_url=args.database_url, workers=args.workers) as server:
            official = Client(server.url)
            credentials = set_up(official, args.electors)
            trackers, latencies, elapsed = cast_all(
                server.url, credentials, args.threads, args.seconds
            )
            base = f"/api/contests/{CONTEST}"
            official.reconnect()
            turnout = official.call("GET", f"{base}/turnout")
            for action in ("close the ballot", "count", "declare"):
                official.call("POST", f"{base}/actions", {"action": action})
            result = official.call("GET", f"/api/results/{CONTEST}")
            listed = official.call("GET", f"/api/results/{CONTEST}/files/trackers.txt")
            official.close()
        published = set(listed.decode("utf-8").split())

    lost = [t for t in trackers if t not in published]
    valid = (
        int(result["valid"])
        if "valid" in result
        else sum(int(float(v)) for v in result["rounds"][0]["tally"].values())
    )
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")  # fmt: skip
    print(f"server: mandate serve --workers {args.workers} on 127.0.0.1, {database}")
    print(f"clients: {args.threads} threads, keep-alive, POST /api/ballots")
    print("| ballots acknowledged | seconds | ballots/s | p50 ms | p95 ms |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    ordered = sorted(latencies)
    p95 = ordered[int(len(ordered) * 0.95) - 1] if ordered else 0.0
    print(
        f"| {len(trackers):,} | {elapsed:.1f} | {len(trackers) / elapsed:,.0f} | "
        f"{statistics.median(latencies) * 1000:.1f} | {p95 * 1000:.1f} |"
    )
    print(
        f"check: turnout {turnout['voted']:,}, counted {valid:,}, published {len(published):,}, "
        f"acknowledged {len(trackers):,}, lost {len(lost)}"
    )
    if lost or turnout["voted"] != len(trackers) or len(published) != len(trackers):
        raise SystemExit("ballots were lost or miscounted")


if __name__ == "__main__":
    main()
