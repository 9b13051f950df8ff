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
from mandate.rules.evaluate import Evaluation, evaluate, threshold_on
from mandate.rules.events import Events, load_events, parse_events
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
from mandate.rules.whatif import Mode, WhatIf, whatif

__all__ = [
    "FORMAT_VERSION",
    "Ballot",
    "BallotMethod",
    "Body",
    "Clause",
    "Elector",
    "EligibilityReport",
    "Evaluation",
    "Events",
    "Exclusion",
    "Explanation",
    "Mode",
    "RollEntry",
    "Rounding",
    "Rulebook",
    "StvRules",
    "Threshold",
    "TieBreak",
    "VoterClass",
    "WhatIf",
    "decide_eligibility",
    "evaluate",
    "load_events",
    "load_rulebook",
    "parse_events",
    "parse_rulebook",
    "shipped_rulebooks",
    "threshold_on",
    "whatif",
]
