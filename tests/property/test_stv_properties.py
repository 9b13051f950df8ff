"""Properties every STV rule must have, on random small elections."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mandate.ballots.model import Ballot, Candidate, Profile
from mandate.counting.irv import IrvOptions, count_irv
from mandate.counting.model import InactiveReason
from mandate.counting.stv import StvRules, count_stv
from mandate.counting.tiebreak import TieBreak
from mandate.ids import CandidateId

NAMES = [CandidateId(n) for n in ("Ada", "Ben", "Cai", "Dee", "Eli", "Fay")]


@st.composite
def elections(draw: st.DrawFn) -> tuple[Profile, int]:
    """A profile of 2–6 candidates and up to 25 distinct rankings, and a number of seats."""
    n = draw(st.integers(min_value=2, max_value=len(NAMES)))
    names = NAMES[:n]
    rankings = draw(
        st.lists(
            st.permutations(names).flatmap(
                lambda order: st.integers(min_value=0, max_value=len(order)).map(
                    lambda k, order=order: tuple(frozenset({c}) for c in order[:k])
                )
            ),
            min_size=1,
            max_size=25,
        )
    )
    # a valid vote to count (a count with none is refused)
    rankings[0] = rankings[0] or (frozenset({names[0]}),)
    counts = draw(st.lists(st.integers(1, 6), min_size=len(rankings), max_size=len(rankings)))
    profile = Profile(
        candidates=tuple(Candidate(id=c, name=str(c)) for c in names),
        ballots=tuple(Ballot(ranking=r, count=k) for r, k in zip(rankings, counts, strict=True)),
    )
    seats = draw(st.integers(min_value=1, max_value=min(3, n)))
    return profile, seats


RULES = st.sampled_from(list(StvRules))


@settings(max_examples=60, deadline=None)
@given(elections(), RULES, st.randoms(use_true_random=False))
def test_ballot_order_does_not_change_the_result(
    election: tuple[Profile, int], rules: StvRules, rng: object
) -> None:
    profile, seats = election
    shuffled = list(profile.ballots)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    other = Profile(candidates=profile.candidates, ballots=tuple(shuffled))
    assert count_stv(other, seats=seats, rules=rules, seed="p") == count_stv(
        profile, seats=seats, rules=rules, seed="p"
    )


@settings(max_examples=60, deadline=None)
@given(elections(), RULES)
def test_deduplicated_and_raw_ballots_give_the_same_result(
    election: tuple[Profile, int], rules: StvRules
) -> None:
    profile, seats = election
    raw = Profile(
        candidates=profile.candidates,
        ballots=tuple(Ballot(ranking=b.ranking) for b in profile.ballots for _ in range(b.count)),
    )
    assert count_stv(raw, seats=seats, rules=rules, seed="p") == count_stv(
        profile.deduplicated(), seats=seats, rules=rules, seed="p"
    )


@settings(max_examples=100, deadline=None)
@given(elections(), RULES)
def test_vote_value_is_conserved_at_every_stage(
    election: tuple[Profile, int], rules: StvRules
) -> None:
    """Tallies + exhausted + rounding loss = valid ballots, at every stage."""
    profile, seats = election
    result = count_stv(profile, seats=seats, rules=rules, seed="p")
    for stage in result.rounds:
        held = sum((Decimal(v) for _, v in stage.tally), Decimal(0))
        exhausted = Decimal(stage.inactive_of(InactiveReason.EXHAUSTED))
        assert held + exhausted + Decimal(stage.rounding_loss) == result.valid
        assert stage.rounding_loss >= 0
        assert exhausted >= 0


@settings(max_examples=100, deadline=None)
@given(elections(), RULES)
def test_every_seat_is_filled_once(election: tuple[Profile, int], rules: StvRules) -> None:
    profile, seats = election
    result = count_stv(profile, seats=seats, rules=rules, seed="p")
    assert len(result.elected) == seats
    assert len(set(result.elected)) == seats
    assert [c for r in result.rounds for c in r.elected] == list(result.elected)


@settings(max_examples=150, deadline=None)
@given(elections(), RULES)
def test_stv_for_one_seat_elects_the_irv_winner(
    election: tuple[Profile, int], rules: StvRules
) -> None:
    """With one seat every rule here is IRV (ERS97's group exclusions only remove candidates
    who cannot win), so without ties the winner is the IRV winner."""
    profile, _ = election
    assume(any(not b.is_blank for b in profile.ballots))
    stv = count_stv(profile, seats=1, rules=rules, seed="p")
    irv = count_irv(profile, IrvOptions(seed="p", tiebreak=TieBreak.RANDOM))
    assume(not any(r.tiebreaks for r in stv.rounds))
    assume(not any(r.tiebreaks for r in irv.rounds))
    assert stv.elected == irv.elected[:1]
