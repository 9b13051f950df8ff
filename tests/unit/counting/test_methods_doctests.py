"""The runnable examples in the college, exhaustive and section modules hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "mandate.ballots.sections",
    "mandate.ballots.formats.sectioned_csv",
    "mandate.ballots.formats.section_files",
    "mandate.counting.college",
    "mandate.counting.exhaustive",
    "mandate.counting.sectioned",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    failures, tried = doctest.testmod(importlib.import_module(name))
    assert tried > 0
    assert failures == 0
