"""Ballots cast per second through the contest service, on SQLite and on PostgreSQL.

Sets up a contest (rulebook ``labour-2016``, two candidates) with ``--electors`` electors and
credentials, then measures:

- ``online, 1 caster``: :meth:`ContestService.cast` one ballot at a time, one transaction each;
- ``online, N threads``: the same from N threads, each with its own service;
- ``online, N processes``: the same from N processes (as ``mandate serve --workers N``);
- ``bulk``: :meth:`ContestService.cast_many` in batches of 2,000 (the demo's path).

PostgreSQL runs in a throwaway cluster (as in the tests) unless ``--database-url`` names one.
Usage: ``.venv/bin/python benchmarks/casting.py [--electors 20000] [--threads 4]``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import multiprocessing
import platform
import secrets
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from mandate.crypto import SeedSigner
from mandate.service import ContestService
from mandate.storage.sql import open_store

CANDIDATES = ("Jeremy Corbyn", "Owen Smith")
SECRET = secrets.token_bytes(32)
"""The server secret of this run (the credential keys derive from it)."""
OFFICER = SeedSigner(secrets.token_bytes(32))
"""The returning officer's key of this run."""


def _service(url: str) -> ContestService:
    return ContestService(open_store(url), server_secret=SECRET, signer=OFFICER)


def prepare(url: str, folder: Path, electors: int, contest_id: str) -> list[str]:
    """A contest with an open ballot; returns the electors' credentials."""
    service = _service(url)
    service.create_contest(contest_id=contest_id, rulebook_ref="labour-2016")
    service.open_nominations(contest_id)
    service.nominate(contest_id, CANDIDATES[0], automatic="incumbent")
    service.nominate(contest_id, CANDIDATES[1], nominations=172)
    service.close_nominations(contest_id, threshold=51, basis="20% of 251")
    roll = folder / f"{contest_id}-roll.csv"
    with roll.open("w", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["member_id", "voter_class", "joined"])
        for n in range(electors):
            w.writerow([f"M{n:07d}", "member", "2010-01-01"])
    service.import_roll(contest_id, [roll], on=dt.date(2016, 8, 8))
    out = folder / f"{contest_id}-credentials.csv"
    service.issue_credentials(contest_id, out)
    service.open_ballot(contest_id)
    service.close()
    with out.open(newline="") as handle:
        return [row["credential"] for row in csv.DictReader(handle)]


def one_caster(url: str, contest_id: str, credentials: list[str]) -> float:
    service = _service(url)
    started = time.perf_counter()
    for n, credential in enumerate(credentials):
        service.cast(credential, [CANDIDATES[n % 2]], contest_id=contest_id)
    elapsed = time.perf_counter() - started
    service.close()
    return len(credentials) / elapsed


def many_casters(url: str, contest_id: str, credentials: list[str], threads: int) -> float:
    shares = [credentials[i::threads] for i in range(threads)]
    services = [_service(url) for _ in range(threads)]
    barrier = threading.Barrier(threads + 1)

    def run(service: ContestService, share: list[str]) -> None:
        barrier.wait()
        for n, credential in enumerate(share):
            service.cast(credential, [CANDIDATES[n % 2]], contest_id=contest_id)

    workers = [
        threading.Thread(target=run, args=(s, share))
        for s, share in zip(services, shares, strict=True)
    ]
    for w in workers:
        w.start()
    barrier.wait()
    started = time.perf_counter()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    for s in services:
        s.close()
    return len(credentials) / elapsed


def _process_caster(url: str, contest_id: str, share: list[str], start: float) -> int:
    service = _service(url)
    time.sleep(max(0.0, start - time.time()))
    for n, credential in enumerate(share):
        service.cast(credential, [CANDIDATES[n % 2]], contest_id=contest_id)
    service.close()
    return len(share)


def many_processes(url: str, contest_id: str, credentials: list[str], processes: int) -> float:
    """Casters in separate processes, as ``mandate serve --workers N`` runs them."""
    shares = [credentials[i::processes] for i in range(processes)]
    start = time.time() + 2.0
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        pending = pool.starmap_async(
            _process_caster, [(url, contest_id, share, start) for share in shares]
        )
        done = sum(pending.get())
    return done / (time.time() - start)


def bulk(url: str, contest_id: str, credentials: list[str]) -> float:
    service = _service(url)
    started = time.perf_counter()
    for start in range(0, len(credentials), 2000):
        batch = credentials[start : start + 2000]
        outcomes = service.cast_many(
            contest_id, [(c, [CANDIDATES[n % 2]]) for n, c in enumerate(batch)]
        )
        assert all(not isinstance(o, str) for o in outcomes)
    elapsed = time.perf_counter() - started
    service.close()
    return len(credentials) / elapsed


@contextmanager
def postgres(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    from tests.support.postgres import running_cluster

    with running_cluster() as cluster:
        yield cluster.create_database(f"bench_{uuid.uuid4().hex[:8]}")


def measure(name: str, url: str, folder: Path, electors: int, threads: int) -> list[str]:
    rows = []
    quarter = electors // 4
    contest_id = f"bench-{name.lower()}-{uuid.uuid4().hex[:6]}"
    credentials = prepare(url, folder, electors, contest_id)
    rate = one_caster(url, contest_id, credentials[:quarter])
    rows.append(f"| {name} | online, 1 caster | {quarter:,} | {rate:,.0f} |")
    rate = many_casters(url, contest_id, credentials[quarter : 2 * quarter], threads)
    rows.append(f"| {name} | online, {threads} threads | {quarter:,} | {rate:,.0f} |")
    rate = many_processes(url, contest_id, credentials[2 * quarter : 3 * quarter], threads)
    rows.append(f"| {name} | online, {threads} processes | {quarter:,} | {rate:,.0f} |")
    rest = credentials[3 * quarter :]
    rate = bulk(url, contest_id, rest)
    rows.append(f"| {name} | bulk (batches of 2,000) | {len(rest):,} | {rate:,.0f} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--electors", type=int, default=40_000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL URL to use")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    rows = ["| database | path | ballots | ballots/s |", "| --- | --- | ---: | ---: |"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sqlite = f"sqlite:///{folder / 'bench.sqlite3'}"
        rows += measure("SQLite", sqlite, folder, args.electors, args.threads)
        if not args.skip_postgres:
            with postgres(args.database_url) as url:
                rows += measure("PostgreSQL", url, folder, args.electors, args.threads)
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
