"""What the officials' pages and the API show about a contest, assembled from the service.

Nominations are shown against the rulebook's threshold, computed by the rules evaluator from
the size of the nominating body the officer enters, with its arithmetic and clause.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mandate.errors import InputError
from mandate.ids import BodyId
from mandate.rules import load_rulebook
from mandate.rules.evaluate import threshold_on
from mandate.rules.events import BodySize, Events
from mandate.service import ContestService
from mandate.service.lifecycle import ContestState, allowed_actions
from mandate.service.turnout import ClassTurnout, percent
from mandate.storage.ports import CandidateRecord, ContestRecord
from mandate.wording import plural

__all__ = [
    "ContestView",
    "NominationProgress",
    "Threshold",
    "contest_view",
    "nomination_threshold",
    "progress",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class ContestView:
    """A contest as the dashboard shows it."""

    record: ContestRecord
    state: ContestState
    actions: tuple[str, ...]
    candidates: tuple[CandidateRecord, ...]
    turnout: tuple[ClassTurnout, ...]

    @property
    def electors(self) -> int:
        """Electors on the roll, all classes."""
        return sum(t.electors for t in self.turnout)

    @property
    def voted(self) -> int:
        """Electors who have voted so far, all classes: online, or by a returned postal
        envelope (paper ballots are entered apart from their envelopes)."""
        return sum(t.voted for t in self.turnout)

    @property
    def percent(self) -> str:
        """Those who have voted as a share of all electors, one decimal (rounded half up)."""
        return percent(self.voted, self.electors)


def contest_view(service: ContestService, contest_id: str) -> ContestView:
    """Everything the dashboard shows about one contest."""
    record = service.contest(contest_id)
    state = ContestState(record.state)
    return ContestView(
        record=record,
        state=state,
        actions=tuple(a.value for a in allowed_actions(state)),
        candidates=service.candidates(contest_id),
        turnout=service.turnout_by_class(contest_id),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Threshold:
    """The nominations a candidate needs, with the arithmetic and the clauses."""

    value: int
    arithmetic: str
    clauses: str
    body_title: str

    @property
    def basis(self) -> str:
        """The arithmetic with its clauses, as recorded when nominations close."""
        return f"{self.arithmetic} [{self.clauses}]"


def nomination_threshold(
    service: ContestService,
    contest_id: str,
    *,
    process: str,
    body_size: int,
    on: dt.date,
) -> Threshold:
    """The rulebook's nomination threshold for a process, given the nominating body's size.

    Raises:
        InputError: a process without a nomination threshold, or a size below 1.
    """
    record = service.contest(contest_id)
    rulebook = load_rulebook(record.rulebook_ref)
    chosen = rulebook.process(process)
    if chosen.nomination_threshold is None:
        raise InputError(f"process {process!r} of {rulebook.id} has no nomination threshold")
    if body_size < 1:
        raise InputError(f"the nominating body's size must be at least 1 (got {body_size})")
    threshold = rulebook.threshold(chosen.nomination_threshold)
    if threshold.of is None:
        raise InputError(f"threshold {threshold.id!r} is not measured against a body")
    events = Events(
        process=process,
        body_sizes=(BodySize(body=BodyId(threshold.of), on=on, size=body_size),),
        rulebook=str(rulebook.id),
    )
    params = {k: v for k, v in record.params.items() if k in rulebook.default_params()}
    answer = threshold_on(rulebook, events, threshold.id, params=params, on=on)
    return Threshold(
        value=answer.value,
        arithmetic="; ".join(answer.explanation.arithmetic),
        clauses="; ".join(c.ref for c in answer.explanation.clauses),
        body_title=rulebook.body(threshold.of).title,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class NominationProgress:
    """One candidate's nominations against the threshold."""

    candidate: CandidateRecord
    needed: int | None
    got: int

    @property
    def reached(self) -> bool:
        """True once the nominations reach the threshold (or none are needed)."""
        return self.needed is None or self.got >= self.needed

    @property
    def words(self) -> str:
        """The arithmetic in words."""
        if self.candidate.basis and self.candidate.nominations is None:
            return f"stands without nominations: {self.candidate.basis}"
        if self.needed is None:
            return plural(self.got, "nomination")
        if self.reached:
            return f"{self.got:,} of {self.needed:,} needed: threshold reached"
        return (
            f"{self.got:,} of {self.needed:,} needed: {self.needed - self.got:,} more to reach it"
        )


def progress(
    candidates: tuple[CandidateRecord, ...], threshold: Threshold | None
) -> tuple[NominationProgress, ...]:
    """Every candidate's progress towards the threshold."""
    return tuple(
        NominationProgress(
            candidate=c,
            needed=None
            if threshold is None or (c.nominations is None and c.basis)
            else threshold.value,
            got=c.nominations or 0,
        )
        for c in candidates
    )
