"""Fixtures for the web tests: the app in-process, ``mandate serve`` as a process, Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mandate.config import Settings
from mandate.web import create_app
from tests.support.keys import keyed_settings, new_signer
from tests.support.web import SCREENSHOTS, Server, launch_chromium, make_client, running_server


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a fresh data folder with its own SQLite file and a server secret."""
    return keyed_settings(tmp_path / "data")


@pytest.fixture
def client(settings: Settings) -> Iterator[Any]:
    """The app in-process (Starlette's TestClient) over a temporary SQLite database."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with make_client(create_app(settings, signer=new_signer())) as test_client:
        yield test_client


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """``mandate serve`` on 127.0.0.1 and a free port, against a temporary data folder."""
    with running_server(tmp_path / "served") as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright, shared by the session's browser tests."""
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    """A fresh browser context and page whose relative URLs go to ``server``."""
    context = browser.new_context(base_url=server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The folder browser tests write their page screenshots to (``test-artifacts/``)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
