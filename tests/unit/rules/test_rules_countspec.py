"""Every shipped ballot names its count in terms ``mandate.counting.registry`` accepts."""

from __future__ import annotations

import pytest

from mandate.counting.irv import IrvOptions
from mandate.counting.registry import CountSpec, Method
from mandate.counting.tiebreak import TieBreak as CountingTieBreak
from mandate.rules import load_rulebook, shipped_rulebooks
from mandate.rules.model import TieBreak


@pytest.mark.parametrize("name", shipped_rulebooks())
def test_shipped_ballots_build_a_count_spec(name: str) -> None:
    for ballot in load_rulebook(name).ballots:
        spec = CountSpec(
            method=Method(ballot.method.value),
            seats=ballot.seats,
            stv_rules=None if ballot.stv_rules is None else ballot.stv_rules.value,
            irv=IrvOptions(
                tiebreak=CountingTieBreak(ballot.tiebreak.value),
                tiebreak_forwards=ballot.tiebreak_forwards,
            ),
        )
        assert spec.method.value == ballot.method.value


@pytest.mark.parametrize("tiebreak", list(TieBreak))
def test_every_tiebreak_is_one_counting_knows(tiebreak: TieBreak) -> None:
    assert CountingTieBreak(tiebreak.value).value == tiebreak.value
