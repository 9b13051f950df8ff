"""``mandate keys``, and the commands that need a key or the server secret without one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from mandate.cli.app import app, exit_code_for
from mandate.crypto import key_fingerprint
from mandate.errors import MandateError

runner = CliRunner()
PASSPHRASE = "correct horse battery staple"


def exit_code(result: Result) -> int:
    """The exit code ``mandate`` gives the error the command raised (0 if none)."""
    if isinstance(result.exception, MandateError):
        return exit_code_for(result.exception)
    return result.exit_code


def test_a_key_file_is_made_shown_and_opened(tmp_path: Path) -> None:
    key = tmp_path / "officer.key"
    made = runner.invoke(app, ["keys", "create", str(key)], input=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert made.exit_code == 0, made.output
    public_key = made.output.strip().splitlines()[-1]
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    shown = runner.invoke(app, ["keys", "show", str(key)])
    assert key_fingerprint(public_key) in shown.output
    phrase = tmp_path / "phrase"
    phrase.write_text(PASSPHRASE + "\n")
    checked = runner.invoke(
        app, ["keys", "show", str(key), "--check", "--passphrase-file", str(phrase)]
    )
    assert checked.exit_code == 0, checked.output
    phrase.write_text("another passphrase\n")
    wrong = runner.invoke(
        app, ["keys", "show", str(key), "--check", "--passphrase-file", str(phrase)]
    )
    assert exit_code(wrong) == 3
    assert "wrong passphrase" in str(wrong.exception)
    again = runner.invoke(app, ["keys", "create", str(key)], input=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert exit_code(again) == 3
    assert "never overwritten" in str(again.exception)


def test_a_signed_step_without_a_key_file_says_how_to_give_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MANDATE_KEY_FILE", raising=False)
    refused = runner.invoke(app, ["ballot", "open", "c1", "--data-dir", str(tmp_path / "data")])
    assert exit_code(refused) == 3
    assert "give --key-file FILE" in str(refused.exception)


def test_credentials_without_the_server_secret_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MANDATE_SECRET_FILE", raising=False)
    monkeypatch.setenv("MANDATE_KEY_PASSPHRASE", PASSPHRASE)
    d = ["--data-dir", str(tmp_path / "data")]
    key = ["--key-file", str(tmp_path / "officer.key")]
    created = runner.invoke(app, ["contest", "create", "c1", "--rulebook", "labour-2016", *key, *d])
    assert created.exit_code == 0, created.output
    refused = runner.invoke(app, ["credentials", "export", "c1", str(tmp_path / "c.csv"), *d])
    assert exit_code(refused) == 7
    assert "no server secret" in str(refused.exception)


def test_a_server_secret_readable_by_others_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "server.secret"
    assert runner.invoke(app, ["keys", "secret", str(secret)]).exit_code == 0
    os.chmod(secret, 0o644)
    refused = runner.invoke(
        app, ["credentials", "reissue", "c1", "M1", "--secret-file", str(secret),
              "--data-dir", str(tmp_path / "data")],
    )  # fmt: skip
    assert exit_code(refused) == 7
    assert "readable by others" in str(refused.exception)


def test_serve_refuses_to_start_without_the_server_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MANDATE_SECRET_FILE", raising=False)
    refused = runner.invoke(app, ["serve", "--data-dir", str(tmp_path / "data")])
    assert exit_code(refused) == 7
    assert "no server secret" in str(refused.exception)
