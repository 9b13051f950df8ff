"""Golden IRV cases under tests/golden/counting/: a fresh count gives the stored report.

Regenerate after a deliberate change with ``PYTHONPATH=src python -m tests.golden.counting.cases``
and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.golden.counting.cases import case_folders, report

OPTIONS_NEEDING_A_CASE = {
    "overvote-exhaust",
    "overvote-skip",
    "overvote-exhaust-if-multiple",
    "max-skipped-0",
    "max-skipped-1",
    "max-rankings-2",
    "duplicates-skip",
    "duplicates-exhaust",
    "batch-elimination",
    "continue-until-two",
    "tiebreak-previous-round",
    "tiebreak-candidate-order",
    "tiebreak-random",
    "tiebreak-lot",
    "exclude",
    "undeclared-write-in",
    "undervotes",
}


def test_every_irv_option_has_a_golden_case() -> None:
    assert {folder.name for folder in case_folders()} >= OPTIONS_NEEDING_A_CASE


@pytest.mark.parametrize("folder", case_folders(), ids=lambda folder: folder.name)
def test_count_matches_the_golden_report(folder: Path) -> None:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert report(folder) == expected
