"""Reading rolls (members, registered supporters, affiliated supporters) from CSV files.

A roll file is UTF-8 CSV with a header. Required columns: ``member_id``, ``voter_class`` (a voter
class id of the contest's rulebook) and ``joined`` (``YYYY-MM-DD``). Optional: ``name``,
``email``, ``in_arrears`` (``yes``/``no``, ``true``/``false``, ``1``/``0``; empty means no),
``birth_date`` and ``person_key`` (the de-duplication key that recognises one person on several
lists; by default the email address in lower case, else the member id).

Files are read row by row; the first bad row stops the import with its file and line, and
nothing is imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path

from mandate.errors import RollImportError
from mandate.ids import MemberId
from mandate.rules import RollEntry

__all__ = ["OPTIONAL_COLUMNS", "REQUIRED_COLUMNS", "collector_paused", "read_roll"]

REQUIRED_COLUMNS = ("member_id", "voter_class", "joined")
OPTIONAL_COLUMNS = ("name", "email", "in_arrears", "birth_date", "person_key")
_TRUE = {"yes", "true", "1", "y"}
_FALSE = {"no", "false", "0", "n", ""}


def _date(text: str, column: str, path: str, line: int) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise RollImportError(
            f"column {column!r}: expected a date YYYY-MM-DD (got {text!r})", path=path, line=line
        ) from None


_LIMITS = (("member_id", 100), ("name", 300), ("email", 300))
"""The longest value of each column the store keeps, in characters."""


def _too_long(*values: str) -> str:
    """Which column's value is longer than the store keeps."""
    column, limit, value = next(
        (column, limit, value)
        for (column, limit), value in zip(_LIMITS, values, strict=True)
        if len(value) > limit
    )
    return f"column {column!r} is {len(value)} characters long; the most is {limit}"


def read_roll(
    path: Path, *, voter_classes: Sequence[str], seen: dict[str, dict[str, int]] | None = None
) -> Iterator[RollEntry]:
    """Yield the entries of a roll file, checking every row.

    A roll of 800,000 entries is held whole while eligibility is decided, so an entry shares
    what it can: its voter class is the rulebook's string, its dates are shared with the other
    entries of the same day, and an email already in lower case is its own person key.

    Args:
        seen: member ids already read, file by file (file → member id → line), shared across
            the files of one roll: a member id must be unique across the whole roll.

    Raises:
        RollImportError: a missing column, an unknown voter class, a bad date or flag, an
            empty member id, or a member id listed twice in the roll (file and line).
    """
    if seen is None:
        seen = {}
    source = str(path)
    lines = seen.setdefault(source, {})
    classes = {c: c for c in voter_classes}
    dates: dict[str, dt.date] = {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            try:
                header = [h.strip().lower() for h in next(reader)]
            except StopIteration:
                raise RollImportError(
                    "the file is empty; expected a header with " + ", ".join(REQUIRED_COLUMNS),
                    path=source,
                    line=1,
                ) from None
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise RollImportError(
                    f"missing column{'' if len(missing) == 1 else 's'} {', '.join(missing)} "
                    "in the header "
                    f"(found: {', '.join(header)})",
                    path=source,
                    line=1,
                )
            width = len(header)
            # columns a file lacks read the empty string appended at position ``width``
            columns = itemgetter(
                *(
                    header.index(name) if name in header else width
                    for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
                )
            )
            for row in reader:
                line = reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) != width:
                    raise RollImportError(
                        f"expected {width} fields as in the header, found {len(row)}",
                        path=source,
                        line=line,
                    )
                row.append("")
                (
                    member_id,
                    voter_class,
                    joined,
                    name,
                    email,
                    arrears,
                    birth,
                    person_key,
                ) = (cell.strip() for cell in columns(row))
                if not member_id:
                    raise RollImportError("empty member_id", path=source, line=line)
                if len(member_id) > 100 or len(name) > 300 or len(email) > 300:
                    raise RollImportError(_too_long(member_id, name, email), path=source, line=line)
                for earlier, first_lines in seen.items():  # a roll has a few files
                    first = first_lines.get(member_id)
                    if first is not None:
                        raise RollImportError(
                            f"member_id {member_id!r} appears twice in the roll (first at "
                            f"{Path(earlier).name} line {first}); give each list its own "
                            "prefix if they overlap",
                            path=source,
                            line=line,
                        )
                lines[member_id] = line
                known_class = classes.get(voter_class)
                if known_class is None:
                    raise RollImportError(
                        f"unknown voter class {voter_class!r} (the rulebook has: "
                        f"{', '.join(voter_classes)})",
                        path=source,
                        line=line,
                    )
                arrears = arrears.lower()
                if arrears not in _TRUE and arrears not in _FALSE:
                    raise RollImportError(
                        f"column 'in_arrears': expected yes or no (got {arrears!r})",
                        path=source,
                        line=line,
                    )
                if not person_key:
                    lowered = email.lower()
                    person_key = (email if lowered == email else lowered) or member_id
                day = dates.get(joined)
                if day is None:
                    day = dates[joined] = _date(joined, "joined", source, line)
                born = dates.get(birth) if birth else None
                if birth and born is None:
                    born = dates[birth] = _date(birth, "birth_date", source, line)
                yield RollEntry(
                    person_key=person_key,
                    member_id=MemberId(member_id),
                    voter_class=known_class,
                    joined=day,
                    in_arrears=arrears in _TRUE,
                    birth_date=born,
                    name=name,
                    email=email,
                )
    except UnicodeDecodeError as error:
        raise RollImportError(f"not UTF-8 text ({error.reason})", path=source) from None
    except csv.Error as error:
        raise RollImportError(f"not valid CSV ({error})", path=source) from None
    except OSError as error:
        raise RollImportError(f"cannot read the file ({error.strerror})", path=source) from None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one pass over a large roll, then restore it.

    Deciding eligibility allocates one small acyclic object an entry; with the collector
    running, each of its full collections re-walks the whole roll, which doubles the time of
    a roll of 654,000 entries. Nothing in that pass can form a cycle. The collector is
    process-wide state, so the shell pauses it around its call; the pure core never does.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
