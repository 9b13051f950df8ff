"""BLT, the ballot format of STV counting programs (Hill, Wichmann & Woodall, 1987).

A BLT file reads, one item a line::

    4 2                  number of candidates, number of seats
    -3                   optional: withdrawn candidates, as negative numbers
    [nick a b c d]       optional options, as Droop writes them (below)
    (b1) 3 1 2=4 0       a ballot: optional (id), weight, preferences, 0
    1 4 - 2 0            '=' joins candidates ranked equal; '-' is a skipped rank
    0                    end of the ballots
    "Ann Smith"          one quoted name a candidate, in number order
    ...
    "Title"              optional title of the contest
    "Source" ...         optional: any text after the title is kept as the profile's note

Between the header and the first ballot, lines of negative numbers withdraw candidates, and
Droop's options (Jonathan Lundell's STV package) are read, each in square brackets and
naming candidates by number or nickname:

- ``[nick a b c d]``: a nickname for every candidate, in number order; ballot lines and
  later options may then name candidates by nickname (``5 a b=c 0``).
- ``[withdrawn 2 4]``: withdraws those candidates (as ``-2 -4`` does).
- ``[tie 3 1 2 4]``: every candidate once, an order for ties the rules leave to lot: of the
  tied, the one earliest in it is chosen (Droop's meaning), kept as the profile's tie order.
- ``[undeclared 4]``: those candidates stand for undeclared write-ins.
- ``[droop …]``: Droop's own counting options; read and reported, not applied.

What was read besides the ballots is told in the profile's ``remarks``, one line each. Text
after ``#`` on a header, option or ballot line is a comment. The reader streams the file and
merges identical ballots as it goes, so a file of millions of ballots holds only its distinct
rankings in memory. Every error names the file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mandate.ballots.formats._builder import MAX_COUNT, shown, whole_number
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
    """A whole number (``-`` allowed in front) of at most 19 digits, read with 0-9 only."""
    value = whole_number(token[1:] if token.startswith("-") else token)
    if value is None:
        raise lines.error(f"{what} must be a whole number up to {MAX_COUNT:,} (got {shown(token)})")
    return -value if token.startswith("-") else value


_OPTIONS = ("nick", "tie", "withdrawn", "undeclared", "droop")
"""Droop's BLT options, each written ``[name item …]`` before the first ballot."""


@dataclass(slots=True)
class _Options:
    """What the lines before the first ballot said: withdrawn candidates, nicknames, the tie
    order, undeclared write-ins and Droop's own options, each with the line it was on."""

    n_candidates: int
    withdrawn: dict[int, int] = field(default_factory=dict)  # number -> line
    nicknames: dict[str, int] = field(default_factory=dict)  # nickname -> number
    nick_line: int | None = None
    tie: tuple[int, ...] = ()
    tie_line: int | None = None
    undeclared: dict[int, int] = field(default_factory=dict)  # number -> line
    droop: list[tuple[str, int]] = field(default_factory=list)  # (text, line)

    def candidate(self, token: str, lines: _Lines, what: str) -> int:
        """A candidate named by number or, after ``[nick]``, by nickname."""
        if token in self.nicknames:
            return self.nicknames[token]
        if token.isascii() and token.isdigit():
            return _candidate_number(token, lines, self.n_candidates)
        known = f" (nicknames: {', '.join(self.nicknames)})" if self.nicknames else ""
        raise lines.error(
            f"{what} must be a candidate's number from 1 to {self.n_candidates}"
            f"{' or nickname' if self.nicknames else ''} (got {shown(token)}){known}"
        )

    def read(self, text: str, lines: _Lines) -> None:
        """Read one option, ``[name item …]``, which may go on over further lines."""
        line = lines.number
        body = text[1:]
        while "]" not in body:
            more = lines.next_data()
            if more is None:
                raise lines.error(f"the option opened on line {line} is never closed with ']'")
            body += " " + more
        inside, _, after = body.partition("]")
        if after.strip():
            raise lines.error(
                f"text after the option's closing ']' (got {shown(after.strip())}): "
                "write each option and each ballot on a line of its own"
            )
        if not inside.split():
            raise lines.error("an empty option '[]': expected e.g. [tie 3 1 2]", line=line)
        name, *items = inside.split()
        if name not in _OPTIONS:
            raise lines.error(
                f"unknown BLT option [{shown(name, 20)[1:-1]}] (mandate reads "
                + ", ".join(f"[{o}]" for o in _OPTIONS)
                + ")",
                line=line,
            )
        if name == "nick":
            self._nick(items, lines, line)
        elif name == "tie":
            self._tie(items, lines, line)
        elif name in ("withdrawn", "undeclared"):
            chosen = self.withdrawn if name == "withdrawn" else self.undeclared
            for item in items:
                number = self.candidate(item, lines, f"[{name}] item")
                if number in chosen:
                    raise lines.error(f"[{name}] names candidate {item!r} twice", line=line)
                chosen[number] = line
        else:
            self.droop.append((" ".join(items), line))

    def _nick(self, items: list[str], lines: _Lines, line: int) -> None:
        if self.nicknames:
            raise lines.error(f"a second [nick] option (the first is on line {self.nick_line})")
        if len(items) != self.n_candidates:
            raise lines.error(
                f"[nick] must give a nickname to each of the {self.n_candidates} candidates "
                f"(got {len(items)})",
                line=line,
            )
        for number, nick in enumerate(items, start=1):
            if nick.isdigit() or "=" in nick or nick == "-":
                raise lines.error(
                    f"nickname {shown(nick)} cannot be read on a ballot line: a nickname is "
                    "not a number, '-', nor holds '='",
                    line=line,
                )
            if nick in self.nicknames:
                raise lines.error(f"nickname {nick!r} is given twice", line=line)
            self.nicknames[nick] = number
        self.nick_line = line

    def _tie(self, items: list[str], lines: _Lines, line: int) -> None:
        if self.tie_line is not None:
            raise lines.error(f"a second [tie] option (the first is on line {self.tie_line})")
        order = tuple(self.candidate(item, lines, "[tie] item") for item in items)
        if len(set(order)) != len(order) or len(order) != self.n_candidates:
            raise lines.error(
                f"[tie] must list each of the {self.n_candidates} candidates exactly once "
                f"(got {len(order)} items, {len(set(order))} different)",
                line=line,
            )
        self.tie, self.tie_line = order, line


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
        if number > MAX_COUNT // 2:
            raise lines.error(f"candidate number {shown(token)} is out of range")
        raise lines.error(
            f"candidate number {number} is out of range: the header declares {n_candidates}"
        )
    return number


def _ballot(text: str, lines: _Lines, options: _Options) -> tuple[tuple[frozenset[int], ...], int]:
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
        numbers = [options.candidate(part, lines, "a preference") for part in token.split("=")]
        ranks.append(frozenset(numbers))
    return tuple(ranks), weight


@dataclass(slots=True)
class _Tail:
    """The candidates' names, the title, and any text after the title (kept as a note)."""

    names: list[str]
    title: str | None
    note: str | None
    note_lines: tuple[int, int] | None


def _names(lines: _Lines, n_candidates: int) -> _Tail:
    """Read the quoted candidate names, the optional title and the text after it."""
    strings: list[tuple[str, int]] = []
    after: list[tuple[str, int]] = []  # text after the title, as written
    while (raw := lines.next_raw()) is not None:
        text = raw.strip()
        if len(strings) > n_candidates:
            after.append((raw, lines.number))
            continue
        if not text:
            continue
        if not text.startswith('"'):
            strings.append((text, lines.number))  # an unquoted name: the whole line
            continue
        rest = text
        while rest:
            if len(strings) > n_candidates:
                after.append((rest, lines.number))  # more after the title on its line
                break
            if not rest.startswith('"'):
                raise lines.error(f"expected a quoted name (got {shown(rest)})")
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
    while after and not after[-1][0].strip():
        after.pop()
    while after and not after[0][0].strip():
        after.pop(0)
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
    if not after:
        return _Tail(names=names, title=title, note=None, note_lines=None)
    note = "\n".join(text.rstrip() for text, _ in after)
    return _Tail(names=names, title=title, note=note, note_lines=(after[0][1], after[-1][1]))


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
    options = _Options(n_candidates)
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
        if first and text.startswith("["):
            options.read(text, lines)
            continue
        if first and text.startswith("-"):
            for token in text.split():
                number = _integer(token, lines, "a withdrawn candidate")
                if number >= 0:
                    raise lines.error(
                        f"withdrawn candidates are written as negative numbers (got {token!r})"
                    )
                withdrawn = _candidate_number(str(-number), lines, n_candidates)
                options.withdrawn.setdefault(withdrawn, lines.number)
            continue
        if text.startswith("["):
            raise lines.error(
                f"an option after the first ballot (got {shown(text)}): options go between "
                "the header and the ballots"
            )
        first = False
        ranks, weight = _ballot(text, lines, options)
        total += weight
        too_many = check_total(total)
        if too_many is not None:
            raise lines.error(f"{too_many} (this line's weight: {weight:,})")
        counts[ranks] = counts.get(ranks, 0) + weight
    tail = _names(lines, n_candidates)
    names = tail.names
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
    undeclared = {ids[n - 1] for n in options.undeclared}
    return Profile.of_matrix(
        RankMatrix.encode(ids, rankings, weights),
        candidates=tuple(
            Candidate(id=i, name=name, write_in=i in undeclared)
            for i, name in zip(ids, names, strict=True)
        ),
        ballots=tuple(Ballot(ranking=r, count=c) for r, c in zip(rankings, weights, strict=True)),
        seats=seats,
        withdrawn=frozenset(ids[n - 1] for n in options.withdrawn),
        title=tail.title,
        tie_order=tuple(ids[n - 1] for n in options.tie),
        note=tail.note,
        remarks=_remarks(options, tail, names),
    )


def _remarks(options: _Options, tail: _Tail, names: list[str]) -> tuple[str, ...]:
    """What the file said besides its ballots, in words, one line each, in file order."""
    out: list[tuple[int, str]] = []

    def listed(numbers: Iterable[int]) -> str:
        return ", ".join(names[n - 1] for n in numbers)

    for line in sorted(set(options.withdrawn.values())):
        chosen = (n for n, at in options.withdrawn.items() if at == line)
        out.append((line, f"line {line}: withdrawn before the count: {listed(chosen)}"))
    if options.nick_line is not None:
        pairs = ", ".join(f"{nick} = {names[n - 1]}" for nick, n in options.nicknames.items())
        line = options.nick_line
        out.append((line, f"line {line}: [nick] nicknames used on the ballot lines: {pairs}"))
    if options.tie_line is not None:
        line = options.tie_line
        out.append(
            (
                line,
                f"line {line}: [tie] order for ties the rules leave to lot (STV), the earliest "
                f"of the tied chosen: {listed(options.tie)}",
            )
        )
    for line in sorted(set(options.undeclared.values())):
        chosen = (n for n, at in options.undeclared.items() if at == line)
        out.append(
            (line, f"line {line}: [undeclared] standing for undeclared write-ins: {listed(chosen)}")
        )
    for text, line in options.droop:
        out.append((line, f"line {line}: [droop {text}] Droop's own counting options, not applied"))
    if tail.note_lines is not None:
        first, last = tail.note_lines
        where = f"line {first}" if first == last else f"lines {first}-{last}"
        out.append((first, f"{where}: text after the title, kept as a note"))
    return tuple(text for _, text in sorted(out, key=lambda item: item[0]))


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
    if len(profile.tie_order) == len(profile.candidates):
        out.append("[tie " + " ".join(str(number[c]) for c in profile.tie_order) + "]")
    for index, ballot in enumerate(profile.ballots, start=1):
        parts = [str(ballot.count)]
        for rank in ballot.ranking:
            if UNRECORDED_OVERVOTE in rank:
                raise InputError(f"ballot {index}: an unrecorded overvote cannot be written as BLT")
            parts.append("=".join(str(n) for n in sorted(number[c] for c in rank)) or "-")
        parts.append("0")
        out.append(" ".join(parts))
    out.append("0")
    title = [] if profile.title is None and profile.note is None else [profile.title or ""]
    for text in [c.name for c in profile.candidates] + title:
        if '"' in text:
            raise InputError(f"BLT cannot hold a double quote in a name or title (got {text!r})")
        out.append(f'"{text}"')
    if profile.note is not None:
        out.append(profile.note)
    return "\n".join(out) + "\n"
