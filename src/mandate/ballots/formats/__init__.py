"""Ballot files: BLT, PrefLib, NIST SP 1500-103 CDF (JSON) and mandate CSV, auto-detected.

:func:`read_ballots` reads any of them into a :class:`~mandate.ballots.model.Profile` with
identical ballots merged. See docs/ballot-formats.md for each format.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path

from mandate.ballots.formats._builder import BallotLimit
from mandate.ballots.model import Profile
from mandate.errors import BallotFormatError, UnknownCandidateError

__all__ = ["BallotFormat", "detect_format", "read_ballots"]


class BallotFormat(Enum):
    """A ballot file format; ``AUTO`` tells them apart by name, then by content."""

    AUTO = "auto"
    BLT = "blt"
    PREFLIB = "preflib"
    CDF = "cdf"
    CSV = "csv"


_SUFFIXES = {
    ".blt": BallotFormat.BLT,
    ".soi": BallotFormat.PREFLIB,
    ".soc": BallotFormat.PREFLIB,
    ".toi": BallotFormat.PREFLIB,
    ".toc": BallotFormat.PREFLIB,
    ".json": BallotFormat.CDF,
    ".csv": BallotFormat.CSV,
}
_BLT_HEADER = re.compile(r"^\s*\d+\s+\d+\s*$")
_PREFLIB_HEADER = re.compile(r"^#\s*(ALTERNATIVE NAME|DATA TYPE|NUMBER ALTERNATIVES|FILE NAME)")
_CSV_HEADER = re.compile(r"^\ufeff?\s*\"?(count|rank1)\"?\s*(,|$)", re.IGNORECASE)


def detect_format(path: Path) -> BallotFormat:
    """Tell a ballot file's format from its name ending, else from its first lines.

    Raises:
        BallotFormatError: the file cannot be read or its format cannot be told.
    """
    by_name = _SUFFIXES.get(path.suffix.lower())
    if by_name is not None:
        return by_name
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            head = [line for _, line in zip(range(50), handle, strict=False)]
    except OSError as error:
        raise BallotFormatError(
            f"cannot read the file ({error.strerror})", path=str(path)
        ) from None
    lines = [line.strip() for line in head if line.strip()]
    if not lines:
        raise BallotFormatError("the file is empty", path=str(path))
    first = lines[0]
    if first.startswith(("{", "[")):
        return BallotFormat.CDF
    if any(_PREFLIB_HEADER.match(line) for line in lines):
        return BallotFormat.PREFLIB
    if _CSV_HEADER.match(first):
        return BallotFormat.CSV
    if _BLT_HEADER.match(first):
        return BallotFormat.BLT
    raise BallotFormatError(
        "cannot tell the ballot format from the name or the first lines; "
        "give it (blt, preflib, cdf or csv)",
        path=str(path),
        line=1,
    )


def read_ballots(
    path: Path,
    *,
    format: BallotFormat = BallotFormat.AUTO,
    candidates: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
    limit: BallotLimit | None = None,
) -> Profile:
    """Read a ballot file, merging identical ballots.

    Args:
        path: the file.
        format: its format, or ``AUTO`` to detect it.
        candidates: the candidates in ballot-paper order; when given, they set the declared
            order and a ballot naming anyone else is an error.
        progress: called now and then with the bytes read so far (CSV, PrefLib and CDF), for
            a progress bar.
        limit: the most ballots the file may hold (a paper batch: its class's electorate),
            checked against the counts as they are read; only a CSV file takes a limit.

    Raises:
        BallotFormatError: the file cannot be read (names the file, line and ballot).
        UnknownCandidateError: a ballot names someone not in ``candidates`` (or not declared
            by the file).

    >>> from pathlib import Path; import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "b.csv").write_text("count,rank1,rank2\\n2,Ann,Bob\\n1,Bob,Ann\\n")
    >>> read_ballots(folder / "b.csv").total
    3
    """
    if not path.is_file():
        raise BallotFormatError("no such file", path=str(path))
    chosen = detect_format(path) if format is BallotFormat.AUTO else format
    if limit is not None and chosen is not BallotFormat.CSV:
        raise BallotFormatError(
            f"a limit on the number of ballots applies to a CSV file (got {chosen.value})",
            path=str(path),
        )
    if chosen is BallotFormat.CSV:
        from mandate.ballots.formats.csv import read_csv

        return read_csv(path, candidates=candidates, progress=progress, limit=limit)
    if chosen is BallotFormat.PREFLIB:
        from mandate.ballots.formats.preflib import read_preflib

        return read_preflib(path, candidates=candidates, progress=progress)
    if chosen is BallotFormat.CDF:
        from mandate.ballots.formats.cdf import read_cdf

        return read_cdf(path, candidates=candidates, progress=progress)
    return _read_blt(path, candidates)


def _read_blt(path: Path, candidates: Sequence[str] | None) -> Profile:
    from mandate.ballots.formats.blt import read_blt

    profile = read_blt(path)
    if candidates is None:
        return profile
    return _with_candidates(profile, candidates, str(path))


def _with_candidates(profile: Profile, names: Sequence[str], source: str) -> Profile:
    """The profile with the officer's candidate list, in its order; others are errors."""
    from dataclasses import replace

    from mandate.ballots.model import Candidate
    from mandate.ids import CandidateId

    by_id = {c.id: c for c in profile.candidates}
    wanted = [CandidateId(n) for n in names]
    for number, ballot in enumerate(profile.ballots, start=1):
        for candidate in ballot.candidates():
            if candidate not in wanted:
                raise UnknownCandidateError(
                    candidate, known=tuple(names), where=f"{source}, ballot {number}"
                )
    return replace(
        profile,
        candidates=tuple(by_id.get(c) or Candidate(id=c, name=c) for c in wanted),
        withdrawn=profile.withdrawn & frozenset(wanted),
        tie_order=tuple(c for c in profile.tie_order if c in wanted),
    )
