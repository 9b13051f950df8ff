"""WIGM: the Proportional Representation Foundation's weighted inclusive Gregory reference rule.

As Droop's ``wigm-prf`` (single defeat), with fixed-point arithmetic to four places:

- Quota (A.1): valid ballots ÷ (seats + 1), truncated to four places, plus 0.0001.
- Election (B.1): every hopeful with votes at least the quota, largest first.
- Surplus (B.3): the largest surplus (possibly zero) is transferred: each ballot's new weight
  is its weight × surplus, then ÷ the candidate's votes, each step truncated (D.4).
- Defeat (B.4): the hopeful with the fewest votes; ballots pass on at their weights.
- Ties (D.1): the earliest tied candidate in a predetermined random order (drawn from the
  published seed).
"""

from __future__ import annotations

from mandate.counting.stv.arithmetic import FixedPoint, IntArray, muldiv_down
from mandate.counting.stv.gregory import GregoryRule

__all__ = ["WIGM"]


def _quota(fixed: FixedPoint, valid: int, seats: int) -> int:
    return fixed.from_int(valid) // (seats + 1) + 1  # truncated to the places, plus 0.0001


def _new_weights(fixed: FixedPoint, weights: IntArray, surplus: int, total: int) -> IntArray:
    product = muldiv_down(weights, surplus, fixed.one)  # weight × surplus, truncated
    return muldiv_down(product, fixed.one, total)  # ÷ votes, truncated


WIGM = GregoryRule(
    name="wigm",
    places=4,
    quota=_quota,
    new_weights=_new_weights,
    look_back=False,
    zero_surplus_is_a_stage=True,
)
