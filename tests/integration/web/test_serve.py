"""``mandate serve`` as a process: the demo's declared result on the public pages, and several
worker processes against PostgreSQL sharing sessions and attempt counters."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest

from tests.support.web import PROJECT_ROOT, running_server

PASSWORD = "correct horse battery staple"


def mandate(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT / "src"))
    return subprocess.run(
        [sys.executable, "-m", "mandate", *args],
        input=stdin,
        text=True,
        capture_output=True,
        check=True,
        env=env,
    )


def test_after_mandate_demo_the_declared_result_is_served(tmp_path: Path) -> None:
    data = tmp_path / "data"
    mandate("demo", "--data-dir", str(data), "--scale", "0.001")
    with running_server(data) as server:
        with urllib.request.urlopen(f"{server.url}/results") as response:
            index = response.read().decode()
        assert 'href="/results/labour-leader-2016"' in index
        with urllib.request.urlopen(f"{server.url}/results/labour-leader-2016") as response:
            page = response.read().decode()
    assert "Elected: Jeremy Corbyn" in page
    assert "Results by class of voter" in page
    for title in ("Members", "Registered supporters", "Affiliated supporters"):
        assert f'<th scope="col" class="num">{title}</th>' in page
    assert "<svg" in page


def _opener() -> Any:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))


def _post_json(opener: Any, url: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    with opener.open(request) as response:
        return json.loads(response.read())


@pytest.mark.postgres
def test_workers_share_sessions_through_postgresql(tmp_path: Path, postgres_url: str) -> None:
    data = tmp_path / "data"
    mandate(
        "officials", "add", "ro", "--role", "returning-officer", "--password-stdin",
        "--data-dir", str(data), "--database-url", postgres_url,
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    with running_server(data, database_url=postgres_url, workers=2) as server:
        deadline = time.monotonic() + 60
        while server.log.read_text().count("Application startup complete") < 2:
            assert time.monotonic() < deadline, server.log.read_text()
            time.sleep(0.2)
        opener = _opener()
        signed_in = _post_json(
            opener, f"{server.url}/api/session", {"username": "ro", "password": PASSWORD}, {}
        )
        csrf = {"X-CSRF-Token": signed_in["csrf_token"]}
        # Many requests, spread over both workers: every one knows the session.
        for number in range(12):
            created = _post_json(
                opener,
                f"{server.url}/api/contests",
                {"contest_id": f"c{number}", "rulebook": "labour-2016"},
                csrf,
            )
            assert created["state"] == "draft"
        with opener.open(f"{server.url}/api/contests") as response:
            assert len(json.loads(response.read())) == 12
        log = server.log.read_text()
    assert log.count("Started server process") == 2  # two worker processes served


def test_officials_command_adds_and_lists_accounts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    added = mandate(
        "officials", "add", "sc", "--role", "scrutineer", "--password-stdin",
        "--data-dir", str(data), stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert added.stdout.strip() == "added sc (scrutineer)"
    listed = mandate("officials", "list", "--data-dir", str(data))
    assert listed.stdout == "sc\tscrutineer\n"
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT / "src"))
    short = subprocess.run(
        [sys.executable, "-m", "mandate", "officials", "add", "x1", "--role", "observer",
         "--password-stdin", "--data-dir", str(data)],
        input="short\n", text=True, capture_output=True, env=env,
    )  # fmt: skip
    assert short.returncode == 3
    assert "at least 12 characters" in short.stderr
