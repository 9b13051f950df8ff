"""Tie-breaks for STV: earlier stages, then lot drawn with a seeded random source.

The Scottish rules look back to the most recent earlier stage at which the tied candidates
had unequal votes, ERS97 to the earliest point (the first stage, or after any batch of
papers) at which they did; where they were equal at every such point the returning officer
decides by lot. The PR Foundation reference rules (WIGM, Meek) use a predetermined random
order of the candidates. Where the returning officer drew lots (an order of the candidates,
first drawn first), that order decides: the candidate drawn later is excluded, the one drawn
earlier is preferred for election or surplus. Otherwise a tie order given with the ballots
(BLT's ``[tie]``, as Droop reads it) decides: of the tied, the one earliest in it is chosen,
whatever the tie is for. Otherwise lot is drawn here from ``random.Random`` seeded with the
published seed, so anyone can repeat the draw; with none of these a tie by lot cannot be
settled and the count stops with :class:`~mandate.errors.UnresolvedTieError`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from mandate.counting.model import TieBreakRecord
from mandate.errors import UnresolvedTieError
from mandate.ids import CandidateId

__all__ = ["Purpose", "TieBreaker"]


class Purpose(Enum):
    """What a tie is broken for; an exclusion looks for the fewest votes, others the most."""

    ELIMINATE = "eliminate"
    SURPLUS = "surplus"
    ELECT = "elect"


@dataclass(slots=True, kw_only=True)
class TieBreaker:
    """Breaks ties for one count and keeps the random source that lot draws from.

    Args:
        candidates: every candidate in declared order (indices refer to it).
        seed: the published seed for lot, or ``None`` if lot may not be used.
        look_back: whether earlier stages are consulted before lot.
        forward: consult the earliest stage at which the tied candidates differed (ERS97)
            rather than the most recent (Scottish STV).
        lot: the order the returning officer drew by lot (first drawn first), which settles
            a tie by lot before the seed; a tie between candidates it does not all name is
            left to the seed.
        order: a tie order given with the ballots (a profile's ``tie_order``): without the
            officer's lot, a tie by lot goes to the tied candidate earliest in it, before
            any seed is used.
    """

    candidates: tuple[CandidateId, ...]
    seed: str | None
    look_back: bool
    forward: bool = False
    lot: tuple[CandidateId, ...] | None = None
    order: tuple[CandidateId, ...] = ()
    _rng: random.Random | None = field(default=None, init=False)
    _order: list[int] | None = field(default=None, init=False)

    def break_tie(
        self,
        tied: Sequence[int],
        *,
        purpose: Purpose,
        history: Sequence[Sequence[int]],
        stage: int,
    ) -> tuple[int, TieBreakRecord | None]:
        """Choose one of ``tied`` (candidate indices).

        Args:
            tied: the tied candidates (at least one).
            purpose: exclusion picks the fewest votes at an earlier stage, others the most.
            history: the votes of every candidate (by index, scaled) at each earlier stage,
                first stage first.
            stage: the stage being counted, for the record and any error.

        Returns:
            The chosen candidate and the record of the tie-break (``None`` if no tie).
        """
        if len(tied) == 1:
            return tied[0], None
        names = tuple(self.candidates[i] for i in sorted(tied))
        remaining = sorted(tied)
        if self.look_back:
            for votes in history if self.forward else reversed(history):
                pick = min if purpose is Purpose.ELIMINATE else max
                best = pick(votes[i] for i in remaining)
                remaining = [i for i in remaining if votes[i] == best]
                if len(remaining) == 1:
                    chosen = remaining[0]
                    return chosen, TieBreakRecord(
                        purpose=purpose.value,
                        tied=names,
                        chosen=self.candidates[chosen],
                        method="previous-stage",
                    )
        drawn = self._drawn(remaining, purpose=purpose)
        if drawn is not None:
            return drawn, TieBreakRecord(
                purpose=purpose.value,
                tied=names,
                chosen=self.candidates[drawn],
                method="lot (drawn by the returning officer)",
            )
        position = {c: n for n, c in enumerate(self.order)}
        if self.order and all(self.candidates[i] in position for i in remaining):
            chosen = min(remaining, key=lambda i: position[self.candidates[i]])
            method = "lot (the tie order given with the ballots)"
        else:
            chosen = self._lot(remaining, purpose=purpose, stage=stage)
            method = f"lot (random, seed {self.seed!r})"
        return chosen, TieBreakRecord(
            purpose=purpose.value, tied=names, chosen=self.candidates[chosen], method=method
        )

    def _drawn(self, tied: list[int], *, purpose: Purpose) -> int | None:
        """The tied candidate the officer's lot picks, or ``None`` without a lot naming all."""
        lot = self.lot
        if lot is None or any(self.candidates[i] not in lot for i in tied):
            return None
        order = sorted(tied, key=lambda i: lot.index(self.candidates[i]))
        return order[-1] if purpose is Purpose.ELIMINATE else order[0]

    def _lot(self, tied: list[int], *, purpose: Purpose, stage: int) -> int:
        if self.seed is None:
            raise UnresolvedTieError(
                tuple(self.candidates[i] for i in tied), purpose=purpose.value, round_number=stage
            )
        if self._rng is None:
            self._rng = random.Random(f"mandate-stv-lot:{self.seed}")
        if self.look_back:
            return self._rng.choice(tied)
        if self._order is None:  # a predetermined random order of all candidates
            self._order = list(range(len(self.candidates)))
            self._rng.shuffle(self._order)
        rank = {c: n for n, c in enumerate(self._order)}
        return min(tied, key=rank.__getitem__)
