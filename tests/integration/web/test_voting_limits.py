"""Voting codes at the edges: after the close, and many wrong codes from one shared address.

Issue 10, items 11 and 12: a right code after the close is told the ballot has closed (not
that it is wrong, and no failure is counted); wrong codes are limited per code, per contest
and (generously) per address, and a right code is never refused because others failed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from mandate.config import Settings
from mandate.service.access import Role
from mandate.web import create_app
from tests.integration.web.test_api import CONTEST, PASSWORD, Api, ballot_open, problem, sign_in
from tests.support.keys import new_signer
from tests.support.web import make_client

WRONG = "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"
GOOD = ["Owen Smith", "Jeremy Corbyn"]


@pytest.fixture
def ro(settings: Settings) -> Iterator[Api]:
    """A returning officer signed in to the app (in-process, SQLite)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = create_app(settings, signer=new_signer())
    with make_client(app) as client:
        app.state.access.add("ro", PASSWORD, Role.RETURNING_OFFICER)
        yield sign_in(client, "ro")


def close_ballot(ro: Api) -> None:
    closed = ro.post(f"/api/contests/{CONTEST}/actions", json={"action": "close the ballot"})
    assert closed.status_code == 200, closed.text


def cast_api(client: Any, code: str, *, contest: str | None = None) -> Any:
    body: dict[str, Any] = {"credential": code, "ranking": GOOD}
    if contest is not None:
        body["contest"] = contest
    return client.post("/api/ballots", json=body)


def test_a_right_code_after_the_close_is_told_the_ballot_has_closed_in_the_api(ro: Api) -> None:
    codes = ballot_open(ro)
    close_ballot(ro)
    told = problem(cast_api(ro.client, codes[0]), 409, "ballot-closed")
    assert "has closed" in told["detail"]
    assert "not recognised" not in told["detail"]
    told = problem(cast_api(ro.client, codes[1], contest=CONTEST), 409, "ballot-closed")


def test_a_right_code_after_the_close_is_told_the_ballot_has_closed_on_the_page(
    ro: Api,
) -> None:
    codes = ballot_open(ro)
    close_ballot(ro)
    page = ro.client.post("/vote", data={"credential": codes[0].lower()})
    assert page.status_code == 409
    assert "has closed" in page.text
    assert "not recognised" not in page.text
    # A ballot page left open across the close, cast afterwards: closed, in words.
    cast = ro.client.post(
        f"/vote/{CONTEST}/cast", data={"credential": codes[1], "rank-1": "1", "rank-2": "2"}
    )
    assert cast.status_code == 409
    assert "has closed" in cast.text


def test_codes_tried_after_the_close_are_not_counted_as_failures(ro: Api) -> None:
    codes = ballot_open(ro)
    close_ballot(ro)
    for _ in range(60):  # far more than any limit on failures
        problem(cast_api(ro.client, codes[0]), 409, "ballot-closed")
        assert ro.client.post("/vote", data={"credential": codes[0]}).status_code == 409
    # Nothing was counted against the code, the address or the contest.
    with ro.client.app.state.access.store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM rate_limits")).scalar_one() == 0


def test_many_wrong_codes_from_one_address_do_not_lock_out_a_right_code(ro: Api) -> None:
    """A conference's Wi-Fi: everyone shares one address; some mistype, then one votes."""
    codes = ballot_open(ro)
    client = ro.client
    for number in range(300):  # more than even the generous per-address limit
        wrong = f"ZZZZZ-ZZZZZ-ZZZZZ-{number:05d}".replace("0", "Z")
        response = cast_api(client, wrong if number % 2 else WRONG)
        assert response.status_code in (403, 429), response.text
    assert cast_api(client, codes[0]).status_code == 201
    page = client.post("/vote", data={"credential": codes[1]})
    assert page.status_code == 200, page.text
    cast = client.post(
        f"/vote/{CONTEST}/cast", data={"credential": codes[1], "rank-1": "1", "rank-2": "2"}
    )
    assert cast.status_code == 200, cast.text
    assert ro.get(f"/api/contests/{CONTEST}/turnout").json()["voted"] == 2


def test_the_same_wrong_code_over_and_over_is_limited(ro: Api) -> None:
    ballot_open(ro)
    answers = [cast_api(ro.client, WRONG).status_code for _ in range(12)]
    assert answers[0] == 403
    assert answers[-1] == 429
    limited = cast_api(ro.client, WRONG)
    problem(limited, 429, "too-many-attempts")
    assert int(limited.headers["retry-after"]) > 0
