"""The JSON API on a server without the officer's key: each signed step carries it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mandate.config import Settings
from mandate.service.access import Role
from mandate.service.keys import create_key_file
from mandate.web import create_app
from tests.integration.web.test_api import PASSWORD, Api, problem, sign_in
from tests.support.keys import FAST_KDF, PASSPHRASE
from tests.support.web import make_client


@pytest.fixture
def keyless_ro(settings: Settings) -> Iterator[Api]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = create_app(settings)  # started without --key-file
    with make_client(app) as client:
        app.state.access.add("ro", PASSWORD, Role.RETURNING_OFFICER)
        yield sign_in(client, "ro")


def _key(path: Path) -> str:
    create_key_file(path, PASSPHRASE, params=FAST_KDF)
    return path.read_text(encoding="utf-8")


def test_signed_steps_take_the_key_file_in_the_body(keyless_ro: Api, tmp_path: Path) -> None:
    mine, theirs = _key(tmp_path / "mine.key"), _key(tmp_path / "theirs.key")
    body: dict[str, Any] = {"contest_id": "c1", "rulebook": "labour-2016"}
    unsigned = keyless_ro.post("/api/contests", json=body)
    assert "give --key-file" in problem(unsigned, 422, "invalid-input")["detail"]
    wrong = keyless_ro.post(
        "/api/contests", json={**body, "key_file": mine, "key_passphrase": "not it at all"}
    )
    assert "wrong passphrase" in problem(wrong, 422)["detail"]
    made = keyless_ro.post(
        "/api/contests", json={**body, "key_file": mine, "key_passphrase": PASSPHRASE}
    )
    assert made.status_code == 201, made.text
    other = keyless_ro.post(
        "/api/contests/c1/actions",
        json={"action": "open nominations", "key_file": theirs, "key_passphrase": PASSPHRASE},
    )
    assert "is not the key of contest 'c1'" in problem(other, 422)["detail"]
    opened = keyless_ro.post(
        "/api/contests/c1/actions",
        json={"action": "open nominations", "key_file": mine, "key_passphrase": PASSPHRASE},
    )
    assert opened.json()["state"] == "nominations_open"
