"""Small ballot profiles written as CSV rows, for counting tests."""

from __future__ import annotations

from mandate.ballots.formats.csv import parse_csv
from mandate.ballots.model import Profile


def ballots(*rows: str, candidates: str = "ABCD") -> Profile:
    """A profile from rows ``count,rank1,rank2,…`` over one-letter candidates."""
    width = max(row.count(",") for row in rows)
    header = "count," + ",".join(f"rank{i}" for i in range(1, width + 1))
    return parse_csv([header, *rows], source="test.csv", candidates=list(candidates))
