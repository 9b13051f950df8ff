"""Tracker look-ups in a published folder: trackers.txt, or a first-format cvr.json's UniqueIds.

Either way the answer is whether the tracker is there, forgiving case, spaces and dashes.
"""

from __future__ import annotations

import json
from pathlib import Path

from mandate.ballots.formats.cdf import write_cdf
from mandate.ballots.formats.csv import parse_csv
from mandate.web.published import PublishedContest

TRACKERS = ("0A1B-2C3D-4E5F-6G7H", "ZZZZ-0000-1111-2222")


def test_the_published_list_of_trackers_answers(tmp_path: Path) -> None:
    (tmp_path / "trackers.txt").write_text("".join(f"{t}\n" for t in TRACKERS))
    published = PublishedContest(contest="c", folder=tmp_path)
    assert published.has_tracker("0a1b2c3d4e5f6g7h")
    assert published.has_tracker(" zzzz 0000 1111 2222 ")
    assert not published.has_tracker("0A1B-2C3D-4E5F-6G7J")


def test_a_first_format_record_is_looked_up_by_its_unique_ids(tmp_path: Path) -> None:
    profile = parse_csv(["count,rank1", "1,Ann", "1,Bob"], source="x.csv")
    report = write_cdf(profile, contest_name="Leader", trackers=TRACKERS)
    (tmp_path / "cvr.json").write_text(json.dumps(report))
    published = PublishedContest(contest="c", folder=tmp_path)
    assert published.has_tracker(TRACKERS[1].lower())
    assert not published.has_tracker("0000-0000-0000-0000")
