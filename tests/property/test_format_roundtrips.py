"""Writing ballots in a format and reading them back gives the same ballots."""

from __future__ import annotations

import json
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from mandate.ballots.formats.cdf import iter_cdf, parse_cdf, write_cdf
from mandate.ballots.formats.csv import iter_csv, parse_csv, write_csv
from mandate.ballots.formats.preflib import parse_preflib, write_preflib
from mandate.ballots.model import UNRECORDED_OVERVOTE, Profile, Ranking
from tests.strategies import profiles
from tests.support.matrix import assert_read_with_its_matrix


def merged(profile: Profile) -> Counter[Ranking]:
    counts: Counter[Ranking] = Counter()
    for ballot in profile.ballots:
        counts[ballot.ranking] += ballot.count
    return counts


def closed_up(ranking: Ranking) -> Ranking:
    return tuple(rank for rank in ranking if rank)


@settings(max_examples=100, deadline=None)
@given(profiles())
def test_csv_round_trip(profile: Profile) -> None:
    again = parse_csv(write_csv(profile).splitlines(keepends=True), source="x.csv")
    assert merged(again) == _sum(merged(profile))
    assert_read_with_its_matrix(again)


def _strip(ranking: Ranking) -> Ranking:
    """The ranking without empty ranks after its last mark (they carry no meaning)."""
    end = len(ranking)
    while end and not ranking[end - 1]:
        end -= 1
    return ranking[:end]


def _sum(counts: Counter[Ranking]) -> Counter[Ranking]:
    total: Counter[Ranking] = Counter()
    for ranking, count in counts.items():
        total[_strip(ranking)] += count
    return total


@settings(max_examples=100, deadline=None)
@given(profiles())
def test_cdf_round_trip(profile: Profile) -> None:
    usable = Profile(
        candidates=profile.candidates,
        ballots=tuple(
            b for b in profile.ballots if not any(UNRECORDED_OVERVOTE in rank for rank in b.ranking)
        ),
    )
    if not usable.ballots:
        return
    report = json.loads(json.dumps(write_cdf(usable, contest_name="Leader")))
    again = parse_cdf(report, source="x.json")
    assert merged(again) == _sum(merged(usable))
    assert again.candidate_ids == usable.candidate_ids
    assert_read_with_its_matrix(again)


@settings(max_examples=100, deadline=None)
@given(profiles(), st.integers(min_value=1, max_value=5))
def test_streamed_cdf_and_csv_are_the_whole_forms(profile: Profile, batch: int) -> None:
    usable = Profile(
        candidates=profile.candidates,
        ballots=tuple(
            b for b in profile.ballots if not any(UNRECORDED_OVERVOTE in rank for rank in b.ranking)
        ),
    )
    trackers = [f"t{i}" for i in range(usable.total)]
    whole = write_cdf(usable, contest_name="Leader", trackers=trackers)
    streamed = "".join(iter_cdf(usable, contest_name="Leader", trackers=trackers, batch=batch))
    assert streamed == json.dumps(whole, ensure_ascii=False, separators=(",", ":"))
    assert json.loads(streamed) == whole
    assert "".join(iter_csv(profile, batch=batch)) == write_csv(profile)


@settings(max_examples=100, deadline=None)
@given(profiles(messy=False))
def test_preflib_round_trip(profile: Profile) -> None:
    again = parse_preflib(write_preflib(profile).splitlines(), source="x.toi")
    expected: Counter[Ranking] = Counter()
    for ranking, count in merged(profile).items():
        expected[closed_up(ranking)] += count
    assert merged(again) == expected
    assert again.candidate_ids == profile.candidate_ids
    assert_read_with_its_matrix(again)
