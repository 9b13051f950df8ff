"""The REST API, endpoint by endpoint, with every refusal (the app in-process on SQLite).

Refusals come back as RFC 9457 problem details (``application/problem+json``) with the status
the error tree maps to, and change nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import mandate.rules.shipped
from mandate.config import Settings
from mandate.service.access import Role
from mandate.web import create_app
from tests.support.keys import new_signer
from tests.support.web import make_client

SHIPPED = Path(mandate.rules.shipped.__file__).parent
CONTEST = "leader-2016"
PASSWORD = "correct horse battery staple"
ROLL = """member_id,voter_class,joined,name,email
M1,member,2015-01-01,Ann,ann@example.org
M2,member,2015-01-01,Bob,bob@example.org
M3,member,2015-01-01,Cy,cy@example.org
M4,member,2016-08-01,Dee,dee@example.org
S1,registered_supporter,2016-07-19,Eve,eve@example.org
"""
THRESHOLD = {"process": "challenge", "body_size": 251, "on": "2016-07-20"}


@dataclass
class Api:
    """A client signed in (or not) with the CSRF header at hand."""

    client: Any
    headers: dict[str, str] = field(default_factory=dict)

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, headers=self.headers, **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self.client.post(path, headers=self.headers, **kw)

    def put(self, path: str, **kw: Any) -> Any:
        return self.client.put(path, headers=self.headers, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.client.delete(path, headers=self.headers, **kw)


def sign_in(client: Any, username: str) -> Api:
    response = client.post("/api/session", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return Api(client, {"X-CSRF-Token": response.json()["csrf_token"]})


def problem(response: Any, status: int, kind: str | None = None) -> dict[str, Any]:
    """Assert a problem-details response and return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["instance"] == response.request.url.path
    assert body["detail"]
    if kind is not None:
        assert body["type"].endswith("/" + kind), body["type"]
    return body


@pytest.fixture
def app_client(settings: Settings) -> Iterator[tuple[Any, Any]]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = create_app(settings, signer=new_signer())
    with make_client(app) as client:
        access = app.state.access
        access.add("ro", PASSWORD, Role.RETURNING_OFFICER)
        access.add("scrutineer", PASSWORD, Role.SCRUTINEER)
        access.add("observer", PASSWORD, Role.OBSERVER)
        yield app, client


@pytest.fixture
def ro(app_client: tuple[Any, Any]) -> Api:
    return sign_in(app_client[1], "ro")


def nominations_closed(ro: Api) -> None:
    assert (
        ro.post(
            "/api/contests", json={"contest_id": CONTEST, "rulebook": "labour-2016"}
        ).status_code
        == 201
    )
    assert (
        ro.post(f"/api/contests/{CONTEST}/actions", json={"action": "open nominations"}).status_code
        == 200
    )
    ro.post(
        f"/api/contests/{CONTEST}/nominations",
        json={"name": "Jeremy Corbyn", "automatic": "incumbent"},
    )
    ro.post(f"/api/contests/{CONTEST}/nominations", json={"name": "Owen Smith", "nominations": 172})
    assert ro.post(f"/api/contests/{CONTEST}/close-nominations", json=THRESHOLD).status_code == 200


def ballot_open(ro: Api) -> list[str]:
    """A contest with its ballot open; returns the credentials of M1, M2, M3, S1."""
    nominations_closed(ro)
    assert (
        ro.put(
            f"/api/contests/{CONTEST}/roll", params={"on": "2016-08-08"}, content=ROLL
        ).status_code
        == 200
    )
    issued = ro.post(f"/api/contests/{CONTEST}/credentials")
    assert issued.status_code == 200
    codes = [row["credential"] for row in csv.DictReader(io.StringIO(issued.text))]
    assert (
        ro.post(f"/api/contests/{CONTEST}/actions", json={"action": "open the ballot"}).status_code
        == 200
    )
    return codes


# -- sessions --------------------------------------------------------------------------------


def test_sign_in_gives_a_session_cookie_and_csrf_token(app_client: tuple[Any, Any]) -> None:
    _, client = app_client
    response = client.post("/api/session", json={"username": "ro", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json()["role"] == "returning-officer"
    cookie = response.headers["set-cookie"]
    assert "mandate_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert client.get("/api/session").json()["username"] == "ro"


def test_wrong_password_is_refused_without_saying_which_part(app_client: tuple[Any, Any]) -> None:
    _, client = app_client
    wrong = client.post("/api/session", json={"username": "ro", "password": "nope-nope-nope"})
    unknown = client.post("/api/session", json={"username": "nobody", "password": PASSWORD})
    assert problem(wrong, 401)["detail"] == problem(unknown, 401)["detail"]


def test_repeated_failed_sign_ins_are_rate_limited(app_client: tuple[Any, Any]) -> None:
    _, client = app_client
    for _ in range(10):
        client.post("/api/session", json={"username": "ro", "password": "nope-nope-nope"})
    limited = client.post("/api/session", json={"username": "ro", "password": PASSWORD})
    assert problem(limited, 429, "too-many-attempts")
    assert int(limited.headers["retry-after"]) > 0


def test_session_endpoints_need_a_session(app_client: tuple[Any, Any]) -> None:
    _, client = app_client
    problem(client.get("/api/session"), 401, "sign-in-needed")
    problem(client.delete("/api/session"), 401)


def test_sign_out_needs_the_csrf_token_and_ends_the_session(ro: Api) -> None:
    problem(ro.client.delete("/api/session"), 403, "access-denied")
    problem(ro.client.delete("/api/session", headers={"X-CSRF-Token": "forged"}), 403)
    assert ro.delete("/api/session").status_code == 204
    problem(ro.get("/api/session"), 401)


# -- contests ---------------------------------------------------------------------------------


def test_contests_need_a_signed_in_official(app_client: tuple[Any, Any]) -> None:
    _, client = app_client
    problem(client.get("/api/contests"), 401)
    problem(client.post("/api/contests", json={"contest_id": "x", "rulebook": "labour-2016"}), 401)
    problem(client.get(f"/api/contests/{CONTEST}"), 401)


def test_create_contest_from_a_shipped_rulebook(ro: Api) -> None:
    created = ro.post("/api/contests", json={"contest_id": CONTEST, "rulebook": "labour-2016"})
    assert created.status_code == 201
    body = created.json()
    assert body["state"] == "draft"
    assert body["allowed_actions"] == ["open nominations"]
    assert [c["id"] for c in body["voter_classes"]] == [
        "member",
        "registered_supporter",
        "affiliated_supporter",
    ]
    assert ro.get("/api/contests").json() == [
        {"id": CONTEST, "title": body["title"], "rulebook": "labour-2016", "state": "draft"}
    ]
    assert ro.get(f"/api/contests/{CONTEST}").json() == body


def test_create_contest_from_uploaded_rulebook_text(ro: Api, settings: Settings) -> None:
    toml = (SHIPPED / "society.toml").read_text(encoding="utf-8")
    created = ro.post("/api/contests", json={"contest_id": "society-2026", "rulebook_text": toml})
    assert created.status_code == 201, created.text
    assert (settings.data_dir / "rulebooks" / "society-2026.toml").read_text() == toml


def test_create_contest_refusals(ro: Api, settings: Settings) -> None:
    both = ro.post(
        "/api/contests", json={"contest_id": "a", "rulebook": "labour-2016", "rulebook_text": "x"}
    )
    problem(both, 422, "invalid-input")
    problem(ro.post("/api/contests", json={"contest_id": "a"}), 422)
    problem(ro.post("/api/contests", json={"contest_id": "a", "rulebook": "no-such-book"}), 404)
    bad = ro.post("/api/contests", json={"contest_id": "a", "rulebook_text": "[meta\nid = 1"})
    assert "uploaded rulebook" in problem(bad, 422)["detail"]
    assert not (settings.data_dir / "rulebooks" / "a.toml").exists()
    problem(
        ro.post("/api/contests", json={"contest_id": "no spaces", "rulebook": "labour-2016"}), 422
    )
    problem(ro.post("/api/contests", json={"rulebook": "labour-2016"}), 422)
    assert (
        ro.post(
            "/api/contests", json={"contest_id": CONTEST, "rulebook": "labour-2016"}
        ).status_code
        == 201
    )
    again = ro.post("/api/contests", json={"contest_id": CONTEST, "rulebook": "labour-2016"})
    assert "already exists" in problem(again, 409)["detail"]
    problem(ro.get("/api/contests/nope"), 404, "not-found")


def test_changes_need_the_csrf_token(ro: Api) -> None:
    refused = ro.client.post(
        "/api/contests", json={"contest_id": CONTEST, "rulebook": "labour-2016"}
    )
    assert "security token" in problem(refused, 403, "access-denied")["detail"]
    assert ro.get("/api/contests").json() == []


def test_observers_and_scrutineers_may_not_manage(app_client: tuple[Any, Any]) -> None:
    _, client = app_client
    for name in ("observer", "scrutineer"):
        api = sign_in(client, name)
        refused = api.post("/api/contests", json={"contest_id": CONTEST, "rulebook": "labour-2016"})
        assert "may not manage contests" in problem(refused, 403)["detail"]
        assert api.get("/api/contests").status_code == 200


def test_illegal_transitions_are_refused_with_the_rule(ro: Api) -> None:
    ro.post("/api/contests", json={"contest_id": CONTEST, "rulebook": "labour-2016"})
    refused = ro.post(f"/api/contests/{CONTEST}/actions", json={"action": "open the ballot"})
    body = problem(refused, 409, "illegal-transition")
    assert body["allowed"] == ["open nominations"]
    assert "lifecycle rule L3" in body["clause"]
    problem(ro.post(f"/api/contests/{CONTEST}/actions", json={"action": "dance"}), 422)
    problem(ro.post("/api/contests/nope/actions", json={"action": "count"}), 404)
    assert ro.get(f"/api/contests/{CONTEST}").json()["state"] == "draft"


def test_nominations_and_the_threshold(ro: Api) -> None:
    ro.post("/api/contests", json={"contest_id": CONTEST, "rulebook": "labour-2016"})
    early = ro.post(
        f"/api/contests/{CONTEST}/nominations", json={"name": "Owen Smith", "nominations": 172}
    )
    problem(early, 409)
    ro.post(f"/api/contests/{CONTEST}/actions", json={"action": "open nominations"})
    assert (
        ro.post(
            f"/api/contests/{CONTEST}/nominations", json={"name": "Owen Smith", "nominations": 172}
        ).status_code
        == 201
    )
    assert (
        ro.post(
            f"/api/contests/{CONTEST}/nominations", json={"name": "Angela Eagle", "nominations": 40}
        ).status_code
        == 201
    )
    problem(
        ro.post(f"/api/contests/{CONTEST}/nominations", json={"name": "X", "nominations": -1}), 422
    )
    problem(
        ro.post(f"/api/contests/{CONTEST}/nominations", json={"name": " ", "nominations": 1}), 422
    )
    threshold = ro.post(f"/api/contests/{CONTEST}/threshold", json=THRESHOLD).json()
    assert threshold["threshold"] == 51
    assert (
        threshold["arithmetic"]
        == "20% of 251 MPs and MEPs on 20 July 2016 = 50.2, rounded up (ceil) = 51"
    )
    assert threshold["clauses"] == "Chapter 4, Clause II.2.B.ii"
    words = {c["name"]: c["words"] for c in threshold["candidates"]}
    assert words == {
        "Owen Smith": "172 of 51 needed: threshold reached",
        "Angela Eagle": "40 of 51 needed: 11 more to reach it",
    }
    problem(
        ro.post(f"/api/contests/{CONTEST}/threshold", json={**THRESHOLD, "process": "nope"}), 422
    )
    problem(ro.post(f"/api/contests/{CONTEST}/threshold", json={**THRESHOLD, "body_size": 0}), 422)
    # One candidate standing is not enough to close: the issue is listed, nothing changes.
    ro.post(f"/api/contests/{CONTEST}/nominations", json={"name": "Owen Smith", "nominations": 50})
    refused = ro.post(f"/api/contests/{CONTEST}/close-nominations", json=THRESHOLD)
    assert "no candidate is validly nominated" in problem(refused, 409)["detail"]
    ro.post(f"/api/contests/{CONTEST}/nominations", json={"name": "Owen Smith", "nominations": 172})
    closed = ro.post(f"/api/contests/{CONTEST}/close-nominations", json=THRESHOLD).json()
    assert closed["state"] == "nominations_closed"
    status = {c["name"]: c["status"] for c in closed["candidates"]}
    assert status == {"Owen Smith": "standing", "Angela Eagle": "void"}


def test_roll_import_reports_and_refuses_bad_files(ro: Api) -> None:
    nominations_closed(ro)
    bad = ro.put(
        f"/api/contests/{CONTEST}/roll",
        content="member_id,voter_class,joined\nM1,member,yesterday\n",
    )
    body = problem(bad, 422)
    assert body["line"] == 2
    assert "expected a date" in body["detail"]
    assert ro.get(f"/api/contests/{CONTEST}").json()["electors"] == 0
    report = ro.put(
        f"/api/contests/{CONTEST}/roll", params={"on": "2016-08-08"}, content=ROLL
    ).json()
    assert report["read"] == 5
    assert report["eligible_by_class"] == {
        "member": 3,
        "registered_supporter": 1,
        "affiliated_supporter": 0,
    }
    assert [x["member_id"] for x in report["excluded"]] == ["M4"]
    assert report["excluded"][0]["clause"]


def test_credentials_are_exported_once(ro: Api) -> None:
    nominations_closed(ro)
    problem(ro.post(f"/api/contests/{CONTEST}/credentials"), 409)  # no roll yet
    ro.put(f"/api/contests/{CONTEST}/roll", params={"on": "2016-08-08"}, content=ROLL)
    issued = ro.post(f"/api/contests/{CONTEST}/credentials")
    assert issued.headers["cache-control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(issued.text)))
    assert [r["member_id"] for r in rows] == ["M1", "M2", "M3", "S1"]
    assert (
        "already exported"
        in problem(ro.post(f"/api/contests/{CONTEST}/credentials"), 409)["detail"]
    )
    replaced = ro.put(f"/api/contests/{CONTEST}/roll", content=ROLL)
    assert "after credentials were issued" in problem(replaced, 409)["detail"]


# -- casting ----------------------------------------------------------------------------------


def test_cast_a_ballot_and_get_a_receipt(ro: Api) -> None:
    codes = ballot_open(ro)
    client = ro.client
    assert client.get("/api/ballot").json()["contests"][0]["candidates"] == [
        "Jeremy Corbyn",
        "Owen Smith",
    ]
    cast = client.post(
        "/api/ballots", json={"credential": codes[0], "ranking": ["Owen Smith", "Jeremy Corbyn"]}
    )
    assert cast.status_code == 201
    assert cast.json()["contest"] == CONTEST
    assert len(cast.json()["tracker"]) == 19
    turnout = ro.get(f"/api/contests/{CONTEST}/turnout").json()
    assert turnout["voted"] == 1
    assert turnout["classes"][0] == {
        "voter_class": "member",
        "title": "Members",
        "electors": 3,
        "voted": 1,
        "percent": "33.3",
    }


def test_every_casting_refusal_stores_nothing(ro: Api) -> None:
    codes = ballot_open(ro)
    client = ro.client
    good = ["Jeremy Corbyn", "Owen Smith"]
    assert (
        client.post("/api/ballots", json={"credential": codes[0], "ranking": good}).status_code
        == 201
    )
    problem(
        client.post("/api/ballots", json={"credential": codes[0], "ranking": good}),
        409,
        "already-voted",
    )
    problem(
        client.post(
            "/api/ballots", json={"credential": "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ", "ranking": good}
        ),
        403,
        "bad-credential",
    )
    problem(
        client.post("/api/ballots", json={"credential": "not a code", "ranking": good}),
        403,
        "bad-credential",
    )
    problem(
        client.post("/api/ballots", json={"credential": codes[1], "ranking": ["Tony Blair"]}), 422
    )
    problem(
        client.post(
            "/api/ballots", json={"credential": codes[1], "ranking": ["Owen Smith", "Owen Smith"]}
        ),
        422,
    )
    problem(client.post("/api/ballots", json={"credential": codes[1], "ranking": []}), 422)
    problem(
        client.post("/api/ballots", json={"credential": codes[1], "ranking": "Owen Smith"}), 422
    )
    problem(client.post("/api/ballots", json={"credential": codes[1]}), 422)
    problem(
        client.post(
            "/api/ballots", json={"credential": codes[1], "ranking": good, "contest": "nope"}
        ),
        404,
    )
    problem(
        client.post(
            "/api/ballots",
            content=b"{" + b" " * 70_000 + b"}",
            headers={"content-type": "application/json"},
        ),
        413,
        "request-too-large",
    )
    assert ro.get(f"/api/contests/{CONTEST}/turnout").json()["voted"] == 1
    ro.post(f"/api/contests/{CONTEST}/actions", json={"action": "close the ballot"})
    problem(
        client.post("/api/ballots", json={"credential": codes[1], "ranking": good}), 409
    )  # no open ballot now: the code is right, the ballot closed
    closed = client.post(
        "/api/ballots", json={"credential": codes[1], "ranking": good, "contest": CONTEST}
    )
    problem(closed, 409, "ballot-closed")
    assert ro.get(f"/api/contests/{CONTEST}/turnout").json()["voted"] == 1


def test_failed_credentials_are_rate_limited_but_a_right_one_is_not(ro: Api) -> None:
    codes = ballot_open(ro)
    client = ro.client
    for _ in range(20):
        client.post(
            "/api/ballots",
            json={"credential": "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ", "ranking": ["Owen Smith"]},
        )
    limited = client.post(
        "/api/ballots", json={"credential": "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ", "ranking": ["Owen Smith"]}
    )
    problem(limited, 429, "too-many-attempts")
    cast = client.post("/api/ballots", json={"credential": codes[0], "ranking": ["Owen Smith"]})
    assert cast.status_code == 201, cast.text
    assert ro.get(f"/api/contests/{CONTEST}/turnout").json()["voted"] == 1


# -- paper, count, declare, results ------------------------------------------------------------


def test_paper_batches_counting_and_declaring(app_client: tuple[Any, Any], ro: Api) -> None:
    codes = ballot_open(ro)  # M1, M2, M3 and S1
    client = ro.client
    for code, ranking in (
        (codes[0], ["Jeremy Corbyn"]),
        (codes[3], ["Jeremy Corbyn", "Owen Smith"]),
    ):
        assert (
            client.post("/api/ballots", json={"credential": code, "ranking": ranking}).status_code
            == 201
        )
    batch = {
        "label": "Postal 1",
        "voter_class": "member",
        "ballots": [["Jeremy Corbyn", "Owen Smith"]],
        "spoilt": 1,
    }
    observer = sign_in(client, "observer")
    problem(observer.post(f"/api/contests/{CONTEST}/paper-batches", json=batch), 403)
    problem(observer.post(f"/api/contests/{CONTEST}/envelopes", json={"credentials": codes}), 403)
    scrutineer = sign_in(client, "scrutineer")
    papers = f"/api/contests/{CONTEST}/paper-batches"
    no_envelopes = problem(scrutineer.post(papers, json=batch), 422)
    assert (
        "paper batch 'Postal 1' (Members): 1 ballot and 1 spoilt is 2, more than the "
        in (no_envelopes["detail"])
    )
    envelopes = scrutineer.post(
        f"/api/contests/{CONTEST}/envelopes", json={"credentials": codes[:3]}
    )
    assert envelopes.status_code == 200
    assert envelopes.json()["accepted"] == 2
    assert envelopes.json()["refused"] == [
        "envelope 1: this credential has already been used to vote"
    ]
    problem(scrutineer.post(papers, json={**batch, "voter_class": "nope"}), 422)
    problem(scrutineer.post(papers, json={**batch, "ballots": [["Tony Blair"]]}), 422)
    for huge in (10**15, 10**20):
        problem(scrutineer.post(papers, json={**batch, "spoilt": huge}), 422)
    entered = scrutineer.post(papers, json=batch)
    assert entered.status_code == 201
    assert entered.json()["ballots"] == 1
    again = problem(scrutineer.post(papers, json={**batch, "spoilt": 0}), 422)
    assert again["detail"].startswith("a paper batch labelled 'Postal 1' was already entered on ")
    ro = sign_in(client, "ro")
    problem(ro.post(f"/api/contests/{CONTEST}/actions", json={"action": "count"}), 409)
    ro.post(f"/api/contests/{CONTEST}/actions", json={"action": "close the ballot"})
    problem(ro.post(f"/api/contests/{CONTEST}/actions", json={"action": "declare"}), 409)
    assert (
        ro.post(f"/api/contests/{CONTEST}/actions", json={"action": "count"}).json()["state"]
        == "counted"
    )
    problem(client.get(f"/api/results/{CONTEST}"), 404)  # nothing published before the declaration
    assert (
        ro.post(f"/api/contests/{CONTEST}/actions", json={"action": "declare"}).json()["state"]
        == "declared"
    )
    results = client.get("/api/results").json()
    assert results[0]["elected"] == ["Jeremy Corbyn"]
    assert client.get(f"/api/results/{CONTEST}").json()["elected"] == ["Jeremy Corbyn"]
    cvr = client.get(f"/api/results/{CONTEST}/files/cvr.csv").text
    assert cvr.count("\n") == 1 + 3  # header, two online ballots and one on paper
    declaration = client.get(f"/api/results/{CONTEST}/files/declaration.json").json()
    assert declaration["declaration"]["ballots"]["spoilt"] == 1
    problem(ro.post(f"/api/contests/{CONTEST}/paper-batches", json=batch), 409)


def test_a_receipt_tracker_is_found_in_the_published_records(ro: Api) -> None:
    codes = ballot_open(ro)
    client = ro.client
    receipt = client.post(
        "/api/ballots", json={"credential": codes[0], "ranking": ["Jeremy Corbyn", "Owen Smith"]}
    ).json()
    client.post("/api/ballots", json={"credential": codes[1], "ranking": ["Owen Smith"]})
    client.post("/api/ballots", json={"credential": codes[2], "ranking": ["Jeremy Corbyn"]})
    for action in ("close the ballot", "count"):
        ro.post(f"/api/contests/{CONTEST}/actions", json={"action": action})
    ro.post(f"/api/contests/{CONTEST}/actions", json={"action": "declare"})
    lower = receipt["tracker"].lower().replace("-", "")
    posted = client.post(f"/api/results/{CONTEST}/trackers", json={"tracker": lower})
    assert posted.json() == {"contest": CONTEST, "tracker": receipt["tracker"], "included": True}
    # the documented GET route still answers, and only whether the ballot is counted
    found = client.get(f"/api/results/{CONTEST}/trackers/{receipt['tracker']}").json()
    assert found == {"contest": CONTEST, "tracker": receipt["tracker"], "included": True}


def test_openapi_lists_every_endpoint(app_client: tuple[Any, Any]) -> None:
    _, client = app_client
    paths = client.get("/api/openapi.json").json()["paths"]
    assert set(paths) == {
        "/api/session",
        "/api/ballots",
        "/api/ballot",
        "/api/contests",
        "/api/contests/{contest_id}",
        "/api/contests/{contest_id}/actions",
        "/api/contests/{contest_id}/nominations",
        "/api/contests/{contest_id}/threshold",
        "/api/contests/{contest_id}/close-nominations",
        "/api/contests/{contest_id}/roll",
        "/api/contests/{contest_id}/credentials",
        "/api/contests/{contest_id}/credentials/{member_id}",
        "/api/contests/{contest_id}/withdrawals",
        "/api/contests/{contest_id}/turnout",
        "/api/contests/{contest_id}/paper-batches",
        "/api/contests/{contest_id}/envelopes",
        "/api/results",
        "/api/results/{contest}",
        "/api/results/{contest}/trackers",
        "/api/results/{contest}/trackers/{tracker}",
        "/api/results/{contest}/files/{name}",
    }
    assert set(paths["/api/session"]) == {"get", "post", "delete"}


def test_withdrawals_while_nominations_are_open(ro: Api) -> None:
    ro.post("/api/contests", json={"contest_id": CONTEST, "rulebook": "labour-2016"})
    ro.post(f"/api/contests/{CONTEST}/actions", json={"action": "open nominations"})
    ro.post(
        f"/api/contests/{CONTEST}/nominations", json={"name": "Angela Eagle", "nominations": 72}
    )
    withdrawn = ro.post(f"/api/contests/{CONTEST}/withdrawals", json={"name": "Angela Eagle"})
    assert withdrawn.json()["candidates"][0]["status"] == "withdrawn"
    problem(ro.post(f"/api/contests/{CONTEST}/withdrawals", json={"name": "Nobody"}), 404)


def test_a_reissued_credential_replaces_the_old_one(ro: Api) -> None:
    codes = ballot_open(ro)
    client = ro.client
    fresh = ro.post(f"/api/contests/{CONTEST}/credentials/M1").json()
    assert fresh["member_id"] == "M1"
    assert fresh["credential"] != codes[0]
    old = client.post("/api/ballots", json={"credential": codes[0], "ranking": ["Owen Smith"]})
    problem(old, 403, "bad-credential")
    new = client.post(
        "/api/ballots", json={"credential": fresh["credential"], "ranking": ["Owen Smith"]}
    )
    assert new.status_code == 201
    problem(ro.post(f"/api/contests/{CONTEST}/credentials/M1"), 409)  # has voted now
    problem(ro.post(f"/api/contests/{CONTEST}/credentials/NOBODY"), 404)


def test_uploads_have_a_larger_size_limit_than_other_requests(ro: Api) -> None:
    nominations_closed(ro)
    rows = "".join(f"X{n:06d},member,2015-01-01,Person number {n}\n" for n in range(3000))
    roll = "member_id,voter_class,joined,name\n" + rows
    assert len(roll.encode()) > 64 * 1024
    report = ro.put(f"/api/contests/{CONTEST}/roll", params={"on": "2016-08-08"}, content=roll)
    assert report.status_code == 200
    assert report.json()["eligible"] == 3000
    too_big = ro.post(f"/api/contests/{CONTEST}/nominations", content=b"x" * (64 * 1024 + 1))
    assert problem(too_big, 413)["limit"] == 64 * 1024


RULEBOOK_PATHS = [
    str(SHIPPED / "labour-2016.toml"),  # a real rulebook on the server's disk
    "/etc/passwd",
    "../../etc/hostname",
]


def test_a_path_is_not_a_rulebook(ro: Api) -> None:
    """A rulebook is a shipped name or an upload: a path on the server is refused unread."""
    for path in RULEBOOK_PATHS:
        refused = problem(ro.post("/api/contests", json={"contest_id": "c", "rulebook": path}), 404)
        assert "no shipped rulebook named" in refused["detail"]
        assert "upload" in refused["detail"]
    assert ro.get("/api/contests").json() == []
