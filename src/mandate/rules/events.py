"""What happened: motion votes, body sizes, nominations, withdrawals, letters, dates.

An :class:`Events` value is what the evaluator applies a rulebook to. It can be built in
code or loaded from an events TOML file (:func:`load_events`); each record remembers the
line it was read from, so that an event the rulebook cannot place (an unknown motion or
body) is reported at its line. The format is described in ``docs/rulebook.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mandate.errors import EventsError
from mandate.ids import BodyId
from mandate.rules.toml_reader import KeyLines, Node, dotted, parse_toml

__all__ = [
    "EVENTS_FORMAT_VERSION",
    "BodySize",
    "Events",
    "Letters",
    "Located",
    "MotionVote",
    "Nomination",
    "load_events",
    "parse_events",
]

EVENTS_FORMAT_VERSION = 1
"""The newest events ``format_version`` this code reads."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Located:
    """Where a record was read from (for errors); empty for records built in code."""

    source: str | None = None
    line: int | None = None
    where: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BodySize:
    """How many members a body had on a date."""

    body: BodyId
    on: date
    size: int
    source: str = ""
    at: Located = Located()


@dataclass(frozen=True, slots=True, kw_only=True)
class MotionVote:
    """The result of a vote on one of the rulebook's motions.

    ``did_not_vote`` is optional; with it, the body's size is the sum of all four figures.
    """

    motion: str
    on: date
    votes_for: int
    votes_against: int
    spoilt: int = 0
    did_not_vote: int | None = None
    subject: str = ""
    source: str = ""
    at: Located = Located()


@dataclass(frozen=True, slots=True, kw_only=True)
class Nomination:
    """A candidate's nominations, counted by body (e.g. 162 MPs and 10 MEPs).

    Args:
        by: nominations from each body; a combined body may be used when the split is unknown.
        incumbent: the candidate is the leader being challenged.
        withdrew: the date the candidate withdrew, if they did.
    """

    candidate: str
    by: tuple[tuple[BodyId, int], ...] = ()
    on: date | None = None
    incumbent: bool = False
    withdrew: date | None = None
    note: str = ""
    source: str = ""
    at: Located = Located()

    @property
    def total(self) -> int:
        """All nominations, from every body."""
        return sum(n for _, n in self.by)


@dataclass(frozen=True, slots=True, kw_only=True)
class Letters:
    """Letters (or a petition) asking for a process, e.g. for a confidence vote."""

    process: str
    on: date
    count: int
    at_least: bool = False
    source: str = ""
    at: Located = Located()


@dataclass(frozen=True, slots=True, kw_only=True)
class Events:
    """Everything that happened in one contest, as the evaluator needs it.

    Args:
        process: the rulebook process these events belong to (``challenge``, ...).
        incumbent: the leader at the start, if any.
        dates: named dates: the timetable's stages and the names params use.
    """

    title: str = ""
    process: str | None = None
    incumbent: str | None = None
    dates: tuple[tuple[str, date], ...] = ()
    body_sizes: tuple[BodySize, ...] = ()
    motions: tuple[MotionVote, ...] = ()
    nominations: tuple[Nomination, ...] = ()
    letters: tuple[Letters, ...] = ()
    sources: tuple[str, ...] = ()
    rulebook: str | None = None
    path: str | None = None
    process_at: Located = Located()

    def date_of(self, name: str) -> date | None:
        """The date named ``name``, if the events give it."""
        return dict(self.dates).get(name)


def load_events(path: str | Path) -> Events:
    """Load an events TOML file.

    Raises:
        EventsError: the file is missing or not valid (names the file, line and key).
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EventsError("no such events file", path=str(file)) from None
    except UnicodeDecodeError as exc:
        raise EventsError(f"not UTF-8 text ({exc.reason})", path=str(file)) from None
    return parse_events(text, source=str(file))


def _located(node: Node, key: str | None = None) -> Located:
    path = node.path if key is None else (*node.path, key)
    return Located(source=node.source, line=node.line_of(key), where=f"key {dotted(path)}")


def _by_body(node: Node, key: str) -> tuple[tuple[BodyId, int], ...]:
    if not node.has(key):
        return ()
    table = node.table(key)
    counts = tuple((BodyId(name), table.integer(name)) for name in table.data)
    table.finish()
    return counts


_TOP = (
    "format_version",
    "title",
    "rulebook",
    "process",
    "incumbent",
    "sources",
    "dates",
    "body_sizes",
    "motions",
    "nominations",
    "letters",
)
_MOTION = ("motion", "on", "for", "against", "spoilt", "did_not_vote", "subject", "source")
_NOMINATION = ("candidate", "by", "on", "incumbent", "withdrew", "note", "source")
_LETTERS = ("process", "on", "count", "at_least", "source")


def parse_events(text: str, *, source: str) -> Events:
    """Validate events TOML text; ``source`` names it in errors."""
    data = parse_toml(text, source=source, error=EventsError)
    root = Node(data, path=(), lines=KeyLines(text), source=source, error=EventsError)
    root.only(_TOP)
    version = root.integer("format_version", minimum=1)
    if version > EVENTS_FORMAT_VERSION:
        root.fail(
            "format_version",
            f"format_version {version} is newer than this version of mandate reads "
            f"(up to {EVENTS_FORMAT_VERSION}); upgrade mandate to read these events",
        )
    dates: list[tuple[str, date]] = []
    dates_node = root.opt_table("dates")
    if dates_node is not None:
        dates = [(name, dates_node.day(name)) for name in dates_node.data]
        dates_node.finish()
    sizes: list[BodySize] = []
    for node in root.array_of_tables("body_sizes"):
        node.only(("on", "sizes", "source"))
        on = node.day("on")
        note = node.string("source") if node.has("source") else ""
        table = node.table("sizes")
        for name in table.data:
            sizes.append(
                BodySize(
                    body=BodyId(name),
                    on=on,
                    size=table.integer(name),
                    source=note,
                    at=_located(table, name),
                )
            )
        table.finish()
        node.finish(("on", "sizes", "source"))
    motions: list[MotionVote] = []
    for node in root.array_of_tables("motions"):
        node.only(_MOTION)
        motions.append(
            MotionVote(
                motion=node.string("motion"),
                on=node.day("on"),
                votes_for=node.integer("for"),
                votes_against=node.integer("against"),
                spoilt=node.integer("spoilt") if node.has("spoilt") else 0,
                did_not_vote=node.opt_integer("did_not_vote"),
                subject=node.string("subject") if node.has("subject") else "",
                source=node.string("source") if node.has("source") else "",
                at=_located(node),
            )
        )
        node.finish(_MOTION)
    nominations: list[Nomination] = []
    for node in root.array_of_tables("nominations"):
        node.only(_NOMINATION)
        nominations.append(
            Nomination(
                candidate=node.string("candidate"),
                by=_by_body(node, "by"),
                on=node.opt_day("on"),
                incumbent=node.boolean("incumbent", default=False),
                withdrew=node.opt_day("withdrew"),
                note=node.string("note") if node.has("note") else "",
                source=node.string("source") if node.has("source") else "",
                at=_located(node),
            )
        )
        node.finish(_NOMINATION)
    names = [n.candidate for n in nominations]
    for index, name in enumerate(names):
        if name in names[:index]:
            raise EventsError(
                f"candidate {name!r} has two [[nominations]] entries; give one with counts by body",
                path=source,
                line=nominations[index].at.line,
                where=f"key nominations[{index}].candidate",
            )
    letters: list[Letters] = []
    for node in root.array_of_tables("letters"):
        node.only(_LETTERS)
        letters.append(
            Letters(
                process=node.string("process"),
                on=node.day("on"),
                count=node.integer("count"),
                at_least=node.boolean("at_least", default=False),
                source=node.string("source") if node.has("source") else "",
                at=_located(node),
            )
        )
        node.finish(_LETTERS)
    events = Events(
        title=root.string("title"),
        process=root.string("process") if root.has("process") else None,
        incumbent=root.string("incumbent") if root.has("incumbent") else None,
        dates=tuple(dates),
        body_sizes=tuple(sizes),
        motions=tuple(motions),
        nominations=tuple(nominations),
        letters=tuple(letters),
        sources=root.strings("sources", default=()),
        rulebook=root.string("rulebook") if root.has("rulebook") else None,
        path=source,
        process_at=_located(root, "process"),
    )
    root.finish(_TOP)
    return events
