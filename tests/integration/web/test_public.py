"""Public result pages over a real published folder: the 2010 Labour MPs' and MEPs' ballots.

The folder is published the way a contest publishes it: the real ballots are cast through the
contest service (one elector each), counted by the labour-2016 rulebook's IRV and declared,
so the records are signed with the key the store holds for the contest. David Miliband
(D.Milbnd) wins this section 140 to 122 in the final round (see ../shared/data/README.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mandate.ballots.formats import read_ballots
from mandate.config import Settings
from mandate.service import open_service
from mandate.service.results import count_contest, declare_contest
from tests.integration.contests.conftest import write_roll
from tests.support.keys import keyed_settings, new_signer
from tests.support.web import Server, axe_violations

CONTEST = "labour-2010-plp"
TITLE = "Labour leader 2010: MPs and MEPs"


@dataclass(frozen=True, slots=True, kw_only=True)
class Published:
    """A published folder, the trackers of its ballots in casting order, and their rankings."""

    folder: Path
    trackers: tuple[str, ...]
    rankings: tuple[tuple[str, ...], ...]


def publish_labour_2010(shared_data: Path, settings: Settings) -> Published:
    """Cast the real 2010 PLP ballots in a contest, count and declare it."""
    profile = read_ballots(shared_data / "preflib" / "uk-labour-2010-mps.soi")
    rankings = [
        tuple(profile.name_of(next(iter(rank))) for rank in ballot.ranking)
        for ballot in profile.ballots
        for _ in range(ballot.count)
    ]
    work = settings.data_dir / "work"
    work.mkdir(parents=True, exist_ok=True)
    service = open_service(settings, signer=new_signer())
    try:
        service.create_contest(contest_id=CONTEST, rulebook_ref="labour-2016", title=TITLE)
        service.open_nominations(CONTEST)
        for candidate in profile.candidates:
            service.nominate(CONTEST, candidate.name, automatic="nominated by the PLP")
        service.close_nominations(CONTEST, threshold=1, basis="a test of the public pages")
        roll = [(f"M{n}", "member", "2010-05-01", "no") for n in range(len(rankings))]
        service.import_roll(CONTEST, [write_roll(work / "roll.csv", roll)], on=dt.date(2016, 8, 8))
        service.issue_credentials(CONTEST, work / "credentials.csv")
        service.open_ballot(CONTEST)
        with (work / "credentials.csv").open(encoding="utf-8", newline="") as handle:
            codes = [row["credential"] for row in csv.DictReader(handle)]
        trackers = tuple(
            service.cast(code, list(ranking)).tracker
            for code, ranking in zip(codes, rankings, strict=True)
        )
        service.close_ballot(CONTEST)
        count_contest(service, CONTEST)
        folder = declare_contest(service, CONTEST, settings.published_dir)
    finally:
        service.close()
    return Published(folder=folder, trackers=trackers, rankings=tuple(rankings))


@pytest.fixture
def published(shared_data: Path, settings: Settings) -> Published:
    return publish_labour_2010(shared_data, settings)


def test_results_index_lists_declared_contests(client: Any, published: Published) -> None:
    page = client.get("/results")
    assert page.status_code == 200
    assert f'href="/results/{CONTEST}"' in page.text
    assert "D.Milbnd" in page.text
    api = client.get("/api/results").json()
    assert api == [
        {
            "contest": CONTEST,
            "title": TITLE,
            "method": "irv",
            "elected": ["D.Milbnd"],
            "verified": True,
        }
    ]


def test_result_page_shows_winner_rounds_and_chart(client: Any, published: Published) -> None:
    page = client.get(f"/results/{CONTEST}")
    assert page.status_code == 200
    html = page.text
    assert "Elected: D.Milbnd" in html
    assert "<svg" in html  # the Sankey chart, inlined: no script needed to read it
    assert '<th scope="col" class="num">Round 1</th>' in html
    assert ">111<" in html  # D. Miliband's first preferences (official)
    assert "140 (elected)" in html  # and final round
    assert ">122<" in html  # E. Miliband's final round
    for name in ("result.json", "cvr.json", "cvr.csv", "trackers.txt"):
        assert f"/results/{CONTEST}/files/{name}" in html


def test_published_records_download_unchanged(client: Any, published: Published) -> None:
    for name in ("result.json", "cvr.json", "cvr.csv", "trackers.txt", "declaration.json"):
        response = client.get(f"/results/{CONTEST}/files/{name}")
        assert response.status_code == 200
        assert response.content == (published.folder / name).read_bytes()
        assert "attachment" in response.headers["content-disposition"]
    api = client.get(f"/api/results/{CONTEST}/files/cvr.csv")
    assert api.content == (published.folder / "cvr.csv").read_bytes()
    assert client.get(f"/api/results/{CONTEST}").json()["elected"] == ["D.Milbnd"]


def test_unpublished_files_and_contests_are_not_found(client: Any, published: Published) -> None:
    assert client.get(f"/results/{CONTEST}/files/secret.key").status_code == 404
    assert client.get("/results/no-such-contest").status_code == 404
    traversal = client.get(f"/api/results/{CONTEST}/files/..%2F..%2Fmandate.sqlite3")
    assert traversal.status_code == 404
    problem = client.get("/api/results/no-such-contest").json()
    assert problem["status"] == 404
    assert "no-such-contest" in problem["detail"]


def _post_lookup(client: Any, tracker: str) -> Any:
    return client.post(f"/results/{CONTEST}/tracker", data={"tracker": tracker})


def test_tracker_lookup_confirms_a_counted_ballot_and_shows_no_ranking(
    client: Any, published: Published
) -> None:
    """Issue 10, item 8: the look-up answers only whether the ballot is in the count."""
    tracker = published.trackers[0]
    page = _post_lookup(client, tracker)
    assert page.status_code == 200
    assert "Included." in page.text
    assert "rank 1" not in page.text
    for name in published.rankings[0]:
        assert name not in page.text.split("What this shows")[0].split("</h1>", 1)[1]
    api = client.post(f"/api/results/{CONTEST}/trackers", json={"tracker": tracker})
    assert api.json() == {"contest": CONTEST, "tracker": tracker, "included": True}
    old_route = client.get(f"/api/results/{CONTEST}/trackers/{tracker}").json()
    assert old_route == {"contest": CONTEST, "tracker": tracker, "included": True}


def test_tracker_lookup_forgives_case_spaces_and_dashes(client: Any, published: Published) -> None:
    """Issue 10, item 17: typed as a voting code may be, the tracker is still found."""
    tracker = published.trackers[3]
    for typed in (tracker.lower(), tracker.replace("-", ""), " " + tracker.replace("-", " ")):
        assert "Included." in _post_lookup(client, typed).text
        answer = client.post(f"/api/results/{CONTEST}/trackers", json={"tracker": typed}).json()
        assert answer["included"] is True
        assert answer["tracker"] == tracker


def test_a_tracker_in_the_address_is_not_looked_up(client: Any, published: Published) -> None:
    """Issue 10, item 23: the page form posts; a tracker put in the address is ignored, so
    look-ups need not reach access logs beside the client's address."""
    form = client.get(f"/results/{CONTEST}")
    assert f'<form method="post" action="/results/{CONTEST}/tracker">' in form.text
    tracker = published.trackers[0]
    page = client.get(f"/results/{CONTEST}/tracker", params={"tracker": tracker})
    assert page.status_code == 200
    assert "Included." not in page.text
    assert tracker not in page.text


def test_tracker_lookup_says_when_a_ballot_is_not_there(client: Any, published: Published) -> None:
    absent = "0000-0000-0000-0000"
    assert absent not in published.trackers
    assert "Not found." in _post_lookup(client, absent).text
    api = client.post(f"/api/results/{CONTEST}/trackers", json={"tracker": absent}).json()
    assert api == {"contest": CONTEST, "tracker": absent, "included": False}


def test_tracker_lookup_refuses_what_cannot_be_a_tracker(client: Any, published: Published) -> None:
    page = _post_lookup(client, "<script>")
    assert page.status_code == 422
    assert "&lt;script&gt;" in page.text
    api = client.get(f"/api/results/{CONTEST}/trackers/a%20b")
    assert api.status_code == 422
    assert api.headers["content-type"] == "application/problem+json"


def test_the_published_record_links_no_tracker_to_a_ranking(published: Published) -> None:
    """Issue 10, item 8: no tracker anywhere in the CVRs, and the CVRs' order depends only on
    what the ballots say (sorted), not on who cast them or when."""
    folder = published.folder
    cvr_text = (folder / "cvr.json").read_text(encoding="utf-8")
    for tracker in published.trackers:
        assert tracker not in cvr_text
        assert tracker.replace("-", "") not in cvr_text
    assert tracker not in (folder / "cvr.csv").read_text(encoding="utf-8")
    records = json.loads(cvr_text)["CVR"]
    assert all("UniqueId" not in record for record in records)
    ballots = len(published.trackers)
    assert [r["BallotPrePrintedId"] for r in records] == [str(n) for n in range(1, ballots + 1)]
    listed = (folder / "trackers.txt").read_text(encoding="utf-8").splitlines()
    assert listed == sorted(published.trackers)
    with (folder / "cvr.csv").open(encoding="utf-8", newline="") as handle:
        rows = [tuple(cell for cell in row[1:] if cell) for row in list(csv.reader(handle))[1:]]
    assert sorted(rows) == sorted(published.rankings)
    assert rows == sorted(rows)  # in the order of what they say, not of casting
    assert rows != list(published.rankings)
    declaration = json.loads((folder / "declaration.json").read_text())["declaration"]
    assert declaration["ballots"]["online"] == len(listed) == ballots


def _declaration(published: Published) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((published.folder / "declaration.json").read_text())
    return data


def test_an_edited_result_is_refused_by_the_page_and_the_api(
    client: Any, published: Published
) -> None:
    """Issue 10, item 24: result.json edited to elect the runner-up is not shown."""
    assert client.get(f"/api/results/{CONTEST}").json()["elected"] == ["D.Milbnd"]
    path = published.folder / "result.json"
    path.write_text(
        path.read_text().replace('"elected": [\n    "D.Milbnd"', '"elected": [\n    "E.Milbnd"')
    )
    assert '"E.Milbnd"' in path.read_text()
    page = client.get(f"/results/{CONTEST}")
    assert page.status_code == 500
    assert "failed verification" in page.text
    assert "result.json: changed since the declaration" in page.text
    assert "E.Milbnd" not in page.text
    assert str(published.folder) not in page.text
    api = client.get(f"/api/results/{CONTEST}")
    assert api.status_code == 500
    assert api.headers["content-type"] == "application/problem+json"
    assert api.json()["type"].endswith("/record-failed-verification")
    assert "failed verification" in api.json()["detail"]
    assert client.get(f"/api/results/{CONTEST}/files/result.json").status_code == 500
    index = client.get("/api/results").json()
    assert index == [
        {"contest": CONTEST, "title": CONTEST, "method": "", "elected": [], "verified": False}
    ]
    assert "failed verification" in client.get("/results").text


def test_a_record_re_signed_with_another_key_is_refused(client: Any, published: Published) -> None:
    """Issue 10, item 24: the page trusts the key the store holds, not the one in the file."""
    from mandate.crypto import public_key_hex, sign_document

    signed = _declaration(published)
    body = signed["declaration"]
    body["elected"] = ["E.Milbnd"]
    forger = bytes(range(32))
    body["public_key"] = public_key_hex(forger)
    signed["signature"]["value"] = sign_document(forger, body)
    (published.folder / "declaration.json").write_text(json.dumps(signed))
    page = client.get(f"/results/{CONTEST}")
    assert page.status_code == 500
    assert "not the announced" in page.text


def test_the_result_page_shows_the_key_fingerprint(client: Any, published: Published) -> None:
    from mandate.crypto import key_fingerprint

    key = _declaration(published)["declaration"]["public_key"]
    page = client.get(f"/results/{CONTEST}")
    assert key_fingerprint(key) in page.text
    assert key in page.text


@pytest.mark.browser
def test_result_page_in_chromium(
    page: Any, server: Server, shared_data: Path, screenshots: Path
) -> None:
    published = publish_labour_2010(shared_data, keyed_settings(server.data_dir))
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"/results/{CONTEST}")
    assert page.locator("#winner").inner_text() == "Elected: D.Milbnd"
    assert page.locator("figure.chart svg").count() == 1
    assert axe_violations(page) == []
    page.screenshot(path=str(screenshots / "public-result.png"), full_page=True)
    page.fill("#tracker", published.trackers[5].lower())
    page.click("text=Look it up")
    assert "Included." in page.locator("#tracker-result").inner_text()
    assert "tracker=" not in page.url
    assert axe_violations(page) == []
    page.screenshot(path=str(screenshots / "public-tracker.png"), full_page=True)
    assert errors == []
