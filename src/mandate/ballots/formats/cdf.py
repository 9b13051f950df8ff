"""NIST SP 1500-103 Cast Vote Records Common Data Format (JSON): reader and writer.

The report's ``Election[].Candidate`` and ``Election[].Contest[].ContestSelection`` map a
selection id to a candidate; each ``CVR`` has snapshots (the one named by ``CurrentSnapshotId``
is read), each with ``CVRContest[].CVRContestSelection[].SelectionPosition[]`` carrying a
``Rank``. Positions with ``HasIndication: "no"`` or ``IsAllocable: "no"`` are not marks
(SP 1500-103 §3.4.2); two selections at one rank are an overvote; a rank with no selection is
skipped; a selection with ``IsWriteIn`` (or a position with ``CVRWriteIn``) is a write-in and
counts for the candidate named :data:`WRITE_IN`. A CVR without the contest is not a ballot in
it; a CVR with the contest and no marks is blank (an undervote).

A CVR's ``BallotStyleId`` (SP 1500-103: "an identifier of the ballot style associated with the
corresponding ballot") can carry the section its ballot belongs to, such as the voter class in
an electoral college: :func:`read_cdf_sections` reads the ballots by it, and the writers put it
on each CVR when given ``ballot_styles``.

Reference: https://pages.nist.gov/CastVoteRecords/ and usnistgov/CastVoteRecords.

>>> from mandate.ballots.formats.csv import parse_csv
>>> profile = parse_csv(["count,rank1,rank2", "2,Ann,Bob", "1,Bob=Ann,"], source="x.csv")
>>> report = write_cdf(profile, contest_name="Leader", trackers=["t1", "t2", "t3"])
>>> [cvr["UniqueId"] for cvr in report["CVR"]]
['t1', 't2', 't3']
>>> sorted((b.count, len(b.ranking)) for b in parse_cdf(report, source="r.json").ballots)
[(1, 1), (2, 2)]
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from mandate.ballots.formats._builder import (
    Origin,
    ProfileBuilder,
    Progress,
    read_text,
    strip_trailing_skips,
)
from mandate.ballots.model import UNRECORDED_OVERVOTE, Profile, Ranking
from mandate.ballots.sections import SectionedProfile
from mandate.errors import BallotFormatError, InputError
from mandate.ids import CandidateId

__all__ = ["WRITE_IN", "iter_cdf", "parse_cdf", "read_cdf", "read_cdf_sections", "write_cdf"]

WRITE_IN = "Write-in"
"""The candidate that write-in selections count for (an undeclared write-in bucket)."""

_NO = "no"


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
        contests += list(_list(election.get("Contest"), "Election.Contest", source))
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
        marks: set[tuple[int, str, bool]] = set()
        selections = _list(entry.get("CVRContestSelection"), "CVRContestSelection", source, where)
        for selection in selections:
            if selection.get("Status") == "needs-adjudication":
                continue
            sid = str(selection.get("ContestSelectionId"))
            positions = _list(
                selection.get("SelectionPosition"), "SelectionPosition", source, where
            )
            if not positions and selection.get("Rank") is not None:
                positions = [{"Rank": selection.get("Rank")}]
            for position in positions:
                if position.get("HasIndication") == _NO or position.get("IsAllocable") == _NO:
                    continue
                rank = position.get("Rank")
                try:
                    rank_number = int(rank)
                except (TypeError, ValueError):
                    raise BallotFormatError(
                        f"selection {sid!r} has no valid Rank (got {rank!r})",
                        path=source,
                        line=line,
                        where=where,
                    ) from None
                if rank_number < 1:
                    raise BallotFormatError(
                        f"selection {sid!r} has Rank {rank_number}; ranks start at 1",
                        path=source,
                        line=line,
                        where=where,
                    )
                marks.add((rank_number, sid, position.get("CVRWriteIn") is not None))
        contests.append((str(entry.get("ContestId")), tuple(sorted(marks))))
    return tuple(contests)


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
        self.decoder = json.JSONDecoder()

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
        while self._peek() != "}":
            if not first:
                self._expect(",")
            first = False
            key = self._value()
            if not isinstance(key, str):
                raise self._error("not valid JSON: expected a key")
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
        return report


def write_cdf(
    profile: Profile,
    *,
    contest_name: str,
    trackers: Sequence[str] | None = None,
    generated_date: str | None = None,
    ballot_styles: Sequence[str] | None = None,
) -> dict[str, Any]:
    """A JSON-ready NIST SP 1500-103 CastVoteRecordReport, one CVR per ballot.

    Identical ballots are written once each (CDF has no counts). With ``trackers`` (one per
    ballot, in the profile's order, counting repeats), each CVR carries its tracker as
    ``UniqueId`` so that a voter can find their ballot; with ``ballot_styles`` (the same way),
    its section as ``BallotStyleId`` (read back by :func:`read_cdf_sections`).
    :func:`iter_cdf` writes the same report as JSON text, piece by piece.

    Raises:
        InputError: trackers or ballot styles whose number differs from the ballots', a blank
            ballot style, or an unrecorded overvote, which CDF cannot express as a rank.
    """
    _check_cdf(profile, trackers, ballot_styles)
    selection_ids = _selection_ids(profile)
    records: list[dict[str, Any]] = []
    serial = 0
    for ballot in profile.ballots:
        contest_selections = _write_selections(ballot.ranking, selection_ids)
        for _ in range(ballot.count):
            serial += 1
            snapshot_id = f"cvr-{serial}-original"
            record: dict[str, Any] = {
                "@type": "CVR.CVR",
                "BallotPrePrintedId": str(serial),
            }
            if ballot_styles is not None:
                record["BallotStyleId"] = ballot_styles[serial - 1]
            record |= {
                "CurrentSnapshotId": snapshot_id,
                "CVRSnapshot": [
                    {
                        "@id": snapshot_id,
                        "@type": "CVR.CVRSnapshot",
                        "CVRContest": [
                            {
                                "@type": "CVR.CVRContest",
                                "ContestId": _CONTEST_ID,
                                "CVRContestSelection": contest_selections,
                            }
                        ],
                        "Type": "original",
                    }
                ],
                "ElectionId": "election-1",
            }
            if trackers is not None:
                record["UniqueId"] = trackers[serial - 1]
            records.append(record)
    return {"@type": _REPORT_TYPE, "CVR": records} | _report_rest(
        profile, contest_name=contest_name, generated_date=generated_date
    )


def iter_cdf(
    profile: Profile,
    *,
    contest_name: str,
    trackers: Sequence[str] | None = None,
    generated_date: str | None = None,
    batch: int = 256,
    ballot_styles: Sequence[str] | None = None,
) -> Iterator[str]:
    """The report of :func:`write_cdf` as compact JSON text, a few CVRs at a time.

    The pieces joined are exactly ``json.dumps(write_cdf(...), ensure_ascii=False,
    separators=(",", ":"))``, but no more than ``batch`` CVRs are held as text at once and
    none as objects, so a report larger than memory can be written.

    >>> from mandate.ballots.formats.csv import parse_csv
    >>> profile = parse_csv(["count,rank1", "2,Ann"], source="x.csv")
    >>> text = "".join(iter_cdf(profile, contest_name="Leader"))
    >>> text == json.dumps(write_cdf(profile, contest_name="Leader"), separators=(",", ":"))
    True

    Raises:
        InputError: as :func:`write_cdf`, at once (before any text is produced).
    """
    _check_cdf(profile, trackers, ballot_styles)
    rest = _report_rest(profile, contest_name=contest_name, generated_date=generated_date)
    return _cdf_text(profile, trackers, ballot_styles, rest, max(1, batch))


_REPORT_TYPE = "CVR.CastVoteRecordReport"
_CONTEST_ID = "contest-1"
_CVR_TEXT = (
    '{{"@type":"CVR.CVR","BallotPrePrintedId":"{serial}"{style},'
    '"CurrentSnapshotId":"cvr-{serial}-original",'
    '"CVRSnapshot":[{{"@id":"cvr-{serial}-original","@type":"CVR.CVRSnapshot",'
    '"CVRContest":[{{"@type":"CVR.CVRContest","ContestId":"' + _CONTEST_ID + '",'
    '"CVRContestSelection":{selections}}}],"Type":"original"}}],'
    '"ElectionId":"election-1"{unique}}}'
)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _cdf_text(
    profile: Profile,
    trackers: Sequence[str] | None,
    ballot_styles: Sequence[str] | None,
    rest: dict[str, Any],
    batch: int,
) -> Iterator[str]:
    selection_ids = _selection_ids(profile)
    selections_text: dict[Ranking, str] = {}
    yield "{" + _json("@type") + ":" + _json(_REPORT_TYPE) + ',"CVR":['
    pending: list[str] = []
    serial = 0
    for ballot in profile.ballots:
        selections = selections_text.get(ballot.ranking)
        if selections is None:
            selections = _json(_write_selections(ballot.ranking, selection_ids))
            selections_text[ballot.ranking] = selections
        for _ in range(ballot.count):
            serial += 1
            unique = "" if trackers is None else ',"UniqueId":' + _json(trackers[serial - 1])
            style = (
                ""
                if ballot_styles is None
                else ',"BallotStyleId":' + _json(ballot_styles[serial - 1])
            )
            pending.append(
                _CVR_TEXT.format(serial=serial, selections=selections, unique=unique, style=style)
            )
            if len(pending) >= batch:
                yield ("," if serial > len(pending) else "") + ",".join(pending)
                pending.clear()
    if pending:
        yield ("," if serial > len(pending) else "") + ",".join(pending)
    yield "]," + _json(rest)[1:]


def _check_cdf(
    profile: Profile, trackers: Sequence[str] | None, ballot_styles: Sequence[str] | None
) -> None:
    if trackers is not None and len(trackers) != profile.total:
        raise InputError(f"{len(trackers)} trackers for {profile.total} ballots")
    if ballot_styles is not None:
        if len(ballot_styles) != profile.total:
            raise InputError(f"{len(ballot_styles)} ballot styles for {profile.total} ballots")
        if any(not style.strip() for style in ballot_styles):
            raise InputError("a ballot style cannot be blank")
    if any(UNRECORDED_OVERVOTE in rank for b in profile.ballots for rank in b.ranking):
        raise InputError("CDF cannot express an unrecorded overvote ('#overvote')")


def _selection_ids(profile: Profile) -> dict[CandidateId, str]:
    return {c.id: f"cs-{i}" for i, c in enumerate(profile.candidates, start=1)}


def _report_rest(
    profile: Profile, *, contest_name: str, generated_date: str | None
) -> dict[str, Any]:
    """The report's members after its ``CVR`` list, in the order written."""
    candidate_ids = {c.id: f"candidate-{i}" for i, c in enumerate(profile.candidates, start=1)}
    selection_ids = _selection_ids(profile)
    rest: dict[str, Any] = {
        "Election": [
            {
                "@id": "election-1",
                "@type": "CVR.Election",
                "Candidate": [
                    {"@id": candidate_ids[c.id], "@type": "CVR.Candidate", "Name": c.name}
                    for c in profile.candidates
                ],
                "Contest": [
                    {
                        "@id": _CONTEST_ID,
                        "@type": "CVR.CandidateContest",
                        "Name": contest_name,
                        "ContestSelection": [
                            {
                                "@id": selection_ids[c.id],
                                "@type": "CVR.CandidateSelection",
                                "CandidateIds": [candidate_ids[c.id]],
                                **({"IsWriteIn": True} if c.write_in else {}),
                            }
                            for c in profile.candidates
                        ],
                    }
                ],
                "ElectionScopeId": "gpu-1",
            }
        ],
        "GpUnit": [
            {"@id": "gpu-1", "@type": "CVR.GpUnit", "Type": "other", "OtherType": "organisation"}
        ],
        "ReportGeneratingDeviceIds": ["rd-1"],
        "ReportingDevice": [
            {"@id": "rd-1", "@type": "CVR.ReportingDevice", "Application": "mandate"}
        ],
        "Version": "1.0.0",
    }
    if generated_date is not None:
        rest["GeneratedDate"] = generated_date
    return rest


def _write_selections(
    ranking: Ranking, selection_ids: Mapping[CandidateId, str]
) -> list[dict[str, Any]]:
    positions: dict[CandidateId, list[int]] = {}
    for rank_number, rank in enumerate(ranking, start=1):
        if UNRECORDED_OVERVOTE in rank:
            raise InputError("CDF cannot express an unrecorded overvote ('#overvote')")
        for candidate in rank:
            positions.setdefault(candidate, []).append(rank_number)
    return [
        {
            "@type": "CVR.CVRContestSelection",
            "ContestSelectionId": selection_ids[candidate],
            "SelectionPosition": [
                {
                    "@type": "CVR.SelectionPosition",
                    "HasIndication": "yes",
                    "IsAllocable": "yes",
                    "NumberVotes": 1,
                    "Rank": rank_number,
                }
                for rank_number in ranks
            ],
        }
        for candidate, ranks in sorted(positions.items(), key=lambda item: min(item[1]))
    ]
