"""Fixed-point decimal arithmetic on scaled integers, as STV rules prescribe.

A value with ``places`` decimal places is held as the integer ``value * 10**places``, so that
sums are exact and every multiplication or division rounds exactly as the rule says (down
for ERS97, Scottish STV and WIGM; up where Meek's rule says so). NumPy arrays of such
integers (``int64``) carry ballot weights.

Nothing may wrap. A count checks once, before it starts, that the largest value it can form
fits ``int64`` (:func:`fits_int64`: the total valid vote at full weight, ``valid × 10**places``,
bounds every tally, every transfer and every sum of them); when it does not, the ballots'
multiplicities become Python integers in ``object`` arrays (:func:`exact_counts`), so that
every product and sum is exact, only slower. Normal elections stay on the fast path:
``int64`` holds 9.2 × 10¹⁸, so Meek (nine places) goes exact above 9.2 × 10⁹ ballots and
ERS97 (two places) above 9.2 × 10¹⁶.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

__all__ = [
    "INT64_LIMIT",
    "FixedPoint",
    "IntArray",
    "exact_counts",
    "fits_int64",
    "int_bincount",
    "muldiv_down",
]

IntArray = npt.NDArray[np.int64]
"""A NumPy array of scaled integers (or candidate indices)."""

_FLOAT_EXACT = 2**53
"""Integers below this add exactly in float64, which ``np.bincount`` uses for weights."""

INT64_LIMIT = 2**63
"""Integers from here up do not fit ``int64``."""


def fits_int64(bound: int) -> bool:
    """Whether every value up to ``bound`` (in absolute value) fits ``int64``.

    >>> fits_int64(2**63 - 1), fits_int64(2**63)
    (True, False)
    """
    return bound < INT64_LIMIT


def exact_counts(counts: IntArray) -> IntArray:
    """The same numbers as Python integers in an ``object`` array: arithmetic on them never
    wraps (products with ``int64`` arrays become Python integers too).

    >>> (exact_counts(np.array([2**62])) * np.array([4])).tolist()
    [18446744073709551616]
    """
    exact: IntArray = counts.astype(object)
    return exact


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

    Uses the fast ``np.bincount`` when every partial sum is exactly representable in float64,
    ``int64`` accumulation when every partial sum fits ``int64``, and Python integers
    otherwise (and for ``object`` arrays of Python integers), so it never wraps.

    >>> int_bincount(np.array([0, 2, 0]), np.array([5, 1, 7]), 3)
    [12, 0, 1]
    >>> int_bincount(np.array([1, 1]), np.array([2**62, 2**62]), 2)
    [0, 9223372036854775808]
    """
    if index.size == 0:
        return [0] * length
    if values.dtype != object:
        # float64's estimate of the sum is within a part in 2**52 of it: halving the bounds
        # leaves room for that error
        as_float = values.astype(np.float64)
        magnitude = float(np.abs(as_float).sum())
        if magnitude < _FLOAT_EXACT // 2:
            sums = np.bincount(index, weights=as_float, minlength=length)
            return [int(v) for v in np.rint(sums).astype(np.int64)]
        if magnitude < INT64_LIMIT // 2:
            out = np.zeros(length, dtype=np.int64)
            np.add.at(out, index, values)
            return [int(v) for v in out]
    exact = [0] * length
    for i, v in zip(index.tolist(), values.tolist(), strict=True):
        exact[i] += int(v)
    return exact


def muldiv_down(values: IntArray, numerator: int, denominator: int) -> IntArray:
    """``values × numerator ÷ denominator`` element-wise, remainder ignored, never overflowing.

    >>> muldiv_down(np.array([100000, 50000]), 682, 1982).tolist()
    [34409, 17204]
    """
    peak = int(np.max(values, initial=0)) * abs(numerator)
    if peak < INT64_LIMIT and values.dtype != object:
        result: IntArray = (values * numerator) // denominator
        return result
    exact = [int(v) * numerator // denominator for v in values.tolist()]
    return np.array(exact, dtype=np.int64)
