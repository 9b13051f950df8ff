"""A returning officer runs a contest's irreversible steps and its paper entry in Chromium.

Issue 10, item 16. Each step that cannot be undone (close nominations, open and close the
ballot, count, declare) is asked about on a page of its own first: the officer goes back from
it, by the link and by the browser's Back button, and nothing has changed; confirmed, the step
is taken and the contest page says what happened. Paper ballots are typed by candidate number
or by name with accents and case forgiven; a running total of the batch follows the typing;
a choice two candidates match is refused naming both. With JavaScript off, the same pages
work: the confirmation page, and the batch entered without the running total.
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
    sign_in_official,
)

CONTEST = "leader-2016"
BASE = f"/api/contests/{CONTEST}"
PAGE = f"/official/contests/{CONTEST}"
ROLL = "member_id,voter_class,joined\n" + "".join(f"M{n},member,2015-01-01\n" for n in range(1, 9))


def nominated(api: Http) -> None:
    """The contest through the API up to nominations open, three candidates nominated."""
    api.sign_in("ro")
    api.call("POST", "/api/contests", {"contest_id": CONTEST, "rulebook": "labour-2016"})
    api.call("POST", f"{BASE}/actions", {"action": "open nominations"})
    api.call("POST", f"{BASE}/nominations", {"name": "Jeremy Corbyn", "automatic": "incumbent"})
    api.call("POST", f"{BASE}/nominations", {"name": "Owen Smith", "nominations": 172})
    api.call("POST", f"{BASE}/nominations", {"name": "Angela Smith", "nominations": 60})
    api.call("POST", f"{BASE}/nominations", {"name": "Ann Other", "nominations": 12})


def signed_in(browser: Any, server: Server, *, javascript: bool = True) -> tuple[Any, Any]:
    context = browser.new_context(
        base_url=server.url, viewport={"width": 1100, "height": 900}, java_script_enabled=javascript
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in_official(page)
    page.goto(PAGE)
    return context, page


def declaration_elected(api: Http) -> list[str]:
    published = f"/api/results/{CONTEST}/files/declaration.json"
    elected: list[str] = json.loads(api.call("GET", published))["declaration"]["elected"]
    return elected


def state(page: Any) -> str:
    return str(page.locator("#state").inner_text())


def step(page: Any, button: str, heading: str) -> None:
    """Click a step's button on the contest page and land on its confirmation page."""
    page.click(f"button:has-text('{button}')")
    page.wait_for_selector("#confirm")
    assert page.locator("h1").inner_text() == f"{heading}?"
    assert "This cannot be undone." in page.locator("#consequence").inner_text()


def confirm(page: Any) -> str:
    """Confirm the step on its confirmation page; the contest page's message after it."""
    page.click("#confirm")
    page.wait_for_selector("#done")
    return str(page.locator("#done").inner_text())


@pytest.mark.browser
def test_an_officer_confirms_each_irreversible_step_and_types_paper_by_number(
    browser: Any, server: Server, screenshots: Path
) -> None:
    add_official(server, "ro", "returning-officer")
    api = Http(server.url)
    nominated(api)
    context, page = signed_in(browser, server)

    # Close nominations: the confirmation lists who stands and who is void; going back by
    # the link changes nothing.
    page.fill("#body_size", "251")
    page.fill("#on", "2016-07-20")
    page.click("button:has-text('Work out the threshold')")
    step(page, "Close nominations at 51", "Close nominations")
    assert page.locator("#confirm-details li").all_inner_texts() == [
        "Threshold: 51 nominations (20% of 251 MPs and MEPs on 20 July 2016 = 50.2, rounded "
        "up (ceil) = 51)",
        "Jeremy Corbyn: stands (incumbent)",
        "Owen Smith: 172 nominations, stands",
        "Angela Smith: 60 nominations, stands",
        "Ann Other: 12 nominations, void",
    ]
    assert_accessible(page)
    page.screenshot(path=str(screenshots / "confirm-close-nominations.png"), full_page=True)
    page.click("#cancel")
    page.wait_for_url(f"**{PAGE}")
    assert state(page) == "nominations open"
    assert page.locator("#done").count() == 0
    page.fill("#body_size", "251")
    page.fill("#on", "2016-07-20")
    page.click("button:has-text('Work out the threshold')")
    step(page, "Close nominations at 51", "Close nominations")
    assert confirm(page).startswith("Nominations are closed: the candidates standing are fixed.")
    assert state(page) == "nominations closed"

    api.call("PUT", f"{BASE}/roll?on=2016-08-08", raw=ROLL.encode())
    issued = api.call("POST", f"{BASE}/credentials").decode()
    codes = [row["credential"] for row in csv.DictReader(io.StringIO(issued))]

    # Open the ballot: the officer goes back with the browser's Back button, then opens it.
    page.goto(PAGE)
    step(page, "Open the ballot", "Open the ballot")
    page.go_back()
    page.wait_for_url(f"**{PAGE}")
    page.reload()
    assert state(page) == "nominations closed"
    step(page, "Open the ballot", "Open the ballot")
    assert confirm(page) == "The ballot is open: voters can now vote with their codes."
    assert state(page) == "ballot open"
    assert_accessible(page)

    page.fill("#envelope-codes", "\n".join(codes[:6]))
    page.click("button:has-text('Record envelopes')")
    page.wait_for_selector("#envelope-report")

    # A batch typed by number and by name; the running total follows the typing.
    total = page.locator("#paper-total")
    assert page.locator("#paper-candidates li").all_inner_texts() == [
        "Jeremy Corbyn",
        "Owen Smith",
        "Angela Smith",
    ]
    page.fill("#batch-label", "Postal box 1")
    page.fill("#batch-ballots", "1 > 2\njeremy CORBYN\nsmith > 1")
    assert total.inner_text() == (
        "Running total: 3 ballots and 0 spoilt = 3 papers. 6 still to enter for Members. "
        "First preferences: Jeremy Corbyn 2. "
        "Line 3: \u201csmith\u201d could be Owen Smith or Angela Smith."
    )
    page.fill("#batch-spoilt", "4")
    assert "3 ballots and 4 spoilt = 7 papers. 6 still to enter for Members: 1 paper too many." in (
        total.inner_text()
    )
    page.fill("#batch-spoilt", "1")
    page.locator("#paper-entry").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "paper-running-total.png"))
    assert_accessible(page)
    page.click("button:has-text('Enter batch')")  # sent anyway: the server refuses line 3
    page.wait_for_selector("#paper-error")
    assert page.locator("#batch-ballots-error").text_content() == (
        "Error: Line 3 (smith > 1): Postal box 1: ballot 3: 'smith' could be any of "
        "Owen Smith, Angela Smith: type more of the name, or the candidate's number"
    )
    assert page.input_value("#batch-ballots").splitlines() == [
        "1 > 2",
        "jeremy CORBYN",
        "smith > 1",
    ]
    assert "First preferences: Jeremy Corbyn 2." in total.inner_text()  # kept on the page
    page.fill("#batch-ballots", "1 > 2\njeremy CORBYN\nangela smith > 1\n3")
    assert total.inner_text() == (
        "Running total: 4 ballots and 1 spoilt = 5 papers. 6 still to enter for Members. "
        "First preferences: Jeremy Corbyn 2, Angela Smith 2."
    )
    page.click("button:has-text('Enter batch')")
    page.wait_for_selector("#done")
    assert page.locator("#done").inner_text() == (
        "Batch 'Postal box 1' entered (Members): 4 ballots and 1 spoilt."
    )
    assert page.locator("#paper-room tr[data-class=member] td").all_inner_texts() == [
        "6",
        "5",
        "1",
    ]

    # Close the ballot: back by the link, then closed.
    step(page, "Close the ballot", "Close the ballot")
    page.click("#back")
    page.wait_for_url(f"**{PAGE}")
    assert state(page) == "ballot open"
    step(page, "Close the ballot", "Close the ballot")
    assert confirm(page).startswith("The ballot is closed: no more online votes are accepted.")
    context.close()

    # Without JavaScript: no running total, and the batch and the steps work the same.
    context, page = signed_in(browser, server, javascript=False)
    page.fill("#batch-label", "Postal box 2")
    page.fill("#batch-ballots", "ANGELA")
    assert page.locator("#paper-total").is_hidden()
    page.click("button:has-text('Enter batch')")
    page.wait_for_selector("#done")
    assert page.locator("#done").inner_text() == (
        "Batch 'Postal box 2' entered (Members): 1 ballot and 0 spoilt."
    )
    step(page, "Count", "Count the votes")
    page.go_back()
    page.reload()
    assert state(page) == "ballot closed"
    step(page, "Count", "Count the votes")
    assert confirm(page) == "The votes are counted: check the result, then declare it."
    step(page, "Declare", "Declare the result")
    assert confirm(page) == "The result is declared, signed and published."
    assert state(page) == "declared"
    context.close()
    assert declaration_elected(api) == ["Angela Smith"]

    published = f"/api/results/{CONTEST}/files"
    declaration = json.loads(api.call("GET", f"{published}/declaration.json"))["declaration"]
    members = next(c for c in declaration["by_class"] if c["id"] == "member")
    assert (members["online"], members["paper"], members["spoilt"]) == (0, 5, 1)
    assert members["first_round"] == {
        "Jeremy Corbyn": "2",
        "Owen Smith": "0",
        "Angela Smith": "3",
    }
