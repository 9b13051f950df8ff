"""Fixed-point decimal arithmetic on scaled integers, as STV rules prescribe.

A value with ``places`` decimal places is held as the integer ``value * 10**places``, so that
sums are exact and every multiplication or division rounds exactly as the rule says (down
for ERS97, Scottish STV and WIGM; up where Meek's rule says so). NumPy arrays of such
integers (``int64``) carry ballot weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

__all__ = ["FixedPoint", "IntArray", "int_bincount", "muldiv_down"]

IntArray = npt.NDArray[np.int64]
"""A NumPy array of scaled integers (or candidate indices)."""

_FLOAT_EXACT = 2**53
"""Integers below this add exactly in float64, which ``np.bincount`` uses for weights."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FixedPoint:
    """Decimal numbers with a fixed count of places, held as scaled integers.

    >>> f = FixedPoint(places=2)
    >>> f.to_decimal(f.div_down(f.one * 2, 3 * f.one))
    Decimal('0.66')
    """

    places: int

    @property
    def one(self) -> int:
        """The scaled integer for 1."""
        return int(10**self.places)

    def from_int(self, value: int) -> int:
        """Scale a whole number."""
        return value * self.one

    def to_decimal(self, scaled: int) -> Decimal:
        """The Decimal with exactly ``places`` places for a scaled integer."""
        return Decimal(int(scaled)).scaleb(-self.places)

    def mul_down(self, a: int, b: int) -> int:
        """``a × b`` truncated to the places (both non-negative)."""
        return (a * b) // self.one

    def mul_up(self, a: int, b: int) -> int:
        """``a × b`` rounded up to the places (both non-negative)."""
        return -((-a * b) // self.one)

    def div_down(self, a: int, b: int) -> int:
        """``a ÷ b`` truncated to the places (both non-negative, ``b`` positive)."""
        return (a * self.one) // b

    def div_up(self, a: int, b: int) -> int:
        """``a ÷ b`` rounded up to the places (both non-negative, ``b`` positive)."""
        return -((-a * self.one) // b)


def int_bincount(index: IntArray, values: IntArray, length: int) -> list[int]:
    """Exact per-bin sums of integer ``values`` grouped by ``index`` (0 ≤ index < length).

    Uses the fast ``np.bincount`` when every partial sum is exactly representable, and
    exact integer accumulation otherwise.

    >>> int_bincount(np.array([0, 2, 0]), np.array([5, 1, 7]), 3)
    [12, 0, 1]
    """
    if index.size == 0:
        return [0] * length
    if int(np.abs(values).sum(dtype=np.float64)) < _FLOAT_EXACT // 2:
        sums = np.bincount(index, weights=values.astype(np.float64), minlength=length)
        return [int(v) for v in np.rint(sums).astype(np.int64)]
    out = np.zeros(length, dtype=np.int64)
    np.add.at(out, index, values)
    return [int(v) for v in out]


def muldiv_down(values: IntArray, numerator: int, denominator: int) -> IntArray:
    """``values × numerator ÷ denominator`` element-wise, remainder ignored, never overflowing.

    >>> muldiv_down(np.array([100000, 50000]), 682, 1982).tolist()
    [34409, 17204]
    """
    peak = int(np.max(values, initial=0)) * abs(numerator)
    if peak < 2**63:
        result: IntArray = (values * numerator) // denominator
        return result
    exact = [int(v) * numerator // denominator for v in values.tolist()]
    return np.array(exact, dtype=np.int64)
