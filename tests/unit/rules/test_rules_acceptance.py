"""Issue 4's acceptance points, one test each, on the shipped rulebooks and example events."""

from __future__ import annotations

from pathlib import Path

import pytest

from mandate.rules import load_rulebook
from mandate.rules.evaluate import (
    BallotAnswer,
    MotionAnswer,
    StandingAnswer,
    ThresholdAnswer,
    TriggerAnswer,
    evaluate,
)
from mandate.rules.events import Events, load_events
from mandate.rules.model import Effect
from mandate.rules.whatif import Mode, whatif

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture(scope="module")
def events_2016() -> Events:
    return load_events(EXAMPLES / "labour-2016" / "events.toml")


def motion_2016(events: Events) -> MotionAnswer:
    (answer,) = evaluate(load_rulebook("labour-2016"), events).of_type(MotionAnswer)
    return answer


def test_motion_carried_with_172_of_212_valid_votes(events_2016: Events) -> None:
    answer = motion_2016(events_2016)
    assert answer.carried
    assert (answer.votes_for, answer.valid) == (172, 212)
    assert "172 of 212 valid votes = 81.1%, more than 50% (106) → carried" in (
        answer.explanation.arithmetic
    )


def test_40_of_the_229_mps_backed_the_leader(events_2016: Events) -> None:
    answer = motion_2016(events_2016)
    assert (answer.backing, answer.body_size) == (40, 229)
    assert (
        "40 of the 229 MPs (17.5%) backed Jeremy Corbyn by voting against the motion"
        in answer.explanation.arithmetic
    )


def test_under_labour_2016_the_motion_has_no_effect_on_the_leadership(
    events_2016: Events,
) -> None:
    answer = motion_2016(events_2016)
    assert answer.effect is Effect.NONE
    assert answer.summary == "carried: no effect on the leadership"
    refs = [c.ref for c in answer.explanation.clauses]
    assert "Chapter 4, Clause II.2.B.ii" in refs
    assert "the motion is not binding" in answer.explanation.notes


def test_threshold_is_51_from_251_mps_and_meps_at_close_of_nominations(
    events_2016: Events,
) -> None:
    (threshold,) = evaluate(load_rulebook("labour-2016"), events_2016).of_type(ThresholdAnswer)
    assert threshold.value == 51
    assert threshold.body_size == 251
    assert threshold.explanation.arithmetic == (
        "20% of 251 MPs and MEPs at the close of nominations (20 July 2016) = 50.2, "
        "rounded up (ceil) = 51",
    )
    assert threshold.explanation.clauses[0].ref == "Chapter 4, Clause II.2.B.ii"


def test_threshold_is_50_from_229_mps_and_20_meps_at_the_motion_date(events_2016: Events) -> None:
    evaluation = evaluate(
        load_rulebook("labour-2016"), events_2016, {"denominator_date": "motion_date"}
    )
    (threshold,) = evaluation.of_type(ThresholdAnswer)
    assert threshold.value == 50
    assert threshold.explanation.arithmetic == (
        "20% of 229 MPs + 20 MEPs = 249 MPs and MEPs at the motion date (28 June 2016) = 49.8, "
        "rounded up (ceil) = 50",
    )


def test_rounding_and_date_are_explicit_params_and_whatif_shows_51_and_50(
    events_2016: Events,
) -> None:
    rulebook = load_rulebook("labour-2016")
    assert rulebook.param("rounding").note == "The rule text is silent on rounding."
    assert rulebook.param("denominator_date").values == ("close_of_nominations", "motion_date")
    result = whatif(rulebook, events_2016, vary=["denominator_date"])
    (difference,) = result.differences
    assert difference.key == "threshold:challenge_nomination"
    assert [(label, value) for label, value, _ in difference.values] == [
        ("defaults", "51"),
        ("denominator_date=motion_date", "50"),
    ]


def test_whatif_incumbent_automatic_on_ballot_must_be_nominated_short_of_threshold(
    events_2016: Events,
) -> None:
    rulebook = load_rulebook("labour-2016")
    result = whatif(rulebook, events_2016, vary=["incumbent_on_ballot"])
    standing = next(d for d in result.differences if d.key == "standing:Jeremy Corbyn")
    assert standing.values == (
        ("defaults", "on the ballot", "the incumbent goes on the ballot without nominations"),
        (
            "incumbent_on_ballot=must_be_nominated",
            "not on the ballot",
            "nominations: 40 MPs < 51, short by 11",
        ),
    )
    ballot = next(d for d in result.differences if d.key == "ballot")
    assert [v for _, v, _ in ballot.values] == ["Jeremy Corbyn, Owen Smith", "Owen Smith"]
    automatic = evaluate(rulebook, events_2016).answer("standing:Jeremy Corbyn")
    assert isinstance(automatic, StandingAnswer)
    refs = " ".join(c.ref for c in automatic.explanation.clauses)
    assert "NEC ruling of 12 July 2016" in refs
    assert "Foster v McNicol [2016] EWHC 1966 (QB)" in refs


def test_smith_nominated_by_172_of_162_mps_and_10_meps(events_2016: Events) -> None:
    evaluation = evaluate(load_rulebook("labour-2016"), events_2016)
    smith = evaluation.answer("standing:Owen Smith")
    assert isinstance(smith, StandingAnswer)
    assert smith.on_ballot
    assert smith.nominations == 172
    assert "nominations: 162 MPs + 10 MEPs = 172 ≥ 51" in smith.explanation.arithmetic
    (ballot,) = evaluation.of_type(BallotAnswer)
    assert ballot.candidates == ("Jeremy Corbyn", "Owen Smith")


def test_whatif_cross_product_evaluates_every_combination(events_2016: Events) -> None:
    rulebook = load_rulebook("labour-2016")
    result = whatif(rulebook, events_2016, mode=Mode.CROSS)
    assert len(result.outcomes) == 3 * 2 * 2 * 2
    assert result.no_effect == ("member_freeze_date",)
    threshold = next(d for d in result.differences if d.key == "threshold:challenge_nomination")
    assert {value for _, value, _ in threshold.values} == {"49", "50", "51"}


@pytest.mark.parametrize(
    ("year", "confidence", "no_confidence"), [("2018", 200, 117), ("2022", 211, 148)]
)
def test_conservative_confidence_votes_survived(
    year: str, confidence: int, no_confidence: int
) -> None:
    events = load_events(EXAMPLES / f"conservative-{year}" / "events.toml")
    (motion,) = evaluate(load_rulebook("conservative-1922"), events).of_type(MotionAnswer)
    assert motion.carried
    assert motion.effect is Effect.SURVIVES
    assert motion.summary == "carried: the leader survived"
    assert (motion.votes_for, motion.valid - motion.votes_for) == (confidence, no_confidence)


@pytest.mark.parametrize(
    ("year", "size", "threshold", "arithmetic"),
    [
        ("2018", 315, 48, "15% of 315 MPs on 12 December 2018 = 47.25, rounded up (ceil) = 48"),
        ("2022", 359, 54, "15% of 359 MPs on 6 June 2022 = 53.85, rounded up (ceil) = 54"),
    ],
)
def test_conservative_letters_from_15_percent_trigger_the_vote(
    year: str, size: int, threshold: int, arithmetic: str
) -> None:
    events = load_events(EXAMPLES / f"conservative-{year}" / "events.toml")
    (trigger,) = evaluate(load_rulebook("conservative-1922"), events).of_type(TriggerAnswer)
    assert trigger.triggered
    assert trigger.threshold.value == threshold
    assert trigger.threshold.body_size == size
    assert trigger.explanation.arithmetic[0] == arithmetic
