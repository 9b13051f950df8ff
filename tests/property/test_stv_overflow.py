"""Exact and fast STV arithmetic agree, and nothing wraps past int64 (issue 10, item 3).

The fast path holds a count's values in int64; a count whose valid vote at full weight
(``valid × 10**places``) does not fit goes over to Python integers. Near that bound the fast
path must agree with the exact one, stage by stage; past it, every stage must still hold every
vote (nothing wraps negative).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mandate.ballots.model import Ballot, Profile
from mandate.counting.model import InactiveReason
from mandate.counting.stv import StvRules, count_stv
from mandate.counting.stv import stages as stages_module
from tests.property.test_stv_properties import RULES, elections

PLACES = {StvRules.ERS97: 2, StvRules.SCOTTISH: 5, StvRules.MEEK: 9, StvRules.WIGM: 4}
LIMIT = 2**63


def _scaled(profile: Profile, factor: int) -> Profile:
    return Profile(
        candidates=profile.candidates,
        ballots=tuple(Ballot(ranking=b.ranking, count=b.count * factor) for b in profile.ballots),
    )


@settings(max_examples=60, deadline=None)
@given(elections(), RULES, st.integers(min_value=50, max_value=100))
def test_fast_and_exact_arithmetic_agree_near_the_bound(
    election: tuple[Profile, int], rules: StvRules, percent: int
) -> None:
    """Scaled so that the valid vote at full weight is just below 2**63 (the fast path's
    largest values), the fast count equals the count forced onto Python integers."""
    profile, seats = election
    full = profile.total * 10 ** PLACES[rules]
    factor = max(1, (LIMIT - 1) // full * percent // 100)
    scaled = _scaled(profile, factor)
    assert scaled.total * 10 ** PLACES[rules] < LIMIT
    fast = count_stv(scaled, seats=seats, rules=rules, seed="p")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stages_module, "fits_int64", lambda bound: False)
        exact = count_stv(scaled, seats=seats, rules=rules, seed="p")
    assert fast == exact


@settings(max_examples=60, deadline=None)
@given(elections(), RULES, st.integers(min_value=1, max_value=10**6))
def test_past_the_bound_every_stage_holds_every_vote(
    election: tuple[Profile, int], rules: StvRules, extra: int
) -> None:
    """Scaled past 2**63 at full weight: tallies never negative, and tallies + exhausted +
    rounding loss = valid ballots at every stage; every seat is filled."""
    profile, seats = election
    full = profile.total * 10 ** PLACES[rules]
    factor = LIMIT // full + extra
    scaled = _scaled(profile, factor)
    result = count_stv(scaled, seats=seats, rules=rules, seed="p")
    assert result.valid + result.undervotes == scaled.total
    assert len(result.elected) == seats
    for stage in result.rounds:
        assert all(v >= 0 for _, v in stage.tally)
        held = sum((Decimal(v) for _, v in stage.tally), Decimal(0))
        exhausted = Decimal(stage.inactive_of(InactiveReason.EXHAUSTED))
        assert held + exhausted + Decimal(stage.rounding_loss) == result.valid
        assert stage.rounding_loss >= 0
