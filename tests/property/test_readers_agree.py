"""Our readers agree with the standard parsers, or refuse (issue 10, item 28).

A reader that reads a file differently from the standard parser of its format lets two
people count the same file and get different ballots. mandate's CSV reader counts identical
rows before parsing them, so it splits rows itself; here it is checked against Python's
:mod:`csv` reading the whole file: wherever both read a file, they read the same ballots, and
where :mod:`csv` refuses a file, so does mandate.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from mandate.ballots.formats.csv import parse_csv
from mandate.errors import MandateError

HEADER = "count,rank1,rank2,rank3\n"
WIDTH = 3

Ballots = Counter[tuple[frozenset[str], ...]]


def by_the_csv_module(text: str) -> Ballots | None:
    """The ballots as Python's csv module splits the file (``None`` if a row is not a ballot
    by the format's other rules, which are not what this test is about)."""
    rows = [row for row in csv.reader(io.StringIO(text, newline=""), strict=True) if row]
    out: Ballots = Counter()
    for row in rows[1:]:
        if len(row) > WIDTH + 1 and any(cell.strip() for cell in row[WIDTH + 1 :]):
            return None
        count = row[0].strip()
        if not (count.isascii() and count.isdigit()) or int(count) < 1:
            return None
        ranks = [
            frozenset(name.strip() for name in cell.strip().split("=")) if cell.strip() else None
            for cell in row[1 : WIDTH + 1]
        ]
        while ranks and ranks[-1] is None:
            ranks.pop()
        ranking = tuple(frozenset() if rank is None else rank for rank in ranks)
        if any("" in rank or "#overvote" in rank for rank in ranking):
            return None
        out[ranking] += int(count)
    return out


def by_mandate(text: str) -> Ballots | None:
    try:
        profile = parse_csv(io.StringIO(text, newline=""), source="x.csv")
    except MandateError:
        return None
    out: Ballots = Counter()
    for ballot in profile.ballots:
        out[tuple(frozenset(str(c) for c in rank) for rank in ballot.ranking)] += ballot.count
    return out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=list('AB,,"\n\n\r =12'), max_size=30))
def test_csv_reads_what_the_csv_module_reads_or_refuses(body: str) -> None:
    text = HEADER + body
    ours = by_mandate(text)
    try:
        theirs = by_the_csv_module(text)
    except csv.Error:
        assert ours is None, f"csv refuses {text!r}, mandate reads {ours}"
        return
    if ours is not None and theirs is not None:
        assert ours == theirs, text
