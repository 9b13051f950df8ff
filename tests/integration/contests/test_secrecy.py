"""Secrecy: no query over the stored tables links a voter to their ballot.

Voters cast in a known order, each with a ranking nobody else uses, so that any join or
ordering that linked voter and ballot would show. The test tries the obvious ones: shared
columns, the ballots' ids, trackers and dates, row order (SQLite ``rowid``, PostgreSQL
``ctid``), and on PostgreSQL the transaction stamp ``xmin`` shared by rows written together.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import sqlalchemy as sa

from mandate.service import ContestService
from mandate.storage.schema import metadata
from tests.integration.contests.conftest import small_roll

CANDIDATES = ("A", "B", "C", "D", "E")


def _open_five(service: ContestService, tmp_path: Path) -> dict[str, str]:
    service.create_contest(contest_id="s", rulebook_ref="labour-2016")
    service.open_nominations("s")
    for name in CANDIDATES:
        service.nominate("s", name, nominations=60)
    service.close_nominations("s", threshold=51, basis="20% of 251")
    import datetime as dt

    service.import_roll("s", [small_roll(tmp_path, 60)], on=dt.date(2016, 8, 8))
    out = tmp_path / "creds.csv"
    service.issue_credentials("s", out)
    service.open_ballot("s")
    import csv

    with out.open(newline="") as handle:
        return {row["member_id"]: row["credential"] for row in csv.DictReader(handle)}


def test_ballots_table_has_no_column_that_names_a_voter() -> None:
    columns = {c.name for c in metadata.tables["ballots"].columns}
    assert columns == {
        "id",
        "contest_id",
        "tracker",
        "voter_class",
        "channel",
        "batch_id",
        "ranking",
        "cast_on",
    }
    electors = {c.name for c in metadata.tables["electors"].columns}
    assert electors & columns == {"contest_id", "voter_class"}
    assert not {"cast_at", "voted_at", "ballot_id", "tracker"} & electors


def test_no_join_or_ordering_links_voters_to_ballots(
    service: ContestService, tmp_path: Path
) -> None:
    credentials = _open_five(service, tmp_path)
    rankings = list(itertools.permutations(CANDIDATES, 3))[: len(credentials)]
    voters = sorted(credentials)
    random.Random(5).shuffle(voters)  # the order of voting, known only to this test
    cast_by: dict[str, str] = {}
    for member_id, ranking in zip(voters, rankings, strict=False):
        service.cast(credentials[member_id], list(ranking))
        cast_by[member_id] = "[" + ",".join(f'["{c}"]' for c in ranking) + "]"
    service.close_ballot("s")
    store = service.store
    engine = store.engine  # type: ignore[attr-defined]
    postgres = store.dialect == "postgresql"  # type: ignore[attr-defined]
    with engine.connect() as conn:
        # a join on what the tables share pairs every voter with every ballot of their class
        pairs = conn.execute(
            sa.text(
                "SELECT count(*) FROM electors e JOIN ballots b "
                "ON e.contest_id = b.contest_id AND e.voter_class = b.voter_class WHERE e.voted"
            )
        ).scalar_one()
        by_class = conn.execute(
            sa.text("SELECT voter_class, count(*) FROM ballots GROUP BY voter_class")
        ).all()
        assert pairs == sum(n * n for _, n in by_class)
        if postgres:  # rows written in one transaction share xmin until the close rewrites them
            linked = conn.execute(
                sa.text("SELECT count(*) FROM electors e JOIN ballots b ON e.xmin = b.xmin")
            ).scalar_one()
            assert linked == 0, "a transaction id still links electors to ballots"
        # pair the k-th voter with the k-th ballot under every ordering of each table
        elector_orders = ["member_id", "name", "email"]
        ballot_orders = ["id", "tracker", "cast_on, id", "batch_id, id"]
        if postgres:
            elector_orders += ["ctid", "xmin::text::bigint"]
            ballot_orders += ["ctid", "xmin::text::bigint"]
        else:
            elector_orders += ["rowid"]
        for e_order in elector_orders:
            electors = [
                r[0]
                for r in conn.execute(
                    sa.text(f"SELECT member_id FROM electors WHERE voted ORDER BY {e_order}")
                )
            ]
            for b_order in ballot_orders:
                ballots = [
                    r[0]
                    for r in conn.execute(
                        sa.text(f"SELECT ranking FROM ballots ORDER BY {b_order}")
                    )
                ]
                hits = sum(cast_by[m] == r for m, r in zip(electors, ballots, strict=True))
                assert hits <= 5, f"electors by {e_order} and ballots by {b_order}: {hits} linked"
