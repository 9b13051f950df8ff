"""Writing NIST SP 1500-103 Cast Vote Records Common Data Format (JSON) reports.

:func:`write_cdf` builds a report as JSON-ready objects; :func:`iter_cdf` writes the same report
as compact JSON text, a few CVRs at a time. Read back by :mod:`mandate.ballots.formats.cdf.reader`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from mandate.ballots.model import UNRECORDED_OVERVOTE, Profile, Ranking
from mandate.errors import InputError
from mandate.ids import CandidateId

__all__ = ["iter_cdf", "write_cdf"]


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
