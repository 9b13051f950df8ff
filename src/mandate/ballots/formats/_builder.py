"""Shared machinery of the ballot readers: candidates, de-duplication and located errors.

Readers hand each ballot to a :class:`ProfileBuilder` as a key (the raw marks, hashable) with a
count and where it came from. Identical keys are merged at once, so a file of a million ballots
with a few thousand distinct rankings is parsed a few thousand times, not a million. Each
distinct key is then turned into a :data:`~mandate.ballots.model.Ranking`, checking every name
against the declared candidates; an error names the file, the line and the ballot where the
key first appeared. The profile comes with its ballots as a
:class:`~mandate.ballots.matrix.RankMatrix` too, made from the same distinct rankings, so
that counting starts from the arrays.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO, TypeVar

from mandate.ballots.matrix import MAX_BALLOTS, RankMatrix, check_total
from mandate.ballots.model import UNRECORDED_OVERVOTE, Ballot, Candidate, Profile, Ranking
from mandate.errors import BallotFormatError, InputError, UnknownCandidateError
from mandate.ids import CandidateId

__all__ = [
    "MAX_COUNT",
    "BallotLimit",
    "Origin",
    "ProfileBuilder",
    "Progress",
    "read_text",
    "shown",
    "strip_trailing_skips",
    "whole_number",
]

MAX_COUNT = MAX_BALLOTS
"""The largest count of identical ballots a file may give (what a ballot matrix can hold)."""

_T = TypeVar("_T")
Progress = Callable[[int], None]
"""Called now and then with how far a reader has gone (bytes or lines, as it says)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Origin:
    """Where a ballot was first read: its line (when the format has lines) and its number."""

    line: int | None
    ballot: int


def whole_number(text: str) -> int | None:
    """``text`` as a whole number from 0 to :data:`MAX_COUNT`, or ``None`` if it is not one.

    Only the digits 0-9 are read (not other scripts' digits, signs or spaces), and never more
    than 19 of them, so a count of thousands of digits is refused at once rather than
    converted (Python refuses over 4,300 digits, slowly).

    >>> whole_number("42"), whole_number("٤٢"), whole_number("9" * 5000), whole_number("-1")
    (42, None, None, None)
    """
    if not text or len(text) > len(str(MAX_COUNT)) or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= MAX_COUNT else None


def shown(text: str, limit: int = 40) -> str:
    """``text`` quoted for a message, cut short when long (a message stays one short line)."""
    return (
        repr(text) if len(text) <= limit else repr(text[:limit]) + f"… ({len(text):,} characters)"
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotLimit:
    """The most ballots a file may hold, and why (e.g. a class's electorate), checked as the
    counts are read, before anything is expanded ballot by ballot.

    >>> BallotLimit(most=21, why="the 21 electors of class 'member'").most
    21
    """

    most: int
    why: str


def strip_trailing_skips(ranks: list[frozenset[CandidateId]]) -> Ranking:
    """Drop empty ranks after the last mark: ``A, B, , `` is the same ballot as ``A, B``."""
    end = len(ranks)
    while end and not ranks[end - 1]:
        end -= 1
    return tuple(ranks[:end])


def read_text(
    path: Path,
    parse: Callable[[TextIO, Progress | None], _T],
    *,
    progress: Progress | None = None,
    newline: str | None = None,
) -> _T:
    """Open ``path`` as UTF-8 text (a byte-order mark is allowed) and ``parse`` it streaming.

    ``parse`` gets the open file and, when ``progress`` is given, a callback that it may call
    with anything (lines read, say): the callback reports to ``progress`` the bytes read so far.

    Raises:
        BallotFormatError: the file is not UTF-8 text.
    """
    try:
        with (
            path.open("rb") as raw,
            io.TextIOWrapper(raw, encoding="utf-8-sig", newline=newline) as handle,
        ):
            report = None
            if progress is not None:
                position = raw.tell

                def report(_done: int) -> None:
                    progress(position())

            return parse(handle, report)
    except UnicodeDecodeError as error:
        raise BallotFormatError(f"not UTF-8 text ({error.reason})", path=str(path)) from None


class ProfileBuilder:
    """Collects ballots, merges identical ones, and builds a :class:`Profile`.

    Args:
        source: the file name, for error messages.
        declared: candidate names the file declares, in order (``None`` when it declares none;
            candidates are then taken in order of first appearance).
        candidates: names given by the officer (``--candidates``); when given, they set the
            declared order and a ballot naming anyone else is an error.
        write_ins: names that are write-in buckets.
        limit: the most ballots the file may hold; the ballot that goes over it is refused.
    """

    def __init__(
        self,
        *,
        source: str,
        declared: Sequence[str] | None = None,
        candidates: Sequence[str] | None = None,
        write_ins: frozenset[str] = frozenset(),
        limit: BallotLimit | None = None,
    ) -> None:
        self.source = source
        self._limit = limit
        self.total = 0
        self._fixed = candidates is not None
        names = list(candidates) if candidates is not None else list(declared or ())
        if len(set(names)) != len(names):
            repeated = sorted({n for n in names if names.count(n) > 1})
            raise InputError(f"{source}: candidates named twice: {', '.join(repeated)}")
        self._order: dict[str, None] = dict.fromkeys(names)
        self._declared = declared is not None or self._fixed
        self._write_ins = write_ins
        self._counts: dict[Hashable, int] = {}
        self._origins: dict[Hashable, Origin] = {}
        self.ballots_read = 0

    def declare_write_in(self, name: str) -> None:
        """Declare a write-in bucket met on a ballot (unless the officer fixed the list)."""
        self._write_ins = self._write_ins | {name}
        if not self._fixed and name not in self._order:
            self._order[name] = None

    def add(
        self, key: Hashable, count: int, *, line: int | None, ballot: int | None = None
    ) -> None:
        """Record ``count`` ballots with the raw marks ``key`` read at ``line``.

        ``ballot`` numbers the ballot in the file when the reader knows it (it merged rows
        before handing them over); by default ballots are numbered as they are added.

        Raises:
            BallotFormatError: the counts so far add up to more than
                :data:`~mandate.ballots.matrix.MAX_BALLOTS` (located at this ballot).
        """
        self.ballots_read += 1
        self.total += count
        too_many = check_total(self.total)
        if too_many is not None:
            number = ballot if ballot is not None else self.ballots_read
            raise self.error(too_many, Origin(line=line, ballot=number))
        if self._limit is not None and self.total > self._limit.most:
            number = ballot if ballot is not None else self.ballots_read
            raise self.error(
                f"more than {self._limit.most:,} ballots ({self._limit.why}): "
                f"the file holds {self.total:,} by here",
                Origin(line=line, ballot=number),
            )
        counts = self._counts
        if key in counts:
            counts[key] += count
        else:
            counts[key] = count
            number = ballot if ballot is not None else self.ballots_read
            self._origins[key] = Origin(line=line, ballot=number)

    def error(self, detail: str, origin: Origin | None) -> BallotFormatError:
        """A format error located at ``origin``."""
        if origin is None:
            return BallotFormatError(detail, path=self.source)
        return BallotFormatError(
            detail, path=self.source, line=origin.line, where=f"ballot {origin.ballot}"
        )

    def name(self, name: str, origin: Origin) -> CandidateId:
        """Check a name read from a ballot against the candidates; learn it if undeclared."""
        if name in self._order:
            return CandidateId(name)
        if self._declared:
            where = f"{self.source}, " + (
                f"line {origin.line}, " if origin.line is not None else ""
            )
            raise UnknownCandidateError(
                name, known=tuple(self._order), where=f"{where}ballot {origin.ballot}"
            )
        if not name.strip():
            raise self.error("a candidate's name is blank", origin)
        self._order[name] = None
        return CandidateId(name)

    def build(
        self,
        to_ranking: Callable[[Hashable, Origin], Ranking],
        *,
        seats: int | None = None,
        title: str | None = None,
    ) -> Profile:
        """Turn each distinct key into a ranking and return the profile.

        ``to_ranking`` parses one key; it calls :meth:`name` for each name and may raise
        errors built with :meth:`error`.
        """
        merged: dict[Ranking, int] = {}
        interned: dict[frozenset[CandidateId], frozenset[CandidateId]] = {}
        intern = interned.setdefault
        for key, count in self._counts.items():
            ranking = tuple(intern(rank, rank) for rank in to_ranking(key, self._origins[key]))
            merged[ranking] = merged.get(ranking, 0) + count
        candidates = tuple(
            Candidate(id=CandidateId(n), name=n, write_in=n in self._write_ins)
            for n in self._order
            if n != UNRECORDED_OVERVOTE
        )
        counts = list(merged.values())
        return Profile.of_matrix(
            RankMatrix.encode(tuple(c.id for c in candidates), list(merged), counts),
            candidates=candidates,
            ballots=tuple(map(_ballot, merged, counts)),
            seats=seats,
            title=title,
        )


def _ballot(ranking: Ranking, count: int) -> Ballot:
    return Ballot(ranking=ranking, count=count)
