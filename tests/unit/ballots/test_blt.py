"""BLT reading and writing: the format, its extensions, and an error for each kind of bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from mandate.ballots.formats.blt import parse_blt, read_blt, write_blt
from mandate.ballots.model import Ballot
from mandate.errors import BallotFormatError, InputError
from mandate.ids import CandidateId

A, B, C = CandidateId("Ann"), CandidateId("Bob"), CandidateId("Cy")


def _parse(text: str) -> object:
    return parse_blt(text.splitlines(keepends=True), source="t.blt")


def _error(text: str) -> BallotFormatError:
    with pytest.raises(BallotFormatError) as info:
        _parse(text)
    return info.value


def test_reads_header_ballots_names_and_title() -> None:
    p = parse_blt(
        ["3 2\n", "4 1 2 0\n", "2 3 0\n", "0\n", '"Ann"\n', '"Bob"\n', '"Cy"\n', '"Club"\n'],
        source="t.blt",
    )
    assert p.seats == 2
    assert p.title == "Club"
    assert p.candidate_ids == (A, B, C)
    assert p.ballots == (
        Ballot(ranking=(frozenset({A}), frozenset({B})), count=4),
        Ballot(ranking=(frozenset({C}),), count=2),
    )


def test_identical_ballots_are_merged_while_reading() -> None:
    p = parse_blt(["2 1", "1 1 2 0", "2 2 0", "3 1 2 0", "0", '"Ann"', '"Bob"'], source="x")
    assert [(b.ranking, b.count) for b in p.ballots] == [
        ((frozenset({A}), frozenset({B})), 4),
        ((frozenset({B}),), 2),
    ]


def test_withdrawn_line_equal_ranks_skips_ids_and_comments() -> None:
    p = parse_blt(
        [
            "3 1  # header",
            "-2",
            "(b7) 1 1=3 - 2 0",
            "1 3 0 # a comment",
            "0",
            '"Ann" "Bob"',
            '"Cy"',
        ],
        source="x",
    )
    assert p.withdrawn == frozenset({B})
    assert p.ballots[0].ranking == (frozenset({A, C}), frozenset(), frozenset({B}))
    assert p.title is None


def test_write_then_read_gives_the_same_profile() -> None:
    text = '3 2\n-3\n4 1 2=3 0\n1 - 2 0\n1 0\n0\n"Ann"\n"Bob"\n"Cy"\n"T"\n'
    p = parse_blt(text.splitlines(), source="x")
    assert write_blt(p) == text
    assert parse_blt(write_blt(p).splitlines(), source="y") == p


def test_read_blt_reads_a_real_file(shared_data: Path) -> None:
    p = read_blt(shared_data / "glasgow-2007" / "Calton-2007.blt")
    assert (len(p.candidates), p.seats, p.total, p.title) == (10, 3, 5199, "CALTON")


def test_wrong_count_of_seats_is_an_error() -> None:
    error = _error('2 3\n1 1 0\n0\n"A"\n"B"\n')
    assert (error.path, error.line) == ("t.blt", 1)
    assert "wrong count of seats" in str(error)
    assert "wrong count of seats" in str(_error('2 0\n1 1 0\n0\n"A"\n"B"\n'))


def test_header_that_is_not_two_numbers_is_an_error() -> None:
    assert "header" in str(_error('2\n1 1 0\n0\n"A"\n"B"\n'))
    assert "whole number" in str(_error('x 1\n1 1 0\n0\n"A"\n"B"\n'))


def test_candidate_number_out_of_range_names_the_line() -> None:
    error = _error('2 1\n1 1 0\n1 2 3 0\n0\n"A"\n"B"\n')
    assert error.line == 3
    assert "candidate number 3 is out of range" in str(error)


def test_withdrawn_candidate_out_of_range_is_an_error() -> None:
    assert "out of range" in str(_error('2 1\n-5\n1 1 0\n0\n"A"\n"B"\n'))


def test_file_cut_off_mid_line_is_an_error() -> None:
    error = _error("3 1\n2 1 2 0\n1 2 3")
    assert error.line == 3
    assert "does not end with 0" in str(error)


def test_missing_end_marker_is_an_error() -> None:
    error = _error("2 1\n2 1 2 0\n1 2 0\n")
    assert "ends before the 0" in str(error)
    assert error.line == 3


def test_names_before_end_marker_is_an_error() -> None:
    error = _error('2 1\n2 1 2 0\n"A"\n"B"\n')
    assert error.line == 3
    assert "before the 0 line" in str(error)


def test_missing_names_is_an_error() -> None:
    error = _error('3 1\n2 1 2 0\n0\n"A"\n"B"\n')
    assert "missing candidate names" in str(error)
    assert "declares 3" in str(error)


def test_repeated_name_is_an_error() -> None:
    error = _error('2 1\n1 1 0\n0\n"A"\n"A"\n')
    assert error.line == 5
    assert "repeated" in str(error)


def test_unclosed_quote_and_trailing_text_are_errors() -> None:
    assert "not closed" in str(_error('2 1\n1 1 0\n0\n"A"\n"B\n'))
    assert "after the title" in str(_error('2 1\n1 1 0\n0\n"A"\n"B"\n"T"\n"extra"\n'))


def test_bad_weight_is_an_error() -> None:
    assert "weight" in str(_error('2 1\n0 1 0\n1 1 0\n0\n"A"\n"B"\n'))
    assert "whole number" in str(_error('2 1\n1.5 1 0\n0\n"A"\n"B"\n'))


def test_empty_file_is_an_error() -> None:
    assert "empty file" in str(_error(""))


def test_read_blt_names_the_file_when_it_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.blt"
    path.write_bytes(b'1 1\n1 1 0\n0\n"\xff"\n')
    with pytest.raises(BallotFormatError) as info:
        read_blt(path)
    assert info.value.path == str(path)


def test_write_refuses_a_name_with_a_quote() -> None:
    p = parse_blt(["1 1", "1 1 0", "0", 'Ann "the" Pen'], source="x")
    with pytest.raises(InputError):
        write_blt(p)


@pytest.mark.parametrize("folder", ["glasgow-2007", "stv-reference"])
def test_every_shared_blt_file_survives_a_round_trip(shared_data: Path, folder: str) -> None:
    for path in sorted((shared_data / folder).glob("*.blt")):
        profile = read_blt(path)
        again = parse_blt(write_blt(profile).splitlines(), source=str(path))
        assert again == profile, path.name
