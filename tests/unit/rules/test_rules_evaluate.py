"""The evaluator on gates, events errors, the timetable, and the rule's own explanations."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mandate.errors import EventsError
from mandate.ids import BodyId
from mandate.rules import load_rulebook, parse_rulebook
from mandate.rules.checks import Severity, check_rulebook
from mandate.rules.evaluate import StandingAnswer, ThresholdAnswer, evaluate, threshold_on
from mandate.rules.events import BodySize, Events, Nomination, load_events, parse_events
from mandate.rules.explain import explain_rulebook, render_sections
from mandate.rules.toml_reader import KeyLines

CLOSE = date(2024, 1, 10)


def vacancy_2021(*nominations: Nomination) -> Events:
    sizes = {"plp": 200, "clps": 600, "affiliates": 12, "unions": 10}
    sizes["affiliated_membership"] = 1_000_000
    return Events(
        process="vacancy",
        dates=(("close_of_nominations", CLOSE),),
        body_sizes=tuple(
            BodySize(body=BodyId(b), on=date(2024, 1, 1), size=n) for b, n in sizes.items()
        ),
        nominations=nominations,
    )


def nominee(name: str, **by: int) -> Nomination:
    return Nomination(candidate=name, by=tuple((BodyId(b), n) for b, n in by.items()))


def standing(events: Events, name: str) -> StandingAnswer:
    answer = evaluate(load_rulebook("labour-2021"), events).answer(f"standing:{name}")
    assert isinstance(answer, StandingAnswer)
    return answer


def test_labour_2021_vacancy_needs_mps_and_clps_or_affiliates() -> None:
    events = vacancy_2021(
        nominee("A", plp=40, clps=30),
        nominee("B", plp=40, affiliates=3, unions=2, affiliated_membership=50_000),
        nominee("C", plp=39, clps=100),
        nominee("D", plp=45, affiliates=3, unions=1, affiliated_membership=60_000),
    )
    assert standing(events, "A").on_ballot
    assert standing(events, "B").on_ballot
    short = standing(events, "C")
    assert not short.on_ballot
    assert "nominations: 39 MPs < 40, short by 1" in short.explanation.arithmetic
    unions = standing(events, "D")
    assert not unions.on_ballot
    assert "nominations: 1 trade unions < 2, short by 1" in unions.explanation.arithmetic


def test_every_leaf_of_a_gate_is_reported_as_a_threshold() -> None:
    evaluation = evaluate(load_rulebook("labour-2021"), vacancy_2021(nominee("A", plp=40)))
    values = {a.threshold: a.value for a in evaluation.of_type(ThresholdAnswer)}
    assert values == {
        "vacancy_mps": 40,
        "vacancy_clps": 30,
        "three_affiliates": 3,
        "two_unions": 2,
        "affiliated_membership_5pct": 50_000,
    }


def test_threshold_on_a_given_date_uses_the_latest_size_before_it() -> None:
    events = Events(
        body_sizes=(
            BodySize(body=BodyId("plp"), on=date(2016, 6, 28), size=229),
            BodySize(body=BodyId("eplp"), on=date(2016, 6, 28), size=20),
            BodySize(body=BodyId("plp_eplp"), on=date(2016, 7, 20), size=251),
        )
    )
    rulebook = load_rulebook("labour-2016")
    before = threshold_on(rulebook, events, "challenge_nomination", on=date(2016, 7, 1))
    after = threshold_on(rulebook, events, "challenge_nomination", on=date(2016, 7, 21))
    assert (before.value, before.body_size) == (50, 249)
    assert (after.value, after.body_size) == (51, 251)
    assert before.explanation.arithmetic[0].startswith("20% of 229 MPs + 20 MEPs = 249")


def test_no_size_recorded_is_an_events_error() -> None:
    with pytest.raises(EventsError, match="no size of body 'plp_eplp'"):
        threshold_on(load_rulebook("labour-2016"), Events(), "challenge_nomination", on=CLOSE)


EVENTS = """\
format_version = 1
title = "t"
process = "challenge"

[dates]
close_of_nominations = 2016-07-20

[[motions]]
motion = "plp_no_confidence"
on = 2016-06-28
for = 10
against = 5
"""


def test_an_unknown_motion_in_events_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    path.write_text(EVENTS.replace('"plp_no_confidence"', '"plp_censure"'), encoding="utf-8")
    with pytest.raises(EventsError) as caught:
        evaluate(load_rulebook("labour-2016"), load_events(path))
    assert caught.value.path == str(path)
    assert caught.value.line == 8
    assert "no motion 'plp_censure'" in caught.value.detail


def test_an_unknown_key_in_events_names_its_line() -> None:
    with pytest.raises(EventsError) as caught:
        parse_events(EVENTS.replace("against = 5", "againts = 5"), source="e.toml")
    assert (caught.value.line, caught.value.where) == (12, "key motions[0].againts")


def test_votes_that_disagree_with_the_recorded_body_size_are_refused() -> None:
    text = EVENTS + ("did_not_vote = 1\n\n[[body_sizes]]\non = 2016-06-28\nsizes = { plp = 229 }\n")
    with pytest.raises(EventsError, match="add up to 16 MPs but the body_sizes record"):
        evaluate(load_rulebook("labour-2016"), parse_events(text, source="e.toml"))


def test_a_timetable_out_of_order_is_refused() -> None:
    text = EVENTS.replace(
        "close_of_nominations = 2016-07-20",
        "close_of_nominations = 2016-07-20\nnominations_open = 2016-07-21",
    )
    with pytest.raises(EventsError, match=r"'close_of_nominations' .* comes before"):
        evaluate(load_rulebook("labour-2016"), parse_events(text, source="e.toml"))


def test_a_date_the_param_names_but_the_events_lack_is_reported() -> None:
    events = parse_events(EVENTS, source="e.toml")
    with pytest.raises(EventsError, match="measured at 'motion_date', but the events give"):
        threshold_on(
            load_rulebook("labour-2016"),
            events,
            "challenge_nomination",
            params={"denominator_date": "motion_date"},
        )


def test_key_lines_follow_tables_arrays_and_multiline_strings() -> None:
    text = 'a = 1\ns = """\nx = 2\n"""\n[t]\nb = { c = 3 }\n[[r]]\nd = 4\n[[r]]\nd = 5\n'
    lines = KeyLines(text)
    assert lines.line(("a",)) == 1
    assert lines.line(("x",)) is None
    assert lines.line(("t", "b", "c")) == 6
    assert lines.line(("r", 1, "d")) == 10
    assert lines.line(("t", "missing")) == 5


def test_checks_flag_an_unused_param_and_unsourced_clauses() -> None:
    issues = check_rulebook(load_rulebook("society"))
    assert [(i.severity, i.where) for i in issues] == [(Severity.NOTE, "bodies.committee")]
    labour = {i.where for i in check_rulebook(load_rulebook("labour-2016"))}
    assert "params.member_freeze_date" not in labour


def test_explain_describes_the_society_ballots() -> None:
    text = render_sections(explain_rulebook(load_rulebook("society")))
    assert "committee: Election of five committee members" in text
    assert "method: stv (ers97)" in text
    assert "chair: Election of the chair (decides the office)" in text
    assert "aged at least 16 on the date" in text


def test_a_body_the_rulebook_lacks_is_refused_at_its_line() -> None:
    text = EVENTS + "\n[[body_sizes]]\non = 2016-06-28\nsizes = { lords = 10 }\n"
    with pytest.raises(EventsError) as caught:
        evaluate(load_rulebook("labour-2016"), parse_events(text, source="e.toml"))
    assert caught.value.line == 16
    assert caught.value.detail.startswith("body 'lords' is not a body of labour-2016")


NARROW = """\
format_version = 1
id = "narrow"
title = "N"
organisation = "N"
[bodies.plp]
title = "MPs"
unit = "MPs"
clause = "R1"
[bodies.eplp]
title = "MEPs"
unit = "MEPs"
clause = "R1"
[bodies.both]
title = "Both"
unit = "MPs and MEPs"
parts = ["plp", "eplp"]
clause = "R1"
[thresholds.mps]
title = "20% of MPs"
share = "20%"
of = "plp"
rounding = "ceil"
as_of = "close_of_nominations"
clause = "R2"
[processes.vacancy]
title = "Vacancy"
kind = "vacancy"
nomination_threshold = "mps"
clause = "R3"
[voter_classes.member]
title = "Members"
clause = "R4"
[electorate]
precedence = ["member"]
clause = "R5"
[ballots.leader]
title = "Leader"
method = "irv"
seats = 1
tiebreak = "lot"
clause = "R6"
"""


def test_nominations_for_a_wider_body_are_not_counted_for_a_narrower_one() -> None:
    rulebook = parse_rulebook(NARROW, source="narrow.toml")
    events = Events(
        process="vacancy",
        dates=(("close_of_nominations", CLOSE),),
        body_sizes=(BodySize(body=BodyId("plp"), on=CLOSE, size=200),),
        nominations=(
            Nomination(candidate="F", by=((BodyId("both"), 60),)),
            Nomination(candidate="G", by=((BodyId("plp"), 40), (BodyId("eplp"), 5))),
        ),
    )
    evaluation = evaluate(rulebook, events)
    wide = evaluation.answer("standing:F")
    assert isinstance(wide, StandingAnswer)
    assert not wide.on_ballot
    assert (
        "nominations: 0 MPs (not counted: 60 from both, whose split is not given) < 40, short by 40"
        in wide.explanation.arithmetic
    )
    split = evaluation.answer("standing:G")
    assert isinstance(split, StandingAnswer)
    assert split.on_ballot
    assert "nominations: 40 MPs ≥ 40" in split.explanation.arithmetic
