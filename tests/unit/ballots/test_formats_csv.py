"""mandate's CSV ballot format: reading, writing, and the errors it names."""

from __future__ import annotations

from pathlib import Path

import pytest

from mandate.ballots.formats._builder import BallotLimit
from mandate.ballots.formats.csv import iter_csv, parse_csv, read_csv, write_csv
from mandate.ballots.model import UNRECORDED_OVERVOTE, Candidate, Profile
from mandate.errors import BallotFormatError, InputError, UnknownCandidateError
from mandate.ids import CandidateId

A, B, C = CandidateId("Ann"), CandidateId("Bob"), CandidateId("Cy")


def rankings(profile):  # type: ignore[no-untyped-def]
    return {b.ranking: b.count for b in profile.ballots}


def test_rows_with_counts_skips_overvotes_and_unrecorded_overvotes() -> None:
    profile = parse_csv(
        ["count,rank1,rank2,rank3", "3,Ann,,Bob", "2,Ann=Bob,Cy,", "1,#overvote,Cy,"],
        source="x.csv",
    )
    assert rankings(profile) == {
        (frozenset({A}), frozenset(), frozenset({B})): 3,
        (frozenset({A, B}), frozenset({C})): 2,
        (frozenset({UNRECORDED_OVERVOTE}), frozenset({C})): 1,
    }


def test_candidates_are_declared_in_order_of_first_appearance() -> None:
    profile = parse_csv(["rank1,rank2", "Cy,Ann", "Bob,Cy"], source="x.csv")
    assert profile.candidate_ids == (C, A, B)


def test_identical_rows_are_merged_while_reading() -> None:
    profile = parse_csv(["rank1,rank2", "Ann,Bob", "Ann,Bob", "Ann,Bob,"], source="x.csv")
    assert len(profile.ballots) == 1
    assert profile.total == 3


def test_a_blank_row_of_cells_is_a_blank_ballot() -> None:
    profile = parse_csv(["count,rank1,rank2", "4,,", "1,Ann,"], source="x.csv")
    blank = [b for b in profile.ballots if b.is_blank]
    assert [b.count for b in blank] == [4]


def test_given_candidates_set_the_order_and_reject_anyone_else() -> None:
    profile = parse_csv(["rank1", "Bob"], source="x.csv", candidates=["Ann", "Bob"])
    assert profile.candidate_ids == (A, B)
    with pytest.raises(UnknownCandidateError) as caught:
        parse_csv(["rank1", "Bob", "Zed"], source="x.csv", candidates=["Ann", "Bob"])
    assert "x.csv, line 3, ballot 2" in str(caught.value)
    assert "'Zed'" in str(caught.value)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["rank2,rank1", "Ann,Bob"], "line 1: expected a header"),
        (["count,rank1", "0,Ann"], "line 2, ballot 1: count must be a whole number"),
        (["count,rank1", "x,Ann"], "line 2, ballot 1: count must be a whole number"),
        (["rank1", "Ann,Bob"], "line 2, ballot 1: 2 cells but the header has 1"),
        (["rank1", "Ann=", "Bob"], "line 2, ballot 1: an empty name"),
        ([], "the file is empty"),
    ],
)
def test_bad_rows_are_named_by_line_and_ballot(lines: list[str], expected: str) -> None:
    with pytest.raises(BallotFormatError) as caught:
        parse_csv(lines, source="x.csv")
    assert expected in str(caught.value)


def test_a_file_cut_off_mid_row_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_text("count,rank1,rank2,rank3\n2,Ann,Bob,Cy\n1,Bob,Cy", encoding="utf-8")
    with pytest.raises(BallotFormatError) as caught:
        read_csv(path)
    assert "cut.csv, line 3" in str(caught.value)
    assert "cut off" in str(caught.value)


def test_a_last_row_without_line_end_but_complete_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("rank1,rank2\nAnn,Bob", encoding="utf-8")
    assert read_csv(path).total == 1


def test_an_unterminated_quote_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('rank1,rank2\n"Ann,Bob\n', encoding="utf-8")
    with pytest.raises(BallotFormatError, match="not valid CSV"):
        read_csv(path)


def test_write_then_read_gives_the_same_ballots() -> None:
    profile = parse_csv(
        ["count,rank1,rank2,rank3", '3,"Smith, Jo",,Bob', "2,Bob=Cy,#overvote,", "1,,,"],
        source="x.csv",
    )
    again = parse_csv(write_csv(profile).splitlines(), source="y.csv")
    assert rankings(again) == rankings(profile)
    assert again.candidate_ids == profile.candidate_ids


def test_progress_is_reported_up_to_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    text = "rank1\n" + "Ann\n" * 10
    path.write_text(text, encoding="utf-8")
    seen: list[int] = []
    read_csv(path, progress=seen.append)
    assert seen[-1] == len(text.encode())


def test_blank_lines_are_not_ballots_and_do_not_shift_ballot_numbers() -> None:
    lines = ["count,rank1", "", "2,Ann", "", "2,Ann", "x,Bob"]
    with pytest.raises(BallotFormatError, match=r"line 6, ballot 3: count must be"):
        parse_csv(lines, source="x.csv")
    assert parse_csv(lines[:5], source="x.csv").total == 4


def test_a_quoted_cell_may_span_lines() -> None:
    profile = parse_csv(["rank1,rank2\n", '"Ann\n', 'Lee",Bob\n', "Bob,\n"], source="x.csv")
    assert [c.name for c in profile.candidates] == ["Ann\nLee", "Bob"]
    assert profile.total == 2


def test_the_csv_is_written_a_few_rows_at_a_time() -> None:
    profile = parse_csv(
        ["rank1,rank2", '"Smith, Jo",Bob', "Bob=Cy,#overvote", ",", "Cy,", "Bob,"],
        source="x.csv",
    )
    pieces = list(iter_csv(profile, batch=2))
    assert pieces == [
        "count,rank1,rank2\n",
        '1,"Smith, Jo",Bob\n1,Bob=Cy,#overvote\n',
        "1,,\n1,Cy,\n",
        "1,Bob,\n",
    ]
    assert "".join(pieces) == write_csv(profile)
    again = parse_csv("".join(pieces).splitlines(), source="y.csv")
    assert rankings(again) == rankings(profile)


def test_writing_csv_refuses_an_unwritable_name_before_any_text() -> None:
    profile = Profile(candidates=(Candidate(id=CandidateId("a"), name="Ann=Bob"),), ballots=())
    with pytest.raises(InputError, match="cannot be written to CSV"):
        iter_csv(profile)


@pytest.mark.parametrize("count", ["9" * 5000, "²", "٣", "+3", "9223372036854775808"])
def test_a_count_that_is_not_a_plain_whole_number_is_refused_in_one_short_line(
    count: str,
) -> None:
    """Issue 10, item 30: over 4,300 digits and other scripts' digits used to raise ValueError."""
    with pytest.raises(BallotFormatError, match="count must be a whole number") as info:
        parse_csv(["count,rank1", f"{count},Ann"], source="x.csv")
    assert info.value.line == 2
    assert len(str(info.value)) < 200


def test_a_limit_refuses_the_row_that_goes_over_it_before_anything_is_expanded() -> None:
    """Issue 10, item 21: counts are checked as they are read, never expanded."""
    import tracemalloc

    limit = BallotLimit(most=21, why="the 21 electors of class 'member'")
    rows = ["count,rank1,rank2", "20,Ann,Bob", "2147483648,Ann,Bob"]
    tracemalloc.start()
    try:
        with pytest.raises(BallotFormatError, match="more than 21 ballots") as info:
            parse_csv(rows, source="box.csv", limit=limit)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (info.value.path, info.value.line, info.value.where) == ("box.csv", 3, "ballot 2")
    assert peak < 1 << 20
    assert parse_csv([*rows[:2], "1,Bob,"], source="box.csv", limit=limit).total == 21


def test_counts_that_add_up_past_what_a_count_holds_are_refused_with_the_line() -> None:
    """Two counts of 2^63 - 1 used to end in an OverflowError traceback from NumPy."""
    rows = ["count,rank1", "9223372036854775807,Ann", "1,Bob"]
    with pytest.raises(BallotFormatError, match="ballots mandate can count") as info:
        parse_csv(rows, source="x.csv")
    assert (info.value.line, info.value.where) == (3, "ballot 2")
