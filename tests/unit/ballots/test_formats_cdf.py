"""NIST SP 1500-103 CDF JSON: the real RCTab shape, write-ins, and a round trip."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from mandate.ballots.formats.cdf import WRITE_IN, iter_cdf, parse_cdf, read_cdf, write_cdf
from mandate.ballots.formats.csv import parse_csv
from mandate.ballots.model import Profile
from mandate.errors import BallotFormatError, InputError, UnknownCandidateError
from mandate.ids import CandidateId

A, B, C, D = (CandidateId(f"Candidate {x} Name") for x in "ABCD")


def test_reads_overvotes_skips_and_duplicates_from_rctab_test_set_0(shared_data: Path) -> None:
    folder = shared_data / "rctab" / "test_set_0_skipped_first_choice"
    profile = read_cdf(folder / "test_set_0_skipped_first_choice_cvr.json")
    assert profile.candidate_ids == (A, B, C, D)
    assert profile.total == 12
    ballots = {b.ranking: b.count for b in profile.ballots}
    # ballot 6 skips its first rank; ballot 9 overvotes rank 2; ballot 12 ranks C twice
    assert ballots[(frozenset(), frozenset({B}), frozenset({C}), frozenset({A}))] == 1
    assert ballots[(frozenset({C}), frozenset({A, D}), frozenset({B}))] == 1
    assert ballots[(frozenset({A}), frozenset({B}), frozenset({C}), frozenset({C}))] == 1


def _report(selections: list[dict[str, Any]], *, write_in: bool = False) -> dict[str, Any]:
    contest_selections: list[dict[str, Any]] = [
        {"@id": "cs-a", "CandidateIds": ["c-a"]},
        {"@id": "cs-b", "CandidateIds": ["c-b"]},
    ]
    if write_in:
        contest_selections.append({"@id": "cs-w", "IsWriteIn": True})
    return {
        "@type": "CVR.CastVoteRecordReport",
        "Election": [
            {
                "@id": "e",
                "Candidate": [{"@id": "c-a", "Name": "Ann"}, {"@id": "c-b", "Name": "Bob"}],
                "Contest": [{"@id": "k", "Name": "Leader", "ContestSelection": contest_selections}],
            }
        ],
        "CVR": [
            {
                "CurrentSnapshotId": "s1",
                "CVRSnapshot": [
                    {"@id": "s1", "CVRContest": [{"ContestId": "k", "CVRContestSelection": sel}]}
                ],
            }
            for sel in selections
        ],
    }


def _mark(selection: str, rank: int, **extra: Any) -> dict[str, Any]:
    return {
        "ContestSelectionId": selection,
        "SelectionPosition": [{"Rank": rank, "HasIndication": "yes", **extra}],
    }


def test_write_ins_count_for_the_write_in_candidate() -> None:
    report = _report([[_mark("cs-w", 1), _mark("cs-a", 2)]], write_in=True)
    profile = parse_cdf(report, source="r.json")
    (ballot,) = profile.ballots
    assert ballot.ranking == (frozenset({CandidateId(WRITE_IN)}), frozenset({CandidateId("Ann")}))
    assert [c.write_in for c in profile.candidates] == [False, False, True]


def test_positions_without_indication_or_not_allocable_are_not_marks() -> None:
    report = _report(
        [
            [
                _mark("cs-a", 1, IsAllocable="no"),
                _mark("cs-b", 1),
                _mark("cs-a", 2, HasIndication="no"),
            ]
        ]
    )
    (ballot,) = parse_cdf(report, source="r.json").ballots
    assert ballot.ranking == (frozenset({CandidateId("Bob")}),)


def test_a_cvr_with_the_contest_but_no_marks_is_blank() -> None:
    (ballot,) = parse_cdf(_report([[]]), source="r.json").ballots
    assert ballot.is_blank


def test_an_unknown_selection_names_the_cvr() -> None:
    with pytest.raises(BallotFormatError, match=r"r.json, CVR 2: unknown ContestSelectionId"):
        parse_cdf(_report([[_mark("cs-a", 1)], [_mark("cs-x", 1)]]), source="r.json")


def test_a_missing_rank_names_the_cvr() -> None:
    bad = {"ContestSelectionId": "cs-a", "SelectionPosition": [{"HasIndication": "yes"}]}
    with pytest.raises(BallotFormatError, match=r"CVR 1: selection 'cs-a' has no valid Rank"):
        parse_cdf(_report([[bad]]), source="r.json")


def test_given_candidates_reject_anyone_else() -> None:
    with pytest.raises(UnknownCandidateError, match=r"r\.json, ballot 1: unknown candidate .Bob."):
        parse_cdf(_report([[_mark("cs-b", 1)]]), source="r.json", candidates=["Ann"])


def test_a_file_cut_off_is_invalid_json_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    text = json.dumps(_report([[_mark("cs-a", 1)]]), indent=1)
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(BallotFormatError, match=r"cut.json, line \d+: not valid JSON"):
        read_cdf(path)


def test_write_then_read_gives_the_same_ballots_and_trackers() -> None:
    profile = parse_csv(
        ["count,rank1,rank2,rank3", "2,Ann,,Bob", "1,Ann=Bob,Cy,", "1,,,"], source="x.csv"
    )
    report = write_cdf(profile, contest_name="Leader", trackers=["t1", "t2", "t3", "t4"])
    assert [cvr["UniqueId"] for cvr in report["CVR"]] == ["t1", "t2", "t3", "t4"]
    again = parse_cdf(json.loads(json.dumps(report)), source="w.json")
    assert {b.ranking: b.count for b in again.ballots} == {
        b.ranking: b.count for b in profile.ballots
    }
    assert again.candidate_ids == profile.candidate_ids


def test_writing_refuses_trackers_that_do_not_match_the_ballots() -> None:
    profile = parse_csv(["rank1", "Ann", "Bob"], source="x.csv")
    with pytest.raises(InputError, match="1 trackers for 2 ballots"):
        write_cdf(profile, contest_name="Leader", trackers=["t1"])


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read CDF files 97 characters at a time, so that values straddle chunk boundaries."""
    import mandate.ballots.formats.cdf.reader as cdf_module

    monkeypatch.setattr(cdf_module, "_CHUNK", 97)


def _written(tmp_path: Path, *, indent: int | None) -> tuple[Path, Any]:
    profile = parse_csv(
        ["count,rank1,rank2,rank3", "7,Ann,,Bob", "3,Ann=Bob,Cy,", "2,,,", "5,Cy,Bob,Ann"],
        source="x.csv",
    )
    path = tmp_path / "report.json"
    path.write_text(
        json.dumps(write_cdf(profile, contest_name="Leader"), indent=indent), encoding="utf-8"
    )
    return path, profile


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("indent", [None, 2])
def test_the_cvr_list_is_streamed_across_chunks(tmp_path: Path, indent: int | None) -> None:
    path, profile = _written(tmp_path, indent=indent)
    again = read_cdf(path)
    assert {b.ranking: b.count for b in again.ballots} == {
        b.ranking: b.count for b in profile.ballots
    }


@pytest.mark.usefixtures("small_chunks")
def test_every_cut_off_point_is_a_format_error(tmp_path: Path) -> None:
    path, _ = _written(tmp_path, indent=1)
    text = path.read_text(encoding="utf-8")
    cut = tmp_path / "cut.json"
    for end in range(0, len(text) - 2, 37):
        cut.write_text(text[:end], encoding="utf-8")
        with pytest.raises(BallotFormatError, match=r"cut\.json"):
            read_cdf(cut)


def test_a_bad_cvr_is_named_with_its_line(tmp_path: Path) -> None:
    report = _report([[_mark("cs-a", 1)], [_mark("cs-a", 0)]])
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(report, indent=1), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    snapshots = [n for n, text in enumerate(lines, start=1) if '"CurrentSnapshotId"' in text]
    second_cvr_opens = snapshots[1] - 1  # the '{' just before its first key
    with pytest.raises(BallotFormatError) as caught:
        read_cdf(path)
    assert caught.value.where == "CVR 2"
    assert caught.value.line == second_cvr_opens
    assert "Rank 0; ranks start at 1" in str(caught.value)


def test_the_elections_may_come_before_or_after_the_cvrs(tmp_path: Path) -> None:
    report = _report([[_mark("cs-a", 1), _mark("cs-b", 2)]])
    first = {"Election": report["Election"], "CVR": report["CVR"]}
    path = tmp_path / "first.json"
    path.write_text(json.dumps(first), encoding="utf-8")
    (ballot,) = read_cdf(path).ballots
    assert ballot.ranking == (frozenset({CandidateId("Ann")}), frozenset({CandidateId("Bob")}))


@pytest.mark.usefixtures("small_chunks")
def test_progress_is_reported_in_bytes_up_to_the_whole_file(tmp_path: Path) -> None:
    path, _ = _written(tmp_path, indent=2)
    seen: list[int] = []
    read_cdf(path, progress=seen.append)
    assert len(seen) > 2
    assert seen == sorted(seen)
    assert seen[-1] == path.stat().st_size


def test_a_report_is_read_in_far_less_memory_than_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CVR list is decoded one record at a time, never held whole as text or objects:
    reading in chunks of 64 KiB, the memory used stays a small part of the file's size."""
    import mandate.ballots.formats.cdf.reader as cdf_module

    monkeypatch.setattr(cdf_module, "_CHUNK", 1 << 16)
    profile = parse_csv(
        ["count,rank1,rank2", "4000,Ann,Bob", "3000,Bob,", "1000,Cy,Ann"], source="x.csv"
    )
    path = tmp_path / "large.json"
    path.write_text(
        json.dumps(write_cdf(profile, contest_name="Leader"), separators=(",", ":")),
        encoding="utf-8",
    )
    size = path.stat().st_size
    assert size > 4_000_000
    tracemalloc.start()
    try:
        again = read_cdf(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert again.total == 8_000
    assert peak < size / 8, f"peak {peak:,} bytes reading a {size:,}-byte report"


def _compact(report: Any) -> str:
    return json.dumps(report, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("batch", [1, 2, 256])
def test_the_streamed_report_is_the_dict_form_byte_for_byte(tmp_path: Path, batch: int) -> None:
    profile = parse_csv(
        ["count,rank1,rank2,rank3", "2,Zoë,,Bob", "1,Zoë=Bob,Cy,", "1,,,", "3,Cy,Bob,Zoë"],
        source="x.csv",
    )
    trackers = [f'trk-{i}\u00e9"' for i in range(7)]
    kwargs: dict[str, Any] = {
        "contest_name": "Leader \u201cA\u201d",
        "trackers": trackers,
        "generated_date": "2026-11-23T19:00:00Z",
    }
    pieces = list(iter_cdf(profile, batch=batch, **kwargs))
    assert "".join(pieces) == _compact(write_cdf(profile, **kwargs))
    path = tmp_path / "cvr.json"
    with path.open("w", encoding="utf-8") as handle:
        handle.writelines(pieces)
    with path.open(encoding="utf-8") as handle:
        assert json.load(handle) == write_cdf(profile, **kwargs)
    assert read_cdf(path).ballots == parse_cdf(write_cdf(profile, **kwargs), source="x").ballots


def test_a_streamed_report_with_no_ballots_or_a_write_in_is_the_dict_form() -> None:
    ann = parse_csv(["rank1", "Ann"], source="x.csv")
    empty = Profile(candidates=ann.candidates, ballots=())
    written_in = parse_cdf(
        _report([[_mark("cs-w", 1)], [_mark("cs-a", 1)]], write_in=True), source="r"
    )
    for profile in (empty, written_in):
        report = write_cdf(profile, contest_name="Leader")
        assert "".join(iter_cdf(profile, contest_name="Leader")) == _compact(report)


def test_streaming_refuses_bad_input_before_writing_anything() -> None:
    profile = parse_csv(["rank1", "Ann", "Bob"], source="x.csv")
    with pytest.raises(InputError, match="1 trackers for 2 ballots"):
        iter_cdf(profile, contest_name="Leader", trackers=["t1"])
    overvoted = parse_csv(["rank1,rank2", "Ann,#overvote"], source="x.csv")
    with pytest.raises(InputError, match="unrecorded overvote"):
        iter_cdf(overvoted, contest_name="Leader")


def test_a_report_is_written_in_far_less_memory_than_its_size(tmp_path: Path) -> None:
    """The report is written a batch of CVRs at a time, never whole as objects or text: the
    memory used writing it stays a small part of the file's size."""
    profile = parse_csv(
        ["count,rank1,rank2", "20000,Ann,Bob", "15000,Bob,", "5000,Cy,Ann"], source="x.csv"
    )
    trackers = [f"{i:012d}" for i in range(profile.total)]
    path = tmp_path / "large.json"
    tracemalloc.start()
    try:
        with path.open("w", encoding="utf-8") as handle:
            for piece in iter_cdf(profile, contest_name="Leader", trackers=trackers):
                handle.write(piece)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = path.stat().st_size
    assert size > 20_000_000
    assert peak < size / 8, f"peak {peak:,} bytes writing a {size:,}-byte report"
    assert read_cdf(path).total == 40_000


# -- agreeing with json.load (issue 10, item 28) -------------------------------------------------


def _rctab_text(shared_data: Path) -> str:
    folder = shared_data / "rctab" / "test_set_0_skipped_first_choice"
    return (folder / "test_set_0_skipped_first_choice_cvr.json").read_text(encoding="utf-8")


def test_data_after_the_report_is_refused_with_its_line(tmp_path: Path, shared_data: Path) -> None:
    text = _rctab_text(shared_data).rstrip()
    path = tmp_path / "cvr.json"
    path.write_text(text + '\n{"CVR": []}\n', encoding="utf-8")
    with pytest.raises(json.JSONDecodeError):
        json.loads(path.read_text(encoding="utf-8"))
    with pytest.raises(BallotFormatError, match="more data after the end of the report") as info:
        read_cdf(path)
    assert info.value.path == str(path)
    assert info.value.line == text.count("\n") + 2


def test_a_second_cvr_list_is_refused_not_counted(tmp_path: Path, shared_data: Path) -> None:
    text = _rctab_text(shared_data).rstrip()
    cvrs = json.loads(text)["CVR"]
    repeated = text[:-1] + ',\n"CVR": ' + json.dumps(cvrs * 10) + "\n}\n"
    path = tmp_path / "cvr.json"
    path.write_text(repeated, encoding="utf-8")
    assert len(json.loads(repeated)["CVR"]) == 120  # json.load keeps the last list only
    with pytest.raises(BallotFormatError, match="'CVR' appears twice") as info:
        read_cdf(path)
    assert info.value.line == text.count("\n") + 2


def test_a_key_repeated_inside_a_cvr_is_refused(tmp_path: Path) -> None:
    report = _report([[{"ContestSelectionId": "cs-a", "SelectionPosition": [{"Rank": 1}]}]])
    text = json.dumps(report).replace('"Rank": 1', '"Rank": 1, "Rank": 2')
    path = tmp_path / "cvr.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BallotFormatError, match="'Rank' appears twice in one object"):
        read_cdf(path)


@pytest.mark.parametrize(
    ("rank", "message"),
    [
        ("Infinity", "Infinity is not a JSON value"),
        ("NaN", "NaN is not a JSON value"),
        ("1" * 5000, "a number of 5,000 digits"),
        ("1e999", "no valid Rank"),
        ("1.5", "no valid Rank"),
        ("true", "no valid Rank"),
        ("1000000000000000000", "ranks go from 1 to 1000"),
    ],
)
def test_a_rank_that_is_not_a_whole_number_is_one_clear_error(
    tmp_path: Path, rank: str, message: str
) -> None:
    report = _report([[{"ContestSelectionId": "cs-a", "SelectionPosition": [{"Rank": 1}]}]])
    path = tmp_path / "cvr.json"
    path.write_text(json.dumps(report).replace('"Rank": 1', f'"Rank": {rank}'), encoding="utf-8")
    with pytest.raises(BallotFormatError, match=message) as info:
        read_cdf(path)
    assert info.value.path == str(path)


def test_json_nested_too_deeply_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "cvr.json"
    path.write_text('{"CVR": [' + "[" * 100_000 + "]" * 100_000 + "]}", encoding="utf-8")
    with pytest.raises(BallotFormatError, match="nested too deeply"):
        read_cdf(path)


def test_parts_that_must_be_objects_are_checked(tmp_path: Path) -> None:
    report = _report([[{"ContestSelectionId": "cs-a", "SelectionPosition": [7]}]])
    path = tmp_path / "cvr.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    with pytest.raises(BallotFormatError, match="a SelectionPosition must be an object"):
        read_cdf(path)
