"""The whole contest in a real browser (Debian's Chromium through Playwright).

An official sets up a contest from ``labour-2016``, records the nominations against the
rulebook's threshold, imports a small roll and issues the credentials, and opens the ballot.
Three voters vote: one drags candidates into order, one has JavaScript turned off and uses the
rank selectors, one uses only the keyboard. A fourth tries a used credential and is refused.
The official closes the ballot, counts and declares; the public page shows the winner and the
chart. Every page is screenshotted into ``test-artifacts/screenshots/`` (docs/web.md shows a
selection), and axe-core checks the voter pages.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.support.web import (
    PASSWORD,
    Server,
    add_official,
    assert_accessible,
    assert_focus_visible,
    tab_to,
)

CONTEST = "leader-2016"

ROLL = """member_id,voter_class,joined,name,email,in_arrears
M001,member,2015-03-01,Ann Member,ann@example.org,no
M002,member,2016-01-05,Bob Member,bob@example.org,no
M003,member,2014-11-20,Cy Member,cy@example.org,no
M004,member,2016-07-01,Dee Late,dee@example.org,no
R001,registered_supporter,2016-07-19,Eve Supporter,eve@example.org,no
"""


class Shots:
    """Numbered screenshots of each page, full length."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.number = 0

    def take(self, page: Any, name: str) -> None:
        self.number += 1
        page.screenshot(path=str(self.folder / f"{self.number:02d}-{name}.png"), full_page=True)


def set_up_contest(page: Any, shots: Shots, roll_file: Path) -> list[dict[str, str]]:
    """The returning officer's part before the ballot opens; returns the credentials."""
    page.goto("/official/sign-in")
    shots.take(page, "official-sign-in")
    page.fill("#username", "ro")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/official")
    page.fill("#contest_id", CONTEST)
    page.fill("#title", "Labour leadership election 2016")
    page.select_option("#rulebook", "labour-2016")
    assert_accessible(page)
    shots.take(page, "official-dashboard")
    page.click("button:has-text('Create contest')")
    page.wait_for_url(f"**/official/contests/{CONTEST}")
    assert page.locator("#state").inner_text() == "draft"
    page.click("button:has-text('Open nominations')")
    page.wait_for_selector("#state:has-text('nominations open')")
    page.select_option("#process", "challenge")
    page.fill("#body_size", "251")
    page.fill("#on", "2016-07-20")
    page.click("button:has-text('Work out the threshold')")
    assert "51 nominations needed" in page.locator("#threshold").inner_text()
    page.fill("#name", "Jeremy Corbyn")
    page.fill("#automatic", "the incumbent is on the ballot (Chapter 4, Clause II.2.B.ii)")
    page.click("button:has-text('Record nomination')")
    page.fill("#name", "Owen Smith")
    page.fill("#nomination-count", "172")
    page.click("button:has-text('Record nomination')")
    page.fill("#name", "Angela Eagle")
    page.fill("#nomination-count", "40")
    page.click("button:has-text('Record nomination')")
    progress = page.locator("#nomination-progress").inner_text()
    assert "172 of 51 needed: threshold reached" in progress
    assert "40 of 51 needed: 11 more to reach it" in progress
    assert_accessible(page)
    shots.take(page, "official-nominations")
    page.click("button:has-text('Close nominations at 51')")
    page.click("#confirm")  # the step cannot be undone: asked first, on a page of its own
    page.wait_for_selector("#state:has-text('nominations closed')")
    page.set_input_files("#roll-file", str(roll_file))
    page.fill("#roll-on", "2016-08-08")
    page.click("button:has-text('Import roll')")
    report = page.locator("#roll-report").inner_text()
    assert "5 rows read, 4 eligible, 1 excluded" in report
    shots.take(page, "official-roll-report")
    with page.expect_download() as download:
        page.click("#issue-credentials")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    credentials = list(csv.DictReader(io.StringIO(text)))
    assert len(credentials) == 4
    page.goto(f"/official/contests/{CONTEST}")
    assert_accessible(page)
    page.click("button:has-text('Open the ballot')")
    page.click("#confirm")
    page.wait_for_selector("#state:has-text('ballot open')")
    return credentials


def enter_code(page: Any, credential: str) -> None:
    page.goto("/vote")
    page.fill("#credential", credential)
    with page.expect_navigation():
        page.click("button:has-text('Continue to the ballot')")


def review_and_cast(page: Any, shots: Shots | None, words: list[str]) -> str:
    lines = page.locator("ol.review-list li").all_inner_texts()
    assert lines == words
    if shots:
        assert_accessible(page)
        shots.take(page, "voter-review")
    page.click("#cast")
    tracker = page.locator("#tracker").inner_text()
    if shots:
        assert_accessible(page)
        shots.take(page, "voter-receipt")
    return tracker


@pytest.mark.browser
@pytest.mark.slow
def test_contest_end_to_end_in_chromium(
    browser: Any, server: Server, screenshots: Path, tmp_path: Path
) -> None:
    add_official(server, "ro", "returning-officer")
    shots = Shots(screenshots)
    roll_file = tmp_path / "roll.csv"
    roll_file.write_text(ROLL, encoding="utf-8")

    def context(*, wide: bool = False, **options: Any) -> Any:
        # Voters on a phone; officials at a desk.
        viewport = {"width": 1100, "height": 900} if wide else {"width": 390, "height": 844}
        made = browser.new_context(base_url=server.url, viewport=viewport, **options)
        made.set_default_timeout(15_000)
        return made

    official = context(wide=True, accept_downloads=True)
    officer = official.new_page()
    credentials = set_up_contest(officer, shots, roll_file)
    codes = [c["credential"] for c in credentials]
    assert officer.locator("#turnout-table tr[data-class='total'] .voted").inner_text() == "0"

    # Voter 1 drags the candidates into order (JavaScript on).
    voter = context()
    page = voter.new_page()
    page.goto("/vote")
    assert_accessible(page)
    shots.take(page, "voter-start")
    enter_code(page, codes[0].lower())  # as typed: case and dashes do not matter
    assert_accessible(page)
    shots.take(page, "voter-ballot")
    page.drag_and_drop("#candidate-2", "#ranked")
    assert page.input_value("#rank-2") == "1"
    assert page.input_value("#rank-1") == ""
    page.drag_and_drop("#candidate-1", "#candidate-2", target_position={"x": 5, "y": 2})
    assert page.input_value("#rank-1") == "1"  # dropped above Owen Smith
    assert page.input_value("#rank-2") == "2"
    shots.take(page, "voter-ballot-dragged")
    page.click("button:has-text('Review my ballot')")
    tracker = review_and_cast(
        page, shots, ["1st preference: Jeremy Corbyn", "2nd preference: Owen Smith"]
    )
    voter.close()

    # Voter 2 has JavaScript turned off: the rank selectors alone, with a skipped rank.
    voter = context(java_script_enabled=False)
    page = voter.new_page()
    enter_code(page, codes[1])
    page.select_option("#rank-2", "2")
    page.click("button:has-text('Review my ballot')")
    warning = page.locator(".notice-warning").inner_text()
    assert "You gave no candidate rank 1, but gave rank 2." in warning
    shots.take(page, "voter-review-warning")
    page.click("button:has-text('Change my ranking')")
    assert page.input_value("#rank-2") == "2"  # the ranking comes back as it was
    page.select_option("#rank-2", "1")
    page.select_option("#rank-1", "2")
    page.click("button:has-text('Review my ballot')")
    review_and_cast(page, None, ["1st preference: Owen Smith", "2nd preference: Jeremy Corbyn"])
    voter.close()

    # Voter 3 uses only the keyboard.
    voter = context()
    page = voter.new_page()
    page.goto("/vote")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    assert_focus_visible(page)
    tab_to(page, "#credential")
    assert_focus_visible(page)
    page.keyboard.type(codes[2])
    page.keyboard.press("Enter")
    page.wait_for_selector("#ballot-form")
    tab_to(page, "#rank-1")
    assert_focus_visible(page)
    page.keyboard.type("1")
    assert page.evaluate("document.activeElement.id") == "rank-1"  # still there after the move
    tab_to(page, "#rank-2")
    page.keyboard.type("2")
    tab_to(page, "#ballot-form button[type=submit]")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_selector("ol.review-list")
    assert page.locator("ol.review-list li").all_inner_texts() == [
        "1st preference: Jeremy Corbyn",
        "2nd preference: Owen Smith",
    ]
    tab_to(page, "#cast")
    page.keyboard.press("Enter")
    page.wait_for_selector("#tracker")
    voter.close()

    # A fourth tries the first voter's code again and is refused.
    voter = context()
    page = voter.new_page()
    enter_code(page, codes[0])
    assert "This code has already been used" in page.locator("h1").inner_text()
    assert_accessible(page)
    shots.take(page, "voter-already-voted")
    voter.close()

    # The official has watched turnout rise without reloading; then closes, counts, declares.
    officer.wait_for_function(
        "() => document.querySelector(\"#turnout-table tr[data-class='total'] .voted\")"
        ".textContent === '3'"
    )
    shots.take(officer, "official-turnout")
    for action, state in (
        ("Close the ballot", "ballot closed"),
        ("Count", "counted"),
        ("Declare", "declared"),
    ):
        officer.click(f"button:has-text('{action}')")
        officer.click("#confirm")  # each cannot be undone: asked first
        officer.wait_for_selector(f"#state:text-is('{state}')")
    official.close()

    # The public sees the winner, the rounds, the chart, and finds the first voter's ballot.
    public = context(wide=True)
    page = public.new_page()
    page.goto(f"/results/{CONTEST}")
    assert page.locator("#winner").inner_text() == "Elected: Jeremy Corbyn"
    assert page.locator("figure.chart svg").count() == 1
    assert "Labour leadership election 2016" in page.locator("h1").inner_text()
    assert_accessible(page)
    shots.take(page, "public-result")
    page.fill("#tracker", tracker.lower())
    page.click("button:has-text('Look it up')")
    found = page.locator("#tracker-result").inner_text()
    assert "Included." in found
    assert "Jeremy Corbyn" not in found  # the look-up says the ballot is counted, not how
    assert "tracker=" not in page.url  # the tracker travelled in the form's body
    public.close()
    published = server.data_dir / "published" / CONTEST
    assert sorted(p.name for p in published.iterdir()) == [
        "checkpoints.jsonl",
        "cvr.csv",
        "cvr.json",
        "declaration.json",
        "result.json",
        "trackers.txt",
    ]
