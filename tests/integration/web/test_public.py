"""Public result pages over a real published folder: the 2010 Labour MPs' and MEPs' ballots.

The folder is written the way a declaration publishes it (the counting engine's result JSON,
the CDF cast-vote records with trackers, our CSV), from real ballots counted by IRV: David
Miliband (D.Milbnd) wins this section 140 to 122 in the final round (see ../shared/data/README.md).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mandate.ballots.formats import read_ballots
from mandate.ballots.formats.cdf import write_cdf
from mandate.ballots.formats.csv import write_csv
from mandate.config import Settings
from mandate.counting.registry import CountSpec, Method, count
from mandate.counting.report import result_to_json
from tests.support.web import Server, axe_violations

CONTEST = "labour-2010-plp"


@dataclass(frozen=True, slots=True, kw_only=True)
class Published:
    """A published folder and the trackers of its ballots, in order."""

    folder: Path
    trackers: tuple[str, ...]


def publish_labour_2010(shared_data: Path, data_dir: Path) -> Published:
    """Count the real 2010 PLP ballots and publish them as a declared contest would."""
    profile = read_ballots(shared_data / "preflib" / "uk-labour-2010-mps.soi")
    result = count(profile, CountSpec(method=Method.IRV))
    trackers = tuple(secrets.token_hex(8).upper() for _ in range(profile.total))
    folder = data_dir / "published" / CONTEST
    folder.mkdir(parents=True)
    (folder / "result.json").write_text(json.dumps(result_to_json(result)), encoding="utf-8")
    cvr = write_cdf(profile, contest_name="Labour leader 2010: MPs and MEPs", trackers=trackers)
    (folder / "cvr.json").write_text(json.dumps(cvr), encoding="utf-8")
    (folder / "cvr.csv").write_text(write_csv(profile), encoding="utf-8")
    return Published(folder=folder, trackers=trackers)


@pytest.fixture
def published(shared_data: Path, settings: Settings) -> Published:
    return publish_labour_2010(shared_data, settings.data_dir)


def test_results_index_lists_declared_contests(client: Any, published: Published) -> None:
    page = client.get("/results")
    assert page.status_code == 200
    assert f'href="/results/{CONTEST}"' in page.text
    assert "D.Milbnd" in page.text
    api = client.get("/api/results").json()
    assert api == [
        {
            "contest": CONTEST,
            "title": CONTEST,
            "method": "irv",
            "elected": ["D.Milbnd"],
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
    for name in ("result.json", "cvr.json", "cvr.csv"):
        assert f"/results/{CONTEST}/files/{name}" in html


def test_published_records_download_unchanged(client: Any, published: Published) -> None:
    for name in ("result.json", "cvr.json", "cvr.csv"):
        response = client.get(f"/results/{CONTEST}/files/{name}")
        assert response.status_code == 200
        assert response.content == (published.folder / name).read_bytes()
        assert "attachment" in response.headers["content-disposition"]
    api = client.get(f"/api/results/{CONTEST}/files/cvr.csv")
    assert api.content == (published.folder / "cvr.csv").read_bytes()
    assert client.get(f"/api/results/{CONTEST}").json()["elected"] == ["D.Milbnd"]


def test_unpublished_files_and_contests_are_not_found(client: Any, published: Published) -> None:
    assert client.get(f"/results/{CONTEST}/files/declaration.json").status_code == 404
    assert client.get(f"/results/{CONTEST}/files/secret.key").status_code == 404
    assert client.get("/results/no-such-contest").status_code == 404
    traversal = client.get(f"/api/results/{CONTEST}/files/..%2F..%2Fmandate.sqlite3")
    assert traversal.status_code == 404
    problem = client.get("/api/results/no-such-contest").json()
    assert problem["status"] == 404
    assert "no-such-contest" in problem["detail"]


def test_tracker_lookup_confirms_a_published_ballot(client: Any, published: Published) -> None:
    tracker = published.trackers[0]
    page = client.get(f"/results/{CONTEST}/tracker", params={"tracker": tracker})
    assert page.status_code == 200
    assert "Included." in page.text
    assert "rank 1: " in page.text
    api = client.get(f"/api/results/{CONTEST}/trackers/{tracker}").json()
    assert api["included"] is True
    assert api["ranking"][0].startswith("rank 1: ")


def test_tracker_lookup_says_when_a_ballot_is_not_there(client: Any, published: Published) -> None:
    page = client.get(f"/results/{CONTEST}/tracker", params={"tracker": "NOPE-0000"})
    assert "Not found." in page.text
    api = client.get(f"/api/results/{CONTEST}/trackers/NOPE-0000").json()
    assert api == {"contest": CONTEST, "tracker": "NOPE-0000", "included": False, "ranking": []}


def test_tracker_lookup_refuses_what_cannot_be_a_tracker(client: Any, published: Published) -> None:
    page = client.get(f"/results/{CONTEST}/tracker", params={"tracker": "<script>"})
    assert page.status_code == 422
    assert "&lt;script&gt;" in page.text
    api = client.get(f"/api/results/{CONTEST}/trackers/a%20b")
    assert api.status_code == 422
    assert api.headers["content-type"] == "application/problem+json"


@pytest.mark.browser
def test_result_page_in_chromium(
    page: Any, server: Server, shared_data: Path, screenshots: Path
) -> None:
    published = publish_labour_2010(shared_data, server.data_dir)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"/results/{CONTEST}")
    assert page.locator("#winner").inner_text() == "Elected: D.Milbnd"
    assert page.locator("figure.chart svg").count() == 1
    assert axe_violations(page) == []
    page.screenshot(path=str(screenshots / "public-result.png"), full_page=True)
    page.fill("#tracker", published.trackers[5])
    page.click("text=Look it up")
    assert "Included." in page.locator("#tracker-result").inner_text()
    page.screenshot(path=str(screenshots / "public-tracker.png"), full_page=True)
    assert errors == []
