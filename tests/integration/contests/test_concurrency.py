"""Concurrent casters: one ballot per credential, and nothing acknowledged is ever lost."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from mandate.errors import AlreadyVotedError
from mandate.service import ContestService
from mandate.service.audit import verify_audit
from mandate.storage.sql import open_store
from tests.integration.contests.conftest import CANDIDATES, OpenContest, open_contest


def test_threads_racing_with_one_credential_store_exactly_one_ballot(
    service: ContestService, ready: OpenContest, database_url: str
) -> None:
    credential = next(iter(ready.credentials.values()))
    barrier = threading.Barrier(12)
    outcomes: list[str] = []

    def caster() -> None:
        own = ContestService(open_store(database_url), server_secret=service.server_secret)
        barrier.wait()
        try:
            own.cast(credential, [CANDIDATES[0]], contest_id=ready.contest_id)
            outcomes.append("cast")
        except AlreadyVotedError:
            outcomes.append("refused")
        finally:
            own.close()

    threads = [threading.Thread(target=caster) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["cast"] + ["refused"] * 11
    assert len(list(service.store.ballots(ready.contest_id))) == 1


def _cast_in_process(
    url: str, contest_id: str, credential: str, start: float, secret: bytes
) -> str:
    service = ContestService(open_store(url), server_secret=secret)
    time.sleep(max(0.0, start - time.time()))
    try:
        service.cast(credential, [CANDIDATES[1]], contest_id=contest_id)
        return "cast"
    except AlreadyVotedError:
        return "refused"
    finally:
        service.close()


def test_processes_racing_with_one_credential_store_exactly_one_ballot(
    service: ContestService, ready: OpenContest, database_url: str
) -> None:
    credential = next(iter(ready.credentials.values()))
    start = time.time() + 1.0
    with multiprocessing.get_context("fork").Pool(6) as pool:
        outcomes = pool.starmap(
            _cast_in_process,
            [(database_url, ready.contest_id, credential, start, service.server_secret)] * 6,
        )
    assert sorted(outcomes) == ["cast"] + ["refused"] * 5
    assert len(list(service.store.ballots(ready.contest_id))) == 1


STORM = textwrap.dedent(
    """
    import csv, sys
    from mandate.service import ContestService
    from mandate.storage.sql import open_store
    url, contest, credentials, acks, secret = sys.argv[1:6]
    service = ContestService(open_store(url), server_secret=bytes.fromhex(secret))
    with open(credentials, newline="") as f:
        creds = [row["credential"] for row in csv.DictReader(f)]
    with open(acks, "a", buffering=1) as out:
        print("ready", file=out)
        for n, credential in enumerate(creds):
            receipt = service.cast(credential, ["Jeremy Corbyn"] if n % 2 else ["Owen Smith"],
                                   contest_id=contest)
            print(receipt.tracker, file=out)
    """
)


@pytest.mark.slow
def test_a_caster_killed_mid_storm_loses_no_acknowledged_ballot(
    service: ContestService, database_url: str, tmp_path: Path
) -> None:
    ready = open_contest(service, tmp_path, electors=3000)
    acks = tmp_path / "acks.txt"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            STORM,
            database_url,
            ready.contest_id,
            str(tmp_path / f"{ready.contest_id}-credentials.csv"),
            str(acks),
            (service.server_secret or b"").hex(),
        ],
        env=env,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        lines = acks.read_text().splitlines() if acks.exists() else []
        if len(lines) > 150:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    acknowledged = [t for t in acks.read_text().splitlines()[1:] if t]
    assert len(acknowledged) >= 150, "the caster did not get going"
    trackers = [b.tracker for b in service.store.ballots(ready.contest_id)]
    assert len(trackers) == len(set(trackers))
    missing = set(acknowledged) - set(trackers)
    assert not missing
    # at most the one ballot in flight when the signal landed was stored unacknowledged
    assert len(trackers) - len(acknowledged) in (0, 1)
    assert sum(t.voted for t in service.turnout(ready.contest_id)) == len(trackers)
    assert verify_audit(service.store).entries > 0
    service.close_ballot(ready.contest_id)
    assert verify_audit(service.store).seals_checked == 1
