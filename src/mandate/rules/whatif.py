"""What if the disputed clauses were read another way? The same events under each reading.

Two modes (:class:`Mode`):

- ``each`` (the default): every disputed clause is varied alone, the others held at their
  defaults. Each difference is then caused by one clause, which is what an argument about a
  rule needs: "read the date this way and the threshold is 50, that way and it is 51".
- ``cross``: every combination of readings (the cross product), for interactions between
  clauses. The number of readings is the product of the numbers of alternatives.

Either way the result lists, for every answer whose value depends on the reading, the value
under each reading with the arithmetic behind it, and names the clauses that change nothing
in these events.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from mandate.errors import EventsError, RulebookError
from mandate.rules.evaluate import BallotAnswer, Evaluation, evaluate
from mandate.rules.events import Events
from mandate.rules.model import Rulebook

__all__ = ["Difference", "Mode", "Outcome", "Reading", "WhatIf", "whatif"]


class Mode(Enum):
    """How readings are combined."""

    EACH = "each"
    CROSS = "cross"


@dataclass(frozen=True, slots=True, kw_only=True)
class Reading:
    """One reading of every disputed clause; ``varied`` names those away from their default."""

    params: tuple[tuple[str, str], ...]
    varied: tuple[str, ...]

    @property
    def label(self) -> str:
        """``defaults``, or the varied clauses, e.g. ``rounding=floor``."""
        chosen = dict(self.params)
        if not self.varied:
            return "defaults"
        return ", ".join(f"{name}={chosen[name]}" for name in self.varied)


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """The evaluation under one reading, or why the events cannot be evaluated under it."""

    reading: Reading
    evaluation: Evaluation | None
    error: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Difference:
    """An answer whose value depends on the reading: (reading label, value, arithmetic)."""

    key: str
    question: str
    param: str | None
    values: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class WhatIf:
    """The same events under several readings, and where the outcomes differ.

    Args:
        differences: in ``each`` mode, grouped by the clause varied (``param``); in ``cross``
            mode, one entry an answer across all readings (``param`` is None).
        no_effect: clauses whose readings change nothing in these events.
    """

    rulebook: str
    mode: Mode
    varied: tuple[str, ...]
    outcomes: tuple[Outcome, ...]
    differences: tuple[Difference, ...]
    no_effect: tuple[str, ...]


def _detail(evaluation: Evaluation | None, error: str | None, key: str) -> tuple[str, str]:
    if evaluation is None:
        return "cannot be evaluated", error or ""
    for answer in evaluation.answers:
        if answer.key == key:
            lines = answer.explanation.arithmetic
            if isinstance(answer, BallotAnswer) or not lines:
                return answer.summary, ""
            return answer.summary, lines[-1]
    return "no answer", ""


def _run(rulebook: Rulebook, events: Events, reading: Reading) -> Outcome:
    try:
        return Outcome(reading=reading, evaluation=evaluate(rulebook, events, dict(reading.params)))
    except EventsError as exc:
        return Outcome(reading=reading, evaluation=None, error=str(exc))


def _differences(
    outcomes: Sequence[Outcome], questions: dict[str, str], param: str | None
) -> list[Difference]:
    found = []
    for key, question in questions.items():
        values = [(o.reading.label, *_detail(o.evaluation, o.error, key)) for o in outcomes]
        if len({summary for _, summary, _ in values}) > 1:
            found.append(Difference(key=key, question=question, param=param, values=tuple(values)))
    return found


def _matters(outcomes: Sequence[Outcome], questions: dict[str, str], name: str) -> bool:
    """Whether changing ``name`` alone, the other readings fixed, ever changes an answer."""
    groups: dict[tuple[tuple[str, str], ...], list[Outcome]] = {}
    for outcome in outcomes:
        others = tuple(p for p in outcome.reading.params if p[0] != name)
        groups.setdefault(others, []).append(outcome)
    return any(_differences(group, questions, name) for group in groups.values())


def whatif(
    rulebook: Rulebook,
    events: Events,
    *,
    mode: Mode = Mode.EACH,
    vary: Sequence[str] | None = None,
) -> WhatIf:
    """Evaluate ``events`` under each reading of the disputed clauses and compare.

    Args:
        mode: ``each`` varies one clause at a time; ``cross`` takes every combination.
        vary: the clauses to vary (default: all the rulebook's params).

    Raises:
        RulebookError: ``vary`` names a clause the rulebook does not have.
        EventsError: the events cannot be evaluated even under the default reading.
    """
    names = tuple(vary) if vary else tuple(p.id for p in rulebook.params)
    for name in names:
        if name not in {p.id for p in rulebook.params}:
            known = ", ".join(p.id for p in rulebook.params) or "none"
            raise RulebookError(
                f"rulebook {rulebook.id!r} has no disputed clause {name!r} ({known})"
            )
    defaults = rulebook.default_params()
    baseline = Reading(params=tuple(defaults.items()), varied=())
    base = _run(rulebook, events, baseline)
    if base.evaluation is None:
        evaluate(rulebook, events, defaults)  # raises the events error with its location
    assert base.evaluation is not None
    questions = {a.key: a.question for a in base.evaluation.answers}
    outcomes: list[Outcome] = [base]
    differences: list[Difference] = []
    no_effect: list[str] = []
    if mode is Mode.EACH:
        for name in names:
            group = [base]
            for value in rulebook.param(name).values:
                if value == defaults[name]:
                    continue
                params = {**defaults, name: value}
                group.append(
                    _run(rulebook, events, Reading(params=tuple(params.items()), varied=(name,)))
                )
            outcomes.extend(group[1:])
            found = _differences(group, questions, name)
            if found:
                differences.extend(found)
            else:
                no_effect.append(name)
    else:
        choices = [rulebook.param(name).values for name in names]
        for combination in itertools.product(*choices):
            params = {**defaults, **dict(zip(names, combination, strict=True))}
            varied = tuple(n for n in names if params[n] != defaults[n])
            if varied:
                outcomes.append(
                    _run(rulebook, events, Reading(params=tuple(params.items()), varied=varied))
                )
        differences = _differences(outcomes, questions, None)
        for name in names:
            if not _matters(outcomes, questions, name):
                no_effect.append(name)
    return WhatIf(
        rulebook=rulebook.id,
        mode=mode,
        varied=names,
        outcomes=tuple(outcomes),
        differences=tuple(differences),
        no_effect=tuple(no_effect),
    )
