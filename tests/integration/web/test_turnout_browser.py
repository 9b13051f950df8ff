"""The turnout table on the officials' contest page in Chromium (issue 10, item 15).

While the ballot is open the table shows each class and all classes together: electors, those
who have voted (online, or by a postal envelope recorded as returned) and the share. The "All
classes" turnout cell was always empty, and the caption called postal envelopes online votes.
The page's script keeps the table current as votes come in, the total included.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from tests.support.keys import server_secret
from tests.support.web import (
    PROJECT_ROOT,
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
M3,member,2015-01-01
S1,registered_supporter,2016-07-19
"""


def open_ballot(api: Http) -> dict[str, str]:
    """The contest through the API up to an open ballot; member id → voting code."""
    api.sign_in("ro")
    return {row["member_id"]: row["credential"] for row in open_ballot_by_api(api, ROLL)}


def record_envelope(server: Server, code: str) -> None:
    """A returned postal envelope, recorded with ``mandate paper envelopes``."""
    codes = server.data_dir / "envelopes.txt"
    codes.write_text(code + "\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mandate",
            "paper",
            "envelopes",
            CONTEST,
            str(codes),
            "--data-dir",
            str(server.data_dir),
        ],
        check=True,
        capture_output=True,
        env={
            "PYTHONPATH": str(PROJECT_ROOT / "src"),
            "PATH": "/usr/bin:/bin",
            "MANDATE_SECRET_FILE": str(server_secret(server.data_dir)),
        },
    )


def row(page: Any, voter_class: str) -> list[str]:
    cells = page.locator(f'#turnout-table tr[data-class="{voter_class}"] td')
    return list(cells.all_inner_texts())


@pytest.mark.browser
def test_the_total_turnout_is_shown_and_kept_current(browser: Any, server: Server) -> None:
    add_official(server, "ro", "returning-officer")
    api = Http(server.url)
    codes = open_ballot(api)
    api.call("POST", "/api/ballots", {"credential": codes["M1"], "ranking": ["Owen Smith"]})
    record_envelope(server, codes["S1"])

    context, page = new_page(browser, server, width=1000)
    sign_in_official(page)
    page.goto(f"/official/contests/{CONTEST}")
    caption = page.locator("#turnout-table caption").inner_text()
    assert "Online votes" not in caption
    assert "postal envelope" in caption
    assert row(page, "member") == ["3", "1", "33.3%"]
    assert row(page, "registered_supporter") == ["1", "1", "100.0%"]
    assert row(page, "total") == ["4", "2", "50.0%"]
    assert_accessible(page)

    # a vote comes in: the script brings every row up to date, the total included
    api.call("POST", "/api/ballots", {"credential": codes["M2"], "ranking": ["Jeremy Corbyn"]})
    page.wait_for_function(
        """() => document.querySelector('#turnout-table tr[data-class="total"] .voted')
            .textContent === '3'"""
    )
    assert row(page, "member") == ["3", "2", "66.7%"]
    assert row(page, "total") == ["4", "3", "75.0%"]
    context.close()
