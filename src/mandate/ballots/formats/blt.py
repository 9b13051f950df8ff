"""BLT, the ballot format of STV counting programs (Hill, Wichmann & Woodall, 1987).

A BLT file reads, one item a line::

    4 2                  number of candidates, number of seats
    -3                   optional: withdrawn candidates, as negative numbers
    (b1) 3 1 2=4 0       a ballot: optional (id), weight, preferences, 0
    1 4 - 2 0            '=' joins candidates ranked equal; '-' is a skipped rank
    0                    end of the ballots
    "Ann Smith"          one quoted name a candidate, in number order
    ...
    "Title"              optional title of the contest

Text after ``#`` on a header or ballot line is a comment. The reader streams the file and
merges identical ballots as it goes, so a file of millions of ballots holds only its distinct
rankings in memory. Every error names the file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from mandate.ballots.matrix import RankMatrix, check_total
from mandate.ballots.model import UNRECORDED_OVERVOTE, Ballot, Candidate, Profile, Ranking
from mandate.errors import BallotFormatError, InputError
from mandate.ids import CandidateId

__all__ = ["parse_blt", "read_blt", "write_blt"]


def read_blt(path: Path) -> Profile:
    """Read a BLT file into a de-duplicated profile.

    Args:
        path: the file (UTF-8; a byte-order mark is allowed).

    Returns:
        The profile, with seats, withdrawn candidates and title from the file; candidates
        take their names as ids.

    Raises:
        BallotFormatError: the file is not valid BLT (names the file and line).
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return parse_blt(handle, source=str(path))
    except UnicodeDecodeError as error:
        raise BallotFormatError(f"not UTF-8 text ({error.reason})", path=str(path)) from error
    except OSError as error:
        raise BallotFormatError(
            f"cannot read the file ({error.strerror})", path=str(path)
        ) from error


class _Lines:
    """Numbered, comment-aware lines of a BLT source."""

    def __init__(self, text_lines: Iterable[str], source: str) -> None:
        self._lines: Iterator[str] = iter(text_lines)
        self.source = source
        self.number = 0
        self.last_had_newline = True

    def next_raw(self) -> str | None:
        """The next line without its line ending, or ``None`` at the end of the file."""
        for line in self._lines:
            self.number += 1
            self.last_had_newline = line.endswith(("\n", "\r"))
            return line.rstrip("\r\n")
        return None

    def next_data(self) -> str | None:
        """The next non-blank line with any ``#`` comment removed."""
        while (raw := self.next_raw()) is not None:
            text = raw.split("#", 1)[0].strip()
            if text:
                return text
        return None

    def error(self, detail: str, *, line: int | None = None) -> BallotFormatError:
        """An error at the current (or given) line of this source."""
        return BallotFormatError(
            detail, path=self.source, line=self.number if line is None else line
        )


def _integer(token: str, lines: _Lines, what: str) -> int:
    try:
        return int(token)
    except ValueError:
        raise lines.error(f"{what} must be a whole number (got {token!r})") from None


def _header(lines: _Lines) -> tuple[int, int]:
    text = lines.next_data()
    if text is None:
        raise lines.error("empty file: expected a header line 'candidates seats'")
    tokens = text.split()
    if len(tokens) != 2:
        raise lines.error(f"the header must be 'candidates seats' (got {text!r})")
    n_candidates = _integer(tokens[0], lines, "the number of candidates")
    seats = _integer(tokens[1], lines, "the number of seats")
    if n_candidates < 1:
        raise lines.error(f"the number of candidates must be at least 1 (got {n_candidates})")
    if seats < 1 or seats > n_candidates:
        raise lines.error(
            f"wrong count of seats: must be between 1 and the {n_candidates} candidates "
            f"(got {seats})"
        )
    return n_candidates, seats


def _candidate_number(token: str, lines: _Lines, n_candidates: int) -> int:
    number = _integer(token, lines, "a preference")
    if not 1 <= number <= n_candidates:
        raise lines.error(
            f"candidate number {number} is out of range: the header declares {n_candidates}"
        )
    return number


def _ballot(text: str, lines: _Lines, n_candidates: int) -> tuple[tuple[frozenset[int], ...], int]:
    """Parse one ballot line into ranks of candidate numbers and a weight."""
    if text.startswith("("):
        close = text.find(")")
        if close < 0:
            raise lines.error("a ballot id opened with '(' is not closed with ')'")
        text = text[close + 1 :].strip()
    tokens = text.split()
    if not tokens:
        raise lines.error("a ballot id with no ballot after it")
    if tokens[-1] != "0" or len(tokens) < 2:
        raise lines.error("the ballot does not end with 0 (is the file cut off mid-line?)")
    weight = _integer(tokens[0], lines, "a ballot's weight")
    if weight < 1:
        raise lines.error(f"a ballot's weight must be at least 1 (got {weight})")
    ranks: list[frozenset[int]] = []
    for token in tokens[1:-1]:
        if token == "-":
            ranks.append(frozenset())
            continue
        numbers = [_candidate_number(part, lines, n_candidates) for part in token.split("=")]
        ranks.append(frozenset(numbers))
    return tuple(ranks), weight


def _names(lines: _Lines, n_candidates: int) -> tuple[list[str], str | None]:
    """Read the quoted candidate names and the optional title after the ballots."""
    strings: list[tuple[str, int]] = []
    while (raw := lines.next_raw()) is not None:
        text = raw.strip()
        if not text:
            continue
        if not text.startswith('"'):
            strings.append((text, lines.number))  # an unquoted name: the whole line
            continue
        rest = text
        while rest:
            if not rest.startswith('"'):
                raise lines.error(f"expected a quoted name (got {rest!r})")
            close = rest.find('"', 1)
            if close < 0:
                raise lines.error("a name's opening quote is not closed (file cut off?)")
            strings.append((rest[1:close], lines.number))
            rest = rest[close + 1 :].strip()
    if len(strings) < n_candidates:
        raise lines.error(
            f"missing candidate names: the header declares {n_candidates} candidates "
            f"but the file names {len(strings)}"
        )
    if len(strings) > n_candidates + 1:
        extra_text, extra_line = strings[n_candidates + 1]
        raise lines.error(f"unexpected text after the title: {extra_text!r}", line=extra_line)
    names = [name.strip() for name, _ in strings[:n_candidates]]
    seen: dict[str, int] = {}
    for (_, line), clean in zip(strings[:n_candidates], names, strict=True):
        if not clean:
            raise lines.error("a candidate's name is empty", line=line)
        if clean in seen:
            raise lines.error(
                f"candidate name {clean!r} is repeated (first on line {seen[clean]})", line=line
            )
        seen[clean] = line
    title = strings[n_candidates][0] if len(strings) > n_candidates else None
    return names, title


def parse_blt(text_lines: Iterable[str], *, source: str) -> Profile:
    """Parse BLT text, line by line, into a de-duplicated profile.

    Args:
        text_lines: the lines of the file (with or without line endings).
        source: the file name (or other label) that errors name.

    Returns:
        The profile; identical ballots are merged as they are read.

    Raises:
        BallotFormatError: a wrong count of seats, a candidate number out of range, a ballot
            line cut off before its closing 0, a missing end marker, missing names, ...

    >>> p = parse_blt(['2 1', '3 1 2 0', '1 2 0', '0', '"A"', '"B"', '"T"'], source="x")
    >>> p.seats, [b.count for b in p.ballots], p.title
    (1, [3, 1], 'T')
    """
    lines = _Lines(text_lines, source)
    n_candidates, seats = _header(lines)
    withdrawn_numbers: set[int] = set()
    counts: dict[tuple[frozenset[int], ...], int] = {}
    total = 0
    first = True
    while True:
        text = lines.next_data()
        if text is None:
            raise lines.error(
                "the file ends before the 0 that ends the ballots (is it cut off?)"
                if lines.last_had_newline
                else "the file ends mid-line, before the 0 that ends the ballots"
            )
        if text == "0":
            break
        if text.startswith('"'):
            raise lines.error("candidate names begin before the 0 line that ends the ballots")
        if first and text.startswith("-"):
            first = False
            for token in text.split():
                number = _integer(token, lines, "a withdrawn candidate")
                if number >= 0:
                    raise lines.error(
                        f"withdrawn candidates are written as negative numbers (got {token!r})"
                    )
                withdrawn_numbers.add(_candidate_number(str(-number), lines, n_candidates))
            continue
        first = False
        ranks, weight = _ballot(text, lines, n_candidates)
        total += weight
        too_many = check_total(total)
        if too_many is not None:
            raise lines.error(f"{too_many} (this line's weight: {weight:,})")
        counts[ranks] = counts.get(ranks, 0) + weight
    names, title = _names(lines, n_candidates)
    ids = [CandidateId(name) for name in names]

    named: dict[frozenset[int], frozenset[CandidateId]] = {}

    def ranking(ranks: tuple[frozenset[int], ...]) -> Ranking:
        # Equal ranks become one shared object, which the matrix encodes once.
        return tuple(
            named.get(rank) or named.setdefault(rank, frozenset(ids[n - 1] for n in rank))
            for rank in ranks
        )

    rankings = list(map(ranking, counts))
    weights = list(counts.values())
    return Profile.of_matrix(
        RankMatrix.encode(ids, rankings, weights),
        candidates=tuple(Candidate(id=i, name=name) for i, name in zip(ids, names, strict=True)),
        ballots=tuple(Ballot(ranking=r, count=c) for r, c in zip(rankings, weights, strict=True)),
        seats=seats,
        withdrawn=frozenset(ids[n - 1] for n in withdrawn_numbers),
        title=title,
    )


def write_blt(profile: Profile) -> str:
    """Write a profile as BLT text (the inverse of :func:`parse_blt`).

    Equal rankings are written with ``=``, skipped ranks as ``-``. A profile without a number
    of seats is written with one seat; one without a title is written without a title line.

    Raises:
        InputError: a ballot holds an unrecorded overvote, or a name holds a double quote,
            neither of which BLT can express.

    >>> p = parse_blt(['2 1', '3 1 2=1 0', '0', '"A"', '"B"'], source="x")
    >>> write_blt(p).splitlines()
    ['2 1', '3 1 1=2 0', '0', '"A"', '"B"']
    """
    number = {c.id: index for index, c in enumerate(profile.candidates, start=1)}
    out = [f"{len(profile.candidates)} {profile.seats or 1}"]
    if profile.withdrawn:
        out.append(" ".join(f"-{n}" for n in sorted(number[c] for c in profile.withdrawn)))
    for index, ballot in enumerate(profile.ballots, start=1):
        parts = [str(ballot.count)]
        for rank in ballot.ranking:
            if UNRECORDED_OVERVOTE in rank:
                raise InputError(f"ballot {index}: an unrecorded overvote cannot be written as BLT")
            parts.append("=".join(str(n) for n in sorted(number[c] for c in rank)) or "-")
        parts.append("0")
        out.append(" ".join(parts))
    out.append("0")
    title = [] if profile.title is None else [profile.title]
    for text in [c.name for c in profile.candidates] + title:
        if '"' in text:
            raise InputError(f"BLT cannot hold a double quote in a name or title (got {text!r})")
        out.append(f'"{text}"')
    return "\n".join(out) + "\n"
