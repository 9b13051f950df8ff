"""The rulebook as code: load a rulebook, decide eligibility, evaluate events, compare readings.

>>> from mandate.rules import load_rulebook
>>> load_rulebook("labour-2016").ballot.method.value
'irv'
"""

from __future__ import annotations

from mandate.rules.eligibility import (
    Elector,
    EligibilityReport,
    Exclusion,
    RollEntry,
    decide_eligibility,
)
from mandate.rules.load import load_rulebook, parse_rulebook, shipped_rulebooks
from mandate.rules.model import (
    FORMAT_VERSION,
    Ballot,
    BallotMethod,
    Body,
    Clause,
    Explanation,
    Rounding,
    Rulebook,
    StvRules,
    Threshold,
    TieBreak,
    VoterClass,
)

__all__ = [
    "FORMAT_VERSION",
    "Ballot",
    "BallotMethod",
    "Body",
    "Clause",
    "Elector",
    "EligibilityReport",
    "Exclusion",
    "Explanation",
    "RollEntry",
    "Rounding",
    "Rulebook",
    "StvRules",
    "Threshold",
    "TieBreak",
    "VoterClass",
    "decide_eligibility",
    "load_rulebook",
    "parse_rulebook",
    "shipped_rulebooks",
]
