"""Applying a rulebook to events: motions, triggers, thresholds, the ballot list, the timetable.

:func:`evaluate` answers, for one reading of the disputed clauses: is each motion carried and
what does it cause; is a process triggered; what is the nomination threshold and why; who is
on the ballot. Every answer carries an :class:`~mandate.rules.model.Explanation` that cites
the clauses relied on and shows the arithmetic with exact fractions, rounded only as the rule
(or the chosen reading of it) says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import TypeVar

from mandate.errors import EventsError, RulebookError
from mandate.ids import BodyId
from mandate.rules.events import BodySize, Events, Located, MotionVote, Nomination
from mandate.rules.model import (
    Clause,
    Effect,
    Explanation,
    IncumbentEntry,
    MotionQuestion,
    ParamRef,
    ProcessKind,
    Rounding,
    Rulebook,
    Threshold,
    ThresholdKind,
    apply_rounding,
)

__all__ = [
    "Answer",
    "BallotAnswer",
    "Evaluation",
    "MotionAnswer",
    "StandingAnswer",
    "ThresholdAnswer",
    "TimetableAnswer",
    "TriggerAnswer",
    "body_size",
    "decimal",
    "evaluate",
    "long_date",
    "percent",
    "threshold_on",
]

_A = TypeVar("_A")

_EFFECT_WORDS = {
    Effect.NONE: "no effect on the leadership",
    Effect.SURVIVES: "the leader survived",
    Effect.VACANCY: "the leadership falls vacant",
}


def long_date(day: date) -> str:
    """``20 July 2016``."""
    return f"{day.day} {day.strftime('%B %Y')}"


def decimal(value: Fraction, places: int = 3) -> str:
    """An exact fraction as a decimal: exact when it terminates, else to ``places`` with '…'.

    >>> decimal(Fraction(251, 5)), decimal(Fraction(1, 3))
    ('50.2', '0.333…')
    """
    if value.denominator == 1:
        return str(value.numerator)
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator == 1:
        digits = 0
        scaled = value
        while scaled.denominator != 1:
            scaled *= 10
            digits += 1
        text = f"{abs(scaled.numerator):0{digits + 1}d}"
        sign = "-" if value < 0 else ""
        return f"{sign}{text[:-digits]}.{text[-digits:]}"
    scale = 10**places
    truncated = Fraction(int(value * scale), scale)
    return f"{float(truncated):.{places}f}…"


def percent(part: int | Fraction, whole: int | Fraction, places: int = 1) -> str:
    """``part`` as a percentage of ``whole``, rounded half up to ``places`` for display.

    >>> percent(40, 229), percent(172, 212)
    ('17.5%', '81.1%')
    """
    exact = Fraction(part) * 100 / Fraction(whole)
    scale = 10**places
    rounded = Fraction(apply_rounding(exact * scale, Rounding.NEAREST), scale)
    return f"{rounded.numerator / rounded.denominator:.{places}f}%"


def _share_text(share: Fraction) -> str:
    return f"{decimal(share * 100)}%"


def _events_error(at: Located, detail: str) -> EventsError:
    return EventsError(detail, path=at.source, line=at.line, where=at.where)


# -- answers --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ThresholdAnswer:
    """A threshold as a whole number of people on a date, with its arithmetic."""

    key: str
    question: str
    value: int
    threshold: str
    exact: Fraction | None
    body_size: int | None
    on: date | None
    rounding: Rounding | None
    explanation: Explanation

    @property
    def summary(self) -> str:
        """The answer in a few words."""
        return str(self.value)


@dataclass(frozen=True, slots=True, kw_only=True)
class MotionAnswer:
    """Whether a motion was carried and what that causes."""

    key: str
    question: str
    motion: str
    on: date
    carried: bool
    effect: Effect
    valid: int
    votes_for: int
    backing: int
    body_size: int | None
    explanation: Explanation

    @property
    def summary(self) -> str:
        """The answer in a few words."""
        outcome = "carried" if self.carried else "not carried"
        return f"{outcome}: {_EFFECT_WORDS[self.effect]}"


@dataclass(frozen=True, slots=True, kw_only=True)
class TriggerAnswer:
    """Whether letters (or a petition) reach the threshold that starts a process."""

    key: str
    question: str
    process: str
    triggered: bool
    letters: int
    threshold: ThresholdAnswer
    explanation: Explanation

    @property
    def summary(self) -> str:
        """The answer in a few words."""
        return "triggered" if self.triggered else "not triggered"


@dataclass(frozen=True, slots=True, kw_only=True)
class StandingAnswer:
    """Whether one nominee is on the ballot, and why."""

    key: str
    question: str
    candidate: str
    on_ballot: bool
    status: str
    nominations: int | None
    explanation: Explanation

    @property
    def summary(self) -> str:
        """The answer in a few words."""
        return self.status


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotAnswer:
    """Who is on the ballot, and how it is counted."""

    key: str
    question: str
    candidates: tuple[str, ...]
    explanation: Explanation

    @property
    def summary(self) -> str:
        """The answer in a few words."""
        return ", ".join(self.candidates) if self.candidates else "nobody"


@dataclass(frozen=True, slots=True, kw_only=True)
class TimetableAnswer:
    """The process's stages with the dates the events give them."""

    key: str
    question: str
    stages: tuple[tuple[str, date | None], ...]
    explanation: Explanation

    @property
    def summary(self) -> str:
        """The answer in a few words."""
        dated = sum(1 for _, day in self.stages if day is not None)
        return f"{dated} of {len(self.stages)} stages dated, in order"


Answer = (
    ThresholdAnswer | MotionAnswer | TriggerAnswer | StandingAnswer | BallotAnswer | TimetableAnswer
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Evaluation:
    """Every answer for one reading (``params``) of a rulebook applied to events."""

    rulebook: str
    params: tuple[tuple[str, str], ...]
    answers: tuple[Answer, ...] = field(default_factory=tuple)

    def answer(self, key: str) -> Answer:
        """The answer with ``key``."""
        for answer in self.answers:
            if answer.key == key:
                return answer
        raise KeyError(f"no answer {key!r} (answers: {', '.join(a.key for a in self.answers)})")

    def of_type(self, kind: type[_A]) -> tuple[_A, ...]:
        """The answers of one kind, in order."""
        return tuple(a for a in self.answers if isinstance(a, kind))


# -- body sizes and thresholds --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Size:
    size: int
    on: date
    text: str


def _latest(records: tuple[BodySize, ...], body: BodyId, on: date) -> BodySize | None:
    best: BodySize | None = None
    for record in records:
        if record.body == body and record.on <= on and (best is None or record.on > best.on):
            best = record
    return best


def _size(rulebook: Rulebook, events: Events, body_id: BodyId, on: date) -> _Size | None:
    body = rulebook.body(body_id)
    direct = _latest(events.body_sizes, body_id, on)
    combined: _Size | None = None
    if body.parts:
        parts = [_size(rulebook, events, part, on) for part in body.parts]
        if all(p is not None for p in parts):
            found = [p for p in parts if p is not None]
            total = sum(p.size for p in found)
            terms = " + ".join(
                f"{p.size} {rulebook.body(part).unit}"
                for p, part in zip(found, body.parts, strict=True)
            )
            combined = _Size(total, min(p.on for p in found), f"{terms} = {total} {body.unit}")
    if direct is not None and (combined is None or direct.on >= combined.on):
        return _Size(direct.size, direct.on, f"{direct.size} {body.unit}")
    return combined


def body_size(rulebook: Rulebook, events: Events, body_id: str, on: date) -> tuple[int, str]:
    """A body's size on a date: its latest record on or before ``on``, or the sum of its parts.

    Returns the size and how it was found, e.g. ``229 MPs + 20 MEPs = 249 MPs and MEPs``.

    Raises:
        EventsError: the events record no size for the body (or all its parts) by that date.
    """
    found = _size(rulebook, events, BodyId(body_id), on)
    if found is None:
        body = rulebook.body(body_id)
        parts = f" or of all its parts ({', '.join(body.parts)})" if body.parts else ""
        raise EventsError(
            f"no size of body {body_id!r}{parts} on or before {long_date(on)}; "
            "add a [[body_sizes]] record",
            path=events.path,
            where="body_sizes",
        )
    return found.size, found.text


def _reading(rulebook: Rulebook, ref: ParamRef, params: Mapping[str, str]) -> tuple[str, str]:
    param = rulebook.param(ref.param)
    value = params[param.id]
    note = f"reading {param.id} = {value}: {param.note_for(value)}"
    if param.note:
        note += f" ({param.note})"
    return value, note


def threshold_on(
    rulebook: Rulebook,
    events: Events,
    threshold_id: str,
    *,
    params: Mapping[str, str] | None = None,
    on: date | None = None,
) -> ThresholdAnswer:
    """A share or count threshold as a whole number, with the arithmetic.

    The body is measured on ``on`` when given, else on the event date the threshold's
    ``as_of`` names (directly or through a param).

    Raises:
        RulebookError: the threshold is a gate (all_of / any_of), which has no single figure.
        EventsError: the events lack the date or the body size needed.
    """
    readings = rulebook.resolve_params(params)
    threshold = rulebook.threshold(threshold_id)
    if threshold.kind in (ThresholdKind.ALL_OF, ThresholdKind.ANY_OF) or threshold.of is None:
        raise RulebookError(
            f"threshold {threshold_id!r} combines others ({', '.join(threshold.parts)}); "
            "it has no single figure"
        )
    clauses: list[Clause] = [threshold.clause]
    notes: list[str] = [threshold.note] if threshold.note else []
    if threshold.kind is ThresholdKind.COUNT:
        assert threshold.count is not None
        unit = rulebook.body(threshold.of).unit
        return ThresholdAnswer(
            key=f"threshold:{threshold.id}",
            question=threshold.title,
            value=threshold.count,
            threshold=threshold.id,
            exact=None,
            body_size=None,
            on=on,
            rounding=None,
            explanation=Explanation(
                value=str(threshold.count),
                clauses=tuple(clauses),
                arithmetic=(f"{threshold.count} {unit}, a fixed number whatever the body's size",),
                notes=tuple(notes),
            ),
        )
    label = "on"
    if on is None:
        if threshold.as_of is None:
            raise EventsError(
                f"threshold {threshold_id!r} names no date to measure {threshold.of!r} on; "
                "give one",
                path=events.path,
            )
        name = threshold.as_of
        if isinstance(name, ParamRef):
            clauses.append(rulebook.param(name.param).clause)
            name, note = _reading(rulebook, name, readings)
            notes.append(note)
        found = events.date_of(name)
        if found is None:
            raise EventsError(
                f"threshold {threshold_id!r} is measured at {name!r}, but the events give no "
                f"such date (dates: {', '.join(n for n, _ in events.dates) or 'none'})",
                path=events.path,
                where="key dates",
            )
        on = found
        label = f"at the {name.replace('_', ' ')}"
    size, how = body_size(rulebook, events, threshold.of, on)
    where = f"on {long_date(on)}" if label == "on" else f"{label} ({long_date(on)})"
    assert threshold.share is not None
    rounding = threshold.rounding
    if isinstance(rounding, ParamRef):
        clauses.append(rulebook.param(rounding.param).clause)
        reading, note = _reading(rulebook, rounding, readings)
        notes.append(note)
        rounding = Rounding(reading)
    exact = threshold.share * size
    value = apply_rounding(exact, rounding)
    if rounding is Rounding.MORE_THAN:
        rounded = f"{decimal(exact)}; more than that = {value}"
    else:
        rounded = f"{decimal(exact)}, {rounding.words} = {value}"
    lines = [f"{_share_text(threshold.share)} of {how} {where} = {rounded}"]
    return ThresholdAnswer(
        key=f"threshold:{threshold.id}",
        question=threshold.title,
        value=value,
        threshold=threshold.id,
        exact=exact,
        body_size=size,
        on=on,
        rounding=rounding,
        explanation=Explanation(
            value=str(value), clauses=_unique(clauses), arithmetic=tuple(lines), notes=tuple(notes)
        ),
    )


def _unique(clauses: list[Clause]) -> tuple[Clause, ...]:
    seen: dict[str, Clause] = {}
    for clause in clauses:
        seen.setdefault(clause.ref, clause)
    return tuple(seen.values())


# -- motions and triggers -------------------------------------------------------------------


def _motion(rulebook: Rulebook, events: Events, vote: MotionVote) -> MotionAnswer:
    try:
        motion = rulebook.motion(vote.motion)
    except RulebookError as exc:
        raise _events_error(vote.at, str(exc)) from None
    body = rulebook.body(motion.body)
    valid = vote.votes_for + vote.votes_against
    if valid == 0:
        raise _events_error(vote.at, "a motion vote needs at least one valid vote")
    size: int | None = None
    if vote.did_not_vote is not None:
        size = valid + vote.spoilt + vote.did_not_vote
        recorded = [r for r in events.body_sizes if r.body == motion.body and r.on == vote.on]
        if recorded and recorded[0].size != size:
            raise _events_error(
                vote.at,
                f"the votes add up to {size} {body.unit} but the body_sizes record for "
                f"{motion.body!r} on {long_date(vote.on)} says {recorded[0].size}",
            )
    threshold = motion.majority * valid
    carried = vote.votes_for > threshold
    consequence = motion.on_carried if carried else motion.on_lost
    backing = (
        vote.votes_against if motion.question is MotionQuestion.NO_CONFIDENCE else vote.votes_for
    )
    lines = [f"valid votes: {vote.votes_for} for + {vote.votes_against} against = {valid}"]
    if vote.spoilt or vote.did_not_vote is not None:
        extra = [f"{vote.spoilt} spoilt"]
        if vote.did_not_vote is not None:
            extra.append(f"{vote.did_not_vote} did not vote")
        if size is not None:
            extra.append(f"{size} {body.unit} in all")
        lines.append("; ".join(extra))
    share = _share_text(motion.majority)
    lines.append(
        f"{vote.votes_for} of {valid} valid votes = {percent(vote.votes_for, valid)}, "
        f"{'more than' if carried else 'not more than'} {share} "
        f"({decimal(threshold)}) → {'carried' if carried else 'not carried'}"
    )
    how = (
        "voting against the motion"
        if motion.question is MotionQuestion.NO_CONFIDENCE
        else ("voting for the motion")
    )
    leader = vote.subject or "the leader"
    if size is not None:
        lines.append(
            f"{backing} of the {size} {body.unit} ({percent(backing, size)}) backed "
            f"{leader} by {how}"
        )
    else:
        lines.append(
            f"{backing} of {valid} valid votes ({percent(backing, valid)}) backed {leader} by {how}"
        )
    lines.append(f"consequence: {consequence.text}")
    notes = [] if motion.binding else ["the motion is not binding"]
    return MotionAnswer(
        key=f"motion:{motion.id}:{vote.on.isoformat()}",
        question=f"{motion.title} ({long_date(vote.on)})",
        motion=motion.id,
        on=vote.on,
        carried=carried,
        effect=consequence.effect,
        valid=valid,
        votes_for=vote.votes_for,
        backing=backing,
        body_size=size,
        explanation=Explanation(
            value=f"{'carried' if carried else 'not carried'}: {_EFFECT_WORDS[consequence.effect]}",
            clauses=_unique([motion.clause, consequence.clause]),
            arithmetic=tuple(lines),
            notes=tuple(notes),
        ),
    )


def _triggers(
    rulebook: Rulebook, events: Events, readings: Mapping[str, str]
) -> tuple[TriggerAnswer, ...]:
    answers = []
    for letters in events.letters:
        try:
            process = rulebook.process(letters.process)
        except RulebookError as exc:
            raise _events_error(letters.at, str(exc)) from None
        if process.trigger is None:
            raise _events_error(
                letters.at, f"process {process.id!r} is not started by letters (no 'trigger')"
            )
        threshold = threshold_on(
            rulebook,
            events,
            process.trigger,
            params=readings,
            on=None if rulebook.threshold(process.trigger).as_of is not None else letters.on,
        )
        triggered = letters.count >= threshold.value
        count = f"{'at least ' if letters.at_least else ''}{letters.count} letters"
        verdict = f"a {process.title.lower()} is triggered" if triggered else "not triggered"
        lines = (
            *threshold.explanation.arithmetic,
            f"{count} {'≥' if triggered else '<'} {threshold.value} → {verdict}",
        )
        answers.append(
            TriggerAnswer(
                key=f"trigger:{process.id}:{letters.on.isoformat()}",
                question=f"Is a {process.title.lower()} triggered ({long_date(letters.on)})?",
                process=process.id,
                triggered=triggered,
                letters=letters.count,
                threshold=threshold,
                explanation=Explanation(
                    value="triggered" if triggered else "not triggered",
                    clauses=_unique([process.clause, *threshold.explanation.clauses]),
                    arithmetic=lines,
                    notes=threshold.explanation.notes,
                ),
            )
        )
    return tuple(answers)


# -- nominations and the ballot -------------------------------------------------------------


def _within(rulebook: Rulebook, body: BodyId) -> frozenset[BodyId]:
    found = {body}
    for part in rulebook.body(body).parts:
        found |= _within(rulebook, part)
    return frozenset(found)


def _count_for(rulebook: Rulebook, nomination: Nomination, body: BodyId) -> tuple[int, str]:
    inside = _within(rulebook, body)
    counted = [(b, n) for b, n in nomination.by if b in inside]
    # Nominations given only for a wider body (the split unknown) cannot be counted here.
    left_out = [
        (b, n) for b, n in nomination.by if b not in inside and body in _within(rulebook, b)
    ]
    total = sum(n for _, n in counted)
    if len(counted) > 1:
        terms = " + ".join(f"{n} {rulebook.body(b).unit}" for b, n in counted)
        how = f"{terms} = {total}"
    else:
        how = f"{total} {rulebook.body(counted[0][0] if counted else body).unit}"
    if left_out:
        others = ", ".join(f"{n} from {b}" for b, n in left_out)
        how += f" (not counted: {others}, whose split is not given)"
    return total, how


def _meets(
    rulebook: Rulebook,
    events: Events,
    nomination: Nomination,
    threshold_id: str,
    readings: Mapping[str, str],
    lines: list[str],
    clauses: list[Clause],
) -> bool:
    threshold = rulebook.threshold(threshold_id)
    if threshold.kind in (ThresholdKind.ALL_OF, ThresholdKind.ANY_OF):
        results = [
            _meets(rulebook, events, nomination, part, readings, lines, clauses)
            for part in threshold.parts
        ]
        met = all(results) if threshold.kind is ThresholdKind.ALL_OF else any(results)
        word = "all" if threshold.kind is ThresholdKind.ALL_OF else "at least one"
        lines.append(f"{threshold.title}: {word} of {', '.join(threshold.parts)} → {met}")
        clauses.append(threshold.clause)
        return met
    answer = threshold_on(rulebook, events, threshold_id, params=readings)
    assert threshold.of is not None
    count, how = _count_for(rulebook, nomination, threshold.of)
    met = count >= answer.value
    lines.extend(answer.explanation.arithmetic)
    short = "" if met else f", short by {answer.value - count}"
    lines.append(f"nominations: {how} {'≥' if met else '<'} {answer.value}{short}")
    clauses.extend(answer.explanation.clauses)
    return met


def _standings(
    rulebook: Rulebook, events: Events, readings: Mapping[str, str]
) -> tuple[StandingAnswer, ...]:
    if events.process is None:
        return ()
    try:
        process = rulebook.process(events.process)
    except RulebookError as exc:
        raise _events_error(events.process_at, str(exc)) from None
    if process.nomination_threshold is None:
        return ()
    answers = []
    for nomination in events.nominations:
        lines: list[str] = []
        clauses: list[Clause] = []
        notes: list[str] = [nomination.note] if nomination.note else []
        incumbent = nomination.incumbent or nomination.candidate == events.incumbent
        entry = process.incumbent_on_ballot
        if isinstance(entry, ParamRef):
            value, note = _reading(rulebook, entry, readings)
            if incumbent:
                clauses.append(rulebook.param(entry.param).clause)
                notes.append(note)
            entry = IncumbentEntry(value)
        if nomination.withdrew is not None:
            on_ballot, status = False, "withdrew"
            lines.append(f"withdrew on {long_date(nomination.withdrew)}")
        elif (
            incumbent
            and process.kind is ProcessKind.CHALLENGE
            and (entry is IncumbentEntry.AUTOMATIC)
        ):
            on_ballot, status = True, "on the ballot"
            lines.append("the incumbent goes on the ballot without nominations")
        else:
            if not nomination.by:
                lines.append("no nominations recorded")
            met = _meets(
                rulebook,
                events,
                nomination,
                process.nomination_threshold,
                readings,
                lines,
                clauses,
            )
            on_ballot = met
            status = "on the ballot" if met else "not on the ballot"
        clauses.insert(0, process.clause)
        answers.append(
            StandingAnswer(
                key=f"standing:{nomination.candidate}",
                question=f"Is {nomination.candidate} on the ballot?",
                candidate=nomination.candidate,
                on_ballot=on_ballot,
                status=status,
                nominations=nomination.total if nomination.by else None,
                explanation=Explanation(
                    value=f"{nomination.candidate}: {status}",
                    clauses=_unique(clauses),
                    arithmetic=tuple(lines),
                    notes=tuple(notes),
                ),
            )
        )
    return tuple(answers)


def _ballot(
    rulebook: Rulebook, events: Events, standings: tuple[StandingAnswer, ...]
) -> BallotAnswer | None:
    if events.process is None or not standings:
        return None
    process = rulebook.process(events.process)
    names = tuple(s.candidate for s in standings if s.on_ballot)
    lines = [f"{s.candidate}: {s.status}" for s in standings]
    clauses = [process.clause]
    if process.ballot is not None:
        ballot = rulebook.get_ballot(process.ballot)
        method = ballot.method.value + (f" ({ballot.stv_rules.value})" if ballot.stv_rules else "")
        lines.append(
            f"counted by {method}, {ballot.seats} seat{'s' if ballot.seats > 1 else ''}, "
            f"tie-break {ballot.tiebreak.value}"
        )
        clauses.append(ballot.clause)
    return BallotAnswer(
        key="ballot",
        question=f"Who is on the ballot ({process.title.lower()})?",
        candidates=names,
        explanation=Explanation(
            value=", ".join(names) if names else "nobody",
            clauses=_unique(clauses),
            arithmetic=tuple(lines),
        ),
    )


def _timetable(rulebook: Rulebook, events: Events) -> TimetableAnswer | None:
    if events.process is None:
        return None
    process = rulebook.process(events.process)
    if not process.stages:
        return None
    stages = tuple((stage, events.date_of(stage)) for stage in process.stages)
    lines = []
    previous: tuple[str, date] | None = None
    for stage, day in stages:
        if day is None:
            lines.append(f"{stage}: no date given")
            continue
        if previous is not None and day < previous[1]:
            raise EventsError(
                f"stage {stage!r} ({long_date(day)}) comes before {previous[0]!r} "
                f"({long_date(previous[1])}), but the timetable puts it after",
                path=events.path,
                where=f"key dates.{stage}",
            )
        previous = (stage, day)
        lines.append(f"{stage}: {long_date(day)}")
    dated = sum(1 for _, day in stages if day is not None)
    return TimetableAnswer(
        key="timetable",
        question=f"The timetable of the {process.title.lower()}",
        stages=stages,
        explanation=Explanation(
            value=f"{dated} of {len(stages)} stages dated, in order",
            clauses=(process.clause,),
            arithmetic=tuple(lines),
        ),
    )


def evaluate(
    rulebook: Rulebook, events: Events, params: Mapping[str, str] | None = None
) -> Evaluation:
    """Apply ``rulebook`` to ``events`` under one reading of its disputed clauses.

    Args:
        params: readings of disputed clauses; defaults are used for the rest.

    Returns:
        The answers in order: timetable, motions, triggers, the nomination threshold(s),
        each nominee's standing, and the ballot list.

    Raises:
        RulebookError: a param the rulebook does not have, or a reading it does not offer.
        EventsError: events the rulebook cannot place (names file, line and key).
    """
    readings = rulebook.resolve_params(params)
    _check_bodies(rulebook, events)
    answers: list[Answer] = []
    timetable = _timetable(rulebook, events)
    if timetable is not None:
        answers.append(timetable)
    answers.extend(_triggers(rulebook, events, readings))
    answers.extend(_motion(rulebook, events, vote) for vote in events.motions)
    if events.process is not None:
        try:
            process = rulebook.process(events.process)
        except RulebookError as exc:
            raise _events_error(events.process_at, str(exc)) from None
        if process.nomination_threshold is not None and events.nominations:
            for threshold in _leaves(rulebook, process.nomination_threshold):
                answers.append(threshold_on(rulebook, events, threshold.id, params=readings))
    standings = _standings(rulebook, events, readings)
    answers.extend(standings)
    ballot = _ballot(rulebook, events, standings)
    if ballot is not None:
        answers.append(ballot)
    return Evaluation(
        rulebook=rulebook.id, params=tuple(sorted(readings.items())), answers=tuple(answers)
    )


def _check_bodies(rulebook: Rulebook, events: Events) -> None:
    """Refuse body sizes or nominations from a body the rulebook does not declare."""
    bodies = [b.id for b in rulebook.bodies]
    named = [(r.body, r.at) for r in events.body_sizes]
    named += [(body, n.at) for n in events.nominations for body, _ in n.by]
    for body, at in named:
        if body not in bodies:
            raise _events_error(
                at, f"body {body!r} is not a body of {rulebook.id} (bodies: {', '.join(bodies)})"
            )


def _leaves(rulebook: Rulebook, threshold_id: str) -> tuple[Threshold, ...]:
    threshold = rulebook.threshold(threshold_id)
    if threshold.kind in (ThresholdKind.ALL_OF, ThresholdKind.ANY_OF):
        found: list[Threshold] = []
        for part in threshold.parts:
            found.extend(t for t in _leaves(rulebook, part) if t not in found)
        return tuple(found)
    return (threshold,)
