"""A plurality ballot (``conservative-1922``'s members' ballot) in Chromium: one radio choice,
chosen with the keyboard, reviewed and cast; axe-core finds no serious violation."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.web import PASSWORD, Http, Server, add_official, assert_accessible, tab_to

ROLL = "member_id,voter_class,joined\nM1,member,2015-01-01\nM2,member,2015-01-01\n"


@pytest.mark.browser
def test_plurality_ballot_by_keyboard_in_chromium(
    browser: Any, server: Server, screenshots: Path
) -> None:
    add_official(server, "ro", "returning-officer")
    api = Http(server.url)
    session = json.loads(api.call("POST", "/api/session", {"username": "ro", "password": PASSWORD}))
    api.headers["X-CSRF-Token"] = session["csrf_token"]
    api.call("POST", "/api/contests", {"contest_id": "tory-2022", "rulebook": "conservative-1922"})
    base = "/api/contests/tory-2022"
    api.call("POST", f"{base}/actions", {"action": "open nominations"})
    api.call("POST", f"{base}/nominations", {"name": "Liz Truss", "nominations": 50})
    api.call("POST", f"{base}/nominations", {"name": "Rishi Sunak", "nominations": 88})
    api.call(
        "POST",
        f"{base}/close-nominations",
        {"process": "vacancy", "body_size": 357, "on": "2022-07-12"},
    )
    api.call("PUT", f"{base}/roll?on=2022-08-01", raw=ROLL.encode())
    issued = api.call("POST", f"{base}/credentials").decode()
    codes = [row["credential"] for row in csv.DictReader(io.StringIO(issued))]
    api.call("POST", f"{base}/actions", {"action": "open the ballot"})

    context = browser.new_context(base_url=server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/vote")
    page.fill("#credential", codes[0])
    page.click("button:has-text('Continue to the ballot')")
    assert page.locator("input[type=radio]").count() == 2
    assert_accessible(page)
    page.screenshot(path=str(screenshots / "plurality-ballot.png"), full_page=True)
    tab_to(page, "#choice-1")
    page.keyboard.press("ArrowDown")  # arrow keys move the choice within a radio group
    assert page.is_checked("#choice-2")
    tab_to(page, "#choice-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("ol.review-list")
    assert page.locator("ol.review-list li").all_inner_texts() == ["Your vote: Rishi Sunak"]
    assert_accessible(page)
    page.click("#cast")
    assert page.locator("#tracker").inner_text()
    context.close()
    turnout = json.loads(api.call("GET", f"{base}/turnout"))
    assert turnout["voted"] == 1
