"""The contest lifecycle: an explicit state machine, and the issues that block each step.

::

    draft ─open_nominations→ nominations_open ─close_nominations→ nominations_closed
      ─open_ballot→ ballot_open ─close_ballot→ ballot_closed ─count→ counted ─declare→ declared

Each action is allowed from exactly one state (:data:`TRANSITIONS`); any other attempt raises
:class:`~mandate.errors.IllegalTransitionError` citing the lifecycle rule. Before a transition,
a pure ``check_*`` function lists *every* issue that blocks it, each with the action that fixes
it; the transition refuses while any remains (:func:`require_no_issues`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from mandate.errors import ContestError, IllegalTransitionError

__all__ = [
    "TRANSITIONS",
    "Action",
    "ContestState",
    "Issue",
    "IssuesError",
    "Transition",
    "check_close_nominations",
    "check_count",
    "check_declare",
    "check_open_ballot",
    "require_no_issues",
    "transition_for",
]


class ContestState(Enum):
    """Where a contest is in its lifecycle."""

    DRAFT = "draft"
    NOMINATIONS_OPEN = "nominations_open"
    NOMINATIONS_CLOSED = "nominations_closed"
    BALLOT_OPEN = "ballot_open"
    BALLOT_CLOSED = "ballot_closed"
    COUNTED = "counted"
    DECLARED = "declared"

    @property
    def label(self) -> str:
        """The state in words."""
        return self.value.replace("_", " ")


class Action(Enum):
    """A lifecycle step an officer can take."""

    OPEN_NOMINATIONS = "open nominations"
    CLOSE_NOMINATIONS = "close nominations"
    OPEN_BALLOT = "open the ballot"
    CLOSE_BALLOT = "close the ballot"
    COUNT = "count"
    DECLARE = "declare"


@dataclass(frozen=True, slots=True, kw_only=True)
class Transition:
    """One edge of the lifecycle, with the rule that governs it."""

    action: Action
    source: ContestState
    target: ContestState
    rule: str


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        action=Action.OPEN_NOMINATIONS,
        source=ContestState.DRAFT,
        target=ContestState.NOMINATIONS_OPEN,
        rule="lifecycle rule L1: nominations open once, on a contest still in draft",
    ),
    Transition(
        action=Action.CLOSE_NOMINATIONS,
        source=ContestState.NOMINATIONS_OPEN,
        target=ContestState.NOMINATIONS_CLOSED,
        rule="lifecycle rule L2: nominations close only while they are open",
    ),
    Transition(
        action=Action.OPEN_BALLOT,
        source=ContestState.NOMINATIONS_CLOSED,
        target=ContestState.BALLOT_OPEN,
        rule="lifecycle rule L3: the ballot opens only after nominations have closed",
    ),
    Transition(
        action=Action.CLOSE_BALLOT,
        source=ContestState.BALLOT_OPEN,
        target=ContestState.BALLOT_CLOSED,
        rule="lifecycle rule L4: only an open ballot can be closed",
    ),
    Transition(
        action=Action.COUNT,
        source=ContestState.BALLOT_CLOSED,
        target=ContestState.COUNTED,
        rule="lifecycle rule L5: votes are counted only after the ballot has closed",
    ),
    Transition(
        action=Action.DECLARE,
        source=ContestState.COUNTED,
        target=ContestState.DECLARED,
        rule="lifecycle rule L6: a result is declared only after the count",
    ),
)
"""Every allowed transition; nothing else moves a contest."""


def allowed_actions(state: ContestState) -> tuple[Action, ...]:
    """The lifecycle actions possible from ``state``."""
    return tuple(t.action for t in TRANSITIONS if t.source is state)


def transition_for(action: Action, state: ContestState) -> Transition:
    """The transition that ``action`` makes from ``state``.

    Raises:
        IllegalTransitionError: the action is not allowed from this state (with the rule).

    >>> transition_for(Action.COUNT, ContestState.BALLOT_CLOSED).target.value
    'counted'
    """
    for t in TRANSITIONS:
        if t.action is action:
            if t.source is state:
                return t
            raise IllegalTransitionError(
                action=action.value,
                state=state.label,
                allowed=tuple(a.value for a in allowed_actions(state)),
                clause=t.rule,
            )
    raise AssertionError(f"no transition for {action}")  # pragma: no cover - table is complete


@dataclass(frozen=True, slots=True, kw_only=True)
class Issue:
    """Something that blocks a transition, and the action that fixes it."""

    problem: str
    fix: str
    clause: str = ""

    def __str__(self) -> str:
        cite = f" ({self.clause})" if self.clause else ""
        return f"{self.problem}{cite} — {self.fix}"


class IssuesError(ContestError):
    """A transition refused because issues remain; :attr:`issues` lists them all."""

    def __init__(self, action: str, issues: Sequence[Issue]) -> None:
        self.action = action
        self.issues = tuple(issues)
        listed = "; ".join(str(i) for i in self.issues)
        super().__init__(f"cannot {action}: {listed}")


def require_no_issues(action: Action, issues: Sequence[Issue]) -> None:
    """Refuse ``action`` while any issue remains.

    Raises:
        IssuesError: listing every issue.
    """
    if issues:
        raise IssuesError(action.value, issues)


def check_close_nominations(*, standing: int) -> tuple[Issue, ...]:
    """Issues that block closing nominations: nobody validly nominated."""
    if standing < 1:
        return (
            Issue(
                problem="no candidate is validly nominated",
                fix="record nominations that reach the threshold, or keep nominations open",
            ),
        )
    return ()


def check_open_ballot(
    *, standing: int, electors: int, credentials_issued: bool
) -> tuple[Issue, ...]:
    """Issues that block opening the ballot: candidates, roll and credentials."""
    issues: list[Issue] = []
    if standing < 2:
        issues.append(
            Issue(
                problem=f"{standing} candidate{'' if standing == 1 else 's'} standing; "
                "a ballot needs at least two",
                fix="with one candidate, declare them elected unopposed instead of balloting",
            )
        )
    if electors == 0:
        issues.append(
            Issue(problem="the roll is empty", fix="import the roll (mandate roll import)")
        )
    if electors and not credentials_issued:
        issues.append(
            Issue(
                problem="credentials have not been issued",
                fix="issue and export them (mandate credentials export)",
            )
        )
    return tuple(issues)


def check_count(*, ballots: int, seats: int = 1, standing: int | None = None) -> tuple[Issue, ...]:
    """Issues that block the count: no ballots at all; more seats than candidates standing
    (no count fills a seat nobody stands for: issue 10, item 4)."""
    issues: list[Issue] = []
    if ballots == 0:
        issues.append(
            Issue(problem="no ballots were cast", fix="enter paper batches, if there are any")
        )
    if standing is not None and seats > standing:
        issues.append(
            Issue(
                problem=f"{seats} seats but only {standing} candidate"
                f"{'' if standing == 1 else 's'} standing",
                fix="declare the candidates standing elected unopposed and the remaining seats "
                "vacant, as the rulebook provides; a count cannot fill more seats than there "
                "are candidates",
            )
        )
    return tuple(issues)


def check_declare(*, has_total: bool, has_winner: bool) -> tuple[Issue, ...]:
    """Issues that block the declaration: no stored count, or nobody elected."""
    issues: list[Issue] = []
    if not has_total:
        issues.append(Issue(problem="there is no stored count", fix="run the count"))
    elif not has_winner:
        issues.append(
            Issue(problem="the count elected nobody", fix="check the count's tie-breaks and rules")
        )
    return tuple(issues)
