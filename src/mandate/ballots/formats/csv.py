"""mandate's CSV ballot format: one ballot (or ``count`` identical ballots) a row.

The header is ``count,rank1,rank2,…`` (the ``count`` column is optional). A cell holds a
candidate's name, is empty for a skipped rank, holds several names joined by ``=`` for an
overvote or an equal ranking, or holds ``#overvote`` for an overvote whose marks a vendor's
export did not record. Candidates are declared in order of first appearance unless the officer
supplies the list. See docs/ballot-formats.md.

>>> from mandate.ballots.formats.csv import parse_csv, write_csv
>>> profile = parse_csv(["count,rank1,rank2", "3,Ann,Bob", "2,Bob,"], source="x.csv")
>>> [(c.name) for c in profile.candidates], profile.total
(['Ann', 'Bob'], 5)
>>> print(write_csv(profile), end="")
count,rank1,rank2
3,Ann,Bob
2,Bob,
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path

from mandate.ballots.formats._builder import (
    MAX_COUNT,
    BallotLimit,
    Origin,
    ProfileBuilder,
    read_text,
    shown,
    strip_trailing_skips,
    whole_number,
)
from mandate.ballots.model import UNRECORDED_OVERVOTE, Profile, Ranking
from mandate.errors import BallotFormatError, InputError
from mandate.ids import CandidateId

__all__ = [
    "OVERVOTE_CELL",
    "check_writable",
    "csv_pieces",
    "iter_csv",
    "parse_csv",
    "ranking_cells",
    "read_csv",
    "write_csv",
]

OVERVOTE_CELL = "#overvote"
"""A cell for an overvote whose marks were not recorded."""

_PROGRESS_EVERY = 65536
"""Lines between two progress reports."""

EQUAL = "="
"""Joins the names marked at one rank (an overvote or an equal ranking)."""


def read_csv(
    path: Path,
    *,
    candidates: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
    limit: BallotLimit | None = None,
) -> Profile:
    """Read a CSV ballot file, streaming it row by row.

    ``progress``, if given, is called now and then with the bytes read so far.

    Raises:
        BallotFormatError: a bad header, count, or a file cut off mid-row (file, line, ballot);
            more ballots than ``limit`` allows (the row that goes over it).
        UnknownCandidateError: with ``candidates`` given, a ballot naming anyone else.
    """
    return read_text(
        path,
        lambda handle, report: parse_csv(
            handle, source=str(path), candidates=candidates, progress=report, limit=limit
        ),
        progress=progress,
        newline="",
    )


def _cells(text: str, source: str, line: int) -> list[str]:
    try:
        return next(csv.reader([text], strict=True), [])
    except csv.Error as error:
        raise BallotFormatError(f"not valid CSV ({error})", path=source, line=line) from None


def _add_row(distinct: dict[str, list[int]], text: str, at: tuple[int, int]) -> None:
    seen = distinct.get(text)
    if seen is not None:
        seen[2] += 1
    else:
        distinct[text] = [at[0], at[1], 1]


def parse_csv(
    lines: Iterable[str],
    *,
    source: str,
    candidates: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
    limit: BallotLimit | None = None,
) -> Profile:
    """Parse CSV ballot rows (an iterable of lines, as from an open file).

    Identical rows are counted before they are parsed, so each distinct row is parsed once.
    ``progress``, if given, is called now and then with the number of lines read. A count is
    a whole number from 1 to :data:`~mandate.ballots.formats._builder.MAX_COUNT`; with
    ``limit``, the row that takes the file's ballots over it is refused.

    Raises:
        BallotFormatError: a bad header, count, or a file cut off mid-row; too many ballots.
        UnknownCandidateError: with ``candidates`` given, a ballot naming anyone else.
    """
    builder = ProfileBuilder(source=source, candidates=candidates, limit=limit)
    rows = iter(lines)
    header_line = 0
    header = ""
    for header_line, header in enumerate(rows, start=1):  # noqa: B007 — used below
        if header.strip():
            break
    if not header.strip():
        raise BallotFormatError("the file is empty; expected a header 'count,rank1,…'", path=source)
    has_count, width = _parse_header(_cells(header, source, header_line), source, header_line)
    row_width = width + has_count
    # text of each distinct row -> [first line, first ballot number, times seen]
    distinct: dict[str, list[int]] = {}
    get = distinct.get
    number = header_line
    not_ballots = header_line  # the header, blank lines, and lines inside multi-line rows
    pending: str | None = None  # a row whose quoted cell goes on over more lines
    pending_at = (0, 0)
    last = header
    while chunk := list(islice(rows, _PROGRESS_EVERY)):
        for line in chunk:
            number += 1
            if pending is None:
                seen = get(line)
                if seen is not None:
                    seen[2] += 1
                elif '"' in line and line.count('"') % 2:
                    pending, pending_at = line, (number, number - not_ballots)
                elif not line.strip():
                    not_ballots += 1
                else:
                    distinct[line] = [number, number - not_ballots, 1]
                continue
            pending += line
            not_ballots += 1
            if pending.count('"') % 2 == 0:
                _add_row(distinct, pending, pending_at)
                pending = None
        last = chunk[-1]
        if progress is not None:
            progress(number)
    if pending is not None:  # an unterminated quote: reported when the row is parsed
        _add_row(distinct, pending, pending_at)
    if last.strip() and not last.endswith(("\n", "\r")) and number > header_line:
        cells = _cells(last, source, number)
        if len(cells) < row_width:
            raise BallotFormatError(
                f"the file ends mid-row ({len(cells)} of {row_width} cells, no line end): "
                "was it cut off?",
                path=source,
                line=number,
                where=f"ballot {number - not_ballots}",
            )
    for text, (row_line, first, times) in distinct.items():
        row = _cells(text, source, row_line)
        where = f"ballot {first}"
        if len(row) > row_width and any(cell.strip() for cell in row[row_width:]):
            raise BallotFormatError(
                f"{len(row)} cells but the header has {row_width}",
                path=source,
                line=row_line,
                where=where,
            )
        if has_count:
            count = whole_number(row[0].strip())
            if count is None or count < 1:
                raise BallotFormatError(
                    f"count must be a whole number from 1 to {MAX_COUNT:,} (got {shown(row[0])})",
                    path=source,
                    line=row_line,
                    where=where,
                )
            builder.add(tuple(row[1:row_width]), count * times, line=row_line, ballot=first)
        else:
            builder.add(tuple(row[:row_width]), times, line=row_line, ballot=first)
    ranks: dict[str, frozenset[CandidateId]] = {}

    def rank_of(cell: str, origin: Origin) -> frozenset[CandidateId]:
        rank = ranks.get(cell)
        if rank is None:
            rank = ranks[cell] = _cell(cell, builder, origin)
        return rank

    def to_ranking(key: Hashable, origin: Origin) -> Ranking:
        assert isinstance(key, tuple)
        return strip_trailing_skips([rank_of(cell, origin) for cell in key])

    return builder.build(to_ranking)


def _parse_header(header: list[str], source: str, line: int) -> tuple[bool, int]:
    cells = [cell.strip().lower() for cell in header]
    has_count = bool(cells) and cells[0] == "count"
    ranks = cells[1:] if has_count else cells
    while ranks and not ranks[-1]:
        ranks.pop()
    expected = [f"rank{i}" for i in range(1, len(ranks) + 1)]
    if not ranks or ranks != expected:
        raise BallotFormatError(
            f"expected a header 'count,rank1,rank2,…' (count optional) (got {','.join(header)!r})",
            path=source,
            line=1,
        )
    return has_count, len(ranks)


def _cell(cell: str, builder: ProfileBuilder, origin: Origin) -> frozenset[CandidateId]:
    text = cell.strip()
    if not text:
        return frozenset()
    if text == OVERVOTE_CELL:
        return frozenset({UNRECORDED_OVERVOTE})
    names = [part.strip() for part in text.split(EQUAL)]
    if any(not name for name in names):
        raise builder.error(f"an empty name in {text!r}", origin)
    return frozenset(builder.name(name, origin) for name in names)


def write_csv(profile: Profile) -> str:
    """Write a profile as mandate CSV, one row per distinct ballot with its count.

    Raises:
        InputError: a candidate name that cannot be written (it contains ``=`` or is
            ``#overvote``).
    """
    return "".join(iter_csv(profile))


def iter_csv(profile: Profile, *, batch: int = 1000) -> Iterator[str]:
    """The text of :func:`write_csv` in pieces of at most ``batch`` rows.

    >>> from mandate.ballots.formats.csv import parse_csv
    >>> list(iter_csv(parse_csv(["count,rank1", "2,Ann", "1,Bob"], source="x.csv"), batch=1))
    ['count,rank1\\n', '2,Ann\\n', '1,Bob\\n']

    Raises:
        InputError: as :func:`write_csv`, at once (before any text is produced).
    """
    check_writable(profile)
    return _csv_text(profile, max(1, batch))


def check_writable(profile: Profile) -> None:
    """Refuse candidate names a CSV cell cannot hold (``=`` in them, or ``#overvote``).

    Raises:
        InputError: naming the candidate.
    """
    for candidate in profile.candidates:
        if EQUAL in candidate.name or candidate.name.strip() == OVERVOTE_CELL:
            raise InputError(f"candidate {candidate.name!r} cannot be written to CSV")


def ranking_cells(profile: Profile) -> Callable[[Ranking, int], list[str]]:
    """A function writing a ranking of ``profile`` as ``width`` cells: each rank's names
    joined by ``=`` in declared order, ``#overvote`` for an unrecorded overvote, then blanks."""
    names = {c.id: c.name for c in profile.candidates}
    order = {c.id: i for i, c in enumerate(profile.candidates)}

    def cells(ranking: Ranking, width: int) -> list[str]:
        out = []
        for rank in ranking:
            if UNRECORDED_OVERVOTE in rank:
                out.append(OVERVOTE_CELL)
            else:
                out.append(EQUAL.join(names[c] for c in sorted(rank, key=order.__getitem__)))
        out.extend([""] * (width - len(out)))
        return out

    return cells


def _csv_text(profile: Profile, batch: int) -> Iterator[str]:
    width = max((len(b.ranking) for b in profile.ballots), default=0) or 1
    cells = ranking_cells(profile)
    return csv_pieces(
        ["count", *(f"rank{i}" for i in range(1, width + 1))],
        ([str(b.count), *cells(b.ranking, width)] for b in profile.ballots),
        batch,
    )


def csv_pieces(header: Sequence[str], rows: Iterable[Sequence[str]], batch: int) -> Iterator[str]:
    """CSV text in pieces: the header line, then the rows ``batch`` at a time."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    yield out.getvalue()
    rows = iter(rows)
    while chunk := list(islice(rows, batch)):
        out.seek(0)
        out.truncate()
        writer.writerows(chunk)
        yield out.getvalue()
