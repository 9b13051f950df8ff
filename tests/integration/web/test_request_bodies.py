"""Large request bodies: refused before they are read, with the server's memory measured.

Issue 10, item 19: a 120 MiB ``POST /api/contests`` with no session took the server to
3.26 GB, because FastAPI parses a body before the route checks who sent it. Bodies to
officials' addresses are refused unread without a session (401), JSON and form bodies are
capped at 1 MiB (413), and only the roll is streamed (to a file) at any size.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mandate.config import Settings
from mandate.service.access import Role
from mandate.web import create_app
from tests.integration.web.test_api import CONTEST, PASSWORD, Api, nominations_closed, sign_in
from tests.support.attack import MIB, json_ballots, json_params, peak_rss, send_body
from tests.support.keys import new_signer
from tests.support.web import Server, make_client, running_server

ATTACK_BYTES = 120 * MIB
MAX_DOCUMENT_BYTES = 1 * MIB
"""The cap on JSON and form bodies (``mandate.web.app.MAX_DOCUMENT_BYTES``)."""
MEMORY_BOUND = 100 * MIB
"""How much more memory the server may take while being sent the attack's bodies."""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Server]:
    with running_server(tmp_path / "served") as server:
        yield server


@pytest.mark.parametrize(
    ("path", "body"),
    [("/api/contests", json_params), ("/api/contests/c/paper-batches", json_ballots)],
)
def test_a_huge_body_without_a_session_is_refused_unread(
    served: Server, path: str, body: Any
) -> None:
    before = peak_rss(served.pid)
    # Announced by Content-Length: refused for its size before a byte is read.
    status, _ = send_body(served.url, path, body(ATTACK_BYTES), declared_length=ATTACK_BYTES)
    assert status in (401, 413)
    # Streamed without a length: refused for want of a session, unread.
    status, answer = send_body(served.url, path, body(ATTACK_BYTES), declared_length=None)
    assert status in (401, 413)
    assert b"application/problem+json" in answer
    grown = peak_rss(served.pid) - before
    assert grown < MEMORY_BOUND, f"the server grew by {grown / MIB:.0f} MiB"


@pytest.fixture
def ro(settings: Settings) -> Iterator[Api]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = create_app(settings, signer=new_signer())
    with make_client(app) as client:
        app.state.access.add("ro", PASSWORD, Role.RETURNING_OFFICER)
        yield sign_in(client, "ro")


def test_json_bodies_of_officials_are_capped_near_one_mebibyte(ro: Api) -> None:
    too_big = ro.post(
        "/api/contests",
        json={"contest_id": "big", "rulebook_text": "#" * 999_000, "params": {"x": "y" * 99_000}},
    )
    assert too_big.status_code == 413, too_big.text
    assert too_big.headers["content-type"] == "application/problem+json"
    assert too_big.json()["limit"] == MAX_DOCUMENT_BYTES
    ballots = [["Owen Smith", "Jeremy Corbyn"]] * 40_000
    batch = {"label": "b1", "voter_class": "member", "ballots": ballots}
    assert len(json.dumps(batch)) > MAX_DOCUMENT_BYTES
    refused = ro.post(f"/api/contests/{CONTEST}/paper-batches", json=batch)
    assert refused.status_code == 413, refused.text


def test_the_roll_alone_streams_a_large_upload(ro: Api) -> None:
    nominations_closed(ro)
    header = "member_id,voter_class,joined,name,email\n"
    rows = "".join(f"M{n},member,2015-01-01,Member {n},m{n}@example.org\n" for n in range(40_000))
    roll = header + rows
    assert len(roll) > 2 * MAX_DOCUMENT_BYTES
    imported = ro.put(f"/api/contests/{CONTEST}/roll", params={"on": "2016-08-08"}, content=roll)
    assert imported.status_code == 200, imported.text
    assert imported.json()["eligible"] == 40_000


def test_a_session_is_needed_before_any_body_is_read_on_official_pages(ro: Api) -> None:
    anonymous = ro.client
    anonymous.cookies.clear()
    for path in ("/api/contests", f"/api/contests/{CONTEST}/actions", "/official/contests"):
        refused = anonymous.post(path, content=b"x" * 10_000)
        assert refused.status_code == 401, (path, refused.text)
