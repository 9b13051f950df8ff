"""Changing one's mind on the ballot in Chromium, with and without JavaScript (issue 10, item 10).

A voter ranks three candidates, reviews, goes back with "Change my ranking": every rank box
must come back as the voter set it (it used to come back all set to one number). The voter
then changes the ranking, reviews again, and casts what was finally chosen; the count holds
exactly that ballot.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.support.web import (
    INCUMBENT_AND_CHALLENGER,
    Http,
    Server,
    add_official,
    assert_accessible,
    open_ballot_by_api,
)

CONTEST = "leader-2016"
BASE = f"/api/contests/{CONTEST}"
ROLL = "member_id,voter_class,joined\nM1,member,2015-01-01\nM2,member,2015-01-01\n"
# Ballot-paper order: the order of nomination.
STANDING = ("Jeremy Corbyn", "Owen Smith", "Angela Eagle")


def open_ballot(api: Http) -> list[str]:
    """A three-candidate contest set up through the API up to an open ballot; the codes."""
    api.sign_in("ro")
    nominations = (*INCUMBENT_AND_CHALLENGER, {"name": "Angela Eagle", "nominations": 60})
    return [row["credential"] for row in open_ballot_by_api(api, ROLL, nominations=nominations)]


def rank_boxes(page: Any) -> list[str]:
    """The value of each candidate's rank box, in ballot-paper order."""
    return [page.input_value(f"#rank-{i}") for i in range(1, len(STANDING) + 1)]


def review_lines(page: Any) -> list[str]:
    page.wait_for_selector("ol.review-list")
    return list(page.locator("ol.review-list li").all_inner_texts())


def back_on_the_ballot(page: Any) -> None:
    """Wait until the ballot page has loaded and its script (deferred) has run."""
    page.wait_for_url("**/ballot")
    page.wait_for_selector("#ballot-form")
    page.wait_for_load_state("load")


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_change_my_ranking_brings_the_ranks_back_as_given(
    browser: Any, server: Server, javascript: bool
) -> None:
    add_official(server, "ro", "returning-officer")
    api = Http(server.url)
    codes = open_ballot(api)

    context = browser.new_context(
        base_url=server.url,
        viewport={"width": 390, "height": 844},
        java_script_enabled=javascript,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/vote")
    page.fill("#credential", codes[0])
    page.click("button:has-text('Continue to the ballot')")
    page.wait_for_selector("#ballot-form")
    page.wait_for_load_state("load")  # deferred scripts have run by then
    assert (page.locator("#ranked").count() == 1) is javascript  # drag-and-drop list or not

    # First thoughts: Owen Smith 1, Angela Eagle 2, Jeremy Corbyn 3.
    page.select_option("#rank-2", "1")
    page.select_option("#rank-3", "2")
    page.select_option("#rank-1", "3")
    assert rank_boxes(page) == ["3", "1", "2"]
    page.click("button:has-text('Review my ballot')")
    assert review_lines(page) == [
        "1st preference: Owen Smith",
        "2nd preference: Angela Eagle",
        "3rd preference: Jeremy Corbyn",
    ]

    page.click("button:has-text('Change my ranking')")
    back_on_the_ballot(page)
    assert rank_boxes(page) == ["3", "1", "2"]
    if javascript:  # the drag-and-drop list shows the same order
        assert page.locator("#ranked li .name").all_inner_texts() == [
            "Owen Smith",
            "Angela Eagle",
            "Jeremy Corbyn",
        ]
    if javascript:
        assert_accessible(page)

    # Second thoughts: Angela Eagle 1, Owen Smith 2, Jeremy Corbyn unranked.
    page.select_option("#rank-3", "1")
    page.select_option("#rank-2", "2")
    page.select_option("#rank-1", "")
    assert rank_boxes(page) == ["", "2", "1"]
    page.click("button:has-text('Review my ballot')")
    assert review_lines(page) == [
        "1st preference: Angela Eagle",
        "2nd preference: Owen Smith",
    ]
    # Back once more and straight to review: nothing moves.
    page.click("button:has-text('Change my ranking')")
    back_on_the_ballot(page)
    assert rank_boxes(page) == ["", "2", "1"]
    page.click("button:has-text('Review my ballot')")
    assert review_lines(page) == [
        "1st preference: Angela Eagle",
        "2nd preference: Owen Smith",
    ]
    page.click("#cast")
    assert page.locator("#tracker").inner_text()
    context.close()

    # What was counted is the final ranking, once.
    for action in ("close the ballot", "count", "declare"):
        api.call("POST", f"{BASE}/actions", {"action": action})
    published = f"/api/results/{CONTEST}/files/cvr.csv"
    rows = list(csv.DictReader(io.StringIO(api.call("GET", published).decode())))
    assert len(rows) == 1
    ranks = [rows[0][key] for key in sorted(rows[0]) if key.startswith("rank")]
    assert [name for name in ranks if name] == ["Angela Eagle", "Owen Smith"]
