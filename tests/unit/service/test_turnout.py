"""The one percentage rule turnout is shown with: integers, one decimal, half up."""

from __future__ import annotations

import pytest

from mandate.service.turnout import ClassTurnout, percent


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (1, 3, "33.3"),
        (2, 3, "66.7"),
        (1, 8, "12.5"),
        (1, 16, "6.3"),  # 6.25 rounds half up
        (1, 2000, "0.1"),  # 0.05 rounds half up
        (1, 2001, "0.0"),
        (7, 7, "100.0"),
        (0, 5, "0.0"),
        (0, 0, "0.0"),
    ],
)
def test_percent_is_exact_and_rounds_half_up(part: int, whole: int, expected: str) -> None:
    assert percent(part, whole) == expected


def test_class_turnout_percent_is_voted_over_electors() -> None:
    row = ClassTurnout(voter_class="a", title="A", electors=3, voted=2)
    assert row.percent == "66.7"
