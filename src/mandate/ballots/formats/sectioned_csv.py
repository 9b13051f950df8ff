"""mandate CSV ballots with a section column: each row says which section its ballots are in.

The file is mandate's CSV format (docs/ballot-formats.md) with one more column, named by the
caller (``section`` by default), anywhere in the header::

    section,count,rank1,rank2
    members,3,Ann,Bob
    affiliates,2,Bob,

Every row names a section (a non-blank cell). Candidates are declared in order of first
appearance across the whole file, unless the officer supplies the list, so every section has
the same candidates in the same order.

>>> from pathlib import Path; import tempfile
>>> path = Path(tempfile.mkdtemp()) / "b.csv"
>>> _ = path.write_text("section,count,rank1\\nmembers,3,Ann\\naffiliates,2,Bob\\nmembers,1,Bob\\n")
>>> sections = read_sectioned_csv(path)
>>> sections.names, [p.total for _, p in sections]
(('members', 'affiliates'), [4, 2])

:func:`iter_sectioned_csv` writes the format, section by section:

>>> print("".join(iter_sectioned_csv(sections)), end="")
section,count,rank1
members,3,Ann
members,1,Bob
affiliates,2,Bob
"""

from __future__ import annotations

import csv
from collections.abc import Hashable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from mandate.ballots.formats._builder import (
    MAX_COUNT,
    Origin,
    ProfileBuilder,
    shown,
    strip_trailing_skips,
    whole_number,
)
from mandate.ballots.formats.csv import (
    EQUAL,
    OVERVOTE_CELL,
    _cell,
    _parse_header,
    check_writable,
    csv_pieces,
    ranking_cells,
)
from mandate.ballots.model import Profile, Ranking
from mandate.ballots.sections import SectionedProfile
from mandate.errors import BallotFormatError, InputError
from mandate.ids import CandidateId

__all__ = ["iter_sectioned_csv", "read_sectioned_csv"]

_Entry = list[int]  # [line, ballot number, count]


def read_sectioned_csv(
    path: Path, *, column: str = "section", candidates: Sequence[str] | None = None
) -> SectionedProfile:
    """Read a CSV ballot file whose ``column`` names each row's section.

    Raises:
        BallotFormatError: no such column, a row with no section, a bad header or count, a
            file cut off mid-row (file, line, ballot).
        UnknownCandidateError: with ``candidates`` given, a ballot naming anyone else.
    """
    source = str(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            sections, order, last = _read(handle, source, column, candidates)
        ends_cut = _ends_without_newline(path)
    except OSError as error:
        raise BallotFormatError(f"cannot read the file ({error.strerror})", path=source) from None
    except UnicodeDecodeError as error:
        raise BallotFormatError(f"not UTF-8 text ({error.reason})", path=source) from None
    if ends_cut and last is not None:
        cells, width, line, ballot = last
        if cells < width:
            raise BallotFormatError(
                f"the file ends mid-row ({cells} of {width} cells, no line end): was it cut off?",
                path=source,
                line=line,
                where=f"ballot {ballot}",
            )
    names = list(candidates) if candidates is not None else list(order)
    profiles: dict[str, Profile] = {}
    for section, keys in sections.items():
        builder = ProfileBuilder(source=source, candidates=names)
        for key, (line, ballot, count) in keys.items():
            builder.add(key, count, line=line, ballot=ballot)
        profiles[section] = _build(builder)
    if not profiles:
        raise BallotFormatError("the file holds no ballots", path=source)
    return SectionedProfile.of(profiles)


def _ends_without_newline(path: Path) -> bool:
    with path.open("rb") as raw:
        size = raw.seek(0, 2)
        if not size:
            return False
        raw.seek(size - 1)
        return raw.read(1) not in (b"\n", b"\r")


def _read(
    handle: TextIO,
    source: str,
    column: str,
    candidates: Sequence[str] | None,
) -> tuple[dict[str, dict[Hashable, _Entry]], dict[str, None], tuple[int, int, int, int] | None]:
    reader = csv.reader(handle, strict=True)
    sections: dict[str, dict[Hashable, _Entry]] = {}
    order: dict[str, None] = {}
    last: tuple[int, int, int, int] | None = None
    try:
        header: list[str] = []
        for header in reader:
            if any(cell.strip() for cell in header):
                break
        if not any(cell.strip() for cell in header):
            raise BallotFormatError(
                f"the file is empty; expected a header '{column},count,rank1,…'", path=source
            )
        header_line = reader.line_num
        lowered = [cell.strip().lower() for cell in header]
        if column.strip().lower() not in lowered:
            raise BallotFormatError(
                f"no {column!r} column in the header (got {','.join(header)!r})",
                path=source,
                line=header_line,
            )
        at = lowered.index(column.strip().lower())
        has_count, width = _parse_header(header[:at] + header[at + 1 :], source, header_line)
        row_width = width + has_count
        number = 0
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            number += 1
            line = reader.line_num
            last = (len(row), row_width + 1, line, number)
            section = row[at].strip() if len(row) > at else ""
            if not section:
                raise BallotFormatError(
                    f"no section in the {column!r} column",
                    path=source,
                    line=line,
                    where=f"ballot {number}",
                )
            cells = row[:at] + row[at + 1 :]
            if len(cells) > row_width and any(cell.strip() for cell in cells[row_width:]):
                raise BallotFormatError(
                    f"{len(row)} cells but the header has {row_width + 1}",
                    path=source,
                    line=line,
                    where=f"ballot {number}",
                )
            count = 1
            if has_count:
                text = cells[0].strip() if cells else ""
                read = whole_number(text)
                if read is None or read < 1:
                    raise BallotFormatError(
                        f"count must be a whole number from 1 to {MAX_COUNT:,} (got {shown(text)})",
                        path=source,
                        line=line,
                        where=f"ballot {number}",
                    )
                count = read
                cells = cells[1:]
            key = tuple(cells[:width])
            keys = sections.setdefault(section, {})
            entry = keys.get(key)
            if entry is not None:
                entry[2] += count
                continue
            keys[key] = [line, number, count]
            if candidates is None:
                for cell in key:
                    for name in cell.split(EQUAL):
                        name = name.strip()
                        if name and name != OVERVOTE_CELL:
                            order.setdefault(name, None)
    except csv.Error as error:
        raise BallotFormatError(
            f"not valid CSV ({error})", path=source, line=reader.line_num
        ) from None
    return sections, order, last


def _build(builder: ProfileBuilder) -> Profile:
    ranks: dict[str, frozenset[CandidateId]] = {}

    def to_ranking(key: Hashable, origin: Origin) -> Ranking:
        assert isinstance(key, tuple)
        out = []
        for cell in key:
            rank = ranks.get(cell)
            if rank is None:
                rank = ranks[cell] = _cell(cell, builder, origin)
            out.append(rank)
        return strip_trailing_skips(out)

    return builder.build(to_ranking)


def iter_sectioned_csv(
    sections: SectionedProfile, *, column: str = "section", batch: int = 1000
) -> Iterator[str]:
    """The ballots of every section as CSV with a ``column`` naming each row's section, in
    pieces of at most ``batch`` rows: each section's ballots in turn, in its profile's order,
    one row a ballot with its count. :func:`read_sectioned_csv` reads it back.

    Raises:
        InputError: a candidate name that cannot be written (as
            :func:`~mandate.ballots.formats.csv.write_csv`), or a column named like the
            others (``count``, ``rankN``) or blank; at once, before any text is produced.
    """
    name = column.strip()
    if not name or name.lower() == "count" or name.lower().startswith("rank"):
        raise InputError(f"a section column cannot be named {column!r}")
    check_writable(sections.sections[0][1])
    return _sectioned_text(sections, name, max(1, batch))


def _sectioned_text(sections: SectionedProfile, column: str, batch: int) -> Iterator[str]:
    width = max((len(b.ranking) for _, p in sections for b in p.ballots), default=0) or 1
    cells = ranking_cells(sections.sections[0][1])
    return csv_pieces(
        [column, "count", *(f"rank{i}" for i in range(1, width + 1))],
        (
            [section, str(ballot.count), *cells(ballot.ranking, width)]
            for section, profile in sections
            for ballot in profile.ballots
        ),
        batch,
    )
