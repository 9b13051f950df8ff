"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from hypothesis import strategies as st

from mandate.ballots.model import UNRECORDED_OVERVOTE, Ballot, Candidate, Profile, Ranking
from mandate.ids import CandidateId

NAMES = tuple(CandidateId(name) for name in ("Ann", "Bob", "Cy", "Di", "Ed", "Flo"))


@st.composite
def rankings(
    draw: st.DrawFn,
    candidates: tuple[CandidateId, ...],
    *,
    messy: bool = True,
) -> Ranking:
    """A ranking over ``candidates``: a strict order, or with ``messy`` one with skipped ranks,
    overvotes, unrecorded overvotes, repeated candidates and blanks, as real ballots have."""
    order = draw(st.permutations(candidates))
    length = draw(st.integers(min_value=0 if messy else 1, max_value=len(candidates)))
    ranks: list[frozenset[CandidateId]] = [frozenset({c}) for c in order[:length]]
    if messy and ranks:
        for _ in range(draw(st.integers(min_value=0, max_value=2))):
            position = draw(st.integers(min_value=0, max_value=len(ranks)))
            kind = draw(st.sampled_from(["skip", "overvote", "unrecorded", "repeat"]))
            if kind == "skip":
                ranks.insert(position, frozenset())
            elif kind == "overvote":
                pair = draw(st.sets(st.sampled_from(candidates), min_size=2, max_size=2))
                ranks.insert(position, frozenset(pair))
            elif kind == "unrecorded":
                ranks.insert(position, frozenset({UNRECORDED_OVERVOTE}))
            else:
                ranks.insert(position, frozenset({draw(st.sampled_from(candidates))}))
    return tuple(ranks)


@st.composite
def profiles(
    draw: st.DrawFn,
    *,
    min_candidates: int = 2,
    max_candidates: int = 5,
    max_ballots: int = 25,
    messy: bool = True,
) -> Profile:
    """A profile of ranked ballots (each with a count) over a few candidates; the first ballot
    ranks at least one candidate cleanly, so that there is a valid vote to count (a count
    with none is refused)."""
    number = draw(st.integers(min_value=min_candidates, max_value=max_candidates))
    candidates = NAMES[:number]
    first = Ballot(ranking=draw(rankings(candidates, messy=False)))
    others = draw(
        st.lists(
            st.builds(
                lambda ranking, count: Ballot(ranking=ranking, count=count),
                rankings(candidates, messy=messy),
                st.integers(min_value=1, max_value=5),
            ),
            min_size=0,
            max_size=max_ballots - 1,
        )
    )
    ballots = [first, *others]
    return Profile(
        candidates=tuple(Candidate(id=c, name=str(c)) for c in candidates),
        ballots=tuple(ballots),
    )
