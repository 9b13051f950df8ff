"""Turnout by voter class, and a share as a percentage computed exactly in integers."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ClassTurnout", "percent"]


def percent(part: int, whole: int) -> str:
    """``part`` as a percentage of ``whole``, one decimal place, rounded half up.

    Computed in integers, so the same figures always give the same text; ``"0.0"`` when
    ``whole`` is zero.

    >>> percent(1, 3), percent(2, 3), percent(1, 8), percent(0, 0)
    ('33.3', '66.7', '12.5', '0.0')
    """
    if not whole:
        return "0.0"
    tenths = (part * 2000 + whole) // (2 * whole)
    return f"{tenths // 10}.{tenths % 10}"


@dataclass(frozen=True, slots=True, kw_only=True)
class ClassTurnout:
    """Electors of one voter class and how many have voted so far: online, or by a postal
    envelope recorded as returned."""

    voter_class: str
    title: str
    electors: int
    voted: int

    @property
    def percent(self) -> str:
        """Those who have voted as a share of electors, one decimal place (rounded half up)."""
        return percent(self.voted, self.electors)
