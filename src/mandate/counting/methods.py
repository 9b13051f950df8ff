"""The closed sets that name a count: the counting method and, for STV, its rules.

They live apart from the counts themselves so that a rulebook (``mandate.rules``) can name a
method without importing the counting machinery and NumPy behind it. The counts re-export
them: ``mandate.counting.registry.Method`` and ``mandate.counting.stv.StvRules`` are these.

>>> Method("stv"), StvRules("meek")
(<Method.STV: 'stv'>, <StvRules.MEEK: 'meek'>)
"""

from __future__ import annotations

from enum import Enum

__all__ = ["Method", "StvRules"]


class Method(Enum):
    """A counting method."""

    IRV = "irv"
    STV = "stv"
    PLURALITY = "plurality"
    APPROVAL = "approval"
    COLLEGE = "college"
    EXHAUSTIVE = "exhaustive"


class StvRules(Enum):
    """The STV rules mandate counts by."""

    ERS97 = "ers97"
    SCOTTISH = "scottish"
    MEEK = "meek"
    WIGM = "wigm"
