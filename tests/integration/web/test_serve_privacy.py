"""``mandate serve`` as a process: what its log keeps, and clients that never finish.

Issue 10, item 23: uvicorn logged every request line with the client's address, so the log
linked an address to a tracker look-up and, by order, to a cast. Item 31: a client that
never finishes its headers held its connection for ever.
"""

from __future__ import annotations

import contextlib
import json
import socket
import urllib.error
from pathlib import Path
from urllib.parse import urlsplit

from tests.support.attack import GENEROUS_SECONDS
from tests.support.web import Http, Server, add_official, open_ballot_by_api, running_server

CONTEST = "leader-2016"
ROLL = """member_id,voter_class,joined,name,email
M1,member,2015-01-01,Ann,ann@example.org
M2,member,2015-01-01,Bob,bob@example.org
M3,member,2015-01-01,Cy,cy@example.org
"""
VOTER_WORDS = ("/vote", "/api/ballot", "tracker")


def _quietly(http: Http, method: str, path: str, body: object = None) -> None:
    """A request whose answer does not matter here (only what the server logs of it)."""
    with contextlib.suppress(urllib.error.HTTPError):
        http.call(method, path, body)


def _run_a_contest(server: Server) -> None:
    """An official sets up and opens a ballot; voters cast and look up their trackers."""
    add_official(server, "ro", "returning-officer")
    ro = Http(server.url)
    ro.sign_in("ro")
    base = f"/api/contests/{CONTEST}"
    codes = [row["credential"] for row in open_ballot_by_api(ro, ROLL, contest=CONTEST)]
    voter = Http(server.url)
    trackers = []
    for code in codes[:2]:
        receipt = voter.call(
            "POST", "/api/ballots", {"credential": code, "ranking": ["Owen Smith"]}
        )
        trackers.append(json.loads(receipt)["tracker"])
    _quietly(voter, "POST", "/vote", None)
    voter.call("GET", "/api/ballot")
    for action in ("close the ballot", "count", "declare"):
        ro.call("POST", f"{base}/actions", {"action": action})
    for tracker in trackers:
        _quietly(voter, "GET", f"/api/results/{CONTEST}/trackers/{tracker}")
        _quietly(voter, "GET", f"/results/{CONTEST}/tracker?tracker={tracker}")
        _quietly(voter, "POST", f"/api/results/{CONTEST}/trackers", {"tracker": tracker})
    ro.call("GET", "/api/contests")


def _request_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if " HTTP/1.1" in line]


def test_by_default_the_server_logs_no_request_at_all(tmp_path: Path) -> None:
    with running_server(tmp_path / "served") as server:
        _run_a_contest(server)
        log = server.log.read_text()
    assert "Application startup complete" in log  # the log is there, and is read
    for line in log.splitlines():
        assert not any(word in line for word in VOTER_WORDS), line
    assert _request_lines(log) == []


def test_an_opted_in_access_log_has_no_address_and_no_voter_request(tmp_path: Path) -> None:
    with running_server(tmp_path / "served", extra_args=("--access-log",)) as server:
        _run_a_contest(server)
        log = server.log.read_text()
    lines = _request_lines(log)
    assert any('"POST /api/contests HTTP/1.1" 201' in line for line in lines), log
    for line in lines:
        assert "127.0.0.1" not in line, line
        assert not any(word in line for word in VOTER_WORDS), line
    assert "?" not in "".join(lines)  # no query strings


def _held_until_closed(server: Server, first_bytes: bytes) -> bytes:
    """Send ``first_bytes`` and never finish; what the server sends before it closes."""
    where = urlsplit(server.url)
    received = b""
    with socket.create_connection((where.hostname, where.port)) as sock:
        sock.settimeout(GENEROUS_SECONDS)  # a bound so the test cannot hang, not a wait
        if first_bytes:
            sock.sendall(first_bytes)
        while True:
            try:
                data = sock.recv(4096)
            except ConnectionResetError:
                break
            if not data:
                break
            received += data
    return received


def test_a_client_that_never_finishes_its_headers_is_cut_off(tmp_path: Path) -> None:
    with running_server(tmp_path / "served", extra_args=("--header-timeout", "1")) as server:
        _held_until_closed(server, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1")
        _held_until_closed(server, b"")  # connects and says nothing
        # A whole request is answered as usual.
        answer = _held_until_closed(
            server, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
    assert answer.startswith(b"HTTP/1.1 200")
