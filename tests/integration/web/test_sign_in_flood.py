"""A flood of sign-ins: the memory they take is bounded, and voters still get through.

Issue 10, item 20: every sign-in, even for an unknown username, runs a 64 MiB Argon2id hash,
and only (username, address) was limited: 80 concurrent sign-ins took the server to 2.6 GB
and a flood of 240 slowed ``GET /api/ballot`` from 12 ms to 51 s. Sign-ins are now limited
per address and per username as well, and at most two hashes run at once: the rest are
refused at once (429) instead of queueing.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from pathlib import Path

from tests.support.attack import GENEROUS_SECONDS, MIB, peak_rss
from tests.support.web import add_official, running_server

FLOOD = 80
MEMORY_BOUND = 300 * MIB
"""Two hashes of 64 MiB at once, and room to spare; 80 at once would take 5 GiB."""


def _sign_in(url: str, username: str) -> int:
    request = urllib.request.Request(
        f"{url}/api/session",
        data=json.dumps({"username": username, "password": "not the password"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=GENEROUS_SECONDS) as response:
            return int(response.status)
    except urllib.error.HTTPError as refused:
        return int(refused.code)


def test_a_sign_in_flood_takes_bounded_memory_and_voters_get_through(tmp_path: Path) -> None:
    with running_server(tmp_path / "served") as server:
        add_official(server, "ro", "returning-officer")
        with urllib.request.urlopen(f"{server.url}/api/ballot") as warm:
            assert warm.status == 200
        before = peak_rss(server.pid)
        start = threading.Barrier(FLOOD + 1)
        answers: list[int] = []

        def attacker(number: int) -> None:
            start.wait()
            answers.append(_sign_in(server.url, "ro" if number % 2 else f"nobody{number}"))

        threads = [threading.Thread(target=attacker, args=(n,)) for n in range(FLOOD)]
        for thread in threads:
            thread.start()
        start.wait()
        with urllib.request.urlopen(f"{server.url}/api/ballot", timeout=GENEROUS_SECONDS) as voter:
            assert voter.status == 200
            assert "contests" in json.loads(voter.read())
        for thread in threads:
            thread.join()
        grown = peak_rss(server.pid) - before
    assert sorted(set(answers)) <= [401, 429]
    assert len(answers) == FLOOD
    assert grown < MEMORY_BOUND, f"the server grew by {grown / MIB:.0f} MiB"
