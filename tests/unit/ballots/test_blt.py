"""BLT reading and writing: the format, its extensions, and an error for each kind of bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from mandate.ballots.formats.blt import parse_blt, read_blt, write_blt
from mandate.ballots.model import Ballot, Profile
from mandate.counting.stv import StvRules, count_stv
from mandate.errors import BallotFormatError, InputError, UnresolvedTieError
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


def test_an_unclosed_quote_is_an_error() -> None:
    assert "not closed" in str(_error('2 1\n1 1 0\n0\n"A"\n"B\n'))


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


# -- BLT as people write it (issue 10, item 5) ---------------------------------------------------

# Shaped like the ERBS validation file M135 (Wichmann, 1999): quoted source and comment strings
# after the title, then the first preferences and quota as unquoted lines.
_VALIDATION = """3 1
2 1 2 0
1 3 0
1 0
0
"C1"
"C2"
"C3"
"M999: Gen v1.1 1 3 45"
"A. Validator, email: validator@example.org"
"The validation of the STV programs, 1st September 1999."
First Prefs
  2  0  1
Quota  2.00
"""


def test_text_after_the_title_is_kept_as_a_note_and_reported() -> None:
    p = _parse(_VALIDATION)
    assert isinstance(p, Profile)
    assert p.title == "M999: Gen v1.1 1 3 45"
    assert p.note == (
        '"A. Validator, email: validator@example.org"\n'
        '"The validation of the STV programs, 1st September 1999."\n'
        "First Prefs\n  2  0  1\nQuota  2.00"
    )
    assert p.remarks == ("lines 10-14: text after the title, kept as a note",)
    assert p.total == 4


def test_a_note_survives_a_round_trip() -> None:
    p = _parse(_VALIDATION)
    assert isinstance(p, Profile)
    again = _parse(write_blt(p))
    assert isinstance(again, Profile)
    assert (again.title, again.note, again.ballots) == (p.title, p.note, p.ballots)


def test_withdrawn_option_withdraws_as_droop_reads_it() -> None:
    p = _parse('3 1\n[withdrawn 2]\n2 1 2 0\n1 2 3 0\n0\n"Ann"\n"Bob"\n"Cy"\n"T"\n')
    assert isinstance(p, Profile)
    assert p.withdrawn == frozenset({B})
    assert p.remarks == ("line 2: withdrawn before the count: Bob",)
    assert p.total == 3


def test_nicknames_name_candidates_on_ballot_lines_and_in_options() -> None:
    text = (
        '3 2\n[nick a b c]\n[withdrawn c]\n5 a b 0\n1 b=c 0\n3 c a 0\n0\n"Ann"\n"Bob"\n"Cy"\n"T"\n'
    )
    p = _parse(text)
    assert isinstance(p, Profile)
    assert {b.ranking: b.count for b in p.ballots} == {
        (frozenset({A}), frozenset({B})): 5,
        (frozenset({B, C}),): 1,
        (frozenset({C}), frozenset({A})): 3,
    }
    assert p.withdrawn == frozenset({C})
    assert (
        "line 2: [nick] nicknames used on the ballot lines: a = Ann, b = Bob, c = Cy" in p.remarks
    )
    assert "line 3: withdrawn before the count: Cy" in p.remarks


def test_tie_option_gives_the_tie_order() -> None:
    p = _parse('3 2\n[tie 3 2 1]\n4 1 2 0\n2 3 0\n0\n"Ann"\n"Bob"\n"Cy"\n"T"\n')
    assert isinstance(p, Profile)
    assert p.tie_order == (C, B, A)
    assert p.remarks == (
        "line 2: [tie] order for ties the rules leave to lot (STV), the earliest of the tied "
        "chosen: Cy, Bob, Ann",
    )
    again = _parse(write_blt(p))
    assert isinstance(again, Profile)
    assert again.tie_order == (C, B, A)


def test_droop_and_undeclared_options_are_read_and_reported() -> None:
    text = '3 1\n[droop precision=5 rule=meek]\n[undeclared 3]\n1 1 0\n0\n"Ann"\n"Bob"\n"W"\n'
    p = _parse(text)
    assert isinstance(p, Profile)
    assert [c.write_in for c in p.candidates] == [False, False, True]
    assert p.remarks == (
        "line 2: [droop precision=5 rule=meek] Droop's own counting options, not applied",
        "line 3: [undeclared] standing for undeclared write-ins: W",
    )


def test_an_option_may_go_on_over_lines() -> None:
    p = _parse('3 1\n[tie 3\n 2 1]\n1 1 0\n0\n"Ann"\n"Bob"\n"Cy"\n')
    assert isinstance(p, Profile)
    assert p.tie_order == (C, B, A)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('2 1\n[colour red]\n1 1 0\n0\n"A"\n"B"\n', 2, "unknown BLT option [colour]"),
        ('2 1\n[tie 1]\n1 1 0\n0\n"A"\n"B"\n', 2, "[tie] must list each of the 2"),
        ('2 1\n[tie 1 1]\n1 1 0\n0\n"A"\n"B"\n', 2, "[tie] must list each of the 2"),
        ('2 1\n[tie 1 x]\n1 1 0\n0\n"A"\n"B"\n', 2, "[tie] item must be a candidate"),
        ('2 1\n[nick a]\n1 1 0\n0\n"A"\n"B"\n', 2, "[nick] must give a nickname to each"),
        ('2 1\n[nick a a]\n1 1 0\n0\n"A"\n"B"\n', 2, "nickname 'a' is given twice"),
        ('2 1\n[nick 2 1]\n1 1 0\n0\n"A"\n"B"\n', 2, "cannot be read on a ballot line"),
        ('2 1\n[withdrawn 3]\n1 1 0\n0\n"A"\n"B"\n', 2, "out of range"),
        ('2 1\n[withdrawn 1 1]\n1 1 0\n0\n"A"\n"B"\n', 2, "names candidate '1' twice"),
        ("2 1\n[tie 1 2\n", 2, "never closed"),
        ('2 1\n[tie 1 2] 1 1 0\n0\n"A"\n"B"\n', 2, "after the option's closing"),
        ('2 1\n1 1 0\n[tie 1 2]\n0\n"A"\n"B"\n', 3, "an option after the first ballot"),
        ('2 1\n[nick a b]\n1 a c 0\n0\n"A"\n"B"\n', 3, "number from 1 to 2 or nickname"),
    ],
)
def test_a_bad_option_is_one_clear_error_naming_its_line(
    text: str, line: int, message: str
) -> None:
    error = _error(text)
    assert error.line == line
    assert message in str(error)
    assert "cut off mid-line" not in str(error)


@pytest.mark.parametrize("rules", list(StvRules))
def test_the_tie_order_settles_an_stv_tie_left_to_lot(rules: StvRules) -> None:
    """A and B tie at every stage; Droop chooses the earliest of the tied in [tie] (here for
    exclusion), so the other is elected. Without the option the tie needs a seed."""
    ballots = '2 1 0\n2 2 0\n1 3 0\n0\n"Ann"\n"Bob"\n"Cy"\n'
    with pytest.raises(UnresolvedTieError):
        count_stv(_parse_profile("3 1\n" + ballots), seats=1, rules=rules)
    first_ann = count_stv(_parse_profile("3 1\n[tie 1 2 3]\n" + ballots), seats=1, rules=rules)
    first_bob = count_stv(_parse_profile("3 1\n[tie 2 1 3]\n" + ballots), seats=1, rules=rules)
    assert (first_ann.elected, first_bob.elected) == ((B,), (A,))
    record = next(t for r in first_ann.rounds for t in r.tiebreaks)
    assert record.method == "lot (the tie order given with the ballots)"


def _parse_profile(text: str) -> Profile:
    profile = _parse(text)
    assert isinstance(profile, Profile)
    return profile


def test_weights_that_add_up_past_what_a_count_holds_are_refused_with_the_line() -> None:
    error = _error('2 1\n9223372036854775807 1 0\n1 2 0\n0\n"A"\n"B"\n')
    assert error.line == 3
    assert "ballots mandate can count" in str(error)


def test_a_huge_weight_is_refused_in_one_short_line() -> None:
    error = _error("2 1\n" + "9" * 5000 + ' 1 0\n0\n"A"\n"B"\n')
    assert error.line == 2
    assert len(str(error)) < 200


def test_the_officers_lot_goes_before_the_files_tie_order() -> None:
    ballots = '2 1 0\n2 2 0\n1 3 0\n0\n"Ann"\n"Bob"\n"Cy"\n'
    profile = _parse_profile("3 1\n[tie 1 2 3]\n" + ballots)
    by_file = count_stv(profile, seats=1, rules=StvRules.SCOTTISH)
    by_officer = count_stv(profile, seats=1, rules=StvRules.SCOTTISH, lot=["Bob", "Ann", "Cy"])
    assert (by_file.elected, by_officer.elected) == ((B,), (B,))
    by_officer = count_stv(profile, seats=1, rules=StvRules.SCOTTISH, lot=["Ann", "Bob", "Cy"])
    assert by_officer.elected == (A,)
    record = next(t for r in by_officer.rounds for t in r.tiebreaks)
    assert record.method == "lot (drawn by the returning officer)"
