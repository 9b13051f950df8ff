"""Candidate names: what the nomination accepts, every publication format can carry."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mandate.ballots.formats import read_ballots
from mandate.ballots.formats.blt import write_blt
from mandate.ballots.formats.cdf.writer import write_cdf
from mandate.ballots.formats.csv import write_csv
from mandate.ballots.formats.preflib import write_preflib
from mandate.ballots.model import Ballot, Candidate, Profile
from mandate.ballots.names import MAX_NAME_LENGTH, check_candidate_name
from mandate.errors import InputError
from mandate.ids import CandidateId


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("Ann = Bob", "'='"),
        ('Ann "the Hat" Lee', "'\"'"),
        ("Ann > Bob", "'>'"),
        ("#overvote", "overvote"),
        ("Ann\nLee", "control character"),
        ("Ann\tLee", "control character"),
        ("Ann\u2028Lee", "control character"),
        ("   ", "empty"),
        ("x" * (MAX_NAME_LENGTH + 1), "the most is 200"),
    ],
)
def test_names_a_format_cannot_carry_are_refused_with_the_reason(name: str, says: str) -> None:
    with pytest.raises(InputError, match=says):
        check_candidate_name(name)


def test_accepted_names_are_published_stripped() -> None:
    assert check_candidate_name("  Rhiannon Ní Bhriain  ") == "Rhiannon Ní Bhriain"


_WRITERS = {
    "ballots.blt": write_blt,
    "ballots.csv": write_csv,
    "ballots.soi": write_preflib,
    "ballots.json": lambda profile: json.dumps(write_cdf(profile, contest_name="contest")),
}


def _accepted(name: str) -> bool:
    try:
        check_candidate_name(name)
    except InputError:
        return False
    return True


@settings(max_examples=60)
@given(
    names=st.lists(
        st.text(min_size=1, max_size=30).filter(_accepted).map(str.strip),
        min_size=2,
        max_size=4,
        unique_by=str.casefold,
    )
)
def test_every_accepted_name_survives_every_publication_format(
    names: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A name the nomination accepts is written and read back unchanged in each format."""
    candidates = tuple(
        Candidate(id=CandidateId(f"c{n}"), name=name) for n, name in enumerate(names)
    )
    ranking = tuple(frozenset({c.id}) for c in candidates)
    profile = Profile(candidates=candidates, ballots=(Ballot(ranking=ranking, count=2),))
    folder = tmp_path_factory.mktemp("names")
    for file_name, write in _WRITERS.items():
        path = folder / file_name
        path.write_text(write(profile), encoding="utf-8")
        read = read_ballots(path)
        assert [c.name for c in read.candidates] == names, file_name
