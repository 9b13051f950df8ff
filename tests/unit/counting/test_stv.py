"""STV behaviour beyond the reference counts: ties, withdrawn candidates, odd ballots."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mandate.ballots.formats.blt import parse_blt
from mandate.ballots.model import Profile
from mandate.counting.stv import StvRules, count_stv
from mandate.errors import InputError, UnresolvedTieError

ALL_RULES = list(StvRules)


def _blt(*lines: str) -> Profile:
    return parse_blt(list(lines), source="test.blt")


TIE = ("3 1", "2 1 0", "2 2 0", "3 3 0", "0", '"A"', '"B"', '"C"')


@pytest.mark.parametrize("rules", ALL_RULES)
def test_a_tie_by_lot_without_a_seed_stops_the_count(rules: StvRules) -> None:
    with pytest.raises(UnresolvedTieError) as info:
        count_stv(_blt(*TIE), seats=1, rules=rules)
    assert info.value.candidates == ("A", "B")


@pytest.mark.parametrize("rules", ALL_RULES)
def test_a_tie_by_lot_with_a_seed_is_recorded_and_repeatable(rules: StvRules) -> None:
    first = count_stv(_blt(*TIE), seats=1, rules=rules, seed="2026-11-23 draw")
    again = count_stv(_blt(*TIE), seats=1, rules=rules, seed="2026-11-23 draw")
    assert first == again
    (record,) = [t for r in first.rounds for t in r.tiebreaks]
    assert record.tied == ("A", "B")
    assert record.purpose == "eliminate"
    assert "2026-11-23 draw" in record.method


def test_scottish_tie_is_settled_by_the_most_recent_stage_that_differed() -> None:
    # Stage 1: A 6, B 4, C 3, D 1 (quota 14 // 2 + 1 = 8). Stage 2: D excluded, C 4 = B 4;
    # at stage 1 C had fewer, so C is excluded (rule 51(2)(a)) and B then beats A.
    profile = _blt("4 1", "6 1 0", "4 2 0", "3 3 2 0", "1 4 3 0", "0", '"A"', '"B"', '"C"', '"D"')
    result = count_stv(profile, seats=1, rules=StvRules.SCOTTISH)
    (record,) = [t for r in result.rounds for t in r.tiebreaks]
    assert (record.tied, record.chosen, record.method) == (("B", "C"), "C", "previous-stage")
    assert result.rounds[2].eliminated == ("C",)
    assert result.elected == ("B",)


def test_withdrawn_candidates_are_passed_over() -> None:
    profile = _blt("3 1", "-1", "4 1 2 0", "3 3 0", "0", '"A"', '"B"', '"C"')
    for rules in ALL_RULES:
        result = count_stv(profile, seats=1, rules=rules, seed="s")
        assert result.elected == ("B",)
        assert "A" not in dict(result.rounds[0].tally)


def test_an_equal_ranking_ends_the_ballot_there() -> None:
    profile = _blt("3 1", "4 1 2=3 0", "3 2 0", "2 3 0", "0", '"A"', '"B"', '"C"')
    result = count_stv(profile, seats=1, rules=StvRules.SCOTTISH)
    # C (2) is excluded, then B (3): the four A ballots never pass on.
    assert result.elected == ("A",)
    assert result.valid == 9


def test_blank_ballots_are_undervotes_not_valid_votes() -> None:
    profile = _blt("2 1", "3 1 0", "2 0", "1 2 0", "0", '"A"', '"B"')
    result = count_stv(profile, seats=1, rules=StvRules.ERS97)
    assert (result.valid, result.undervotes) == (4, 2)
    assert result.quota == Decimal("2.00")


def test_fewer_candidates_than_seats_elects_them_all_at_the_first_stage() -> None:
    profile = _blt("2 2", "3 1 0", "1 2 0", "0", '"A"', '"B"')
    for rules in ALL_RULES:
        result = count_stv(profile, seats=2, rules=rules)
        assert set(result.elected) == {"A", "B"}


def test_seats_must_be_at_least_one() -> None:
    with pytest.raises(InputError):
        count_stv(_blt(*TIE), seats=0, rules=StvRules.MEEK)


def test_result_names_the_rules_and_seed() -> None:
    result = count_stv(_blt(*TIE), seats=1, rules=StvRules.WIGM, seed="s")
    assert (result.method, result.rules, result.seats) == ("stv", "wigm", 1)
    assert ("seed", "s") in result.options


@pytest.mark.parametrize("rules", list(StvRules))
def test_the_order_drawn_by_lot_settles_an_stv_tie_and_is_in_the_options(
    rules: StvRules,
) -> None:
    """Issue 10, item 7: an STV count took only a seed, so the lot the returning officer drew
    could not settle its tie."""
    tied = parse_blt(["2 1", "1 1 0", "1 2 0", "0", '"A"', '"B"', '"t"'], source="tie.blt")
    with pytest.raises(UnresolvedTieError):
        count_stv(tied, seats=1, rules=rules)
    for lot, winner in ((("B", "A"), "B"), (("A", "B"), "A")):
        result = count_stv(tied, seats=1, rules=rules, lot=lot)
        assert result.elected == (winner,)
        assert dict(result.options)["lot"] == ", ".join(lot)
        methods = {t.method for r in result.rounds for t in r.tiebreaks}
        assert methods == {"lot (drawn by the returning officer)"}
