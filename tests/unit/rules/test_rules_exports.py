"""The public API of mandate.rules is pinned, and its docstring examples run."""

from __future__ import annotations

import doctest
import importlib

import pytest

import mandate.rules

MODULES = [
    "mandate.rules",
    "mandate.rules.model",
    "mandate.rules.eligibility",
    "mandate.rules.evaluate",
]


def test_rules_exports_are_pinned() -> None:
    assert sorted(mandate.rules.__all__) == [
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
        "FORMAT_VERSION",
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


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    failures, tried = doctest.testmod(importlib.import_module(name))
    assert tried > 0
    assert failures == 0
