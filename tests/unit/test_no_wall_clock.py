"""The suite has no wall-clock limits: a busy machine makes tests slower, never failing."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import settings

TESTS = Path(__file__).resolve().parent.parent


def test_hypothesis_runs_without_a_deadline() -> None:
    """The profile loaded by conftest.py turns Hypothesis's per-example deadline off."""
    assert settings().deadline is None


def test_no_test_sets_a_hypothesis_deadline() -> None:
    """No test brings a deadline back with its own ``@settings(deadline=...)``."""
    pattern = re.compile(r"deadline\s*=\s*(?!None\b)[^,)\s]+")
    offenders = [
        f"{path.relative_to(TESTS)}:{number}"
        for path in sorted(TESTS.rglob("*.py"))
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "@settings(" in line and pattern.search(line)
    ]
    assert offenders == []
