"""Ballots that carry their section: CDF's ``BallotStyleId`` and a CSV section column."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from mandate.ballots.formats.cdf import iter_cdf, read_cdf, read_cdf_sections, write_cdf
from mandate.ballots.formats.csv import parse_csv
from mandate.ballots.formats.sectioned_csv import iter_sectioned_csv, read_sectioned_csv
from mandate.ballots.model import Ballot
from mandate.ballots.sections import SectionedProfile
from mandate.errors import BallotFormatError, InputError

_READ = parse_csv(["count,rank1,rank2", "1,Ann,Bob", "1,Bob,", "1,Cy,Ann"], source="x.csv")
ANN_BOB, BOB, CY_ANN = (b.ranking for b in _READ.ballots)
PROFILE = replace(
    _READ, ballots=tuple(Ballot(ranking=r) for r in (ANN_BOB, BOB, ANN_BOB, CY_ANN, BOB))
)
"""Five ballots, one a record, as a contest publishes them."""
STYLES = ["mps", "members", "members", "mps", "affiliates"]


def _written(tmp_path: Path, **kwargs: Any) -> Path:
    path = tmp_path / "cvr.json"
    path.write_text("".join(iter_cdf(PROFILE, contest_name="Leader", **kwargs)), "utf-8")
    return path


def _ballots(sections: SectionedProfile) -> dict[str, Counter[Any]]:
    return {name: Counter({b.ranking: b.count for b in p.deduplicated()}) for name, p in sections}


def test_each_cvr_carries_its_ballot_style_and_is_read_back_by_it(tmp_path: Path) -> None:
    path = _written(tmp_path, ballot_styles=STYLES, trackers=[f"t{i}" for i in range(5)])
    report = json.loads(path.read_text(encoding="utf-8"))
    assert [cvr["BallotStyleId"] for cvr in report["CVR"]] == STYLES
    sections = read_cdf_sections(path)
    assert sections.names == ("mps", "members", "affiliates")
    assert [c.name for c in sections.candidates] == ["Ann", "Bob", "Cy"]
    assert _ballots(sections) == {
        "mps": Counter({ANN_BOB: 1, CY_ANN: 1}),
        "members": Counter({BOB: 1, ANN_BOB: 1}),
        "affiliates": Counter({BOB: 1}),
    }


def test_a_styled_report_pools_as_before_when_read_whole(tmp_path: Path) -> None:
    path = _written(tmp_path, ballot_styles=STYLES)
    assert read_cdf(path).ballots == read_cdf(_written(tmp_path / "..")).ballots


def test_the_streamed_styled_report_is_the_dict_form() -> None:
    kwargs: dict[str, Any] = {"contest_name": "Leader", "ballot_styles": STYLES}
    text = "".join(iter_cdf(PROFILE, batch=2, **kwargs))
    assert text == json.dumps(
        write_cdf(PROFILE, **kwargs), ensure_ascii=False, separators=(",", ":")
    )


@pytest.mark.parametrize(
    ("styles", "message"),
    [(STYLES[:4], "4 ballot styles for 5 ballots"), ([*STYLES[:4], " "], "cannot be blank")],
)
def test_writing_refuses_ballot_styles_that_do_not_fit(styles: list[str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        iter_cdf(PROFILE, contest_name="Leader", ballot_styles=styles)
    with pytest.raises(InputError, match=message):
        write_cdf(PROFILE, contest_name="Leader", ballot_styles=styles)


def test_reading_by_style_names_a_cvr_without_one(tmp_path: Path) -> None:
    path = _written(tmp_path, ballot_styles=STYLES)
    report = json.loads(path.read_text(encoding="utf-8"))
    del report["CVR"][2]["BallotStyleId"]
    path.write_text(json.dumps(report, indent=1), encoding="utf-8")
    with pytest.raises(BallotFormatError, match=r"CVR 3: no BallotStyleId") as info:
        read_cdf_sections(path)
    assert info.value.line is not None


def test_sectioned_csv_is_written_section_by_section_and_read_back(tmp_path: Path) -> None:
    sections = read_cdf_sections(_written(tmp_path, ballot_styles=STYLES))
    path = tmp_path / "cvr.csv"
    path.write_text("".join(iter_sectioned_csv(sections, column="voter_class", batch=2)), "utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "voter_class,count,rank1,rank2"
    assert [line.split(",")[0] for line in lines[1:]] == [
        "mps",
        "mps",
        "members",
        "members",
        "affiliates",
    ]
    again = read_sectioned_csv(path, column="voter_class", candidates=["Ann", "Bob", "Cy"])
    assert again.names == sections.names
    assert _ballots(again) == _ballots(sections)


@pytest.mark.parametrize("column", ["", "count", "rank3"])
def test_a_section_column_named_like_the_others_is_refused(column: str) -> None:
    sections = SectionedProfile.of({"mps": PROFILE})
    with pytest.raises(InputError, match="a section column cannot be named"):
        iter_sectioned_csv(sections, column=column)
