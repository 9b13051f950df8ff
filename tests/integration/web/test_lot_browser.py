"""A tie settled by lot in the web (issue 10, item 7), driven in Chromium.

Two members vote, one for each candidate: the count ties, and only a lot can settle it (the
rulebook's tie-break looks at earlier rounds, and there are none). The returning officer
clicks Count on the contest page; instead of an error page the page says which tie needs a
lot and asks for the order drawn. A wrong order (a candidate twice, then a position left
empty) is refused with the reason and nothing is counted; the right one counts the contest.
The result is declared, and the order drawn is published: on the public result page and in
``result.json``. A supporter class, with a tie of its own, does not stop anything.
"""

from __future__ import annotations

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
ROLL = """member_id,voter_class,joined
M1,member,2015-01-01
M2,member,2015-01-01
S1,registered_supporter,2016-07-19
S2,registered_supporter,2016-07-19
"""
CORBYN, SMITH = "Jeremy Corbyn", "Owen Smith"


def closed_ballot(api: Http) -> None:
    """The contest through the API: each class's two votes split between the candidates."""
    api.sign_in("ro")
    codes = [row["credential"] for row in open_ballot_by_api(api, ROLL)]
    for code, name in zip(codes, (CORBYN, SMITH, CORBYN, SMITH), strict=True):
        api.call("POST", "/api/ballots", {"credential": code, "ranking": [name]})
    api.call("POST", f"{BASE}/actions", {"action": "close the ballot"})


@pytest.mark.browser
def test_the_returning_officer_supplies_the_lot_in_chromium(
    browser: Any, server: Server, screenshots: Path
) -> None:
    add_official(server, "ro", "returning-officer")
    api = Http(server.url)
    closed_ballot(api)

    context, page = new_page(browser, server)
    sign_in_official(page)
    page.goto(f"/official/contests/{CONTEST}")
    assert page.locator("#state").inner_text() == "ballot closed"

    # Count: the tie stops it, and the page asks for the lot instead of an error page.
    page.click("button:has-text('Count')")
    page.click("#confirm")  # the step cannot be undone: asked first, on a page of its own
    page.wait_for_selector("#lot")
    assert page.locator("#state").inner_text() == "ballot closed"
    tie = page.locator("#lot-tie").inner_text()
    assert f"a tie to elect between {CORBYN}, {SMITH} must be settled by lot" in tie
    assert page.locator("#lot select").count() == 2
    assert_accessible(page)
    page.screenshot(path=str(screenshots / "lot-needed.png"), full_page=True)

    # A wrong order: the same candidate twice. Refused with the reason; nothing counted.
    page.select_option("#lot-1", label=SMITH)
    page.select_option("#lot-2", label=SMITH)
    page.click("#count-by-lot")
    page.wait_for_selector("#lot-error")
    assert f"names {SMITH} more than once" in page.locator("#lot-error").inner_text()
    assert page.locator("#state").inner_text() == "ballot closed"
    assert page.input_value("#lot-1") == SMITH  # the order comes back as sent
    assert page.locator("#lot-1").get_attribute("aria-invalid") == "true"
    assert tie == page.locator("#lot-tie").inner_text()
    assert_accessible(page)
    page.screenshot(path=str(screenshots / "lot-refused.png"), full_page=True)

    # Changing my mind: a position left empty is refused too.
    page.select_option("#lot-2", value="")
    page.click("#count-by-lot")
    page.wait_for_selector("#lot-error")
    assert f"leaves out {CORBYN}" in page.locator("#lot-error").inner_text()
    assert page.locator("#state").inner_text() == "ballot closed"

    # The order drawn: Smith first. The contest is counted.
    page.select_option("#lot-1", label=SMITH)
    page.select_option("#lot-2", label=CORBYN)
    page.click("#count-by-lot")
    page.wait_for_function("document.querySelector('#state').innerText === 'counted'")
    assert page.locator("#lot").count() == 0

    page.click("button:has-text('Declare')")
    page.click("#confirm")
    page.wait_for_function("document.querySelector('#state').innerText === 'declared'")
    page.goto(f"/results/{CONTEST}")
    assert page.locator("#winner").inner_text() == f"Elected: {SMITH}"
    assert page.locator("#lot-drawn").inner_text().startswith(f"{SMITH}, {CORBYN}")
    assert_accessible(page)
    page.screenshot(path=str(screenshots / "lot-published.png"), full_page=True)
    context.close()

    # Published with the result: result.json's options and the declaration's count spec.
    files = f"/api/results/{CONTEST}/files"
    result = json.loads(api.call("GET", f"{files}/result.json"))
    assert result["options"]["lot"] == f"{SMITH}, {CORBYN}"
    declaration = json.loads(api.call("GET", f"{files}/declaration.json"))["declaration"]
    assert declaration["count_spec"]["lot"] == [SMITH, CORBYN]
    assert declaration["elected"] == [SMITH]
