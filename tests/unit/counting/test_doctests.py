"""The runnable examples in the counting and ballot-format docstrings hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "mandate.ballots.matrix",
    "mandate.ballots.model",
    "mandate.ballots.names",
    "mandate.ballots.formats",
    "mandate.ballots.formats._builder",
    "mandate.ballots.formats.blt",
    "mandate.ballots.formats.cdf",
    "mandate.ballots.formats.cdf.reader",
    "mandate.ballots.formats.cdf.writer",
    "mandate.ballots.formats.csv",
    "mandate.ballots.formats.preflib",
    "mandate.counting.approval",
    "mandate.counting.chart",
    "mandate.counting.irv",
    "mandate.counting.methods",
    "mandate.counting.plurality",
    "mandate.counting.registry",
    "mandate.counting.report",
    "mandate.counting.tiebreak",
    "mandate.ids",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    failures, tried = doctest.testmod(importlib.import_module(name))
    assert tried > 0
    assert failures == 0
