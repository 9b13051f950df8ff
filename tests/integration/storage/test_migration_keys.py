"""Migration 0003_keys: secrets leave contest_keys; a running contest stops the upgrade."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from mandate.crypto import public_key_hex
from mandate.errors import ConfigError
from mandate.storage.sql import alembic_config, make_engine, open_store


def _database_at_0002(path: Path, states: dict[str, str]) -> str:
    """A SQLite database at revision 0002 with contests in the given states and their keys
    stored the old way."""
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0002_web_access")
        for n, (contest_id, state) in enumerate(states.items(), start=1):
            conn.execute(
                sa.text(
                    "INSERT INTO contests (id, title, rulebook_ref, rulebook_id, state, "
                    "count_spec, voter_classes, params, created_on) VALUES (:id, 't', "
                    "'labour-2016', 'labour-2016', :state, '{}', '[]', '{}', '2016-07-12')"
                ),
                {"id": contest_id, "state": state},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO contest_keys (contest_id, signing_seed, credential_key) "
                    "VALUES (:id, :seed, :key)"
                ),
                {"id": contest_id, "seed": bytes([n]) * 32, "key": bytes([n + 100]) * 32},
            )
    engine.dispose()
    return url


def _columns(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return {c["name"] for c in sa.inspect(engine).get_columns("contest_keys")}
    finally:
        engine.dispose()


def test_declared_contests_keep_their_public_key_and_lose_their_secrets(tmp_path: Path) -> None:
    url = _database_at_0002(tmp_path / "m.sqlite3", {"old": "declared"})
    store = open_store(url)
    try:
        assert store.get_keys("old").public_key == public_key_hex(bytes([1]) * 32)
    finally:
        store.close()
    assert _columns(url) == {"contest_id", "public_key"}


def test_a_contest_still_running_stops_the_upgrade_and_nothing_changes(tmp_path: Path) -> None:
    url = _database_at_0002(tmp_path / "m.sqlite3", {"old": "declared", "live": "ballot_open"})
    with pytest.raises(ConfigError, match=r"not declared yet: live \(ballot open\).*previous"):
        open_store(url)
    assert _columns(url) == {"contest_id", "signing_seed", "credential_key"}
