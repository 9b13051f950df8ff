"""The public result page of a declared STV contest, in Chromium (issue 10, item 14).

A society elects two committee members of seven candidates by ERS97 STV from 1,300 postal
ballots (envelopes
recorded with ``mandate paper envelopes``, papers entered as one batch). Ann passes the quota
at once; Bob is elected at the end with fewer votes than the quota, because the seats left
equalled the candidates left. The page says that; shows each figure with thousands separators
and its share of the valid vote; first preferences as whole votes; the overall turnout, the
time of the declaration and the signing key. On a 375-pixel phone the tables and the chart
scroll inside their own frames while the page itself does not overflow.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import mandate.rules.shipped
from mandate.crypto import key_fingerprint
from tests.support.keys import server_secret
from tests.support.web import PROJECT_ROOT, Http, Server, add_official, assert_accessible

CONTEST = "committee-2026"
BASE = f"/api/contests/{CONTEST}"
SHIPPED = Path(mandate.rules.shipped.__file__).parent
PAPERS = (
    [["Ann"]] * 650
    + [["Bob"]] * 250
    + [["Cat"]] * 150
    + [["Dan", "Bob"]] * 110
    + [["Eve", "Dan"]] * 80
    + [["Fay", "Eve"]] * 40
    + [["Gus", "Fay"]] * 20
)
ELECTORS = len(PAPERS) + 100  # 1,400 on the roll, 1,300 returned: turnout 92.9%


def committee_rulebook() -> str:
    """The shipped society rulebook, its committee ballot (two seats, ERS97) the principal."""
    text = (SHIPPED / "society.toml").read_text(encoding="utf-8")
    text = text.replace('principal_ballot = "chair"', 'principal_ballot = "committee"')
    return text.replace('stv_rules = "ers97"\nseats = 5', 'stv_rules = "ers97"\nseats = 2')


def declare(api: Http, server: Server) -> None:
    """The committee contest from creation to declaration, every paper by post."""
    api.sign_in("ro")
    api.call(
        "POST", "/api/contests", {"contest_id": CONTEST, "rulebook_text": committee_rulebook()}
    )
    api.call("POST", f"{BASE}/actions", {"action": "open nominations"})
    for name in ("Ann", "Bob", "Cat", "Dan", "Eve", "Fay", "Gus"):
        api.call("POST", f"{BASE}/nominations", {"name": name, "nominations": 2})
    api.call(
        "POST",
        f"{BASE}/close-nominations",
        {"process": "committee_election", "body_size": ELECTORS, "on": "2026-03-01"},
    )
    roll = "member_id,voter_class,joined\n" + "".join(
        f"H{n},honorary_member,2020-01-01\n" for n in range(ELECTORS)
    )
    api.call("PUT", f"{BASE}/roll?on=2026-03-01", raw=roll.encode())
    issued = api.call("POST", f"{BASE}/credentials").decode()
    codes = [row["credential"] for row in csv.DictReader(io.StringIO(issued))]
    api.call("POST", f"{BASE}/actions", {"action": "open the ballot"})
    envelopes = server.data_dir / "envelopes.txt"
    envelopes.write_text("\n".join(codes[: len(PAPERS)]) + "\n", encoding="utf-8")
    subprocess.run(
        [
            *(sys.executable, "-m", "mandate", "paper", "envelopes", CONTEST, str(envelopes)),
            *("--data-dir", str(server.data_dir)),
        ],
        check=True,
        capture_output=True,
        env={
            "PYTHONPATH": str(PROJECT_ROOT / "src"),
            "PATH": "/usr/bin:/bin",
            "MANDATE_SECRET_FILE": str(server_secret(server.data_dir)),
        },
    )
    batch = {"label": "Postal", "voter_class": "honorary_member", "ballots": PAPERS}
    api.call("POST", f"{BASE}/paper-batches", batch)
    for action in ("close the ballot", "count", "declare"):
        api.call("POST", f"{BASE}/actions", {"action": action})


@pytest.mark.browser
def test_the_result_page_says_everything_and_fits_a_phone(
    browser: Any, server: Server, screenshots: Path
) -> None:
    add_official(server, "ro", "returning-officer")
    api = Http(server.url)
    declare(api, server)
    published = f"/api/results/{CONTEST}/files/declaration.json"
    declaration = json.loads(api.call("GET", published))["declaration"]

    context = browser.new_context(base_url=server.url, viewport={"width": 375, "height": 812})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"/results/{CONTEST}")
    assert page.locator("#winner").inner_text() == "Elected: Ann, Bob"

    facts = page.locator("dl.facts").first.inner_text()
    assert "1,300" in facts  # valid ballots
    assert "1,400" in facts  # electorate
    assert "92.9%" in facts  # overall turnout
    assert declaration["declared_at"] in page.locator("#declared-at").inner_text()
    key = page.locator("#signing-key").inner_text()
    assert declaration["public_key"] in key
    fingerprint = key_fingerprint(declaration["public_key"])
    assert fingerprint in page.locator("#key-fingerprint").inner_text()  # at the top

    # first preferences: whole votes, thousands separated, with their share of the valid vote
    first = {
        row.locator("th").inner_text(): row.locator("td").first.inner_text()
        for row in page.locator("table.rounds tbody tr").all()
    }
    assert first["Ann"].split()[0] == "650"
    assert "50.0%" in first["Ann"]
    assert first["Bob"].split()[0] == "250"
    assert "19.2%" in first["Bob"]
    assert ".0" not in first["Cat"].split()[0]
    assert "share of the 1,300 valid votes" in page.locator("#rounds-about").inner_text()

    # Bob is elected below the quota, and the page says why
    note = page.locator("#below-quota").inner_text()
    assert "Bob" in note
    assert "quota" in note
    assert "Ann" not in note

    # on a phone: the tables and the chart scroll inside their frames; the page does not
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for frame in ("#rounds-table", "figure.chart"):
        box = page.locator(frame)
        assert box.evaluate("e => e.scrollWidth > e.clientWidth"), frame
        assert box.evaluate("e => getComputedStyle(e).overflowX") in ("auto", "scroll")
        before = box.evaluate("e => e.scrollLeft")
        box.evaluate("e => e.scrollBy(200, 0)")
        assert box.evaluate("e => e.scrollLeft") > before, frame
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.evaluate("window.scrollX") == 0
    assert_accessible(page)
    page.screenshot(path=str(screenshots / "public-result-phone.png"), full_page=True)
    context.close()
