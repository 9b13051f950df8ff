"""Secrecy after the close: the database keeps no trace of the order ballots were cast in.

Someone who learns the order in which members voted (from a web log, or by watching who voted
when) could pair it with the ballots' physical order in the database: the order of PostgreSQL's
row versions (``ctid``) and transaction stamps (``xmin``), or the byte offsets at which SQLite
wrote each ballot into its file. Each test casts sixty distinct rankings in a known order,
closes the ballot, and reads the ballots back in every physical order it can find.

In a random order about half of the consecutive pairs of the casting order come out ascending;
in the casting order all of them do, in reverse none. The bound below (48 of 59 either way) is
more than seven standard deviations from a random order's mean.
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest
import sqlalchemy as sa

from mandate.service import ContestService
from tests.integration.contests.test_secrecy import CANDIDATES, _open_five
from tests.support.keys import keyed_service

BOUND = 48


def _cast_in_known_order(service: ContestService, tmp_path: Path) -> list[str]:
    """Cast one distinct ranking per voter; the stored rankings, in casting order."""
    credentials = _open_five(service, tmp_path)
    voters = sorted(credentials)
    random.Random(27).shuffle(voters)
    rankings = list(itertools.permutations(CANDIDATES, 3))[: len(voters)]
    for member_id, ranking in zip(voters, rankings, strict=True):
        service.cast(credentials[member_id], list(ranking))
    engine = service.store.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        stored = {
            tuple(c for rank in json.loads(r) for c in rank): r
            for (r,) in conn.execute(
                sa.text("SELECT ranking FROM ballots WHERE channel = 'online'")
            )
        }
    names = {c.name: c.candidate_id for c in service.store.candidates("s")}
    return [stored[tuple(names[n] for n in ranking)] for ranking in rankings]


def _ascents(physical: list[str], cast: list[str]) -> int:
    """How many consecutive pairs of the casting order keep their order physically."""
    position = {ranking: n for n, ranking in enumerate(physical)}
    return sum(position[a] < position[b] for a, b in itertools.pairwise(cast))


def _assert_unordered(physical: list[str], cast: list[str], what: str) -> None:
    assert sorted(physical) == sorted(cast), f"{what}: not every ballot found once"
    ascents = _ascents(physical, cast)
    pairs = len(cast) - 1
    assert pairs - BOUND < ascents < BOUND, (
        f"{what}: {ascents} of {pairs} consecutive ballots keep their casting order"
    )


@pytest.mark.postgres
def test_postgres_pages_and_transactions_forget_the_casting_order(
    postgres_url: str, tmp_path: Path
) -> None:
    from mandate.storage.sql import open_store

    service = keyed_service(open_store(postgres_url))
    try:
        cast = _cast_in_known_order(service, tmp_path)
        service.close_ballot("s")
        engine = service.store.engine  # type: ignore[attr-defined]
        with engine.connect() as conn:
            for order in ("ctid", "xmin::text::bigint, ctid"):
                physical = [
                    r
                    for (r,) in conn.execute(
                        sa.text(
                            f"SELECT ranking FROM ballots WHERE channel = 'online' ORDER BY {order}"
                        )
                    )
                ]
                _assert_unordered(physical, cast, f"ballots by {order}")
            stamps = conn.execute(
                sa.text("SELECT count(DISTINCT xmin::text) FROM ballots")
            ).scalar_one()
            assert stamps == 1, "ballot rows still carry the transactions that cast them"
    finally:
        service.close()


def test_sqlite_file_forgets_the_casting_order(tmp_path: Path) -> None:
    from mandate.storage.sql import open_store

    database = tmp_path / "mandate.db"
    service = keyed_service(open_store(f"sqlite:///{database}"))
    try:
        cast = _cast_in_known_order(service, tmp_path)
        service.close_ballot("s")
        wal = database.with_name(database.name + "-wal")
        logged = wal.read_bytes() if wal.exists() else b""
        left = [r for r in cast if r.encode() in logged]
        assert left == [], f"the write-ahead log still holds {len(left)} cast ballots"
        data = database.read_bytes()
        offsets = {}
        for ranking in cast:
            needle = ranking.encode()
            first = data.find(needle)
            assert first >= 0, f"ranking {ranking} not found in the file"
            assert data.find(needle, first + 1) == -1, (
                f"a stale copy of {ranking} is left in the file"
            )
            offsets[ranking] = first
        physical = sorted(cast, key=offsets.__getitem__)
        _assert_unordered(physical, cast, "ballots by their offset in the SQLite file")
    finally:
        service.close()
