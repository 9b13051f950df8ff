"""The runnable examples in the mandate.crypto docstrings hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "mandate.crypto.ballot",
    "mandate.crypto.elgamal",
    "mandate.crypto.group",
    "mandate.crypto.json_values",
    "mandate.crypto.proofs",
    "mandate.crypto.shuffle",
    "mandate.crypto.shuffle_verification",
    "mandate.crypto.threshold",
    "mandate.crypto.transcript",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failures, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)[:2]
    assert attempted > 0
    assert failures == 0
