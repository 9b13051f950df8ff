"""Turnout is declared as exact figures, verified, and shown as declared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mandate.errors import VerificationError
from mandate.service import ContestService
from mandate.service.results import count_contest, declare_contest
from mandate.service.turnout import percent
from mandate.service.verify import verify_published
from mandate.web.published import PublishedContest
from tests.integration.contests.conftest import CANDIDATES, OpenContest


def _declared(service: ContestService, ready: OpenContest, root: Path) -> Path:
    """Two thirds of the electors vote; the contest is counted and declared."""
    credentials = list(ready.credentials.values())
    for n, credential in enumerate(credentials[: len(credentials) * 2 // 3]):
        service.cast(credential, [CANDIDATES[n % 3 == 0], CANDIDATES[n % 3 != 0]])
    service.close_ballot(ready.contest_id)
    count_contest(service, ready.contest_id)
    return declare_contest(service, ready.contest_id, root)


def _resign(
    service: ContestService, ready: OpenContest, folder: Path, edit: dict[str, str]
) -> None:
    signed = json.loads((folder / "declaration.json").read_text())
    signed["declaration"]["by_class"][0].update(edit)
    signed["signature"]["value"] = service.signer.sign(  # type: ignore[union-attr]
        signed["declaration"]
    )
    (folder / "declaration.json").write_text(json.dumps(signed))


def test_the_declaration_publishes_exact_turnout_figures(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    folder = _declared(service, ready, tmp_path)
    declaration = json.loads((folder / "declaration.json").read_text())["declaration"]
    voted = len(ready.credentials) * 2 // 3
    assert declaration["ballots"]["returned"] == voted
    assert declaration["ballots"]["turnout_percent"] == percent(voted, len(ready.credentials))
    assert sum(c["returned"] for c in declaration["by_class"]) == voted
    for figures in (declaration["ballots"], *declaration["by_class"]):
        assert isinstance(figures["returned"], int)
        assert figures["returned"] == figures["valid"] + figures["spoilt"]
        assert figures["turnout_percent"] == percent(figures["returned"], figures["electorate"])
    verify_published(folder, public_key=service.public_key(ready.contest_id))


def test_a_declared_turnout_that_the_ballots_do_not_give_is_refused(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    folder = _declared(service, ready, tmp_path)
    _resign(service, ready, folder, {"turnout_percent": "99.9"})
    with pytest.raises(VerificationError, match=r"turnout '99\.9'% declared"):
        verify_published(folder)


def test_the_result_page_shows_the_declared_turnout(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    folder = _declared(service, ready, tmp_path)
    page = PublishedContest(contest=ready.contest_id, folder=folder)
    declaration = page.declaration()
    shown = {c.id: c.turnout_percent for c in page.by_class()}
    assert shown == {
        c["id"]: c["turnout_percent"] if c["electorate"] else "–" for c in declaration["by_class"]
    }
    _resign(service, ready, folder, {"turnout_percent": "12.3"})
    first = page.by_class()[0]
    assert first.electorate
    assert first.turnout_percent == "12.3"  # the page reads what was declared
