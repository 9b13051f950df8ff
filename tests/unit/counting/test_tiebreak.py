"""Tie-breaks: each method, its fallbacks, and what it records."""

from __future__ import annotations

import pytest

from mandate.counting.tiebreak import TieBreak, TieBreaker
from mandate.errors import InputError, UnresolvedTieError
from mandate.ids import CandidateId

A, B, C = CandidateId("A"), CandidateId("B"), CandidateId("C")
ORDER = (A, B, C)


def test_previous_round_looks_back_from_the_latest_round() -> None:
    history = [{A: 1, B: 5, C: 5}, {A: 9, B: 4, C: 6}]
    record = TieBreaker(TieBreak.PREVIOUS_ROUND, order=ORDER).choose(
        (B, C), purpose="eliminate", history=history, round_number=3
    )
    assert (record.chosen, record.method) == (B, "previous-round (round 2)")


def test_previous_round_forwards_looks_from_the_first_round() -> None:
    history = [{A: 1, B: 6, C: 5}, {A: 9, B: 4, C: 6}]
    breaker = TieBreaker(TieBreak.PREVIOUS_ROUND, order=ORDER, forwards=True)
    record = breaker.choose((B, C), purpose="eliminate", history=history, round_number=3)
    assert (record.chosen, record.method) == (C, "previous-round (round 1)")


def test_previous_round_for_election_picks_the_higher() -> None:
    history = [{B: 6, C: 5}]
    record = TieBreaker(TieBreak.PREVIOUS_ROUND, order=ORDER).choose(
        (B, C), purpose="elect", history=history, round_number=2
    )
    assert record.chosen == B


def test_previous_round_falls_back_to_the_lot() -> None:
    breaker = TieBreaker(TieBreak.PREVIOUS_ROUND, order=ORDER, lot=(C, A, B))
    record = breaker.choose((A, C), purpose="eliminate", history=[], round_number=1)
    assert (record.chosen, record.method) == (A, "previous-round, then lot")


def test_candidate_order_keeps_the_earlier_declared() -> None:
    breaker = TieBreaker(TieBreak.CANDIDATE_ORDER, order=ORDER)
    assert breaker.choose((C, A), purpose="eliminate", history=[], round_number=1).chosen == C
    assert breaker.choose((C, A), purpose="elect", history=[], round_number=1).chosen == A


def test_random_draws_are_reproducible_from_the_seed() -> None:
    def draws(seed: str) -> list[str]:
        breaker = TieBreaker(TieBreak.RANDOM, order=ORDER, seed=seed)
        return [
            breaker.choose(ORDER, purpose="eliminate", history=[], round_number=1).chosen
            for _ in range(12)
        ]

    assert draws("published 2026-11-23") == draws("published 2026-11-23")
    assert set(draws("x")) <= set(ORDER)


def test_the_order_of_the_tied_candidates_does_not_change_a_random_draw() -> None:
    one = TieBreaker(TieBreak.RANDOM, order=ORDER, seed="s")
    two = TieBreaker(TieBreak.RANDOM, order=ORDER, seed="s")
    first = one.choose((A, B, C), purpose="eliminate", history=[], round_number=1)
    second = two.choose((C, B, A), purpose="eliminate", history=[], round_number=1)
    assert first == second


def test_random_needs_a_seed() -> None:
    with pytest.raises(InputError, match="published seed"):
        TieBreaker(TieBreak.RANDOM, order=ORDER)


def test_a_lot_missing_a_tied_candidate_leaves_the_tie_unresolved() -> None:
    breaker = TieBreaker(TieBreak.LOT, order=ORDER, lot=(A, B))
    with pytest.raises(UnresolvedTieError, match="round 4: tie to eliminate between B, C"):
        breaker.choose((B, C), purpose="eliminate", history=[], round_number=4)


def test_a_lot_naming_someone_twice_is_refused() -> None:
    with pytest.raises(InputError, match="twice"):
        TieBreaker(TieBreak.LOT, order=ORDER, lot=(A, A))
