"""The lifecycle table, ballot validation and the demo's plan, as pure functions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mandate.errors import IllegalTransitionError, InputError, InvalidBallotError
from mandate.service.ballots import parse_stored_ranking, stored_ranking, validate_choices
from mandate.service.demo_plan import CLASSES, load_published, plan_demo
from mandate.service.lifecycle import (
    TRANSITIONS,
    Action,
    ContestState,
    check_open_ballot,
    transition_for,
)


def test_the_lifecycle_is_one_path_through_every_state() -> None:
    states = [TRANSITIONS[0].source] + [t.target for t in TRANSITIONS]
    assert states == list(ContestState)
    assert all(a.source is b.target for a, b in zip(TRANSITIONS[1:], TRANSITIONS, strict=False))


@pytest.mark.parametrize("state", list(ContestState))
@pytest.mark.parametrize("action", list(Action))
def test_each_action_is_allowed_from_exactly_one_state(action: Action, state: ContestState) -> None:
    allowed = next(t for t in TRANSITIONS if t.action is action)
    if state is allowed.source:
        assert transition_for(action, state).target is allowed.target
    else:
        with pytest.raises(IllegalTransitionError, match="lifecycle rule L"):
            transition_for(action, state)


def test_open_ballot_issues_are_all_listed() -> None:
    issues = check_open_ballot(standing=1, electors=0, credentials_issued=False)
    assert len(issues) == 2
    assert all(i.fix for i in issues)
    assert check_open_ballot(standing=2, electors=5, credentials_issued=True) == ()


def test_approval_and_plurality_ballots_take_their_own_shape() -> None:
    assert validate_choices(["A", "B"], standing=["A", "B"], method="approval") == (
        frozenset({"A", "B"}),
    )
    with pytest.raises(InvalidBallotError, match="takes one choice"):
        validate_choices(["A", "B"], standing=["A", "B"], method="plurality")


def test_stored_rankings_round_trip() -> None:
    ranking = validate_choices(["B", "A"], standing=["A", "B"], method="irv")
    assert parse_stored_ranking(stored_ranking(ranking)) == ranking


def test_shipped_2016_figures_agree_with_the_shared_data(shared_data: Path) -> None:
    shared = json.loads((shared_data / "party_contests.json").read_text())
    contest = next(c for c in shared["labour"] if c["id"] == "labour-leader-2016")
    ours = load_published()
    assert ours["ballots_distributed"] == contest["electorate"]["ballots_distributed"]
    assert ours["valid"] == contest["totals"]["valid"]
    assert ours["spoilt"] == contest["totals"]["spoilt"]
    sections = {
        "members": "member",
        "registered_supporters": "registered_supporter",
        "affiliated_supporters": "affiliated_supporter",
    }
    for result in contest["rounds"][0]["results"]:
        for section, voter_class in sections.items():
            assert (
                ours["by_class"][voter_class][result["candidate"]] == result["by_section"][section]
            )
    motion = contest["precursor_votes"][0]
    assert ours["plp_confidence_motion"]["for"] == motion["for"]
    assert ours["plp_confidence_motion"]["did_not_vote"] == motion["did_not_vote"]
    assert (
        ours["nominations"]["plp_eplp_size_at_close"]
        == contest["nominations"]["plp_eplp_size_at_close"]
    )


def test_at_scale_one_the_plan_is_the_published_ballot() -> None:
    plan = plan_demo(1)
    published = load_published()
    assert sum(plan.electorate.values()) == published["ballots_distributed"]
    assert sum(plan.spoilt.values()) == published["spoilt"]
    assert sum(plan.valid(c) for c in CLASSES) == published["valid"]
    assert plan.votes == published["by_class"]


def test_a_smaller_scale_rounds_each_published_figure() -> None:
    plan = plan_demo(0.01)
    assert plan.votes["member"] == {"Jeremy Corbyn": 1682, "Owen Smith": 1170}
    assert plan.electorate["member"] >= plan.valid("member") + plan.spoilt["member"]


@pytest.mark.parametrize("scale", [0, -1, 1.5])
def test_a_scale_outside_zero_to_one_is_refused(scale: float) -> None:
    with pytest.raises(InputError, match="--scale"):
        plan_demo(scale)
