"""Smaller protections (issue 10, item 31): headers on a crash, and a trusted proxy.

A ``500`` answer carries the same security headers as every other; behind a reverse proxy
each client is counted by the address the proxy saw (only when the proxy is trusted), so one
client's failures do not lock out everyone behind the proxy, and nobody else can choose the
address they are counted by.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter

from mandate.config import Settings
from mandate.errors import ConfigError
from mandate.service.access import RateLimit, Role
from mandate.web import create_app
from tests.support.keys import keyed_settings

PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.2"


def _client(app: Any, *, peer: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    return TestClient(app, client=(peer, 50000), raise_server_exceptions=False)


def test_a_crash_is_answered_with_the_security_headers(tmp_path: Path) -> None:
    app = create_app(keyed_settings(tmp_path))
    router = APIRouter()

    @router.get("/api/crash")
    def crash() -> None:
        raise RuntimeError("a bug")

    app.include_router(router)
    with _client(app, peer="127.0.0.1") as client:
        answer = client.get("/api/crash")
    assert answer.status_code == 500
    assert "a bug" not in answer.text
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"


def _strict(app: Any) -> Any:
    """The app, with sign-ins limited to 5 failures per address (30 by default)."""
    app.state.access.login_address_limit = RateLimit(attempts=5, window=900)
    app.state.access.add("ro", PASSWORD, Role.RETURNING_OFFICER)
    return app


def _flood_then_sign_in(app: Any, *, attacker: dict[str, str], official: dict[str, str]) -> int:
    """Failed sign-ins over the limit, then the official's right password; its status."""
    with _client(_strict(app), peer=PROXY) as client:
        for number in range(6):
            client.post(
                "/api/session",
                json={"username": f"guess{number}", "password": "not the password"},
                headers=attacker,
            )
        answer = client.post(
            "/api/session", json={"username": "ro", "password": PASSWORD}, headers=official
        )
    return int(answer.status_code)


def test_behind_a_trusted_proxy_one_client_does_not_lock_out_the_others(tmp_path: Path) -> None:
    app = create_app(keyed_settings(tmp_path, trusted_proxies=(PROXY,)))
    status = _flood_then_sign_in(
        app,
        attacker={"X-Forwarded-For": "203.0.113.9"},
        official={"X-Forwarded-For": "198.51.100.7"},
    )
    assert status == 200


def test_an_untrusted_peer_cannot_choose_the_address_it_is_counted_by(tmp_path: Path) -> None:
    """Not configured as a proxy: X-Forwarded-For is ignored, and the flood is limited."""
    app = create_app(keyed_settings(tmp_path))
    status = _flood_then_sign_in(
        app,
        attacker={"X-Forwarded-For": "203.0.113.9"},
        official={"X-Forwarded-For": "198.51.100.7"},
    )
    assert status == 429


def test_only_the_hops_the_trusted_proxies_added_are_believed(tmp_path: Path) -> None:
    """A client behind the proxy cannot rotate a forged left-hand hop to dodge its limit."""
    app = _strict(create_app(keyed_settings(tmp_path, trusted_proxies=("10.0.0.0/24",))))
    with _client(app, peer=PROXY) as client:
        answers = [
            client.post(
                "/api/session",
                json={"username": f"guess{number}", "password": "not the password"},
                headers={"X-Forwarded-For": f"192.0.2.{number}, 203.0.113.9, 10.0.0.5"},
            ).status_code
            for number in range(6)
        ]
    assert answers[-1] == 429


def test_a_trusted_proxy_must_be_an_address_or_network(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="trusted proxy"):
        Settings(data_dir=tmp_path, trusted_proxies=("proxy.example.org",))
