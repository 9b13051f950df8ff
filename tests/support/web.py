"""Helpers for the web tests: a real ``mandate serve`` process, Chromium, axe-core.

``running_server`` starts ``python -m mandate serve`` on 127.0.0.1 on a free port against a
data folder and waits until it answers; ``launch_chromium`` drives Debian's chromium through
Playwright (no browser is ever downloaded); ``axe_violations`` runs the vendored axe-core in
a page.
"""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
AXE_JS = PROJECT_ROOT / "src" / "mandate" / "web" / "static" / "vendor" / "axe.min.js"
PASSWORD = "correct horse battery staple"
"""The password of the officials the browser tests create."""
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
"""Where browser tests write a screenshot of each page (gitignored)."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True, slots=True, kw_only=True)
class Server:
    """A running ``mandate serve``: its base URL, data folder and log file."""

    url: str
    data_dir: Path
    log: Path
    pid: int = 0
    """The server process (with one worker, the process that serves the requests)."""
    key_file: Path | None = None
    """The returning officer's key file, if the server was not started with it."""


@contextmanager
def running_server(
    data_dir: Path,
    *,
    database_url: str | None = None,
    workers: int = 1,
    timeout: float = 30.0,
    holds_key: bool = True,
    extra_args: tuple[str, ...] = (),
) -> Iterator[Server]:
    """Run ``mandate serve`` as a subprocess until the block ends (``extra_args`` added).

    The server gets a server secret and a returning officer's key file (passphrase
    :data:`tests.support.keys.PASSPHRASE`) made beside the data folder; with ``holds_key`` it
    is started with the key, else the official pages ask for it at each step that signs.
    """
    from tests.support.keys import PASSPHRASE, officer_files

    secret_file, key_file = officer_files(data_dir.parent / f"{data_dir.name}-officer")
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "mandate",
        "serve",
        "--data-dir",
        str(data_dir),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    if database_url:
        command += ["--database-url", database_url]
    command += ["--secret-file", str(secret_file)]
    if holds_key:
        command += ["--key-file", str(key_file)]
    command += list(extra_args)
    env = dict(os.environ)
    env["MANDATE_KEY_PASSPHRASE"] = PASSPHRASE
    env["PYTHONPATH"] = os.pathsep.join(
        [str(PROJECT_ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])]
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir / "serve.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, env=env)
        try:
            _wait_until_up(url, process, log, timeout)
            yield Server(
                url=url,
                data_dir=data_dir,
                log=log,
                pid=process.pid,
                key_file=None if holds_key else key_file,
            )
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"mandate serve exited with {process.returncode}:\n{log.read_text()}"
            )
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"mandate serve did not answer within {timeout}s:\n{log.read_text()}")


@contextmanager
def launch_chromium() -> Iterator[Any]:
    """Debian's headless chromium, driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} not found (apt-get install chromium; `make test` does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page: Any, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Run the vendored axe-core in a page; one line per violation of the given impacts."""
    # Loaded from our own static folder: the pages' CSP refuses inline and foreign scripts.
    # A form just submitted may still be replacing the document: wait until it has loaded.
    page.wait_for_load_state("load")
    page.add_script_tag(url="/static/vendor/axe.min.js")
    results = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + json.dumps([n["target"] for n in v["nodes"]])
        for v in results["violations"]
        if v.get("impact") in impacts
    ]


class Http:
    """The API of a running server over HTTP, with a session cookie and the CSRF header."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.headers: dict[str, str] = {}

    def call(self, method: str, path: str, body: Any = None, raw: bytes | None = None) -> bytes:
        data = json.dumps(body).encode() if body is not None else raw
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        with self.opener.open(request) as response:
            return bytes(response.read())

    def sign_in(self, username: str) -> None:
        """Open a session as an official (password :data:`PASSWORD`) and keep its CSRF token."""
        session = json.loads(
            self.call("POST", "/api/session", {"username": username, "password": PASSWORD})
        )
        self.headers["X-CSRF-Token"] = session["csrf_token"]


def make_client(app: Any) -> Any:
    """Starlette's TestClient for an app (its import warns about httpx; that is not ours)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    return TestClient(app)


def add_official(server: Server, username: str, role: str) -> None:
    """Create an official's account (password :data:`PASSWORD`) with the command line."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mandate",
            "officials",
            "add",
            username,
            "--role",
            role,
            "--password-stdin",
            "--data-dir",
            str(server.data_dir),
        ],
        input=PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
        env={"PYTHONPATH": str(PROJECT_ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )


def assert_accessible(page: Any) -> None:
    """No serious or critical axe-core violation on the page."""
    assert axe_violations(page) == []


def assert_focus_visible(page: Any) -> None:
    """The focused element draws a visible outline."""
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline[0] != "none"
    assert outline[1] != "0px"


def tab_to(page: Any, selector: str, *, limit: int = 40) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        if page.evaluate(f"() => document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {selector} with the Tab key")


def sign_in_official(page: Any, username: str = "ro") -> None:
    """Sign in on the officials' page as ``username`` (password :data:`PASSWORD`), as an
    official would, and wait for the dashboard."""
    page.goto("/official/sign-in")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/official")


def new_page(browser: Any, server: Server, *, width: int = 1100, **options: Any) -> tuple[Any, Any]:
    """A fresh browser context on the served app (``options`` as Playwright takes them) and
    its page, with a generous timeout for a busy machine."""
    context = browser.new_context(
        base_url=server.url, viewport={"width": width, "height": 900}, **options
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


LEADER_2016 = "leader-2016"
INCUMBENT_AND_CHALLENGER = (
    {"name": "Jeremy Corbyn", "automatic": "incumbent"},
    {"name": "Owen Smith", "nominations": 172},
)
"""The 2016 contest's nominations, as the API takes them."""


def open_ballot_by_api(
    api: Http,
    roll: str,
    *,
    contest: str = LEADER_2016,
    nominations: Sequence[Mapping[str, object]] = INCUMBENT_AND_CHALLENGER,
) -> list[dict[str, str]]:
    """A returning officer (``api``, signed in) takes a labour-2016 contest through the API
    up to an open ballot: nominations, the threshold of 20% of 251 on 20 July 2016, ``roll``
    (CSV) frozen on 8 August 2016, the voting codes. Returns the codes' rows (``member_id``,
    ``voter_class``, ``credential``, ...)."""
    base = f"/api/contests/{contest}"
    api.call("POST", "/api/contests", {"contest_id": contest, "rulebook": "labour-2016"})
    api.call("POST", f"{base}/actions", {"action": "open nominations"})
    for nomination in nominations:
        api.call("POST", f"{base}/nominations", dict(nomination))
    threshold = {"process": "challenge", "body_size": 251, "on": "2016-07-20"}
    api.call("POST", f"{base}/close-nominations", threshold)
    api.call("PUT", f"{base}/roll?on=2016-08-08", raw=roll.encode())
    issued = api.call("POST", f"{base}/credentials").decode()
    api.call("POST", f"{base}/actions", {"action": "open the ballot"})
    return list(csv.DictReader(io.StringIO(issued)))
