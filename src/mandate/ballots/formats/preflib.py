"""PrefLib ordinal data (``.soi``, ``.soc``, ``.toi``, ``.toc``), the 2022 format of preflib.org.

Header lines start with ``#``: ``# ALTERNATIVE NAME i: name`` declares candidate ``i``;
``# NUMBER VOTERS`` and ``# NUMBER UNIQUE ORDERS`` let the reader notice a file cut short;
``# DATA TYPE`` says whether ties may appear (``toi``/``toc``). Each data line is
``count: a,b,{c,d}`` (candidates in braces are ranked equal). Reference: Mattei and Walsh,
"PrefLib: A Library for Preferences", https://preflib.github.io/PrefLib-Jekyll/format.

>>> from mandate.ballots.formats.preflib import parse_preflib
>>> text = ["# DATA TYPE: toi", "# ALTERNATIVE NAME 1: Ann", "# ALTERNATIVE NAME 2: Bob",
...         "# ALTERNATIVE NAME 3: Cy", "4: 1,{2,3}", "1: 3"]
>>> profile = parse_preflib(text, source="x.toi")
>>> profile.total, sorted(profile.ballots[0].ranking[1])
(5, ['Bob', 'Cy'])
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path

from mandate.ballots.formats._builder import (
    MAX_COUNT,
    Origin,
    ProfileBuilder,
    read_text,
    shown,
    whole_number,
)
from mandate.ballots.model import UNRECORDED_OVERVOTE, Profile, Ranking
from mandate.errors import BallotFormatError, InputError
from mandate.ids import CandidateId

__all__ = ["PREFLIB_SUFFIXES", "parse_preflib", "read_preflib", "write_preflib"]

PREFLIB_SUFFIXES = (".soi", ".soc", ".toi", ".toc")
"""File name endings of PrefLib's ordinal data types."""

_ALTERNATIVE = re.compile(r"#\s*ALTERNATIVE NAME\s+([0-9]+)\s*:\s?(.*)$")
_META = re.compile(r"#\s*([A-Z][A-Z ]*[A-Z])\s*:\s?(.*)$")
_DATA = re.compile(r"\s*([0-9]+)\s*:(.*)$")
_TOKEN = re.compile(r"\s*(\{[^{}]*\}|[^,{}]+)\s*(?:,|$)")


def read_preflib(
    path: Path,
    *,
    candidates: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Profile:
    """Read a PrefLib ordinal file, streaming it line by line.

    ``progress``, if given, is called now and then with the bytes read so far.

    Raises:
        BallotFormatError: a malformed line, an unknown alternative number, ties in a strict
            order file, or fewer voters than the header declares (file, line, ballot).
        UnknownCandidateError: with ``candidates`` given, a ballot naming anyone else.
    """
    return read_text(
        path,
        lambda handle, report: parse_preflib(
            handle, source=str(path), candidates=candidates, progress=report
        ),
        progress=progress,
    )


def parse_preflib(
    lines: Iterable[str],
    *,
    source: str,
    candidates: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Profile:
    """Parse the lines of a PrefLib ordinal file.

    ``progress``, if given, is called now and then with the number of lines read.

    Raises:
        BallotFormatError: see :func:`read_preflib`.
        UnknownCandidateError: with ``candidates`` given, a ballot naming anyone else.
    """
    alternatives: dict[int, str] = {}
    meta: dict[str, str] = {}
    counts: dict[str, int] = {}
    origins: dict[str, tuple[int, int]] = {}
    ballots = 0
    number = 0
    for number, raw in enumerate(lines, start=1):
        if progress is not None and number % 65536 == 0:
            progress(number)
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if ballots:
                raise BallotFormatError("a header line after the ballots", path=source, line=number)
            alternative = _ALTERNATIVE.match(line)
            if alternative:
                index, name = whole_number(alternative[1]), alternative[2].strip()
                if index is None:
                    raise BallotFormatError(
                        f"alternative number {shown(alternative[1])} is too large",
                        path=source,
                        line=number,
                    )
                if index in alternatives or not name:
                    raise BallotFormatError(
                        f"alternative {index} declared twice or without a name",
                        path=source,
                        line=number,
                    )
                alternatives[index] = name
            elif (found := _META.match(line)) is not None:
                if found[1] in meta and meta[found[1]] != found[2].strip():
                    raise BallotFormatError(
                        f"# {found[1]} is given twice, differently ({shown(meta[found[1]])}, "
                        f"then {shown(found[2].strip())}): readers would disagree on the file",
                        path=source,
                        line=number,
                    )
                meta[found[1]] = found[2].strip()
            continue
        data = _DATA.match(line)
        ballots += 1
        if data is None:
            raise BallotFormatError(
                f"expected 'count: a,b,{{c,d}}' (got {line!r})",
                path=source,
                line=number,
                where=f"ballot {ballots}",
            )
        count = whole_number(data[1])
        if count is None or count < 1:
            raise BallotFormatError(
                f"count must be a whole number from 1 to {MAX_COUNT:,} (got {shown(data[1])})",
                path=source,
                line=number,
                where=f"ballot {ballots}",
            )
        key = data[2].strip()
        if key in counts:
            counts[key] += count
        else:
            counts[key] = count
            origins[key] = (number, ballots)

    if progress is not None:
        progress(number)
    _check_totals(meta, counts, ballots, source, number)
    declared_alternatives = meta.get("NUMBER ALTERNATIVES")
    if declared_alternatives is not None and whole_number(declared_alternatives) != len(
        alternatives
    ):
        raise BallotFormatError(
            f"the header declares {shown(declared_alternatives)} alternatives but names "
            f"{len(alternatives)}",
            path=source,
        )
    strict = meta.get("DATA TYPE", "toi").lower() in {"soi", "soc"}
    declared = [alternatives[i] for i in sorted(alternatives)]
    builder = ProfileBuilder(source=source, declared=declared, candidates=candidates)
    for key, count in counts.items():
        line_number, _ = origins[key]
        builder.add(key, count, line=line_number)

    def to_ranking(key: Hashable, origin: Origin) -> Ranking:
        assert isinstance(key, str)
        return _ranking(key, origin, builder, alternatives, strict=strict)

    return builder.build(to_ranking, title=meta.get("TITLE") or None)


def _check_totals(
    meta: dict[str, str], counts: dict[str, int], ballots: int, source: str, line: int
) -> None:
    voters = sum(counts.values())
    for key, found in (("NUMBER VOTERS", voters), ("NUMBER UNIQUE ORDERS", ballots)):
        declared = meta.get(key)
        if declared is None:
            continue
        number = whole_number(declared)
        if number is None:
            raise BallotFormatError(
                f"# {key} must be a whole number (got {shown(declared)})", path=source
            )
        if number != found:
            hint = ": was it cut off?" if found < number else ""
            raise BallotFormatError(
                f"the header declares {key.lower()} {declared} but the file has {found}{hint}",
                path=source,
                line=line,
            )


def _ranking(
    text: str,
    origin: Origin,
    builder: ProfileBuilder,
    alternatives: dict[int, str],
    *,
    strict: bool,
) -> Ranking:
    if not text:
        return ()
    ranks: list[frozenset[CandidateId]] = []
    position = 0
    while position < len(text):
        token = _TOKEN.match(text, position)
        if token is None or token.end() == position:
            raise builder.error(f"cannot read the ranking {text!r}", origin)
        position = token.end()
        item = token[1].strip()
        if item.startswith("{"):
            if strict:
                raise builder.error(
                    f"equal ranks {item} in a strict-order file (DATA TYPE soi/soc)", origin
                )
            parts = [p.strip() for p in item[1:-1].split(",")]
        else:
            parts = [item]
        ranks.append(frozenset(_alternative(p, origin, builder, alternatives) for p in parts))
    if text.rstrip().endswith(","):
        raise builder.error(f"the ranking {text!r} ends with a comma: was it cut off?", origin)
    return tuple(ranks)


def _alternative(
    part: str, origin: Origin, builder: ProfileBuilder, alternatives: dict[int, str]
) -> CandidateId:
    number = whole_number(part)
    if number is None or number not in alternatives:
        known = f"1–{max(alternatives)}" if alternatives else "none declared"
        raise builder.error(f"unknown alternative {shown(part)} (declared: {known})", origin)
    return builder.name(alternatives[number], origin)


def write_preflib(profile: Profile, *, title: str | None = None) -> str:
    """Write a profile as a PrefLib ``toi`` file (``soi`` when no rank holds two candidates).

    Skipped ranks are closed up (PrefLib has no way to say a rank was left blank) and blank
    ballots are left out, as PrefLib does.

    Raises:
        InputError: a ballot with an unrecorded overvote, which PrefLib cannot express.
    """
    index = {c.id: i for i, c in enumerate(profile.candidates, start=1)}
    ties = False
    rows: dict[str, int] = {}
    for ballot in profile.ballots:
        parts = []
        for rank in ballot.ranking:
            if UNRECORDED_OVERVOTE in rank:
                raise InputError("PrefLib cannot express an unrecorded overvote ('#overvote')")
            if not rank:
                continue
            numbers = sorted(index[c] for c in rank)
            if len(numbers) > 1:
                ties = True
                parts.append("{" + ",".join(map(str, numbers)) + "}")
            else:
                parts.append(str(numbers[0]))
        if parts:
            row = ",".join(parts)
            rows[row] = rows.get(row, 0) + ballot.count
    kind = "toi" if ties else "soi"
    lines = [
        f"# TITLE: {title or profile.title or ''}".rstrip(),
        f"# DATA TYPE: {kind}",
        f"# NUMBER ALTERNATIVES: {len(profile.candidates)}",
        f"# NUMBER VOTERS: {sum(rows.values())}",
        f"# NUMBER UNIQUE ORDERS: {len(rows)}",
    ]
    lines += [
        f"# ALTERNATIVE NAME {i}: {c.name}" for i, c in enumerate(profile.candidates, start=1)
    ]
    lines += [f"{count}: {row}" for row, count in sorted(rows.items(), key=lambda item: -item[1])]
    return "\n".join(lines) + "\n"
