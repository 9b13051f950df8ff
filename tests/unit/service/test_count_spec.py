"""A rulebook's ballot survives the trip into a contest's stored count spec and back."""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction

from mandate.counting.exhaustive import ExhaustiveOptions
from mandate.counting.registry import Method
from mandate.counting.stv import StvRules
from mandate.counting.tiebreak import TieBreak
from mandate.rules import Ballot, BallotMethod, load_rulebook
from mandate.rules.model import Clause
from mandate.service.contests import spec_to_json
from mandate.service.results import spec_from_json


def _stored(ballot: Ballot) -> dict[str, object]:
    """The spec as a contest stores it: through JSON text."""
    loaded: dict[str, object] = json.loads(json.dumps(spec_to_json(ballot, seed="c1")))
    return loaded


def test_exhaustive_ballot_keeps_its_floor_and_stops_at_until() -> None:
    rulebook = load_rulebook("conservative-1922")
    mps = next(b for b in rulebook.ballots if b.id == "mps")
    spec = spec_from_json(_stored(mps))
    assert spec.method is Method.EXHAUSTIVE
    assert spec.exhaustive == ExhaustiveOptions(first_round_floor=30, stop_at=2, majority=False)
    assert spec.irv.tiebreak is TieBreak.LOT
    assert spec.irv.seed == "c1"


def test_college_ballot_keeps_its_section_weights_exactly() -> None:
    college = Ballot(
        id="leader",
        title="Electoral college",
        method=BallotMethod.COLLEGE,
        seats=1,
        tiebreak=TieBreak.PREVIOUS_ROUND,
        tiebreak_forwards=True,
        clause=Clause(ref="Rule 4"),
        sections=(("mps", Fraction(1, 3)), ("members", Fraction(1, 3)), ("unions", Fraction(1, 3))),
    )
    spec = spec_from_json(_stored(college))
    assert spec.method is Method.COLLEGE
    assert spec.weights == (
        ("mps", Fraction(1, 3)),
        ("members", Fraction(1, 3)),
        ("unions", Fraction(1, 3)),
    )
    assert sum(w for _, w in spec.weights) == 1
    assert spec.irv.tiebreak_forwards is True


def test_plain_ballot_spec_is_unchanged_and_stv_rules_are_an_enum() -> None:
    rulebook = load_rulebook("society")
    committee = next(b for b in rulebook.ballots if b.method is BallotMethod.STV)
    stored = _stored(committee)
    assert set(stored) == {"method", "seats", "stv_rules", "tiebreak", "seed", "clause"}
    spec = spec_from_json(stored)
    assert isinstance(spec.stv_rules, StvRules)
    assert spec.weights == ()
    assert spec.exhaustive == ExhaustiveOptions()


def test_forwards_tiebreak_only_stored_when_set() -> None:
    rulebook = load_rulebook("society")
    chair = next(b for b in rulebook.ballots if b.id == "chair")
    assert "tiebreak_forwards" not in _stored(chair)
    forwards = dataclasses.replace(chair, tiebreak=TieBreak.PREVIOUS_ROUND, tiebreak_forwards=True)
    assert spec_from_json(_stored(forwards)).irv.tiebreak_forwards is True


def test_points_per_district_ballot_keeps_its_points_and_minimum() -> None:
    college = Ballot(
        id="leader",
        title="100 points a riding",
        method=BallotMethod.COLLEGE,
        seats=1,
        tiebreak=TieBreak.PREVIOUS_ROUND,
        clause=Clause(ref="Rule 1"),
        district_points=100,
        full_points_minimum=100,
    )
    stored = _stored(college)
    assert (stored["district_points"], stored["full_points_minimum"]) == (100, 100)
    assert "sections" not in stored
    spec = spec_from_json(stored)
    assert spec.method is Method.COLLEGE
    assert (spec.district_points, spec.full_points_minimum) == (100, 100)
    assert spec.weights == ()


def test_points_per_district_without_a_minimum_stores_none() -> None:
    college = Ballot(
        id="leader",
        title="100 points a riding",
        method=BallotMethod.COLLEGE,
        seats=1,
        tiebreak=TieBreak.LOT,
        clause=Clause(ref="Rule 1"),
        district_points=100,
    )
    stored = _stored(college)
    assert "full_points_minimum" not in stored
    spec = spec_from_json(stored)
    assert (spec.district_points, spec.full_points_minimum) == (100, None)
