"""BLT writing and reading are inverses on any profile BLT can express."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mandate.ballots.formats.blt import parse_blt, write_blt
from mandate.ballots.model import Ballot, Candidate, Profile
from mandate.ids import CandidateId
from tests.support.matrix import assert_read_with_its_matrix

NAMES = [CandidateId(n) for n in ("Ann Smith", "Bob", "Cy O'Neil", "Dee", "Eve-Marie")]


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    """Profiles with equal rankings, skipped ranks, withdrawn candidates and a title."""
    n = draw(st.integers(min_value=1, max_value=len(NAMES)))
    names = NAMES[:n]
    rank = st.frozensets(st.sampled_from(names), max_size=2)
    ballots = draw(
        st.lists(
            st.builds(
                Ballot,
                ranking=st.lists(rank, max_size=4).map(tuple),
                count=st.integers(min_value=1, max_value=50),
            ),
            max_size=12,
        )
    )
    return Profile(
        candidates=tuple(Candidate(id=c, name=str(c)) for c in names),
        ballots=tuple(ballots),
        seats=draw(st.integers(min_value=1, max_value=n)),
        withdrawn=draw(st.frozensets(st.sampled_from(names), max_size=n - 1)),
        title=draw(st.sampled_from([None, "Annual election", "Council 2026"])),
    )


@settings(max_examples=200, deadline=None)
@given(profiles())
def test_parse_of_write_is_the_deduplicated_profile(profile: Profile) -> None:
    text = write_blt(profile)
    parsed = parse_blt(text.splitlines(keepends=True), source="generated.blt")
    expected = profile.deduplicated()
    assert parsed.ballots == expected.ballots
    assert parsed.candidates == expected.candidates
    assert parsed.withdrawn == expected.withdrawn
    assert parsed.seats == expected.seats
    assert parsed.title == profile.title
    assert_read_with_its_matrix(parsed)
