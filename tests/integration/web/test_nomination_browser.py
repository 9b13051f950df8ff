"""The nomination form in Chromium refuses what cannot be recorded (issue 10, item 13).

A returning officer records nominations on the contest page. A count and an "automatic
because" together, or neither; a second spelling of a recorded name ("owen  smith" after
"Owen Smith"); a name holding ``>`` (which separates preferences on a typed paper ballot):
each is refused, nothing is recorded, and the reason is said beside its field (tied to it by
``aria-describedby``) with the form filled in as it was sent. The API refuses the same.
"""

from __future__ import annotations

import json
import urllib.error
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


def recorded(api: Http) -> list[tuple[str, int | None, str]]:
    """The candidates the contest holds: name, nominations, basis."""
    contest = json.loads(api.call("GET", BASE))
    return [(c["name"], c["nominations"], c["basis"]) for c in contest["candidates"]]


def nominate(page: Any, name: str, count: str = "", automatic: str = "") -> None:
    page.fill("#name", name)
    page.fill("#nomination-count", count)
    page.fill("#automatic", automatic)
    with page.expect_navigation(wait_until="load"):  # the page that answers, loaded
        page.click("button:has-text('Record nomination')")


def refusal_beside(page: Any, control: str) -> str:
    """The error said beside a control; checks the control is marked and described by it."""
    field = page.locator(f"#{control}")
    assert field.get_attribute("aria-invalid") == "true"
    described = (field.get_attribute("aria-describedby") or "").split()
    assert f"{control}-error" in described
    return str(page.locator(f"#{control}-error").inner_text())


@pytest.mark.browser
def test_the_nomination_form_refuses_each_bad_nomination_beside_its_field(
    browser: Any, server: Server, screenshots: Path
) -> None:
    add_official(server, "ro", "returning-officer")
    api = Http(server.url)
    api.sign_in("ro")
    api.call("POST", "/api/contests", {"contest_id": CONTEST, "rulebook": "labour-2016"})
    api.call("POST", f"{BASE}/actions", {"action": "open nominations"})

    context, page = new_page(browser, server, width=1000)
    sign_in_official(page)
    page.goto(f"/official/contests/{CONTEST}")
    # the threshold worked out first: it must survive a refusal
    page.fill("#body_size", "251")
    page.fill("#on", "2016-07-20")
    page.select_option("#process", "challenge")
    page.click("button:has-text('Work out the threshold')")
    page.wait_for_selector("#threshold")

    nominate(page, "Owen Smith", "172")
    assert page.locator("#nomination-error").count() == 0
    assert recorded(api) == [("Owen Smith", 172, "")]

    # another spelling of the same name
    nominate(page, "owen  smith", "10")
    assert "already nominated as 'Owen Smith'" in refusal_beside(page, "name")
    assert page.input_value("#name") == "owen  smith"
    assert page.input_value("#nomination-count") == "10"
    assert page.locator("#nomination-error[role=alert]").is_visible()
    assert page.locator("#threshold").is_visible()  # still worked out
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    # the paper ballots' separator in a name
    nominate(page, "Angela > Eagle", "60")
    assert "cannot contain '>'" in refusal_beside(page, "name")
    assert page.input_value("#name") == "Angela > Eagle"

    # a count and a basis together
    nominate(page, "Jeremy Corbyn", "5", "incumbent")
    said = refusal_beside(page, "nomination-count")
    assert "not both" in said
    page.locator("#nomination-form").scroll_into_view_if_needed()
    page.locator("#nomination-form").screenshot(
        path=str(screenshots / "official-nomination-refused.png")
    )
    assert page.input_value("#nomination-count") == "5"
    assert page.input_value("#automatic") == "incumbent"
    assert_accessible(page)

    # neither
    nominate(page, "Jeremy Corbyn")
    assert "give the valid nominations received, or the basis" in refusal_beside(
        page, "nomination-count"
    )
    assert page.input_value("#name") == "Jeremy Corbyn"
    assert recorded(api) == [("Owen Smith", 172, "")]  # nothing refused was recorded

    # corrected: recorded, and the form is empty again
    nominate(page, "Jeremy Corbyn", "", "incumbent")
    assert page.locator("#nomination-error").count() == 0
    assert page.input_value("#name") == ""
    # the same name exactly corrects the count
    nominate(page, "Owen Smith", "173")
    assert page.locator("#threshold").is_visible()
    assert recorded(api) == [("Owen Smith", 173, ""), ("Jeremy Corbyn", None, "incumbent")]
    context.close()


def test_the_api_refuses_the_same_nominations(server: Server) -> None:
    add_official(server, "ro", "returning-officer")
    api = Http(server.url)
    api.sign_in("ro")
    api.call("POST", "/api/contests", {"contest_id": CONTEST, "rulebook": "labour-2016"})
    api.call("POST", f"{BASE}/actions", {"action": "open nominations"})
    api.call("POST", f"{BASE}/nominations", {"name": "Owen Smith", "nominations": 172})
    for body, said in (
        ({"name": "OWEN SMITH", "nominations": 3}, "already nominated as 'Owen Smith'"),
        ({"name": "A > B", "nominations": 3}, "cannot contain '>'"),
        ({"name": "Angela Eagle", "nominations": 3, "automatic": "x"}, "not both"),
        ({"name": "Angela Eagle"}, "give the valid nominations received"),
    ):
        with pytest.raises(urllib.error.HTTPError) as refused:
            api.call("POST", f"{BASE}/nominations", body)
        assert refused.value.code == 422
        assert said in refused.value.read().decode()
    assert recorded(api) == [("Owen Smith", 172, "")]
