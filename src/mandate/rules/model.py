"""The rulebook as values: bodies, thresholds, motions, processes, voter classes and ballots.

A :class:`Rulebook` is what :func:`mandate.rules.load.load_rulebook` makes of a TOML file
once it has been validated, so an invalid rulebook cannot exist as a value. Every rule keeps
the clause it comes from (:class:`Clause`). A rule that people read in more than one way does
not pick a reading silently: its value is a :class:`ParamRef` to a named :class:`Param` with
alternatives, resolved when the rulebook is evaluated (see :mod:`mandate.rules.evaluate`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from fractions import Fraction
from typing import Protocol, TypeVar

from mandate.counting.methods import Method as BallotMethod
from mandate.counting.methods import StvRules
from mandate.counting.tiebreak import TieBreak
from mandate.errors import RulebookError
from mandate.ids import BodyId, RulebookId

__all__ = [
    "FORMAT_VERSION",
    "Ballot",
    "BallotMethod",
    "Body",
    "Clause",
    "Consequence",
    "Effect",
    "Electorate",
    "Explanation",
    "IncumbentEntry",
    "Motion",
    "MotionQuestion",
    "Param",
    "ParamKind",
    "ParamRef",
    "Process",
    "ProcessKind",
    "Rounding",
    "Rulebook",
    "StvRules",
    "Threshold",
    "ThresholdKind",
    "TieBreak",
    "VoterClass",
    "apply_rounding",
]

FORMAT_VERSION = 1
"""The newest rulebook ``format_version`` this code reads."""


class Rounding(Enum):
    """How a fraction of a body becomes a whole number of people.

    ``ceil`` ("at least 20%"): the smallest whole number not below the exact figure.
    ``floor``: the largest whole number not above it. ``nearest``: the nearest whole number,
    halves rounded up. ``more_than`` ("more than 20%"): the smallest whole number strictly
    above the exact figure.
    """

    CEIL = "ceil"
    FLOOR = "floor"
    NEAREST = "nearest"
    MORE_THAN = "more_than"

    @property
    def words(self) -> str:
        """How the rounding reads in an explanation."""
        return {
            Rounding.CEIL: "rounded up (ceil)",
            Rounding.FLOOR: "rounded down (floor)",
            Rounding.NEAREST: "rounded to the nearest whole number (halves up)",
            Rounding.MORE_THAN: "the next whole number above it (more than)",
        }[self]


def apply_rounding(exact: Fraction, rounding: Rounding) -> int:
    """Turn an exact figure into a whole number of people as ``rounding`` says.

    >>> apply_rounding(Fraction(251, 5), Rounding.CEIL)
    51
    >>> apply_rounding(Fraction(50), Rounding.MORE_THAN)
    51
    """
    if rounding is Rounding.CEIL:
        return math.ceil(exact)
    if rounding is Rounding.FLOOR:
        return math.floor(exact)
    if rounding is Rounding.NEAREST:
        return math.floor(exact + Fraction(1, 2))
    return math.floor(exact) + 1


class ParamKind(Enum):
    """What the alternatives of a disputed clause are."""

    ROUNDING = "rounding"
    """Values of :class:`Rounding`."""
    INCUMBENT = "incumbent"
    """Values of :class:`IncumbentEntry`."""
    EVENT_DATE = "event_date"
    """Names of dates the events supply (``close_of_nominations``, ``motion_date``, ...)."""
    DATE = "date"
    """ISO dates, or ``none`` for no date (no restriction)."""


class IncumbentEntry(Enum):
    """Whether a leader facing a challenge is on the ballot without nominations."""

    AUTOMATIC = "automatic"
    MUST_BE_NOMINATED = "must_be_nominated"


class MotionQuestion(Enum):
    """What a motion asks: confidence in the leader, or no confidence."""

    CONFIDENCE = "confidence"
    NO_CONFIDENCE = "no_confidence"


class Effect(Enum):
    """What a motion's result does to the leadership."""

    NONE = "none"
    """Nothing: the motion is advisory, or the rules give it no effect."""
    SURVIVES = "survives"
    """The leader stays (and may be protected from another vote for a time)."""
    VACANCY = "vacancy"
    """The leadership falls vacant and an election follows."""


class ProcessKind(Enum):
    """The kinds of process a rulebook declares."""

    VACANCY = "vacancy"
    CHALLENGE = "challenge"
    CONFIDENCE_VOTE = "confidence_vote"


class ThresholdKind(Enum):
    """A threshold is a share of a body, a fixed count of its members, or a gate of others."""

    SHARE = "share"
    COUNT = "count"
    ALL_OF = "all_of"
    ANY_OF = "any_of"


@dataclass(frozen=True, slots=True, kw_only=True)
class Clause:
    """Where a rule comes from: a reference, and the text where the source gives it.

    Args:
        ref: e.g. ``Chapter 4, Clause II.2.B.ii`` or ``NEC ruling, 12 July 2016``.
        text: the words of the rule, quoted.
        source: where the words were read (a URL or citation).
    """

    ref: str
    text: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        if not self.ref.strip():
            raise RulebookError("a clause needs a reference (got an empty one)")


@dataclass(frozen=True, slots=True, kw_only=True)
class ParamRef:
    """A value that a named disputed clause (:class:`Param`) decides."""

    param: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Param:
    """A disputed clause: a named choice between readings, with a default.

    Args:
        id: the name used in ``params`` mappings and on the command line.
        kind: what the alternatives are.
        default: the reading used when none is given.
        alternatives: each reading with a note of who holds it or why.
        clause: the clause in dispute.
        note: why it is disputed (e.g. "the rule text is silent on rounding").
    """

    id: str
    title: str
    kind: ParamKind
    default: str
    alternatives: tuple[tuple[str, str], ...]
    clause: Clause
    note: str = ""

    def __post_init__(self) -> None:
        if self.default not in self.values:
            raise RulebookError(
                f"param {self.id!r}: default {self.default!r} is not one of its alternatives "
                f"({', '.join(self.values)})"
            )

    @property
    def values(self) -> tuple[str, ...]:
        """The readings, in declared order."""
        return tuple(value for value, _ in self.alternatives)

    def note_for(self, value: str) -> str:
        """The note that goes with one reading."""
        return dict(self.alternatives).get(value, "")


@dataclass(frozen=True, slots=True, kw_only=True)
class Body:
    """A body whose members count for thresholds, e.g. the PLP (MPs) or the CLPs.

    Args:
        unit: what its members are called in explanations ("MPs", "MPs and MEPs", "CLPs").
        parts: for a combined body, the bodies it is made of (its size is their sum).
    """

    id: BodyId
    title: str
    unit: str
    clause: Clause
    parts: tuple[BodyId, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Threshold:
    """A threshold: a share or count of a body's members, or a gate over other thresholds.

    A ``share`` threshold is ``share`` × the body's size on the date ``as_of`` names, rounded
    as ``rounding`` says. ``all_of`` / ``any_of`` combine other thresholds by id (``parts``).
    """

    id: str
    title: str
    kind: ThresholdKind
    clause: Clause
    of: BodyId | None = None
    share: Fraction | None = None
    count: int | None = None
    rounding: Rounding | ParamRef = Rounding.CEIL
    as_of: str | ParamRef | None = None
    parts: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Consequence:
    """What follows from a motion's result, and the clause that says so."""

    effect: Effect
    text: str
    clause: Clause


@dataclass(frozen=True, slots=True, kw_only=True)
class Motion:
    """A motion a body votes on (confidence or no confidence in the leader).

    The motion is carried when the votes for it are more than ``majority`` of the valid votes
    (for + against), which is more than half unless the rulebook says otherwise.
    """

    id: str
    title: str
    body: BodyId
    question: MotionQuestion
    binding: bool
    clause: Clause
    on_carried: Consequence
    on_lost: Consequence
    majority: Fraction = Fraction(1, 2)


@dataclass(frozen=True, slots=True, kw_only=True)
class Process:
    """A process: an election in a vacancy, a challenge to an incumbent, a confidence vote.

    Args:
        stages: the timetable's stages in order; the events give their dates.
        nomination_threshold: id of the threshold a candidate's nominations must reach.
        incumbent_on_ballot: for a challenge, whether the incumbent needs nominations.
        trigger: id of the threshold that starts the process (e.g. letters from 15% of MPs).
        motion: id of the motion the process decides (a confidence vote).
        ballot: id of the ballot that decides it.
    """

    id: str
    title: str
    kind: ProcessKind
    clause: Clause
    stages: tuple[str, ...] = ()
    nomination_threshold: str | None = None
    incumbent_on_ballot: IncumbentEntry | ParamRef | None = None
    trigger: str | None = None
    motion: str | None = None
    ballot: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class VoterClass:
    """A class of voter (members, registered supporters, affiliated supporters) and its tests.

    Args:
        joined_on_or_before: the freeze date: joined later, no vote (a date, a param, or None).
        joined_on_or_after: the start of a registration window.
        minimum_membership_months: whole months of membership needed on the date of decision.
        dues_paid: whether a person in arrears is excluded.
        minimum_age: in whole years on the date of decision.
    """

    id: str
    title: str
    clause: Clause
    joined_on_or_before: date | ParamRef | None = None
    joined_on_or_after: date | None = None
    minimum_membership_months: int | None = None
    dues_paid: bool = False
    minimum_age: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Electorate:
    """One vote per person: which class wins when a person is listed in several."""

    precedence: tuple[str, ...]
    clause: Clause


@dataclass(frozen=True, slots=True, kw_only=True)
class Ballot:
    """How a ballot is counted, in the terms ``mandate.counting.registry.CountSpec`` uses.

    Args:
        method: the counting method.
        seats: seats to fill.
        stv_rules: the STV variant (only for ``stv``).
        tiebreak: how ties are settled.
        tiebreak_forwards: with ``previous-round``, search rounds from the first forwards.
        sections: for an electoral college, each section's weight (summing to 1).
        district_points: for a college by points per district (Conservative Party of
            Canada), what every district is worth; the districts are the sections the
            ballots come in, so none is named here. A college has either ``sections`` or
            this.
        full_points_minimum: with ``district_points``, the marked ballots a district needs
            to be worth its full points (fewer: proportionally less).
        voters: a voter class id, a body id, or ``electorate`` for all voter classes.
        first_round_minimum: exhaustive ballots: votes a candidate needs in the first round.
        until: exhaustive ballots: the field is reduced to this many.
    """

    id: str
    title: str
    method: BallotMethod
    seats: int
    tiebreak: TieBreak
    clause: Clause
    stv_rules: StvRules | None = None
    sections: tuple[tuple[str, Fraction], ...] = ()
    district_points: int | None = None
    full_points_minimum: int | None = None
    voters: str = "electorate"
    tiebreak_forwards: bool = False
    first_round_minimum: int | None = None
    until: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Rulebook:
    """A validated rulebook; build one with :func:`mandate.rules.load.load_rulebook`.

    Collections are tuples in declared order; look items up with the methods below.
    """

    format_version: int
    id: RulebookId
    title: str
    organisation: str
    path: str
    sources: tuple[str, ...]
    params: tuple[Param, ...]
    bodies: tuple[Body, ...]
    thresholds: tuple[Threshold, ...]
    motions: tuple[Motion, ...]
    processes: tuple[Process, ...]
    voter_classes: tuple[VoterClass, ...]
    electorate: Electorate
    ballots: tuple[Ballot, ...]
    principal_ballot: str
    note: str = ""

    @property
    def ballot(self) -> Ballot:
        """The ballot that decides the office (the principal ballot)."""
        return self.get_ballot(self.principal_ballot)

    def param(self, param_id: str) -> Param:
        """The disputed clause named ``param_id``."""
        return _find(self.params, param_id, "param", self.id)

    def body(self, body_id: str) -> Body:
        """The body named ``body_id``."""
        return _find(self.bodies, body_id, "body", self.id)

    def threshold(self, threshold_id: str) -> Threshold:
        """The threshold named ``threshold_id``."""
        return _find(self.thresholds, threshold_id, "threshold", self.id)

    def motion(self, motion_id: str) -> Motion:
        """The motion named ``motion_id``."""
        return _find(self.motions, motion_id, "motion", self.id)

    def process(self, process_id: str) -> Process:
        """The process named ``process_id``."""
        return _find(self.processes, process_id, "process", self.id)

    def voter_class(self, class_id: str) -> VoterClass:
        """The voter class named ``class_id``."""
        return _find(self.voter_classes, class_id, "voter class", self.id)

    def get_ballot(self, ballot_id: str) -> Ballot:
        """The ballot named ``ballot_id``."""
        return _find(self.ballots, ballot_id, "ballot", self.id)

    def default_params(self) -> dict[str, str]:
        """Every disputed clause at its default reading."""
        return {p.id: p.default for p in self.params}

    def resolve_params(self, params: Mapping[str, str] | None) -> dict[str, str]:
        """The default readings overridden by ``params``; unknown names or values are refused."""
        resolved = self.default_params()
        for name, value in (params or {}).items():
            if name not in resolved:
                known = ", ".join(resolved) or "none"
                raise RulebookError(
                    f"rulebook {self.id!r} has no disputed clause {name!r} (it has: {known})"
                )
            param = self.param(name)
            if value not in param.values:
                raise RulebookError(
                    f"param {name!r} cannot be {value!r}; its readings are "
                    f"{', '.join(param.values)}"
                )
            resolved[name] = value
        return resolved


class _Named(Protocol):
    @property
    def id(self) -> str: ...


_T = TypeVar("_T", bound=_Named)


def _find(items: tuple[_T, ...], wanted: str, what: str, rulebook: str) -> _T:
    for item in items:
        if item.id == wanted:
            return item
    known = ", ".join(item.id for item in items) or "none"
    raise RulebookError(f"rulebook {rulebook!r} has no {what} {wanted!r} (it has: {known})")


@dataclass(frozen=True, slots=True, kw_only=True)
class Explanation:
    """Why an answer is what it is: the value, the clauses relied on, and the arithmetic.

    >>> e = Explanation(value="51", clauses=(Clause(ref="Clause II.2.B.ii"),),
    ...                 arithmetic=("20% of 251 = 50.2, rounded up (ceil) = 51",))
    >>> print(e.render())
    51
      20% of 251 = 50.2, rounded up (ceil) = 51
      — Clause II.2.B.ii
    """

    value: str
    clauses: tuple[Clause, ...] = ()
    arithmetic: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def render(self, indent: str = "  ") -> str:
        """The explanation as lines of text: value, arithmetic, notes, then clauses."""
        lines = [self.value]
        lines += [f"{indent}{line}" for line in self.arithmetic]
        lines += [f"{indent}note: {note}" for note in self.notes]
        lines += [f"{indent}— {clause.ref}" for clause in self.clauses]
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        """The explanation as JSON-ready data."""
        return {
            "value": self.value,
            "clauses": [{"ref": c.ref, "text": c.text, "source": c.source} for c in self.clauses],
            "arithmetic": list(self.arithmetic),
            "notes": list(self.notes),
        }
