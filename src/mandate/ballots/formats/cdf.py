"""NIST SP 1500-103 Cast Vote Records Common Data Format (JSON): reader and writer.

The report's ``Election[].Candidate`` and ``Election[].Contest[].ContestSelection`` map a
selection id to a candidate; each ``CVR`` has snapshots (the one named by ``CurrentSnapshotId``
is read), each with ``CVRContest[].CVRContestSelection[].SelectionPosition[]`` carrying a
``Rank``. Positions with ``HasIndication: "no"`` or ``IsAllocable: "no"`` are not marks
(SP 1500-103 §3.4.2); two selections at one rank are an overvote; a rank with no selection is
skipped; a selection with ``IsWriteIn`` (or a position with ``CVRWriteIn``) is a write-in and
counts for the candidate named :data:`WRITE_IN`. A CVR without the contest is not a ballot in
it; a CVR with the contest and no marks is blank (an undervote).

Reference: https://pages.nist.gov/CastVoteRecords/ and usnistgov/CastVoteRecords.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

from mandate.ballots.formats._builder import Origin, ProfileBuilder, strip_trailing_skips
from mandate.ballots.model import UNRECORDED_OVERVOTE, Profile, Ranking
from mandate.errors import BallotFormatError, InputError
from mandate.ids import CandidateId

__all__ = ["WRITE_IN", "parse_cdf", "read_cdf", "write_cdf"]

WRITE_IN = "Write-in"
"""The candidate that write-in selections count for (an undeclared write-in bucket)."""

_NO = "no"


def read_cdf(
    path: Path, *, candidates: Sequence[str] | None = None, contest: str | None = None
) -> Profile:
    """Read a CDF JSON cast-vote-record report.

    Args:
        path: the JSON file.
        candidates: with names given, a ballot naming anyone else is an error.
        contest: the contest's name or id when the report holds several.

    Raises:
        BallotFormatError: invalid JSON (with its line) or a report that does not follow the
            format (naming the CVR).
        UnknownCandidateError: with ``candidates`` given, a ballot naming anyone else.
    """
    source = str(path)
    try:
        with path.open(encoding="utf-8-sig") as handle:
            data = json.load(handle)
    except UnicodeDecodeError as error:
        raise BallotFormatError(f"not UTF-8 text ({error.reason})", path=source) from None
    except json.JSONDecodeError as error:
        hint = " (was it cut off?)" if "Expecting" in error.msg else ""
        raise BallotFormatError(
            f"not valid JSON: {error.msg}, column {error.colno}{hint}",
            path=source,
            line=error.lineno,
        ) from None
    return parse_cdf(data, source=source, candidates=candidates, contest=contest)


def _list(value: Any, what: str, source: str, where: str | None = None) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BallotFormatError(f"{what} must be a list", path=source, where=where)
    return value


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
    chosen, candidate_names = _select_contest(
        _list(data.get("Election"), "Election", source), source, contest
    )
    contest_id = str(chosen.get("@id"))
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
    builder = ProfileBuilder(
        source=source,
        declared=declared,
        candidates=candidates,
        write_ins=frozenset(write_ins),
    )
    for number, cvr in enumerate(_list(data.get("CVR"), "CVR", source), start=1):
        where = f"CVR {number}"
        marks = _cvr_marks(cvr, contest_id, selections, source, where)
        if marks is not None:
            if any(name == WRITE_IN for _, name in marks):
                builder.declare_write_in(WRITE_IN)
            builder.add(marks, 1, line=None)

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


def _cvr_marks(
    cvr: Any, contest_id: str, selections: dict[str, str], source: str, where: str
) -> tuple[tuple[int, str], ...] | None:
    """The (rank, name) marks of one CVR for the contest, or ``None`` if it has no such contest."""
    if not isinstance(cvr, dict):
        raise BallotFormatError("a CVR must be an object", path=source, where=where)
    snapshots = _list(cvr.get("CVRSnapshot"), "CVRSnapshot", source, where)
    current = cvr.get("CurrentSnapshotId")
    snapshot = next((s for s in snapshots if s.get("@id") == current), None)
    if snapshot is None:
        if current is not None or not snapshots:
            raise BallotFormatError(
                f"no snapshot with the CurrentSnapshotId {current!r}", path=source, where=where
            )
        snapshot = snapshots[0]
    found = None
    for entry in _list(snapshot.get("CVRContest"), "CVRContest", source, where):
        if str(entry.get("ContestId")) == contest_id:
            found = entry
            break
    if found is None:
        return None
    marks: set[tuple[int, str]] = set()
    for selection in _list(found.get("CVRContestSelection"), "CVRContestSelection", source, where):
        if selection.get("Status") == "needs-adjudication":
            continue
        sid = str(selection.get("ContestSelectionId"))
        if sid not in selections:
            raise BallotFormatError(f"unknown ContestSelectionId {sid!r}", path=source, where=where)
        name = selections[sid]
        positions = _list(selection.get("SelectionPosition"), "SelectionPosition", source, where)
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
                    where=where,
                ) from None
            if rank_number < 1:
                raise BallotFormatError(
                    f"selection {sid!r} has Rank {rank_number}; ranks start at 1",
                    path=source,
                    where=where,
                )
            mark = WRITE_IN if position.get("CVRWriteIn") is not None else name
            marks.add((rank_number, mark))
    return tuple(sorted(marks))


def write_cdf(
    profile: Profile,
    *,
    contest_name: str,
    trackers: Sequence[str] | None = None,
    generated_date: str | None = None,
) -> dict[str, Any]:
    """A JSON-ready NIST SP 1500-103 CastVoteRecordReport, one CVR per ballot.

    Identical ballots are written once each (CDF has no counts). With ``trackers`` (one per
    ballot, in the profile's order, counting repeats), each CVR carries its tracker as
    ``UniqueId`` so that a voter can find their ballot.

    Raises:
        InputError: trackers whose number differs from the ballots', or an unrecorded
            overvote, which CDF cannot express as a rank.
    """
    if trackers is not None and len(trackers) != profile.total:
        raise InputError(f"{len(trackers)} trackers for {profile.total} ballots")
    candidate_ids = {c.id: f"candidate-{i}" for i, c in enumerate(profile.candidates, start=1)}
    selection_ids = {c.id: f"cs-{i}" for i, c in enumerate(profile.candidates, start=1)}
    contest_id = "contest-1"
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
                "CurrentSnapshotId": snapshot_id,
                "CVRSnapshot": [
                    {
                        "@id": snapshot_id,
                        "@type": "CVR.CVRSnapshot",
                        "CVRContest": [
                            {
                                "@type": "CVR.CVRContest",
                                "ContestId": contest_id,
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
    report: dict[str, Any] = {
        "@type": "CVR.CastVoteRecordReport",
        "CVR": records,
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
                        "@id": contest_id,
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
        report["GeneratedDate"] = generated_date
    return report


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
