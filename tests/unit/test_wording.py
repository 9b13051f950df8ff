"""Counts in words: singular for exactly one (issue 10, item 17)."""

from __future__ import annotations

from mandate.wording import plural


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert plural(1, "ballot") == "1 ballot"
    assert plural(0, "ballot") == "0 ballots"
    assert plural(2, "nomination") == "2 nominations"
    assert plural(1, "entry", "entries") == "1 entry"
    assert plural(21_000, "entry", "entries") == "21,000 entries"
