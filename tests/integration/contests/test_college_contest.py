"""A contest counted as an electoral college over its voter classes, end to end.

The test rulebook (tests/support/rulebooks/college-thirds.toml) weights three voter classes a
third each, as Labour's college did: MPs and MEPs, members, affiliated members. The ballots
below elect Ann in the college and Bob if every ballot were pooled (Bob has 33 first
preferences of 60 and 33 of 60 after Cy's transfer), so only a true college count elects Ann.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mandate.ballots.model import Ballot, Candidate, Profile
from mandate.ballots.sections import SectionedProfile
from mandate.cli.app import app
from mandate.counting.college import count_college
from mandate.counting.irv import IrvOptions, count_irv
from mandate.counting.report import result_to_json
from mandate.counting.tiebreak import TieBreak
from mandate.errors import RulebookError, VerificationError
from mandate.ids import CandidateId
from mandate.service import ContestService
from mandate.service.contests import Receipt
from mandate.service.lifecycle import ContestState
from mandate.service.results import count_contest, declare_contest
from mandate.service.verify import verify_published
from tests.integration.contests.conftest import DECIDED_ON, write_roll

RULEBOOKS = Path(__file__).resolve().parents[2] / "support" / "rulebooks"
RULEBOOK = RULEBOOKS / "college-thirds.toml"
CLASSES = ("plp_eplp", "member", "affiliated")
CANDIDATES = ("Ann", "Bob", "Cy")
THIRD = Fraction(1, 3)

Votes = dict[str, list[tuple[tuple[str, ...], int]]]

VOTES: Votes = {
    "plp_eplp": [(("Ann", "Bob"), 6), (("Bob",), 2)],
    "member": [(("Bob", "Ann"), 26), (("Ann",), 14)],
    "affiliated": [(("Bob", "Cy"), 5), (("Ann", "Bob"), 4), (("Cy", "Ann"), 3)],
}
PAPER = {"affiliated": [(("Bob", "Cy"), 2), (("Cy", "Ann"), 1)]}
"""Of the affiliated members' ballots above, those returned on paper."""


def _profile(ballots: list[tuple[tuple[str, ...], int]]) -> Profile:
    return Profile(
        candidates=tuple(Candidate(id=CandidateId(c), name=c) for c in CANDIDATES),
        ballots=tuple(
            Ballot(ranking=tuple(frozenset({CandidateId(c)}) for c in ranking), count=n)
            for ranking, n in ballots
            if n
        ),
    )


def _expected(votes: Votes, contest_id: str) -> dict[str, object]:
    """The college counted straight from the ballots with the counting engine."""
    sections = SectionedProfile(sections=tuple((c, _profile(votes.get(c, []))) for c in CLASSES))
    options = IrvOptions(tiebreak=TieBreak.PREVIOUS_ROUND, seed=contest_id)
    return result_to_json(count_college(sections, dict.fromkeys(CLASSES, THIRD), options))


def _open(service: ContestService, folder: Path, contest_id: str) -> dict[str, list[str]]:
    """Create the contest, nominate, import a roll (two abstainers a class), issue
    credentials and open the ballot; the credentials by class."""
    service.create_contest(contest_id=contest_id, rulebook_ref=str(RULEBOOK))
    service.open_nominations(contest_id)
    for name in CANDIDATES:
        service.nominate(contest_id, name, nominations=40)
    service.close_nominations(contest_id, threshold=33, basis="12.5% of 257, rounded up")
    rows = []
    for voter_class in CLASSES:
        voters = sum(n for _, n in VOTES[voter_class])  # online and by post
        rows += [(f"{voter_class}-{i}", voter_class, "2010-01-01", "no") for i in range(voters + 2)]
    service.import_roll(contest_id, [write_roll(folder / "roll.csv", rows)], on=DECIDED_ON)
    out = folder / "credentials.csv"
    service.issue_credentials(contest_id, out)
    service.open_ballot(contest_id)
    by_class: dict[str, list[str]] = {c: [] for c in CLASSES}
    with out.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            by_class[row["voter_class"]].append(row["credential"])
    return by_class


def _vote(
    service: ContestService, contest_id: str, credentials: dict[str, list[str]], votes: Votes
) -> None:
    """Cast each class's ballots online, but for its paper ones, entered as a batch."""
    for voter_class, ballots in votes.items():
        paper = Counter(dict(PAPER.get(voter_class, [])))
        online = [(r, n - paper[r]) for r, n in ballots]
        keys = iter(credentials[voter_class])
        items = [(next(keys), list(r)) for r, n in online for _ in range(n)]
        outcomes = service.cast_many(contest_id, items)
        assert all(isinstance(x, Receipt) for x in outcomes), outcomes
        if paper:
            postal = [next(keys) for _ in range(paper.total())]
            assert service.record_envelopes(contest_id, postal) == (None,) * len(postal)
            service.enter_paper_batch(
                contest_id,
                label=f"{voter_class} postal",
                voter_class=voter_class,
                ballots=[list(r) for r, n in paper.items() for _ in range(n)],
            )


def test_a_college_contest_is_counted_declared_and_verified_by_class(
    service: ContestService, tmp_path: Path
) -> None:
    credentials = _open(service, tmp_path, "college")
    _vote(service, "college", credentials, VOTES)
    service.close_ballot("college")

    counted = count_contest(service, "college")

    assert result_to_json(counted.total) == _expected(VOTES, "college")
    assert counted.total.method == "college"
    assert [counted.total.name_of(c) for c in counted.total.elected] == ["Ann"]
    pooled = count_irv(
        _profile([b for c in CLASSES for b in VOTES[c]]),
        IrvOptions(tiebreak=TieBreak.PREVIOUS_ROUND, seed="college"),
    )
    assert pooled.winner == "Bob"  # only the college elects Ann
    for voter_class, result in counted.by_class:
        section = next(s for s in counted.total.rounds[0].sections if s.section == voter_class)
        assert result.rounds[0].tally == section.tally
    assert [c for c, _ in counted.by_class] == list(CLASSES)
    assert {t.voter_class: (t.online, t.paper) for t in counted.tallies} == {
        "plp_eplp": (8, 0),
        "member": (40, 0),
        "affiliated": (9, 3),
    }
    stored = json.loads(service.store.results("college")["total"])
    assert stored == json.loads(json.dumps(_expected(VOTES, "college")))
    assert service.state("college") is ContestState.COUNTED

    folder = declare_contest(service, "college", tmp_path / "published")

    report = verify_published(folder, public_key=service.public_key("college"))
    assert report.elected == ("Ann",)
    assert report.ballots == 60
    published = json.loads((folder / "result.json").read_text(encoding="utf-8"))
    assert published == stored
    cvrs = json.loads((folder / "cvr.json").read_text(encoding="utf-8"))["CVR"]
    assert Counter(cvr["BallotStyleId"] for cvr in cvrs) == {
        "plp_eplp": 8,
        "member": 40,
        "affiliated": 12,
    }
    with (folder / "cvr.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert Counter(row["voter_class"] for row in rows) == {
        "plp_eplp": 8,
        "member": 40,
        "affiliated": 12,
    }


def test_a_class_that_casts_no_ballot_adds_nothing_to_the_college(
    service: ContestService, tmp_path: Path
) -> None:
    votes = {c: b for c, b in VOTES.items() if c != "plp_eplp"}
    credentials = _open(service, tmp_path, "no-mps")
    _vote(service, "no-mps", credentials, votes)
    service.close_ballot("no-mps")

    counted = count_contest(service, "no-mps")

    assert result_to_json(counted.total) == _expected(votes, "no-mps")
    first = counted.total.rounds[0]
    assert next(s for s in first.sections if s.section == "plp_eplp").valid == 0
    assert sum(v for _, v in first.tally) == 2 * THIRD
    assert [c for c, _ in counted.by_class] == ["member", "affiliated"]
    folder = declare_contest(service, "no-mps", tmp_path / "published")
    assert verify_published(folder).elected == tuple(
        counted.total.name_of(c) for c in counted.total.elected
    )


def _declared(service: ContestService, folder: Path, contest_id: str) -> Path:
    credentials = _open(service, folder, contest_id)
    _vote(service, contest_id, credentials, VOTES)
    service.close_ballot(contest_id)
    count_contest(service, contest_id)
    return declare_contest(service, contest_id, folder / "published")


def _move_in_cdf(folder: Path, ranking: str, source: str, target: str) -> None:
    """Move one published CVR of ``source`` whose first choice is ``ranking`` to ``target``."""
    path = folder / "cvr.json"
    report = json.loads(path.read_text(encoding="utf-8"))
    election = report["Election"][0]
    contest = election["Contest"][0]
    selections = {s["@id"]: s["CandidateIds"][0] for s in contest["ContestSelection"]}
    names = {c["@id"]: c["Name"] for c in election["Candidate"]}
    for cvr in report["CVR"]:
        marks = cvr["CVRSnapshot"][0]["CVRContest"][0]["CVRContestSelection"]
        first = names[selections[marks[0]["ContestSelectionId"]]]
        if cvr["BallotStyleId"] == source and first == ranking:
            cvr["BallotStyleId"] = target
            break
    path.write_text(json.dumps(report), encoding="utf-8")


def test_verify_refuses_records_whose_classes_disagree(
    service: ContestService, tmp_path: Path
) -> None:
    """cvr.json and cvr.csv must put the same ballots in each class."""
    folder = _declared(service, tmp_path, "moved")
    _move_in_cdf(folder, "Ann", "plp_eplp", "member")
    _resign(service, "moved", folder)

    with pytest.raises(VerificationError, match=r"class 'plp_eplp' differ from cvr\.json's"):
        verify_published(folder)


def test_verify_refuses_a_ballot_moved_to_another_class(
    service: ContestService, tmp_path: Path
) -> None:
    """The class of a published ballot decides the college: an MP's ballot moved to the
    members in both records, with the declaration re-signed by whoever holds the key, no
    longer recounts to the published result."""
    folder = _declared(service, tmp_path, "moved")
    _move_in_cdf(folder, "Ann", "plp_eplp", "member")
    path = folder / "cvr.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("plp_eplp,1,Ann,", "member,1,Ann,", 1), encoding="utf-8")
    _resign(service, "moved", folder)

    with pytest.raises(VerificationError, match=r"result\.json: \.rounds\[0\]"):
        verify_published(folder)


def _resign(service: ContestService, contest_id: str, folder: Path) -> None:
    """Re-hash the files into the declaration and sign it again with the contest's key."""
    import hashlib

    signed = json.loads((folder / "declaration.json").read_text(encoding="utf-8"))
    declaration = signed["declaration"]
    for name in declaration["files"]:
        declaration["files"][name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    signed["signature"]["value"] = service.signer.sign(declaration)  # type: ignore[union-attr]
    (folder / "declaration.json").write_text(json.dumps(signed), encoding="utf-8")


def test_a_points_per_district_rulebook_is_refused_at_creation_naming_its_clause(
    service: ContestService,
) -> None:
    with pytest.raises(RulebookError, match="points per district") as info:
        service.create_contest(
            contest_id="cpc", rulebook_ref=str(RULEBOOKS / "points-per-district.toml")
        )
    assert "Leadership election rules: points per riding (as reported)" in str(info.value)
    assert info.value.where == "key ballots.leader.district_points"
    assert service.list_contests() == ()


def test_a_college_section_that_is_not_a_voter_class_is_refused_at_creation(
    service: ContestService, tmp_path: Path
) -> None:
    text = RULEBOOK.read_text(encoding="utf-8").replace('plp_eplp = "1/3"', 'plp = "1/3"')
    rulebook = tmp_path / "college-by-body.toml"
    rulebook.write_text(text, encoding="utf-8")
    with pytest.raises(RulebookError) as info:
        service.create_contest(contest_id="c", rulebook_ref=str(rulebook))
    message = str(info.value)
    assert message.startswith(f"{rulebook}, key ballots.leader.sections: ")
    assert "(Leadership election rules: electoral college in thirds (as reported))" in message
    assert "section 'plp' is a body" in message
    assert "voter class 'plp_eplp' has no weight" in message
    assert service.list_contests() == ()


runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_an_officer_runs_a_college_contest_with_the_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.integration.contests.test_cli_contest import officer_environment

    d = ("--data-dir", str(tmp_path / "data"))
    officer_environment(monkeypatch, tmp_path)
    _run("contest", "create", "c1", "--rulebook", str(RULEBOOK), *d)
    _run("nominations", "open", "c1", *d)
    for name in CANDIDATES:
        _run("nominations", "add", "c1", name, "--nominations", "40", *d)
    _run("nominations", "close", "c1", "--threshold", "33", "--basis", "12.5% of 257", *d)
    rows = [
        (f"{c}-{i}", c, "2010-01-01", "no")
        for c in CLASSES
        for i in range(sum(n for _, n in VOTES[c]))
    ]
    roll = write_roll(tmp_path / "roll.csv", rows)
    _run("roll", "import", "c1", str(roll), "--on", "2016-08-08", *d)
    creds = tmp_path / "creds.csv"
    _run("credentials", "export", "c1", str(creds), *d)
    _run("ballot", "open", "c1", *d)
    with creds.open(newline="") as handle:
        keys: dict[str, list[str]] = {c: [] for c in CLASSES}
        for row in csv.DictReader(handle):
            keys[row["voter_class"]].append(row["credential"])
    for voter_class, ballots in VOTES.items():
        own = iter(keys[voter_class])
        for ranking, n in ballots:
            for _ in range(n):
                _run("ballot", "cast", "--credential", next(own), *ranking, *d)
    _run("ballot", "close", "c1", *d)
    out = _run("contest", "count", "c1", *d)
    assert "College" in out
    assert "0.477777777" in out  # Ann's weighted total: (6/8 + 14/40 + 4/12) / 3 = 43/90
    assert "elected: Ann after 2 rounds" in out
    _run("contest", "declare", "c1", *d)
    assert "verified c1" in _run("verify", str(tmp_path / "data" / "published" / "c1"))
    published = json.loads(
        (tmp_path / "data" / "published" / "c1" / "result.json").read_text(encoding="utf-8")
    )
    assert published == json.loads(json.dumps(_expected(VOTES, "c1")))
