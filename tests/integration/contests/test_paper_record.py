"""Paper ballots checked against the record (issue 10, items 9 and 22).

A batch's label is used once; a class's paper ballots and spoilt papers never exceed the
returned envelopes recorded for it; a class never returns more ballots than it has electors,
refused before the declaration and again by ``mandate verify`` in the published record.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from mandate.errors import PaperBatchError, VerificationError
from mandate.service import ContestService
from mandate.service.lifecycle import IssuesError
from mandate.service.results import count_contest, declare_contest
from mandate.service.verify import verify_published
from mandate.storage.sql import SqlStore
from tests.integration.contests.conftest import CANDIDATES, OpenContest


def codes_of(ready: OpenContest, voter_class: str) -> list[str]:
    return [c for m, c in ready.credentials.items() if ready.classes[m] == voter_class]


def enter(
    service: ContestService, ready: OpenContest, label: str, ballots: int, spoilt: int = 0
) -> None:
    service.enter_paper_batch(
        ready.contest_id,
        label=label,
        voter_class="registered_supporter",
        ballots=[[CANDIDATES[0]]] * ballots,
        spoilt=spoilt,
    )


def paper_stored(service: ContestService, ready: OpenContest) -> int:
    return sum(1 for b in service.store.ballots(ready.contest_id) if b.channel == "paper")


def test_the_same_batch_label_is_refused_naming_it_and_when_it_was_entered(
    service: ContestService, ready: OpenContest
) -> None:
    service.record_envelopes(ready.contest_id, codes_of(ready, "registered_supporter"))
    enter(service, ready, "Postal box 1", 2)
    for again in ("Postal box 1", "  postal   BOX 1 "):
        with pytest.raises(PaperBatchError) as refused:
            enter(service, ready, again, 2)
        today = service.paper_batches(ready.contest_id)[0].entered_on.isoformat()
        assert str(refused.value).startswith(
            f"a paper batch labelled 'Postal box 1' was already entered on {today} by "
            "returning officer (2 ballots, 0 spoilt)"
        )
        assert refused.value.field == "label"
    assert [b.label for b in service.paper_batches(ready.contest_id)] == ["Postal box 1"]
    assert paper_stored(service, ready) == 2


def test_paper_ballots_without_envelopes_are_refused_naming_batch_class_and_counts(
    service: ContestService, ready: OpenContest
) -> None:
    # The attack of the issue: 50 ballots and 7 spoilt into a class of few electors, no
    # envelope recorded. Refused, and nothing stored.
    with pytest.raises(PaperBatchError) as refused:
        enter(service, ready, "box 9", 50, spoilt=7)
    assert str(refused.value) == (
        "paper batch 'box 9' (Registered supporters): 50 ballots and 7 spoilt is 57, more "
        "than the envelopes allow: 0 returned envelopes of this class recorded, 0 papers "
        "entered before, so 0 left. Record the returned envelopes first, or check the "
        "batch's class and counts"
    )
    assert paper_stored(service, ready) == 0
    assert service.paper_batches(ready.contest_id) == ()

    # Three envelopes returned: three papers may be entered, and not a fourth.
    supporters = codes_of(ready, "registered_supporter")
    assert service.record_envelopes(ready.contest_id, supporters[:3]) == (None, None, None)
    enter(service, ready, "box 1", 2)
    with pytest.raises(PaperBatchError, match=r"2 papers entered before, so 1 left"):
        enter(service, ready, "box 2", 1, spoilt=1)
    enter(service, ready, "box 2", 0, spoilt=1)
    with pytest.raises(PaperBatchError, match="so 0 left"):
        enter(service, ready, "box 3", 1)
    # An online vote of the class is no envelope.
    service.cast(supporters[3], [CANDIDATES[1]])
    with pytest.raises(PaperBatchError, match="3 returned envelopes of this class recorded"):
        enter(service, ready, "box 3", 1)
    assert paper_stored(service, ready) == 2


@pytest.mark.parametrize("spoilt", [10**15, 10**20, -1])
def test_an_impossible_spoilt_count_is_refused_before_anything(
    service: ContestService, ready: OpenContest, spoilt: int
) -> None:
    service.record_envelopes(ready.contest_id, codes_of(ready, "registered_supporter"))
    with pytest.raises(PaperBatchError, match=r"^paper batch 'box 1': ") as refused:
        enter(service, ready, "box 1", 1, spoilt=spoilt)
    assert refused.value.field == "spoilt"
    assert service.paper_batches(ready.contest_id) == ()


def _tamper_batch(service: ContestService, ready: OpenContest, spoilt: int) -> None:
    """Write a paper batch straight into the database, past every check (an old record, or an
    edited one)."""
    store = service.store
    assert isinstance(store, SqlStore)
    with store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO paper_batches (id, contest_id, label, voter_class, entered_by, "
                "ballots, spoilt, entered_on) VALUES ('x', :c, 'old box', "
                "'registered_supporter', 'someone', 0, :s, '2016-08-09')"
            ),
            {"c": ready.contest_id, "s": spoilt},
        )


def test_a_class_returning_more_ballots_than_electors_is_not_declared(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    supporters = codes_of(ready, "registered_supporter")
    service.cast(supporters[0], [CANDIDATES[0]])
    _tamper_batch(service, ready, spoilt=4)  # 1 online + 4 spoilt, of 4 supporters
    service.close_ballot(ready.contest_id)
    count_contest(service, ready.contest_id)
    with pytest.raises(IssuesError) as refused:
        declare_contest(service, ready.contest_id, tmp_path / "published")
    assert "Registered supporters: 5 ballots returned (1 online, 4 on paper with spoilt) " in (
        str(refused.value)
    )
    assert "but 4 electors" in str(refused.value)
    assert not (tmp_path / "published" / ready.contest_id / "declaration.json").exists()
    assert service.state(ready.contest_id).value == "counted"


def test_paper_not_covered_by_envelopes_is_not_declared(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    _tamper_batch(service, ready, spoilt=2)
    service.cast(codes_of(ready, "member")[0], [CANDIDATES[0]])
    service.close_ballot(ready.contest_id)
    count_contest(service, ready.contest_id)
    with pytest.raises(IssuesError, match="2 papers entered but 0 returned envelopes recorded"):
        declare_contest(service, ready.contest_id, tmp_path / "published")


def _declared(service: ContestService, ready: OpenContest, tmp_path: Path) -> Path:
    for code in codes_of(ready, "member")[:3]:
        service.cast(code, [CANDIDATES[0]])
    supporters = codes_of(ready, "registered_supporter")
    service.cast(supporters[0], [CANDIDATES[0], CANDIDATES[1]])
    service.record_envelopes(ready.contest_id, supporters[1:3])
    enter(service, ready, "box 1", 1, spoilt=1)
    service.close_ballot(ready.contest_id)
    count_contest(service, ready.contest_id)
    return declare_contest(service, ready.contest_id, tmp_path / "published")


def _resign(service: ContestService, ready: OpenContest, folder: Path, change: object) -> None:
    """Edit the declaration with ``change`` and sign it again with the contest's own key."""
    path = folder / "declaration.json"
    signed = json.loads(path.read_text(encoding="utf-8"))
    declaration = signed["declaration"]
    change(declaration)  # type: ignore[operator]
    signed["signature"]["value"] = service.signer_for(ready.contest_id).sign(declaration)
    path.write_text(json.dumps(signed), encoding="utf-8")


def _supporters(declaration: dict[str, object]) -> dict[str, object]:
    sections = declaration["by_class"]
    assert isinstance(sections, list)
    found: dict[str, object] = next(s for s in sections if s["id"] == "registered_supporter")
    return found


def test_verify_fails_a_record_returning_more_ballots_than_electors(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    folder = _declared(service, ready, tmp_path)
    assert verify_published(folder).ballots == 5

    def shrink(declaration: dict[str, object]) -> None:
        # 3 returned of an electorate cut to 2 (turnout recomputed, as a forger would)
        section = _supporters(declaration)
        section["electorate"] = 2
        section["turnout_percent"] = "150.0"
        totals = declaration["ballots"]
        assert isinstance(totals, dict)
        totals["electorate"] = totals["electorate"] - 2
        totals["turnout_percent"] = "60.0"

    _resign(service, ready, folder, shrink)
    message = re.escape(
        "class 'registered_supporter', 3 ballots returned (valid and spoilt) but only 2 electors"
    )
    with pytest.raises(VerificationError, match=message):
        verify_published(folder)


def test_verify_fails_a_record_whose_online_and_paper_do_not_make_the_valid(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    folder = _declared(service, ready, tmp_path)

    def move(declaration: dict[str, object]) -> None:
        section = _supporters(declaration)
        section["paper"] = 3  # one paper ballot declared as three, valid unchanged

    _resign(service, ready, folder, move)
    # Either check catches it: the classes no longer add up to the total, and the class's
    # online and paper no longer make its valid ballots.
    with pytest.raises(VerificationError, match=r"1 paper declared in total, the classes add up"):
        verify_published(folder)

    def move_total_too(declaration: dict[str, object]) -> None:
        move(declaration)
        ballots = declaration["ballots"]
        assert isinstance(ballots, dict)
        ballots["paper"] = int(ballots["paper"]) + 2

    _resign(service, ready, folder, move_total_too)
    with pytest.raises(
        VerificationError,
        match=r"online and 3 paper ballots declared, which do not add up to the 5 valid",
    ):
        verify_published(folder)
