"""STV counts: ERS97, Scottish STV, Meek and WIGM, exact and explained stage by stage.

>>> from mandate.ballots.formats.blt import parse_blt
>>> p = parse_blt(['3 2', '4 1 2 0', '2 3 0', '0', '"A"', '"B"', '"C"'], source="x")
>>> count_stv(p, seats=2, rules=StvRules.SCOTTISH).elected
('A', 'C')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from mandate.ballots.model import Profile
from mandate.counting.methods import StvRules
from mandate.counting.model import CountResult
from mandate.counting.stv.ers97 import count_ers97
from mandate.counting.stv.gregory import count_gregory
from mandate.counting.stv.meek import count_meek
from mandate.counting.stv.scottish import SCOTTISH
from mandate.counting.stv.wigm import WIGM
from mandate.errors import InputError
from mandate.ids import CandidateId

__all__ = ["StvRules", "count_stv"]


def count_stv(
    profile: Profile,
    *,
    seats: int,
    rules: StvRules,
    seed: str | None = None,
    lot: Sequence[str] | None = None,
) -> CountResult:
    """Count a profile by STV under the named rules.

    Args:
        profile: the ballots; withdrawn candidates are passed over.
        seats: seats to fill (at least 1).
        rules: which STV rules (see docs/stv.md).
        seed: published seed for ties the rules settle by lot; without one such a tie
            stops the count with :class:`~mandate.errors.UnresolvedTieError`.
        lot: the order the returning officer drew by lot (names, first drawn first), which
            settles such a tie before the seed; it is listed in the result's options.

    Returns:
        The result with one round a stage.

    Raises:
        InputError: fewer than one seat.
        UnresolvedTieError: a tie by lot and no seed.
    """
    if seats < 1:
        raise InputError(f"an STV count needs at least one seat (got {seats})")
    drawn = tuple(CandidateId(name) for name in lot) if lot else None
    if drawn is not None and len(set(drawn)) != len(drawn):
        raise InputError("the order drawn by lot names a candidate twice")
    if rules is StvRules.SCOTTISH:
        result = count_gregory(profile, seats=seats, rule=SCOTTISH, seed=seed, lot=drawn)
    elif rules is StvRules.WIGM:
        result = count_gregory(profile, seats=seats, rule=WIGM, seed=seed, lot=drawn)
    elif rules is StvRules.MEEK:
        result = count_meek(profile, seats=seats, seed=seed, lot=drawn)
    else:
        result = count_ers97(profile, seats=seats, seed=seed, lot=drawn)
    if drawn is None:
        return result
    return replace(result, options=(*result.options, ("lot", ", ".join(drawn))))
