"""A contest service on SQLite and on PostgreSQL, and a contest ready for ballots."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mandate.service import ContestService
from mandate.storage.sql import open_store
from tests.support.keys import keyed_service

CANDIDATES = ("Jeremy Corbyn", "Owen Smith")
DECIDED_ON = dt.date(2016, 8, 8)


@pytest.fixture
def service(database_url: str, tmp_path: Path) -> Iterator[ContestService]:
    """The contest service on a fresh database (SQLite file, then PostgreSQL), holding a
    returning officer's key and a server secret, publishing checkpoints under tmp_path."""
    s = keyed_service(open_store(database_url), tmp_path / "published")
    yield s
    s.close()


def write_roll(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """A roll file: (member_id, voter_class, joined, in_arrears) rows, emails from the id."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["member_id", "voter_class", "name", "email", "joined", "in_arrears"])
        for member_id, voter_class, joined, arrears in rows:
            w.writerow(
                [
                    member_id,
                    voter_class,
                    f"Person {member_id}",
                    f"{member_id}@x.org",
                    joined,
                    arrears,
                ]
            )
    return path


def small_roll(folder: Path, electors: int) -> Path:
    """A valid roll of ``electors`` members and supporters, alternating classes."""
    rows = []
    for n in range(electors):
        if n % 3 == 2:
            rows.append((f"R{n}", "registered_supporter", "2016-07-19", "no"))
        else:
            rows.append((f"M{n}", "member", "2010-05-01", "no"))
    return write_roll(folder / "roll.csv", rows)


@dataclass(frozen=True)
class OpenContest:
    """A contest with its ballot open and the credentials issued for it."""

    contest_id: str
    credentials: dict[str, str]
    """member_id → credential."""
    classes: dict[str, str]
    """member_id → voter class."""


def create_nominated(service: ContestService, contest_id: str = "leader-2016") -> str:
    """A contest from labour-2016 with two candidates standing (nominations closed)."""
    service.create_contest(contest_id=contest_id, rulebook_ref="labour-2016")
    service.open_nominations(contest_id)
    service.nominate(contest_id, CANDIDATES[0], automatic="incumbent (NEC ruling)")
    service.nominate(contest_id, CANDIDATES[1], nominations=172)
    service.close_nominations(contest_id, threshold=51, basis="20% of 251, rounded up")
    return contest_id


def open_contest(
    service: ContestService, folder: Path, *, electors: int = 12, contest_id: str = "leader-2016"
) -> OpenContest:
    """Create, nominate, import a roll, issue credentials and open the ballot."""
    create_nominated(service, contest_id)
    service.import_roll(contest_id, [small_roll(folder, electors)], on=DECIDED_ON)
    out = folder / f"{contest_id}-credentials.csv"
    service.issue_credentials(contest_id, out)
    service.open_ballot(contest_id)
    credentials: dict[str, str] = {}
    classes: dict[str, str] = {}
    with out.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            credentials[row["member_id"]] = row["credential"]
            classes[row["member_id"]] = row["voter_class"]
    return OpenContest(contest_id=contest_id, credentials=credentials, classes=classes)


@pytest.fixture
def ready(service: ContestService, tmp_path: Path) -> OpenContest:
    """A contest with an open ballot, twelve electors and their credentials."""
    return open_contest(service, tmp_path)
