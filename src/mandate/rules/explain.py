"""A rulebook in words, and answers and what-ifs as text or JSON.

:func:`explain_rulebook` describes every rule with its clause (and, given a date, the
voter tests as they apply on that date; given events, every evaluated answer with its
arithmetic). The ``render_*`` and ``*_to_json`` functions turn these values into what the
command line prints; they do no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from mandate.rules.eligibility import one_vote_rule, voter_class_rules
from mandate.rules.evaluate import (
    Answer,
    BallotAnswer,
    Evaluation,
    MotionAnswer,
    StandingAnswer,
    ThresholdAnswer,
    TimetableAnswer,
    TriggerAnswer,
    decimal,
    evaluate,
    long_date,
    threshold_on,
)
from mandate.rules.events import Events
from mandate.rules.model import (
    Explanation,
    ParamRef,
    Rulebook,
    Threshold,
    ThresholdKind,
    VoterClass,
)
from mandate.rules.whatif import Mode, WhatIf

__all__ = [
    "Section",
    "answer_to_json",
    "evaluation_to_json",
    "explain_rulebook",
    "render_sections",
    "render_whatif",
    "sections_to_json",
    "whatif_to_json",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A titled group of explanations."""

    title: str
    items: tuple[Explanation, ...]


def _quoted(text: str) -> str:
    return f"rule text: “{text}”" if text else ""


def _param_text(rulebook: Rulebook, value: object, readings: Mapping[str, str]) -> str:
    if isinstance(value, ParamRef):
        return f"disputed: {value.param} (reading: {readings[value.param]})"
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)


def _threshold_rule(rulebook: Rulebook, threshold: Threshold, readings: Mapping[str, str]) -> str:
    if threshold.kind is ThresholdKind.ALL_OF:
        return f"all of: {', '.join(threshold.parts)}"
    if threshold.kind is ThresholdKind.ANY_OF:
        return f"any of: {', '.join(threshold.parts)}"
    assert threshold.of is not None
    body = rulebook.body(threshold.of)
    if threshold.kind is ThresholdKind.COUNT:
        return f"{threshold.count} of {body.id} ({body.unit})"
    assert threshold.share is not None
    measured = _param_text(rulebook, threshold.as_of, readings) if threshold.as_of else "the date"
    return (
        f"{decimal(threshold.share * 100)}% of {body.id} ({body.unit}), "
        f"rounding {_param_text(rulebook, threshold.rounding, readings)}, "
        f"measured at {measured}"
    )


def _voter_class_static(voter_class: VoterClass, readings: Mapping[str, str]) -> Explanation:
    tests = []
    limit = voter_class.joined_on_or_before
    if isinstance(limit, ParamRef):
        tests.append(
            f"joined on or before the freeze date: disputed, {limit.param} = "
            f"{readings[limit.param]}"
        )
    elif limit is not None:
        tests.append(f"joined on or before {long_date(limit)}")
    if voter_class.joined_on_or_after is not None:
        tests.append(f"joined on or after {long_date(voter_class.joined_on_or_after)}")
    if voter_class.minimum_membership_months is not None:
        tests.append(f"{voter_class.minimum_membership_months} months' membership on the date")
    if voter_class.dues_paid:
        tests.append("not in arrears")
    if voter_class.minimum_age is not None:
        tests.append(f"aged at least {voter_class.minimum_age} on the date")
    return Explanation(
        value=f"{voter_class.id}: {voter_class.title}",
        clauses=(voter_class.clause,),
        arithmetic=tuple(tests) or ("every listed person qualifies",),
        notes=(voter_class.note,) if voter_class.note else (),
    )


def explain_rulebook(
    rulebook: Rulebook,
    *,
    on: date | None = None,
    events: Events | None = None,
    params: Mapping[str, str] | None = None,
) -> tuple[Section, ...]:
    """Every rule of ``rulebook`` with its clause; with ``on``, the voter tests on that date and
    (given ``events``) the thresholds measured on it; with ``events``, every evaluated answer.

    Raises:
        RulebookError: unknown params or readings.
        EventsError: events the rulebook cannot place.
    """
    readings = rulebook.resolve_params(params)
    head = Explanation(
        value=f"{rulebook.id}: {rulebook.title}",
        arithmetic=(
            f"organisation: {rulebook.organisation}",
            f"format_version {rulebook.format_version}; file {rulebook.path}",
        ),
        notes=tuple(filter(None, (rulebook.note, *(f"source: {s}" for s in rulebook.sources)))),
    )
    sections = [Section(title="Rulebook", items=(head,))]
    sections.append(
        Section(
            title="Disputed clauses",
            items=tuple(
                Explanation(
                    value=f"{p.id} = {readings[p.id]}"
                    + (" (default)" if readings[p.id] == p.default else f" (default {p.default})"),
                    clauses=(p.clause,),
                    arithmetic=tuple(
                        f"{'*' if value == readings[p.id] else '-'} {value}: {note}"
                        for value, note in p.alternatives
                    ),
                    notes=(p.note,) if p.note else (),
                )
                for p in rulebook.params
            ),
        )
    )
    sections.append(
        Section(
            title="Bodies",
            items=tuple(
                Explanation(
                    value=f"{b.id}: {b.title} ({b.unit})",
                    clauses=(b.clause,),
                    arithmetic=(f"the sum of {' + '.join(b.parts)}",) if b.parts else (),
                )
                for b in rulebook.bodies
            ),
        )
    )
    thresholds = []
    for t in rulebook.thresholds:
        lines = [_threshold_rule(rulebook, t, readings)]
        if events is not None and t.kind in (ThresholdKind.SHARE, ThresholdKind.COUNT):
            measured = [threshold_on(rulebook, events, t.id, params=readings, on=on)] if on else []
            if t.as_of is not None and events.process is not None:
                name = t.as_of if isinstance(t.as_of, str) else readings[t.as_of.param]
                if events.date_of(name) is not None:
                    measured.append(threshold_on(rulebook, events, t.id, params=readings))
            lines += [f"= {m.value}: {m.explanation.arithmetic[0]}" for m in measured]
        thresholds.append(
            Explanation(
                value=f"{t.id}: {t.title}",
                clauses=(t.clause,),
                arithmetic=tuple(lines),
                notes=tuple(filter(None, (_quoted(t.clause.text), t.note))),
            )
        )
    sections.append(Section(title="Thresholds", items=tuple(thresholds)))
    sections.append(
        Section(
            title="Motions",
            items=tuple(
                Explanation(
                    value=f"{m.id}: {m.title}",
                    clauses=(m.clause, m.on_carried.clause),
                    arithmetic=(
                        f"{m.question.value.replace('_', ' ')} motion of {m.body}, "
                        f"{'binding' if m.binding else 'not binding'}; carried by more than "
                        f"{decimal(m.majority * 100)}% of valid votes",
                        f"if carried: {m.on_carried.text}",
                        f"if not carried: {m.on_lost.text}",
                    ),
                )
                for m in rulebook.motions
            ),
        )
    )
    processes = []
    for p in rulebook.processes:
        lines = [f"kind: {p.kind.value}"]
        if p.trigger:
            lines.append(f"started when: {p.trigger} is reached")
        if p.motion:
            lines.append(f"decided by motion: {p.motion}")
        if p.nomination_threshold:
            lines.append(f"nominations needed: {p.nomination_threshold}")
        if p.incumbent_on_ballot is not None:
            lines.append(
                f"incumbent on the ballot: {_param_text(rulebook, p.incumbent_on_ballot, readings)}"
            )
        if p.stages:
            lines.append(f"stages: {' → '.join(p.stages)}")
        if p.ballot:
            lines.append(f"ballot: {p.ballot}")
        processes.append(
            Explanation(
                value=f"{p.id}: {p.title}",
                clauses=(p.clause,),
                arithmetic=tuple(lines),
                notes=(p.note,) if p.note else (),
            )
        )
    sections.append(Section(title="Processes", items=tuple(processes)))
    if on is not None:
        voters = voter_class_rules(rulebook, on=on, params=readings)
        title = f"Who may vote on {long_date(on)}"
    else:
        ordered = [rulebook.voter_class(c) for c in rulebook.electorate.precedence]
        voters = (
            *(_voter_class_static(vc, readings) for vc in ordered),
            one_vote_rule(rulebook),
        )
        title = "Who may vote"
    sections.append(Section(title=title, items=tuple(voters)))
    ballots = []
    for b in rulebook.ballots:
        lines = [f"method: {b.method.value}" + (f" ({b.stv_rules.value})" if b.stv_rules else "")]
        direction = " (from the first round forwards)" if b.tiebreak_forwards else ""
        lines.append(
            f"seats: {b.seats}; tie-break: {b.tiebreak.value}{direction}; voters: {b.voters}"
        )
        if b.sections:
            weights = ", ".join(f"{name} {decimal(w * 100)}%" for name, w in b.sections)
            lines.append(f"sections: {weights}")
        if b.district_points is not None:
            lines.append(f"points per district: every district is worth {b.district_points} points")
        if b.district_points is not None and b.full_points_minimum is not None:
            lines.append(
                f"a district with fewer than {b.full_points_minimum} marked ballots is worth "
                f"{b.district_points} × its marked ballots / {b.full_points_minimum} points"
            )
        if b.first_round_minimum is not None:
            lines.append(f"first-round minimum: {b.first_round_minimum} votes")
        if b.until is not None:
            lines.append(f"ballots continue until {b.until} remain")
        principal = " (decides the office)" if b.id == rulebook.principal_ballot else ""
        ballots.append(
            Explanation(
                value=f"{b.id}: {b.title}{principal}",
                clauses=(b.clause,),
                arithmetic=tuple(lines),
                notes=tuple(filter(None, (_quoted(b.clause.text), b.note))),
            )
        )
    sections.append(Section(title="Ballots", items=tuple(ballots)))
    if events is not None:
        evaluation = evaluate(rulebook, events, readings)
        sections.append(
            Section(
                title=f"Answers for {events.title or events.path}",
                items=tuple(
                    Explanation(
                        value=f"{a.question}: {a.summary}",
                        clauses=a.explanation.clauses,
                        arithmetic=a.explanation.arithmetic,
                        notes=a.explanation.notes,
                    )
                    for a in evaluation.answers
                ),
            )
        )
    return tuple(sections)


def render_sections(sections: tuple[Section, ...]) -> str:
    """Sections as indented text."""
    out: list[str] = []
    for section in sections:
        out.append(f"== {section.title} ==")
        for item in section.items:
            out.append(item.render(indent="    "))
        out.append("")
    return "\n".join(out)


def sections_to_json(sections: tuple[Section, ...]) -> list[dict[str, Any]]:
    """Sections as JSON-ready data."""
    return [{"title": s.title, "items": [item.to_json() for item in s.items]} for s in sections]


def answer_to_json(answer: Answer) -> dict[str, Any]:
    """One answer as JSON-ready data: key, question, value and the typed figures."""
    data: dict[str, Any] = {
        "key": answer.key,
        "question": answer.question,
        "value": answer.summary,
    }
    if isinstance(answer, ThresholdAnswer):
        data |= {
            "threshold": answer.value,
            "exact": None if answer.exact is None else str(answer.exact),
            "exact_decimal": None if answer.exact is None else decimal(answer.exact),
            "body_size": answer.body_size,
            "on": None if answer.on is None else answer.on.isoformat(),
            "rounding": None if answer.rounding is None else answer.rounding.value,
        }
    elif isinstance(answer, MotionAnswer):
        data |= {
            "carried": answer.carried,
            "effect": answer.effect.value,
            "valid": answer.valid,
            "for": answer.votes_for,
            "backing_leader": answer.backing,
            "body_size": answer.body_size,
        }
    elif isinstance(answer, TriggerAnswer):
        data |= {
            "triggered": answer.triggered,
            "letters": answer.letters,
            "threshold": answer.threshold.value,
        }
    elif isinstance(answer, StandingAnswer):
        data |= {
            "candidate": answer.candidate,
            "on_ballot": answer.on_ballot,
            "nominations": answer.nominations,
        }
    elif isinstance(answer, BallotAnswer):
        data |= {"candidates": list(answer.candidates)}
    elif isinstance(answer, TimetableAnswer):
        data |= {
            "stages": [
                {"stage": s, "date": None if d is None else d.isoformat()} for s, d in answer.stages
            ]
        }
    data["explanation"] = answer.explanation.to_json()
    return data


def evaluation_to_json(evaluation: Evaluation) -> dict[str, Any]:
    """An evaluation as JSON-ready data."""
    return {
        "rulebook": evaluation.rulebook,
        "params": dict(evaluation.params),
        "answers": [answer_to_json(a) for a in evaluation.answers],
    }


def render_whatif(result: WhatIf) -> str:
    """A what-if as text: for each answer that depends on the reading, the value under each."""
    how = (
        "each disputed clause varied alone, the others at their defaults"
        if result.mode is Mode.EACH
        else "every combination of readings"
    )
    out = [
        f"What if: {result.rulebook}, {len(result.outcomes)} readings ({how})",
        "",
    ]
    if not result.differences:
        out.append("No answer depends on the reading of the disputed clauses in these events.")
    current: str | None = "\0"
    for difference in result.differences:
        if difference.param != current and difference.param is not None:
            out.append(f"-- {difference.param} --")
        current = difference.param
        out.append(f"{difference.question}  [{difference.key}]")
        width = max(len(label) for label, _, _ in difference.values)
        for label, summary, detail in difference.values:
            tail = f"   ({detail})" if detail else ""
            out.append(f"  {label.ljust(width)}  →  {summary}{tail}")
        out.append("")
    if result.no_effect:
        out.append(f"No difference in these events: {', '.join(result.no_effect)}")
    failed = [o for o in result.outcomes if o.error]
    for outcome in failed:
        out.append(f"cannot evaluate under {outcome.reading.label}: {outcome.error}")
    return "\n".join(out).rstrip() + "\n"


def whatif_to_json(result: WhatIf) -> dict[str, Any]:
    """A what-if as JSON-ready data."""
    return {
        "rulebook": result.rulebook,
        "mode": result.mode.value,
        "varied": list(result.varied),
        "readings": [
            {
                "label": o.reading.label,
                "params": dict(o.reading.params),
                "error": o.error,
                "answers": None
                if o.evaluation is None
                else [answer_to_json(a) for a in o.evaluation.answers],
            }
            for o in result.outcomes
        ],
        "differences": [
            {
                "key": d.key,
                "question": d.question,
                "param": d.param,
                "values": [
                    {"reading": label, "value": summary, "arithmetic": detail}
                    for label, summary, detail in d.values
                ],
            }
            for d in result.differences
        ],
        "no_effect": list(result.no_effect),
    }
