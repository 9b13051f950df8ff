"""IRV, option by option, on small elections worked out by hand."""

from __future__ import annotations

import random

import pytest
from tests.unit.counting.helpers import ballots

from mandate.counting.irv import Duplicates, IrvOptions, Overvote, count_irv
from mandate.counting.model import CountResult, InactiveReason
from mandate.counting.tiebreak import TieBreak
from mandate.errors import (
    CountingError,
    InvalidBallotError,
    UnknownCandidateError,
    UnresolvedTieError,
)


def tallies(result: CountResult) -> list[dict[str, int]]:
    return [{str(c): int(v) for c, v in r.tally} for r in result.rounds]


def inactive(result: CountResult, reason: InactiveReason) -> list[int]:
    return [int(r.inactive_of(reason)) for r in result.rounds]


OVERVOTES = ballots("5,A,,", "4,B,,", "2,C,A=B,B", "1,D,C=D,B")


def test_overvote_exhaust_makes_the_ballot_inactive_at_the_overvote() -> None:
    result = count_irv(OVERVOTES, IrvOptions(overvote=Overvote.EXHAUST))
    assert tallies(result) == [
        {"A": 5, "B": 4, "C": 2, "D": 1},
        {"A": 5, "B": 4, "C": 2},
        {"A": 5, "B": 4},
    ]
    assert inactive(result, InactiveReason.OVERVOTE) == [0, 1, 3]
    assert [r.threshold for r in result.rounds] == [7, 6, 5]
    assert result.elected == ("A",)


def test_overvote_skip_passes_to_the_next_rank() -> None:
    result = count_irv(OVERVOTES, IrvOptions(overvote=Overvote.SKIP))
    assert tallies(result) == [
        {"A": 5, "B": 4, "C": 2, "D": 1},
        {"A": 5, "B": 5, "C": 2},
        {"A": 5, "B": 7},
    ]
    assert result.elected == ("B",)


def test_overvote_exhaust_if_multiple_gives_the_one_continuing_candidate_the_vote() -> None:
    result = count_irv(OVERVOTES, IrvOptions(overvote=Overvote.EXHAUST_IF_MULTIPLE))
    # round 2: D's ballot marks C and D equal; only C continues, so C gets it
    # round 3: C's two ballots mark A and B equal, both continuing: overvote; D's goes on to B
    assert tallies(result) == [
        {"A": 5, "B": 4, "C": 2, "D": 1},
        {"A": 5, "B": 4, "C": 3},
        {"A": 5, "B": 5},
    ]
    # the last two tie at 5: the tie-break elects A in round 3 (no fourth round)
    assert inactive(result, InactiveReason.OVERVOTE) == [0, 0, 2]
    assert inactive(result, InactiveReason.EXHAUSTED) == [0, 0, 0]
    assert result.elected == ("A",)
    assert result.rounds[2].elected == ("A",)


def test_a_ballot_once_inactive_stays_inactive() -> None:
    profile = ballots("5,A,,", "4,B,,", "3,C,,", "2,D,B=C,B")
    result = count_irv(profile, IrvOptions(overvote=Overvote.EXHAUST_IF_MULTIPLE))
    # round 2: B and C both continue, so the overvote makes the two ballots inactive; once C
    # is out in round 3 only B would be left at that rank, but the ballots stay inactive
    assert tallies(result)[-1] == {"A": 5, "B": 4}
    assert inactive(result, InactiveReason.OVERVOTE) == [0, 2, 2]


def test_an_unrecorded_overvote_cannot_be_judged_under_exhaust_if_multiple() -> None:
    profile = ballots("2,A,", "1,#overvote,A")
    with pytest.raises(InvalidBallotError, match="exhaust-if-multiple"):
        count_irv(profile, IrvOptions(overvote=Overvote.EXHAUST_IF_MULTIPLE))
    skipped = count_irv(profile, IrvOptions(overvote=Overvote.SKIP))
    assert tallies(skipped)[0]["A"] == 3


SKIPS = ballots("5,A,,,", "4,B,,,", "2,C,,B,", "1,C,,,A", candidates="ABC")


@pytest.mark.parametrize(
    ("max_skipped", "final", "skipped", "winner"),
    [
        (0, {"A": 5, "B": 4}, 3, "A"),
        (1, {"A": 5, "B": 6}, 1, "B"),
    ],
)
def test_max_skipped_limits_consecutive_blank_ranks(
    max_skipped: int, final: dict[str, int], skipped: int, winner: str
) -> None:
    result = count_irv(SKIPS, IrvOptions(max_skipped=max_skipped))
    assert tallies(result)[-1] == final
    assert inactive(result, InactiveReason.SKIPPED)[-1] == skipped
    assert result.elected == (winner,)


def test_unlimited_skips_follow_the_ballot_to_its_next_mark() -> None:
    result = count_irv(SKIPS, IrvOptions())
    assert tallies(result)[1] == {"A": 6, "B": 6}
    # a 6–6 tie between the last two: A had more votes in round 1, so A is elected there
    assert len(result.rounds) == 2
    assert result.rounds[1].elected == ("A",)
    assert result.rounds[1].tiebreaks[0].purpose == "elect"
    assert result.elected == ("A",)


def test_a_skipped_first_rank_counts_against_the_limit() -> None:
    profile = ballots("3,A,", "2,,B", candidates="AB")
    assert tallies(count_irv(profile, IrvOptions(max_skipped=0)))[0] == {"A": 3, "B": 0}
    assert tallies(count_irv(profile, IrvOptions(max_skipped=1)))[0] == {"A": 3, "B": 2}


def test_too_many_unused_ranks_at_the_end_make_an_exhausted_ballot_skipped() -> None:
    # RCTab's rule: a ballot running out of marks with more unused ranks than max-skipped is
    # counted as skipped, not exhausted
    profile = ballots("4,A,", "3,B,", "2,C,", "1,D,A")
    result = count_irv(profile, IrvOptions(max_skipped=1, max_rankings=3))
    assert result.rounds[2].eliminated == ("C",)
    assert inactive(result, InactiveReason.SKIPPED) == [0, 0, 2]
    assert inactive(result, InactiveReason.EXHAUSTED) == [0, 0, 0]
    lenient = count_irv(profile, IrvOptions(max_skipped=2, max_rankings=3))
    assert inactive(lenient, InactiveReason.SKIPPED) == [0, 0, 0]
    assert inactive(lenient, InactiveReason.EXHAUSTED) == [0, 0, 2]


RANKINGS = ballots("5,A,,", "4,B,,", "2,C,D,B", "1,D,,")


def test_max_rankings_reads_only_the_first_ranks() -> None:
    limited = count_irv(RANKINGS, IrvOptions(max_rankings=2))
    assert tallies(limited)[-1] == {"A": 5, "B": 4}
    assert limited.elected == ("A",)
    unlimited = count_irv(RANKINGS, IrvOptions())
    assert tallies(unlimited)[-1] == {"A": 5, "B": 6}
    assert unlimited.elected == ("B",)


def test_marks_only_beyond_max_rankings_make_an_undervote() -> None:
    profile = ballots("3,A,,", "2,,,B", candidates="AB")
    result = count_irv(profile, IrvOptions(max_rankings=2))
    assert result.undervotes == 2
    assert tallies(result)[0] == {"A": 3, "B": 0}


DUPLICATES = ballots("5,A,,", "4,B,,", "3,C,C,B", candidates="ABC")


def test_duplicates_skip_passes_over_the_repeated_mark() -> None:
    result = count_irv(DUPLICATES, IrvOptions(duplicates=Duplicates.SKIP))
    assert tallies(result)[-1] == {"A": 5, "B": 7}
    assert result.elected == ("B",)


def test_duplicates_exhaust_makes_the_ballot_inactive() -> None:
    result = count_irv(DUPLICATES, IrvOptions(duplicates=Duplicates.EXHAUST))
    assert tallies(result)[-1] == {"A": 5, "B": 4}
    assert inactive(result, InactiveReason.DUPLICATE) == [0, 3]
    assert result.elected == ("A",)


BATCH = ballots("10,A,", "8,B,", "3,C,", "2,D,B", "1,E,A", candidates="ABCDE")


def test_batch_elimination_removes_everyone_who_cannot_catch_up() -> None:
    result = count_irv(BATCH, IrvOptions(batch_elimination=True))
    assert result.rounds[1].eliminated == ("C", "D", "E")
    assert tallies(result) == [{"A": 10, "B": 8, "C": 3, "D": 2, "E": 1}, {"A": 11, "B": 10}]
    assert result.elected == ("A",)


def test_without_batch_elimination_one_candidate_goes_each_round() -> None:
    result = count_irv(BATCH, IrvOptions())
    assert [r.eliminated for r in result.rounds] == [(), ("E",), ("D",), ("C",)]
    assert result.elected == ("A",)


def test_continue_until_two_goes_on_after_the_election() -> None:
    profile = ballots("6,A,", "2,B,", "2,C,B", "1,D,C")
    assert len(count_irv(profile, IrvOptions()).rounds) == 1
    result = count_irv(profile, IrvOptions(continue_until_two=True))
    assert result.rounds[0].elected == ("A",)
    assert tallies(result)[1:] == [{"A": 6, "B": 2, "C": 3}, {"A": 6, "C": 3}]
    assert result.elected == ("A",)


def test_previous_round_breaks_a_tie_by_the_earlier_tallies() -> None:
    profile = ballots("5,A,", "3,B,", "2,C,", "1,D,C")
    result = count_irv(profile, IrvOptions(tiebreak=TieBreak.PREVIOUS_ROUND))
    assert tallies(result)[1] == {"A": 5, "B": 3, "C": 3}
    (record,) = result.rounds[2].tiebreaks
    assert (record.tied, record.chosen, record.method) == (
        ("B", "C"),
        "C",
        "previous-round (round 1)",
    )
    assert result.rounds[2].eliminated == ("C",)


TIE = ballots("3,A,", "2,B,", "2,C,", candidates="ABC")


def test_previous_round_without_an_earlier_difference_is_unresolved() -> None:
    with pytest.raises(UnresolvedTieError, match="round 2: tie to eliminate between B, C"):
        count_irv(TIE, IrvOptions(tiebreak=TieBreak.PREVIOUS_ROUND))


def test_previous_round_falls_back_to_the_seeded_draw() -> None:
    result = count_irv(TIE, IrvOptions(tiebreak=TieBreak.PREVIOUS_ROUND, seed="42"))
    (record,) = result.rounds[1].tiebreaks
    assert record.method == "previous-round, then random (seed '42')"


def test_candidate_order_eliminates_the_candidate_declared_later() -> None:
    result = count_irv(TIE, IrvOptions(tiebreak=TieBreak.CANDIDATE_ORDER))
    assert result.rounds[1].eliminated == ("C",)
    assert result.rounds[1].tiebreaks[0].method == "candidate-order"


def test_random_draws_from_the_published_seed() -> None:
    result = count_irv(TIE, IrvOptions(tiebreak=TieBreak.RANDOM, seed="42"))
    expected = random.Random("42").choice(("B", "C"))
    assert result.rounds[1].eliminated == (expected,)
    assert result.rounds[1].tiebreaks[0].method == "random (seed '42')"
    again = count_irv(TIE, IrvOptions(tiebreak=TieBreak.RANDOM, seed="42"))
    assert again == result


def test_lot_eliminates_the_candidate_drawn_later() -> None:
    result = count_irv(TIE, IrvOptions(tiebreak=TieBreak.LOT, lot=("C", "B", "A")))
    assert result.rounds[1].eliminated == ("B",)
    with pytest.raises(UnresolvedTieError):
        count_irv(TIE, IrvOptions(tiebreak=TieBreak.LOT))


def test_excluded_candidates_are_passed_over() -> None:
    profile = ballots("3,A,", "2,B,A", "2,C,B", candidates="ABC")
    result = count_irv(profile, IrvOptions(exclude=frozenset({"B"})))
    assert tallies(result) == [{"A": 5, "C": 2}]
    assert result.elected == ("A",)


def test_the_undeclared_write_in_is_eliminated_first() -> None:
    profile = ballots("4,A,", "3,B,", "5,W,B", candidates="ABW")
    plain = count_irv(profile, IrvOptions())
    assert plain.elected == ("W",)
    result = count_irv(profile, IrvOptions(undeclared_write_in="W"))
    assert result.rounds[1].eliminated == ("W",)
    assert result.rounds[1].note.startswith("undeclared write-ins eliminated first")
    assert result.elected == ("B",)


def test_blank_ballots_are_undervotes_never_inactive() -> None:
    profile = ballots("3,A,", "2,B,", "4,,", candidates="AB")
    result = count_irv(profile)
    assert result.undervotes == 4
    assert result.rounds[0].threshold == 3
    assert sum(int(v) for _, v in result.rounds[0].inactive) == 0
    assert result.valid == 5


def test_transfers_say_where_each_eliminated_vote_went() -> None:
    result = count_irv(OVERVOTES, IrvOptions(overvote=Overvote.EXHAUST))
    (transfer,) = result.rounds[1].transfers
    assert (transfer.source, transfer.target, transfer.value, transfer.inactive_reason) == (
        "D",
        None,
        1,
        InactiveReason.OVERVOTE,
    )


def test_options_naming_unknown_candidates_are_refused() -> None:
    with pytest.raises(UnknownCandidateError, match="'Z'"):
        count_irv(TIE, IrvOptions(exclude=frozenset({"Z"})))
    with pytest.raises(UnknownCandidateError, match="undeclared-write-in"):
        count_irv(TIE, IrvOptions(undeclared_write_in="Z"))


def test_excluding_everyone_leaves_nothing_to_count() -> None:
    with pytest.raises(CountingError, match="no candidate is left"):
        count_irv(TIE, IrvOptions(exclude=frozenset("ABC")))


def test_the_last_continuing_candidate_is_elected() -> None:
    profile = ballots("2,C,", "1,B,", candidates="ABC")
    options = IrvOptions(tiebreak=TieBreak.CANDIDATE_ORDER, exclude=frozenset({"B"}))
    result = count_irv(profile, options)
    assert tallies(result) == [{"A": 0, "C": 2}]
    assert result.elected == ("C",)


@pytest.mark.parametrize(
    ("tiebreak", "lot", "winner"),
    [
        (TieBreak.CANDIDATE_ORDER, None, "A"),
        (TieBreak.LOT, ("B", "A", "C"), "B"),
        (TieBreak.PREVIOUS_ROUND, None, "B"),
    ],
)
def test_a_tie_between_the_last_two_elects_the_winner_in_that_round(
    tiebreak: TieBreak, lot: tuple[str, ...] | None, winner: str
) -> None:
    """RCTab's identifyWinners: two continuing, tied, one seat: the tie-break elects the
    winner in the round of the tie; there is no extra round with one candidate left."""
    # round 1: A 3, B 4, C 1; C's ballot goes to A: 4–4 in round 2
    profile = ballots("3,A,", "4,B,", "1,C,A", candidates="ABC")
    result = count_irv(profile, IrvOptions(tiebreak=tiebreak, lot=lot))
    assert tallies(result) == [{"A": 3, "B": 4, "C": 1}, {"A": 4, "B": 4}]
    assert result.elected == (winner,)
    last = result.rounds[-1]
    assert last.elected == (winner,)
    assert last.eliminated == ("C",)
    assert [(t.purpose, t.chosen) for t in last.tiebreaks] == [("elect", winner)]
    assert "between the last two" in last.note
