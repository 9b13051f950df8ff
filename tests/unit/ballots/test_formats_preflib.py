"""PrefLib ordinal files: equal ranks in braces, declared totals, and errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from mandate.ballots.formats.preflib import parse_preflib, read_preflib, write_preflib
from mandate.errors import BallotFormatError, UnknownCandidateError
from mandate.ids import CandidateId

HEADER = [
    "# DATA TYPE: toi",
    "# ALTERNATIVE NAME 1: Ann",
    "# ALTERNATIVE NAME 2: Bob",
    "# ALTERNATIVE NAME 3: Cy",
]
A, B, C = CandidateId("Ann"), CandidateId("Bob"), CandidateId("Cy")


def test_braces_hold_candidates_ranked_equal() -> None:
    profile = parse_preflib([*HEADER, "4: 1,{2,3}", "1: 3"], source="x.toi")
    assert {b.ranking: b.count for b in profile.ballots} == {
        (frozenset({A}), frozenset({B, C})): 4,
        (frozenset({C}),): 1,
    }
    assert profile.candidate_ids == (A, B, C)


def test_ties_in_a_strict_order_file_are_an_error() -> None:
    lines = ["# DATA TYPE: soi", *HEADER[1:], "4: 1,{2,3}"]
    with pytest.raises(BallotFormatError, match=r"x.soi, line 5, ballot 1: equal ranks"):
        parse_preflib(lines, source="x.soi")


def test_fewer_voters_than_declared_means_a_cut_off_file() -> None:
    lines = [*HEADER, "# NUMBER VOTERS: 9", "# NUMBER UNIQUE ORDERS: 2", "4: 1,2", "1: 3"]
    with pytest.raises(BallotFormatError, match="number voters 9 but the file has 5: was it cut"):
        parse_preflib(lines, source="x.toi")


def test_a_ranking_cut_off_mid_line_is_an_error() -> None:
    with pytest.raises(BallotFormatError, match="line 5, ballot 1: cannot read the ranking"):
        parse_preflib([*HEADER, "4: 1,{2,3"], source="x.toi")
    with pytest.raises(BallotFormatError, match="ends with a comma"):
        parse_preflib([*HEADER, "4: 1,2,"], source="x.toi")


def test_an_undeclared_alternative_is_an_error() -> None:
    with pytest.raises(BallotFormatError, match=r"line 5, ballot 1: unknown alternative '7'"):
        parse_preflib([*HEADER, "4: 1,7"], source="x.toi")


def test_given_candidates_reject_a_declared_name_they_do_not_list() -> None:
    with pytest.raises(UnknownCandidateError, match=r"x\.toi, line 5, ballot 1: unknown candidate"):
        parse_preflib([*HEADER, "4: 1,2"], source="x.toi", candidates=["Ann", "Cy"])


def test_a_bad_data_line_is_named() -> None:
    with pytest.raises(BallotFormatError, match=r"line 5, ballot 1: expected 'count: a,b"):
        parse_preflib([*HEADER, "four: 1"], source="x.toi")


def test_write_then_read_gives_the_same_ballots() -> None:
    profile = parse_preflib([*HEADER, "4: 1,{2,3}", "1: 3", "2: 2,1"], source="x.toi")
    again = parse_preflib(write_preflib(profile).splitlines(), source="y.toi")
    assert {b.ranking: b.count for b in again.ballots} == {
        b.ranking: b.count for b in profile.ballots
    }
    assert again.candidate_ids == profile.candidate_ids


def test_progress_is_reported_in_bytes_up_to_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "b.toi"
    text = "\n".join([*HEADER, "4: 1,{2,3}", "1: 3"]) + "\n"
    path.write_text(text, encoding="utf-8")
    seen: list[int] = []
    read_preflib(path, progress=seen.append)
    assert seen[-1] == len(text.encode())


def test_a_header_key_given_twice_differently_is_refused() -> None:
    """Issue 10, item 28: the last '# NUMBER VOTERS' used to win silently."""
    lines = [
        "# NUMBER VOTERS: 3",
        "# ALTERNATIVE NAME 1: Ann",
        "# NUMBER VOTERS: 2",
        "2: 1",
    ]
    with pytest.raises(BallotFormatError, match="NUMBER VOTERS is given twice") as info:
        parse_preflib(lines, source="x.toi")
    assert info.value.line == 3


def test_a_count_of_alternatives_that_differs_from_the_names_is_refused() -> None:
    lines = ["# NUMBER ALTERNATIVES: 3", "# ALTERNATIVE NAME 1: Ann", "# ALTERNATIVE NAME 2: Bob"]
    with pytest.raises(BallotFormatError, match="declares '3' alternatives but names 2"):
        parse_preflib([*lines, "2: 1,2"], source="x.toi")
