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

The reader is :mod:`mandate.ballots.formats.cdf.reader` and the writer
:mod:`mandate.ballots.formats.cdf.writer`; both are imported from here.

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

from mandate.ballots.formats.cdf.reader import WRITE_IN, parse_cdf, read_cdf, read_cdf_sections
from mandate.ballots.formats.cdf.writer import iter_cdf, write_cdf

__all__ = ["WRITE_IN", "iter_cdf", "parse_cdf", "read_cdf", "read_cdf_sections", "write_cdf"]
