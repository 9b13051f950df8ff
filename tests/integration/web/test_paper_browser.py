"""Entering paper ballots in Chromium: a scrutineer types a batch on the contest page.

The returning officer sets a ``labour-2016`` contest up through the API and opens the ballot;
one member votes online. A scrutineer signs in with the form and, on the contest page, types a
batch of postal ballots with a spoilt paper. One line names a candidate who is not standing:
the whole batch is refused, and nothing is stored. The contest page comes back with the reason
next to the ballots, naming the line, and the form filled in as it was sent; the scrutineer
corrects that line and enters the batch, then a batch whose only paper was spoilt. The count,
run by the returning officer, holds exactly those papers. axe-core checks each page, the one
with the refusal included.
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
    open_ballot_by_api,
    sign_in_official,
)

CONTEST = "leader-2016"
BASE = f"/api/contests/{CONTEST}"
ROLL = "member_id,voter_class,joined\n" + "".join(
    [f"M{n},member,2015-01-01\n" for n in range(1, 8)]
    + [f"S{n},registered_supporter,2016-07-19\n" for n in range(1, 3)]
)
"""Seven members (M1 … M7) and two registered supporters (S1, S2)."""
TYPED = "\n".join(
    (
        "Jeremy Corbyn > Owen Smith",
        "Owen Smith",
        "Jeremy Corbyn > Tony Blair",
        "Owen Smith >Jeremy Corbyn",
    )
)
CORRECTED = TYPED.replace(" > Tony Blair", "")


def open_ballot(api: Http) -> list[str]:
    """The contest through the API up to an open ballot; returns the issued credentials."""
    api.sign_in("ro")
    return [row["credential"] for row in open_ballot_by_api(api, ROLL)]


def batches_listed(page: Any) -> list[str]:
    """The paper batches the contest page lists (a fresh load, in a page of its own)."""
    fresh = page.context.new_page()
    try:
        fresh.goto(f"/official/contests/{CONTEST}")
        assert fresh.locator("#paper").is_visible()
        return list(fresh.locator("#paper-batches li").all_inner_texts())
    finally:
        fresh.close()


@pytest.mark.browser
def test_a_scrutineer_enters_a_paper_batch_in_chromium(
    browser: Any, server: Server, screenshots: Path
) -> None:
    add_official(server, "ro", "returning-officer")
    add_official(server, "teller", "scrutineer")
    api = Http(server.url)
    codes = open_ballot(api)
    api.call("POST", "/api/ballots", {"credential": codes[0], "ranking": ["Owen Smith"]})

    context, page = new_page(browser, server)
    sign_in_official(page, "teller")
    page.click(f"a[href='/official/contests/{CONTEST}']")
    page.wait_for_url(f"**/official/contests/{CONTEST}")
    assert page.locator("#state").inner_text() == "ballot open"
    assert page.locator("#paper-batches").count() == 0
    assert_accessible(page)

    # First the returned envelopes, by the codes on them: M2 … M6 and S1, and M1's, who
    # voted online (refused: its paper is set aside unopened).
    postal = [codes[n] for n in (1, 2, 3, 4, 5, 7)]
    page.fill("#envelope-codes", "\n".join([*postal[:2], codes[0].lower(), *postal[2:]]))
    page.click("button:has-text('Record envelopes')")
    report = page.locator("#envelope-report")
    assert report.locator("strong").inner_text() == "6 envelopes recorded, 1 refused."
    assert report.locator("li").all_inner_texts() == [
        "envelope 3: this credential has already been used to vote"
    ]
    assert page.locator("#paper-room tr[data-class=member] td").all_inner_texts() == [
        "5",
        "0",
        "5",
    ]
    assert_accessible(page)

    # A batch with a candidate who is not standing on its third line: refused, whole.
    page.fill("#batch-label", "Postal box 1")
    page.select_option("#batch-class", "member")
    page.fill("#batch-ballots", TYPED)
    page.fill("#batch-spoilt", "1")
    page.locator("#paper-entry").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "paper-batch-typed.png"))
    page.click("button:has-text('Enter batch')")
    page.wait_for_selector("#paper-error")
    assert page.url.endswith(f"/official/contests/{CONTEST}/paper-batches#paper")
    assert page.locator("#state").inner_text() == "ballot open"  # the contest page itself
    assert page.title().startswith("Error: Labour Party Rule Book 2016")
    reason = (
        "Postal box 1: ballot 3: unknown candidate 'Tony Blair' "
        "(standing: Jeremy Corbyn, Owen Smith)"
    )
    summary = page.locator("#paper-error[role=alert]")
    assert "This batch was not entered: nothing of it was stored." in summary.inner_text()
    assert summary.locator("li").inner_text() == f"Line 3 of the ballots: {reason}"
    textarea = page.locator("#batch-ballots")
    assert textarea.get_attribute("aria-invalid") == "true"
    described = textarea.get_attribute("aria-describedby") or ""
    assert described.split() == ["batch-hint", "batch-ballots-error"]
    assert page.locator("#batch-ballots-error").text_content() == (
        f"Error: Line 3 (Jeremy Corbyn > Tony Blair): {reason}"
    )
    assert_accessible(page)
    page.locator("#paper").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "paper-batch-refused.png"), full_page=True)
    assert batches_listed(page) == []

    # Everything sent is still in the form; the summary's link leads to the ballots.
    assert textarea.input_value().splitlines() == TYPED.splitlines()
    assert page.input_value("#batch-label") == "Postal box 1"
    assert page.input_value("#batch-class") == "member"
    assert page.input_value("#batch-spoilt") == "1"
    summary.locator("a").click()
    assert page.url.endswith("#batch-ballots")
    assert page.evaluate("document.activeElement.id") == "batch-ballots"
    page.fill("#batch-ballots", CORRECTED)
    page.click("button:has-text('Enter batch')")
    page.wait_for_selector("#paper-batches")
    assert page.url.endswith(f"/official/contests/{CONTEST}?done=batch&batch=Postal+box+1#paper")
    assert page.locator("#done").inner_text() == (
        "Batch 'Postal box 1' entered (Members): 4 ballots and 1 spoilt."
    )
    assert page.locator("#paper-batches li").all_inner_texts() == [
        "Postal box 1 (Members): 4 ballots, 1 spoilt, entered by teller"
    ]

    # A box whose only paper was spoilt: no ballot typed, one spoilt paper counted.
    page.fill("#batch-label", "Postal box 2")
    page.select_option("#batch-class", "registered_supporter")
    page.fill("#batch-spoilt", "1")
    page.click("button:has-text('Enter batch')")
    page.wait_for_selector("#paper-batches li:nth-child(2)")
    listed = [
        "Postal box 1 (Members): 4 ballots, 1 spoilt, entered by teller",
        "Postal box 2 (Registered supporters): 0 ballots, 1 spoilt, entered by teller",
    ]
    assert page.locator("#paper-batches li").all_inner_texts() == listed
    assert batches_listed(page) == listed
    assert_accessible(page)
    page.locator("#paper").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "paper-batch-entered.png"), full_page=True)
    context.close()

    # The count holds the online ballot and the four corrected paper ones, and nothing else.
    for action in ("close the ballot", "count", "declare"):
        api.call("POST", f"{BASE}/actions", {"action": action})
    published = f"/api/results/{CONTEST}/files"
    rows = list(csv.DictReader(io.StringIO(api.call("GET", f"{published}/cvr.csv").decode())))
    assert len(rows) == 5
    declaration = json.loads(api.call("GET", f"{published}/declaration.json"))["declaration"]
    by_class = {c["id"]: c for c in declaration["by_class"]}
    members, supporters = by_class["member"], by_class["registered_supporter"]
    assert (members["valid"], members["paper"], members["spoilt"]) == (5, 4, 1)
    assert (supporters["valid"], supporters["paper"], supporters["spoilt"]) == (0, 0, 1)
    assert declaration["ballots"]["spoilt"] == 2
    assert members["first_round"] == {"Jeremy Corbyn": "2", "Owen Smith": "3"}
