"""Breaking ties, as the rules name, and recording how each was broken.

Four methods, each a :class:`TieBreak`:

- ``previous-round``: the tied candidate with fewer votes in the most recent earlier round in
  which the tied candidates' votes differed loses (RCTab's "previous round counts"; with
  ``forwards`` the earliest such round decides instead). When no earlier round separates them,
  the lot (if given), else the seeded random draw (if a seed is given) decides; otherwise the
  tie is unresolved.
- ``candidate-order``: the declared (ballot-paper) order: the candidate declared later loses an
  elimination tie, the one declared earlier wins an election tie.
- ``random``: a draw with :class:`random.Random` seeded from a published seed; one generator a
  count, so every draw can be reproduced from the seed.
- ``lot``: an order drawn by lot by the officer, first to last; the candidate drawn later loses.

Every decision is returned with a :class:`~mandate.counting.model.TieBreakRecord`.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from enum import Enum

from mandate.counting.model import TieBreakRecord, Votes
from mandate.errors import InputError, UnresolvedTieError
from mandate.ids import CandidateId

__all__ = ["TieBreak", "TieBreaker"]


class TieBreak(Enum):
    """How a tie between candidates is settled."""

    PREVIOUS_ROUND = "previous-round"
    CANDIDATE_ORDER = "candidate-order"
    RANDOM = "random"
    LOT = "lot"


class TieBreaker:
    """Settles ties for one count (holding its seeded random generator).

    Args:
        method: the rules' tie-break.
        order: every candidate in declared order.
        seed: the published seed for random draws.
        lot: the order drawn by lot (first drawn first); without it, or with a tied candidate
            missing from it, a tie is unresolved (the officer draws the lot and counts again).
        forwards: with ``previous-round``, look from the first round forwards instead of from
            the latest round backwards.

    >>> a, b = CandidateId("A"), CandidateId("B")
    >>> breaker = TieBreaker(TieBreak.CANDIDATE_ORDER, order=(a, b))
    >>> breaker.choose((a, b), purpose="eliminate", history=(), round_number=2).chosen
    'B'
    """

    def __init__(
        self,
        method: TieBreak,
        *,
        order: Sequence[CandidateId],
        seed: str | None = None,
        lot: Sequence[CandidateId] | None = None,
        forwards: bool = False,
    ) -> None:
        if method is TieBreak.RANDOM and seed is None:
            raise InputError("the random tie-break needs a published seed (--seed)")
        if lot is not None and len(set(lot)) != len(lot):
            raise InputError("the order drawn by lot names a candidate twice")
        self.method = method
        self.order = tuple(order)
        self.seed = seed
        self.lot = tuple(lot) if lot is not None else None
        self.forwards = forwards
        self._random = random.Random(seed) if seed is not None else None

    def describe(self) -> str:
        """The method in words, for a report's options."""
        text = self.method.value
        if self.method is TieBreak.PREVIOUS_ROUND and self.forwards:
            text += " (forwards)"
        if self.seed is not None and self.method in (TieBreak.RANDOM, TieBreak.PREVIOUS_ROUND):
            text += f" (seed {self.seed!r})"
        return text

    def choose(
        self,
        tied: Sequence[CandidateId],
        *,
        purpose: str,
        history: Sequence[Mapping[CandidateId, Votes]],
        round_number: int,
    ) -> TieBreakRecord:
        """Pick one of ``tied``: the loser when ``purpose`` is ``eliminate``, else the winner.

        Args:
            tied: two or more candidates with equal votes.
            purpose: ``eliminate``, ``elect`` or ``surplus``.
            history: tallies of the rounds before this one, first round first.
            round_number: the round the tie arises in (for messages).

        Raises:
            UnresolvedTieError: the method (and its fallbacks) cannot settle the tie.
        """
        candidates = tuple(sorted(tied, key=self._position))
        losing = purpose == "eliminate"
        if self.method is TieBreak.PREVIOUS_ROUND:
            decided = self._previous_round(candidates, history, losing=losing)
            if decided is not None:
                chosen, detail = decided
                return self._record(purpose, candidates, chosen, detail)
            if self.lot is not None:
                chosen = self._by_order(candidates, self.lot, losing, purpose, round_number)
                return self._record(purpose, candidates, chosen, "previous-round, then lot")
            if self._random is not None:
                chosen = self._random.choice(candidates)
                return self._record(
                    purpose, candidates, chosen, f"previous-round, then random (seed {self.seed!r})"
                )
            raise UnresolvedTieError(candidates, purpose=purpose, round_number=round_number)
        if self.method is TieBreak.CANDIDATE_ORDER:
            chosen = self._by_order(candidates, self.order, losing, purpose, round_number)
            return self._record(purpose, candidates, chosen, "candidate-order")
        if self.method is TieBreak.LOT:
            if self.lot is None:
                raise UnresolvedTieError(candidates, purpose=purpose, round_number=round_number)
            chosen = self._by_order(candidates, self.lot, losing, purpose, round_number)
            return self._record(purpose, candidates, chosen, "lot")
        assert self._random is not None
        chosen = self._random.choice(candidates)
        return self._record(purpose, candidates, chosen, f"random (seed {self.seed!r})")

    def _position(self, candidate: CandidateId) -> int:
        try:
            return self.order.index(candidate)
        except ValueError:
            return len(self.order)

    def _previous_round(
        self,
        candidates: tuple[CandidateId, ...],
        history: Sequence[Mapping[CandidateId, Votes]],
        *,
        losing: bool,
    ) -> tuple[CandidateId, str] | None:
        remaining = list(candidates)
        rounds = list(enumerate(history, start=1))
        if not self.forwards:
            rounds.reverse()
        for number, tally in rounds:
            votes = {c: tally.get(c, 0) for c in remaining}
            target = min(votes.values()) if losing else max(votes.values())
            narrowed = [c for c in remaining if votes[c] == target]
            if len(narrowed) < len(remaining):
                remaining = narrowed
                if len(remaining) == 1:
                    return remaining[0], f"previous-round (round {number})"
        return None

    def _by_order(
        self,
        candidates: tuple[CandidateId, ...],
        order: Sequence[CandidateId],
        losing: bool,
        purpose: str,
        round_number: int,
    ) -> CandidateId:
        missing = [c for c in candidates if c not in order]
        if missing:
            raise UnresolvedTieError(candidates, purpose=purpose, round_number=round_number)
        ranked = sorted(candidates, key=list(order).index)
        return ranked[-1] if losing else ranked[0]

    @staticmethod
    def _record(
        purpose: str, tied: tuple[CandidateId, ...], chosen: CandidateId, method: str
    ) -> TieBreakRecord:
        return TieBreakRecord(purpose=purpose, tied=tied, chosen=chosen, method=method)
