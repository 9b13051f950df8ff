"""What the contest page says to a returning officer, in Chromium (issue 10, item 17).

A roll file refused names the file as uploaded, never the server's temporary path; the roll
report names each class as the rulebook does, not by its id; counts of one are singular ("1
nomination", "1 ballot"); and re-issuing a code for someone not on the roll says so beside
the member id, not "Check the address".
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.web import (
    Http,
    Server,
    add_official,
    assert_accessible,
    new_page,
    sign_in_official,
)

CONTEST = "leader-2016"
BASE = f"/api/contests/{CONTEST}"
ROLL = """member_id,voter_class,joined
M1,member,2015-01-01
M2,member,2016-08-01
S1,registered_supporter,2016-07-19
"""


@pytest.mark.browser
def test_the_contest_page_speaks_plainly(browser: Any, server: Server, tmp_path: Path) -> None:
    add_official(server, "ro", "returning-officer")
    api = Http(server.url)
    api.sign_in("ro")
    api.call("POST", "/api/contests", {"contest_id": CONTEST, "rulebook": "labour-2016"})
    api.call("POST", f"{BASE}/actions", {"action": "open nominations"})

    context, page = new_page(browser, server, width=1000)
    sign_in_official(page)
    page.goto(f"/official/contests/{CONTEST}")

    # one nomination is "1 nomination"
    page.fill("#name", "Owen Smith")
    page.fill("#nomination-count", "1")
    page.click("button:has-text('Record nomination')")
    page.wait_for_selector("#nomination-progress")
    assert page.locator("#nomination-progress .muted").all_inner_texts() == ["1 nomination"]

    # a bad roll file is named as the officer knows it
    bad = tmp_path / "members-2016.csv"
    bad.write_text(ROLL.replace("2016-07-19", "19/07/2016"), encoding="utf-8")
    page.set_input_files("#roll-file", str(bad))
    page.fill("#roll-on", "2016-08-08")
    page.click("button:has-text('Import roll')")
    page.wait_for_selector("#roll-file-error")
    said = page.locator("#roll-file-error").inner_text()
    assert "members-2016.csv, line 4: column 'joined'" in said
    assert "mandate-roll-" not in page.content()
    assert "/tmp" not in page.content()
    # said beside the file field, on the contest page, with the date as typed
    assert page.locator("#roll-file").get_attribute("aria-invalid") == "true"
    described = page.locator("#roll-file").get_attribute("aria-describedby") or ""
    assert described.split() == ["roll-hint", "roll-file-error"]
    assert page.input_value("#roll-on") == "2016-08-08"
    assert page.locator("main").inner_text().count("0 electors on the roll") == 1
    assert_accessible(page)

    # the roll report names the classes
    page.goto(f"/official/contests/{CONTEST}")
    good = tmp_path / "members-2016.csv"
    good.write_text(ROLL, encoding="utf-8")
    page.set_input_files("#roll-file", str(good))
    page.fill("#roll-on", "2016-08-08")
    page.click("button:has-text('Import roll')")
    page.wait_for_selector("#roll-report")
    report = page.locator("#roll-report").inner_text()
    assert "Members: 1 elector" in report
    assert "Registered supporters: 1 elector" in report
    assert "member:" not in report
    assert "3 rows read, 2 eligible, 1 excluded" in report
    page.goto(f"/official/contests/{CONTEST}")
    assert "2 electors on the roll." in page.locator("main").inner_text()
    excluded = page.locator("details li").all_text_contents()
    assert len(excluded) == 1
    assert excluded[0].startswith("M2 (Members): ")

    # the ballot opens; one paper ballot is "1 ballot"
    api.call("POST", f"{BASE}/nominations", {"name": "Jeremy Corbyn", "automatic": "incumbent"})
    api.call("POST", f"{BASE}/nominations", {"name": "Owen Smith", "nominations": 172})
    api.call(
        "POST",
        f"{BASE}/close-nominations",
        {"process": "challenge", "body_size": 251, "on": "2016-07-20"},
    )
    codes = api.call("POST", f"{BASE}/credentials").decode("utf-8")
    api.call("POST", f"{BASE}/actions", {"action": "open the ballot"})
    member = next(
        r["credential"] for r in csv.DictReader(io.StringIO(codes)) if r["voter_class"] == "member"
    )
    api.call("POST", f"{BASE}/envelopes", {"credentials": [member]})  # the paper's envelope
    batch = {"label": "Box 1", "voter_class": "member", "ballots": [["Owen Smith"]]}
    api.call("POST", f"{BASE}/paper-batches", batch)
    page.goto(f"/official/contests/{CONTEST}")
    listed = page.locator("#paper-batches li").all_inner_texts()
    assert listed == ["Box 1 (Members): 1 ballot, 0 spoilt, entered by ro"]

    # re-issuing for someone not on the roll says so, beside the member id
    page.fill("#reissue-member", "M99")
    page.click("button:has-text('Re-issue voting code')")
    page.wait_for_selector("#reissue-member-error")
    said = page.locator("#reissue-member-error").inner_text()
    assert "'M99' is not on the roll" in said
    assert "Check the address" not in page.locator("main").inner_text()
    field = page.locator("#reissue-member")
    assert field.input_value() == "M99"
    assert field.get_attribute("aria-invalid") == "true"
    assert "reissue-member-error" in (field.get_attribute("aria-describedby") or "")
    assert_accessible(page)
    context.close()


def test_the_api_names_a_bad_roll_without_a_server_path(server: Server) -> None:
    import urllib.error

    add_official(server, "ro", "returning-officer")
    api = Http(server.url)
    api.sign_in("ro")
    api.call("POST", "/api/contests", {"contest_id": CONTEST, "rulebook": "labour-2016"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        api.call("PUT", f"{BASE}/roll", raw=b"member_id,voter_class\nM1,member\n")
    problem = json.loads(refused.value.read())
    assert "mandate-roll-" not in json.dumps(problem)
    assert problem["path"] == "the roll sent"
