"""Counts in words: singular for exactly one (issue 10, item 17)."""

from __future__ import annotations

from mandate.wording import plural


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert plural(1, "ballot") == "1 ballot"
    assert plural(0, "ballot") == "0 ballots"
    assert plural(2, "nomination") == "2 nominations"
    assert plural(1, "entry", "entries") == "1 entry"
    assert plural(21_000, "entry", "entries") == "21,000 entries"


def test_refusals_count_in_words() -> None:
    from pathlib import Path
    from tempfile import TemporaryDirectory

    import pytest

    from mandate.errors import RollImportError
    from mandate.service.lifecycle import check_open_ballot
    from mandate.service.rolls import read_roll

    (issue, *_) = check_open_ballot(standing=1, electors=5, credentials_issued=True)
    assert issue.problem.startswith("1 candidate standing;")
    (issue, *_) = check_open_ballot(standing=0, electors=5, credentials_issued=True)
    assert issue.problem.startswith("0 candidates standing;")
    with TemporaryDirectory() as folder:
        roll = Path(folder) / "roll.csv"
        roll.write_text("member_id,voter_class\nM1,member\n", encoding="utf-8")
        with pytest.raises(RollImportError, match="missing column joined in the header"):
            list(read_roll(roll, voter_classes=["member"]))
