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
from pathlib import Path

from mandate.ballots.formats._builder import Origin, ProfileBuilder, strip_trailing_skips
from mandate.ballots.model import UNRECORDED_OVERVOTE, Profile, Ranking
from mandate.errors import BallotFormatError, InputError
from mandate.ids import CandidateId

__all__ = ["OVERVOTE_CELL", "parse_csv", "read_csv", "write_csv"]

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
) -> Profile:
    """Read a CSV ballot file, streaming it row by row.

    ``progress``, if given, is called now and then with the characters read so far.

    Raises:
        BallotFormatError: a bad header, count, or a file cut off mid-row (file, line, ballot).
        UnknownCandidateError: with ``candidates`` given, a ballot naming anyone else.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return parse_csv(handle, source=str(path), candidates=candidates, progress=progress)
    except UnicodeDecodeError as error:
        raise BallotFormatError(f"not UTF-8 text ({error.reason})", path=str(path)) from None


def parse_csv(
    lines: Iterable[str],
    *,
    source: str,
    candidates: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Profile:
    """Parse CSV ballot rows (an iterable of lines, as from an open file).

    Raises:
        BallotFormatError: a bad header, count, or a file cut off mid-row.
        UnknownCandidateError: with ``candidates`` given, a ballot naming anyone else.
    """
    builder = ProfileBuilder(source=source, candidates=candidates)
    last_line: list[str] = [""]

    def tracked() -> Iterator[str]:
        done = 0
        for number, line in enumerate(lines):
            last_line[0] = line
            done += len(line)
            if progress is not None and number % _PROGRESS_EVERY == 0:
                progress(done)
            yield line
        if progress is not None:
            progress(done)

    reader = csv.reader(tracked(), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise BallotFormatError(
                "the file is empty; expected a header 'count,rank1,…'", path=source
            )
        has_count, width = _parse_header(header, source)
        row_width = width + has_count
        add = builder.add
        for row in reader:
            if not row:
                continue
            line = reader.line_num
            if len(row) > row_width and any(cell.strip() for cell in row[row_width:]):
                raise BallotFormatError(
                    f"{len(row)} cells but the header has {row_width}",
                    path=source,
                    line=line,
                    where=f"ballot {builder.ballots_read + 1}",
                )
            if has_count:
                text = row[0].strip()
                if not text.isdigit() or int(text) < 1:
                    raise BallotFormatError(
                        f"count must be a whole number of at least 1 (got {row[0]!r})",
                        path=source,
                        line=line,
                        where=f"ballot {builder.ballots_read + 1}",
                    )
                add(tuple(row[1:row_width]), int(text), line=line)
            else:
                add(tuple(row[:row_width]), 1, line=line)
    except csv.Error as error:
        raise BallotFormatError(
            f"not valid CSV ({error})", path=source, line=reader.line_num
        ) from None
    final = last_line[0]
    if final and not final.endswith(("\n", "\r")):
        cells = next(csv.reader([final]), [])
        if len(cells) < row_width:
            raise BallotFormatError(
                f"the file ends mid-row ({len(cells)} of {row_width} cells, no line end): "
                "was it cut off?",
                path=source,
                line=reader.line_num,
                where=f"ballot {builder.ballots_read}",
            )

    def to_ranking(key: Hashable, origin: Origin) -> Ranking:
        assert isinstance(key, tuple)
        return strip_trailing_skips([_cell(cell, builder, origin) for cell in key])

    return builder.build(to_ranking)


def _parse_header(header: list[str], source: str) -> tuple[bool, int]:
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
    for candidate in profile.candidates:
        if EQUAL in candidate.name or candidate.name.strip() == OVERVOTE_CELL:
            raise InputError(f"candidate {candidate.name!r} cannot be written to CSV")
    width = max((len(b.ranking) for b in profile.ballots), default=0) or 1
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["count", *(f"rank{i}" for i in range(1, width + 1))])
    names = {c.id: c.name for c in profile.candidates}
    order = {c.id: i for i, c in enumerate(profile.candidates)}
    for ballot in profile.ballots:
        cells = []
        for rank in ballot.ranking:
            if UNRECORDED_OVERVOTE in rank:
                cells.append(OVERVOTE_CELL)
            else:
                cells.append(EQUAL.join(names[c] for c in sorted(rank, key=order.__getitem__)))
        cells.extend([""] * (width - len(cells)))
        writer.writerow([str(ballot.count), *cells])
    return out.getvalue()
