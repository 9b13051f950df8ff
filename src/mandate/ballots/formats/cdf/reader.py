"""Reading NIST SP 1500-103 Cast Vote Records Common Data Format (JSON) reports.

How a report's CVRs become ballots is described in :mod:`mandate.ballots.formats.cdf`.
:func:`read_cdf` and :func:`read_cdf_sections` stream a file's ``CVR`` list one record at a
time; :func:`parse_cdf` reads a report already parsed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from mandate.ballots.formats._builder import (
    Origin,
    ProfileBuilder,
    Progress,
    read_text,
    strip_trailing_skips,
)
from mandate.ballots.model import Profile, Ranking
from mandate.ballots.sections import SectionedProfile
from mandate.errors import BallotFormatError
from mandate.ids import CandidateId

__all__ = ["WRITE_IN", "parse_cdf", "read_cdf", "read_cdf_sections"]

WRITE_IN = "Write-in"
"""The candidate that write-in selections count for (an undeclared write-in bucket)."""

MAX_RANK = 1000
"""The highest ``Rank`` a selection may carry; a higher one is refused (no ballot paper has a
thousand rank columns, and ranks up to it are held as a list)."""

_MAX_DIGITS = 100
"""The most digits a JSON number may have (Python refuses over 4,300, slowly)."""

_NO = "no"


class _NotStandardJsonError(ValueError):
    """JSON that :func:`json.load` would read differently, or that is not JSON (RFC 8259)."""


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's pairs as a dict, refusing a key given twice (``json.load`` would keep only
    the last, so readers could disagree about what the report says)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _NotStandardJsonError(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def _constant(name: str) -> Any:
    raise _NotStandardJsonError(f"{name} is not a JSON value")


def _integer(text: str) -> int:
    if len(text) > _MAX_DIGITS:
        raise _NotStandardJsonError(f"a number of {len(text):,} digits (at most {_MAX_DIGITS})")
    return int(text)


def _decoder() -> json.JSONDecoder:
    """A strict decoder: repeated keys, NaN/Infinity and absurdly long numbers are refused."""
    return json.JSONDecoder(
        object_pairs_hook=_no_repeated_keys, parse_constant=_constant, parse_int=_integer
    )


def read_cdf(
    path: Path,
    *,
    candidates: Sequence[str] | None = None,
    contest: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Profile:
    """Read a CDF JSON cast-vote-record report, streaming its ``CVR`` list.

    Each CVR is decoded on its own and merged with identical ones at once, so a report far
    larger than memory as Python objects can be read.

    Args:
        path: the JSON file.
        candidates: with names given, a ballot naming anyone else is an error.
        contest: the contest's name or id when the report holds several.
        progress: called now and then with the bytes read so far.

    Raises:
        BallotFormatError: invalid JSON (with its line) or a report that does not follow the
            format (naming the CVR and its line).
        UnknownCandidateError: with ``candidates`` given, a ballot naming anyone else.
    """
    source = str(path)
    report = read_text(
        path, lambda handle, reported: _Stream(handle, source, reported).report(), progress=progress
    )
    return report.profile(candidates=candidates, contest=contest)


def read_cdf_sections(
    path: Path,
    *,
    candidates: Sequence[str] | None = None,
    contest: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> SectionedProfile:
    """Read a CDF JSON report's ballots by section: each CVR's ``BallotStyleId`` names it.

    Sections come in order of first appearance, each with the report's candidates (or the
    ``candidates`` given) in the same order; streamed as :func:`read_cdf` reads.

    Raises:
        BallotFormatError: as :func:`read_cdf`; a CVR without a ``BallotStyleId`` (naming the
            CVR and its line); no CVR at all.
        UnknownCandidateError: with ``candidates`` given, a ballot naming anyone else.

    >>> import tempfile
    >>> from mandate.ballots.formats.cdf import iter_cdf
    >>> from mandate.ballots.formats.csv import parse_csv
    >>> profile = parse_csv(["count,rank1", "2,Ann", "1,Bob"], source="x.csv")
    >>> path = Path(tempfile.mkdtemp()) / "cvr.json"
    >>> _ = path.write_text("".join(iter_cdf(profile, contest_name="Leader",
    ...                                      ballot_styles=["mps", "members", "mps"])))
    >>> sections = read_cdf_sections(path)
    >>> sections.names, [p.total for _, p in sections]
    (('mps', 'members'), [2, 1])
    """
    source = str(path)
    report = read_text(
        path,
        lambda handle, reported: _Stream(handle, source, reported, by_style=True).report(),
        progress=progress,
    )
    styles = report.styles()
    if not styles:
        raise BallotFormatError("the report holds no CVR", path=source)
    return SectionedProfile.of(
        {
            style: report.profile(candidates=candidates, contest=contest, style=style)
            for style in styles
        }
    )


def parse_cdf(
    data: Mapping[str, Any],
    *,
    source: str,
    candidates: Sequence[str] | None = None,
    contest: str | None = None,
) -> Profile:
    """Read the ballots of one contest from a parsed CDF JSON report.

    Raises:
        BallotFormatError: a report that does not follow the format (naming the CVR).
        UnknownCandidateError: with ``candidates`` given, a ballot naming anyone else.
    """
    if not isinstance(data, Mapping) or "CVR" not in data:
        raise BallotFormatError("not a CastVoteRecordReport (no 'CVR' list)", path=source)
    report = _Report(source, by_style=False)
    report.elections = data.get("Election")
    for cvr in _list(data.get("CVR"), "CVR", source):
        report.add(cvr, line=None)
    report.saw_cvr = True
    return report.profile(candidates=candidates, contest=contest)


def _list(value: Any, what: str, source: str, where: str | None = None) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BallotFormatError(f"{what} must be a list", path=source, where=where)
    return value


_Marks = tuple[tuple[int, str, bool], ...]
"""A CVR's marks in one contest: (rank, selection id, a write-in position), sorted."""
_Key = tuple[tuple[str, _Marks], ...]
"""A CVR's marks in every contest of its current snapshot."""
_StyledKey = tuple[str | None, _Key]
"""A CVR's ballot style (when read by style) and its marks."""


class _Report:
    """CVRs merged as they are read (keyed by their raw marks, and by their ballot style when
    read ``by_style``), and the report's elections."""

    def __init__(self, source: str, *, by_style: bool) -> None:
        self.source = source
        self.by_style = by_style
        self.elections: Any = None
        self.saw_cvr = False
        self.counts: dict[_StyledKey, int] = {}
        self.origins: dict[_StyledKey, tuple[int | None, int]] = {}
        self.number = 0

    def add(self, cvr: Any, *, line: int | None) -> None:
        """Count one CVR read at ``line``."""
        self.number += 1
        where = f"CVR {self.number}"
        style: str | None = None
        if self.by_style:
            found = cvr.get("BallotStyleId") if isinstance(cvr, dict) else None
            if not isinstance(found, str) or not found.strip():
                raise BallotFormatError(
                    f"no BallotStyleId to say which section the ballot is in (got {found!r})",
                    path=self.source,
                    line=line,
                    where=where,
                )
            style = found.strip()
        key = (style, _cvr_key(cvr, self.source, line, where))
        if key in self.counts:
            self.counts[key] += 1
        else:
            self.counts[key] = 1
            self.origins[key] = (line, self.number)

    def styles(self) -> tuple[str, ...]:
        """The ballot styles read, in order of first appearance (none unless ``by_style``)."""
        return tuple(dict.fromkeys(s for s, _ in self.counts if s is not None))

    def profile(
        self,
        *,
        candidates: Sequence[str] | None,
        contest: str | None,
        style: str | None = None,
    ) -> Profile:
        """The ballots of the chosen contest (of one ballot style, when given)."""
        source = self.source
        if not self.saw_cvr:
            raise BallotFormatError("not a CastVoteRecordReport (no 'CVR' list)", path=source)
        chosen, candidate_names = _select_contest(
            _list(self.elections, "Election", source), source, contest
        )
        contest_id = str(chosen.get("@id"))
        selections, declared, write_ins = _selections(chosen, candidate_names, source)
        builder = ProfileBuilder(
            source=source, declared=declared, candidates=candidates, write_ins=write_ins
        )
        for styled, count in self.counts.items():
            if styled[0] != style:
                continue
            marks = dict(styled[1]).get(contest_id)
            if marks is None:  # this CVR has no vote in the contest
                continue
            line, number = self.origins[styled]
            named = []
            for rank, sid, write_in in marks:
                if sid not in selections:
                    raise BallotFormatError(
                        f"unknown ContestSelectionId {sid!r}",
                        path=source,
                        line=line,
                        where=f"CVR {number}",
                    )
                name = WRITE_IN if write_in else selections[sid]
                if name == WRITE_IN:
                    builder.declare_write_in(WRITE_IN)
                named.append((rank, name))
            builder.add(tuple(sorted(set(named))), count, line=line, ballot=number)

        def to_ranking(key: Hashable, origin: Origin) -> Ranking:
            assert isinstance(key, tuple)
            if not key:
                return ()
            width = max(rank for rank, _ in key)
            ranks: list[set[CandidateId]] = [set() for _ in range(width)]
            for rank, name in key:
                ranks[rank - 1].add(builder.name(name, origin))
            return strip_trailing_skips([frozenset(r) for r in ranks])

        return builder.build(to_ranking, title=str(chosen.get("Name") or contest_id))


def _select_contest(
    elections: list[Any], source: str, wanted: str | None
) -> tuple[dict[str, Any], dict[str, str]]:
    names: dict[str, str] = {}
    contests: list[dict[str, Any]] = []
    for election in elections:
        if not isinstance(election, dict):
            raise BallotFormatError("an Election must be an object", path=source)
        for candidate in _list(election.get("Candidate"), "Election.Candidate", source):
            if not isinstance(candidate, dict) or "@id" not in candidate:
                raise BallotFormatError("a Candidate needs an '@id'", path=source)
            names[str(candidate["@id"])] = str(candidate.get("Name") or candidate["@id"])
        for contest in _list(election.get("Contest"), "Election.Contest", source):
            if not isinstance(contest, dict):
                raise BallotFormatError("a Contest must be an object", path=source)
            contests.append(contest)
    if wanted is not None:
        chosen = [c for c in contests if wanted in (c.get("Name"), c.get("@id"))]
    else:
        chosen = contests
    if len(chosen) != 1:
        listed = ", ".join(str(c.get("Name") or c.get("@id")) for c in contests) or "none"
        detail = (
            f"no contest named {wanted!r}"
            if wanted is not None and not chosen
            else "the report holds several contests; choose one"
            if chosen
            else "the report declares no contest"
        )
        raise BallotFormatError(f"{detail} (contests: {listed})", path=source)
    return chosen[0], names


def _selections(
    chosen: Mapping[str, Any], candidate_names: Mapping[str, str], source: str
) -> tuple[dict[str, str], list[str], frozenset[str]]:
    """Each selection id's candidate name, the names in order, and the write-in names."""
    selections: dict[str, str] = {}
    declared: list[str] = []
    write_ins: set[str] = set()
    for selection in _list(chosen.get("ContestSelection"), "ContestSelection", source):
        if not isinstance(selection, dict):
            raise BallotFormatError("a ContestSelection must be an object", path=source)
        sid = str(selection.get("@id"))
        ids = _list(selection.get("CandidateIds"), "CandidateIds", source)
        if selection.get("IsWriteIn") in (True, "true"):
            name = WRITE_IN
            write_ins.add(name)
        elif ids:
            if str(ids[0]) not in candidate_names:
                raise BallotFormatError(
                    f"selection {sid!r} names candidate {ids[0]!r}, not in Election.Candidate",
                    path=source,
                )
            name = candidate_names[str(ids[0])]
        else:
            raise BallotFormatError(f"selection {sid!r} has no CandidateIds", path=source)
        selections[sid] = name
        if name not in declared:
            declared.append(name)
    return selections, declared, frozenset(write_ins)


def _cvr_key(cvr: Any, source: str, line: int | None, where: str) -> _Key:
    """The marks of one CVR in each contest of its current snapshot."""
    if not isinstance(cvr, dict):
        raise BallotFormatError("a CVR must be an object", path=source, line=line, where=where)
    snapshots = _list(cvr.get("CVRSnapshot"), "CVRSnapshot", source, where)
    current = cvr.get("CurrentSnapshotId")
    for snapshot in snapshots:
        _object(snapshot, "a CVRSnapshot", source, line, where)
    snapshot = next((s for s in snapshots if s.get("@id") == current), None)
    if snapshot is None:
        if current is not None or not snapshots:
            raise BallotFormatError(
                f"no snapshot with the CurrentSnapshotId {current!r}",
                path=source,
                line=line,
                where=where,
            )
        snapshot = snapshots[0]
    contests = []
    for entry in _list(snapshot.get("CVRContest"), "CVRContest", source, where):
        _object(entry, "a CVRContest", source, line, where)
        marks: set[tuple[int, str, bool]] = set()
        selections = _list(entry.get("CVRContestSelection"), "CVRContestSelection", source, where)
        for selection in selections:
            _object(selection, "a CVRContestSelection", source, line, where)
            if selection.get("Status") == "needs-adjudication":
                continue
            sid = str(selection.get("ContestSelectionId"))
            positions = _list(
                selection.get("SelectionPosition"), "SelectionPosition", source, where
            )
            if not positions and selection.get("Rank") is not None:
                positions = [{"Rank": selection.get("Rank")}]
            for position in positions:
                _object(position, "a SelectionPosition", source, line, where)
                if position.get("HasIndication") == _NO or position.get("IsAllocable") == _NO:
                    continue
                rank_number = _rank(position.get("Rank"), sid, source, line, where)
                marks.add((rank_number, sid, position.get("CVRWriteIn") is not None))
        contests.append((str(entry.get("ContestId")), tuple(sorted(marks))))
    return tuple(contests)


def _object(value: Any, what: str, source: str, line: int | None, where: str) -> None:
    if not isinstance(value, dict):
        raise BallotFormatError(
            f"{what} must be an object (got {type(value).__name__})",
            path=source,
            line=line,
            where=where,
        )


def _rank(rank: Any, sid: str, source: str, line: int | None, where: str) -> int:
    """A position's ``Rank``: a whole number from 1 to :data:`MAX_RANK` (as a JSON integer or
    a string of digits; not a fraction, a boolean or a float)."""
    number: int | None = None
    if isinstance(rank, int) and not isinstance(rank, bool):
        number = rank
    elif isinstance(rank, str) and rank.strip().isascii() and rank.strip().isdigit():
        digits = rank.strip()
        number = int(digits) if len(digits) <= _MAX_DIGITS else MAX_RANK + 1
    if number is None:
        shown = repr(rank) if len(repr(rank)) <= 40 else repr(rank)[:40] + "…"
        raise BallotFormatError(
            f"selection {sid!r} has no valid Rank: expected a whole number (got {shown})",
            path=source,
            line=line,
            where=where,
        )
    if not 1 <= number <= MAX_RANK:
        shown = str(number) if number < 10**12 else "a number too large"
        limit = "ranks start at 1" if number < 1 else f"ranks go from 1 to {MAX_RANK}"
        raise BallotFormatError(
            f"selection {sid!r} has Rank {shown}; {limit}",
            path=source,
            line=line,
            where=where,
        )
    return number


_CHUNK = 1 << 20
_BLANK = re.compile(r"[ \t\r\n]*")


class _Stream:
    """Reads a report's top-level object, decoding the ``CVR`` list one element at a time."""

    def __init__(
        self,
        handle: TextIO,
        source: str,
        progress: Progress | None,
        *,
        by_style: bool = False,
    ) -> None:
        self.handle = handle
        self.source = source
        self.progress = progress
        self.by_style = by_style
        self.read = 0  # characters read
        self.buffer = ""
        self.at = 0
        self.eof = False
        self.lines = 1  # line number at self.counted
        self.counted = 0
        self.decoder = _decoder()

    def _more(self) -> bool:
        """Read another chunk (dropping what has been decoded); False at the end."""
        if self.eof:
            return False
        if self.at > _CHUNK:
            self._line()
            self.buffer = self.buffer[self.at :]
            self.counted -= self.at
            self.at = 0
        chunk = self.handle.read(_CHUNK)
        self.read += len(chunk)
        if self.progress is not None:
            self.progress(self.read)
        if not chunk:
            self.eof = True
            return False
        self.buffer += chunk
        return True

    def _line(self, at: int | None = None) -> int:
        """The line number at ``at`` (by default the read position)."""
        end = self.at if at is None else at
        if end >= self.counted:
            self.lines += self.buffer.count("\n", self.counted, end)
            self.counted = end
            return self.lines
        return self.lines - self.buffer.count("\n", end, self.counted)

    def _error(self, detail: str, at: int | None = None) -> BallotFormatError:
        return BallotFormatError(detail, path=self.source, line=self._line(at))

    def _peek(self) -> str:
        while True:
            match = _BLANK.match(self.buffer, self.at)
            assert match is not None
            self.at = match.end()
            if self.at < len(self.buffer) or not self._more():
                return self.buffer[self.at : self.at + 1]

    def _expect(self, char: str) -> None:
        found = self._peek()
        if found != char:
            shown = repr(found) if found else "the end of the file (was it cut off?)"
            raise self._error(f"not valid JSON: expected {char!r}, found {shown}")
        self.at += 1

    def _value(self) -> Any:
        self._peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.at)
            except json.JSONDecodeError as error:
                near_end = len(self.buffer) - error.pos < 65536
                if near_end and self._more():
                    continue
                hint = " (was it cut off?)" if self.eof and near_end else ""
                raise self._error(f"not valid JSON: {error.msg}{hint}", error.pos) from None
            except (
                _NotStandardJsonError
            ) as error:  # raised only on a whole value: no need to read on
                raise self._error(f"not standard JSON: {error}", self.at) from None
            except RecursionError:
                raise self._error(
                    "not readable JSON: arrays or objects nested too deeply", self.at
                ) from None
            if end == len(self.buffer) and self._more():
                continue  # a number may go on in the next chunk
            self.at = end
            return value

    def report(self) -> _Report:
        """Read the whole report."""
        report = _Report(self.source, by_style=self.by_style)
        if not self._peek():
            raise BallotFormatError("the file is empty", path=self.source)
        self._expect("{")
        first = True
        keys: set[str] = set()
        while self._peek() != "}":
            if not first:
                self._expect(",")
            first = False
            self._peek()
            if self.buffer[self.at : self.at + 1] != '"':
                raise self._error("not valid JSON: expected a key in double quotes")
            key_at = self._line()
            key = self._value()
            if not isinstance(key, str):
                raise self._error("not valid JSON: expected a key")
            if key in keys:
                raise BallotFormatError(
                    f"not standard JSON: the report's key {key!r} appears twice (a JSON "
                    "reader keeps only the last, so readers would disagree on the report)",
                    path=self.source,
                    line=key_at,
                )
            keys.add(key)
            self._expect(":")
            if key != "CVR":
                value = self._value()
                if key == "Election":
                    report.elections = value
                continue
            report.saw_cvr = True
            self._expect("[")
            if self._peek() == "]":
                self.at += 1
                continue
            while True:
                self._peek()
                line = self._line()
                report.add(self._value(), line=line)
                if self._peek() == "]":
                    self.at += 1
                    break
                self._expect(",")
        self.at += 1
        if self._peek():
            raise self._error(
                "not valid JSON: more data after the end of the report (a JSON reader refuses "
                f"it; found {self.buffer[self.at : self.at + 20]!r})"
            )
        return report
