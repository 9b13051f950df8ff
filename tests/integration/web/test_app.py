"""The app's frame: security headers, size limits, problem details, error pages, serving."""

from __future__ import annotations

import urllib.request
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter

from mandate.errors import (
    AlreadyVotedError,
    BallotClosedError,
    CredentialError,
    IllegalTransitionError,
    InputError,
    NotFoundError,
    TooManyAttemptsError,
)
from mandate.web import create_app
from mandate.web.problems import status_for
from mandate.web.security import CONTENT_SECURITY_POLICY
from tests.support.keys import keyed_settings, new_signer
from tests.support.web import Server, axe_violations, make_client


def test_every_response_carries_the_security_headers(client: Any) -> None:
    for path in ("/", "/nowhere", "/api/nowhere", "/static/css/site.css"):
        response = client.get(path)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY.split("script-src")[1].split(";")[0]


def test_pages_load_nothing_from_another_origin(client: Any) -> None:
    html = client.get("/").text
    assert "http://" not in html
    assert "https://" not in html
    assert "<script>" not in html


def test_unknown_api_address_is_a_problem_document(client: Any) -> None:
    response = client.get("/api/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404
    assert body["type"].endswith("/not-found")
    assert body["instance"] == "/api/nowhere"
    assert "/api/nowhere" in body["detail"]


def test_unknown_page_is_a_friendly_page(client: Any) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Check the address" in response.text


def test_oversized_body_is_refused_with_413_problem(client: Any) -> None:
    response = client.post("/api/results", content=b"x" * 70_000)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["limit"] == 64 * 1024


def test_oversized_streamed_body_is_refused_as_it_arrives(tmp_path: Path) -> None:
    app = create_app(keyed_settings(tmp_path / "data"), max_body_bytes=1000)
    router = APIRouter()

    @router.post("/api/echo")
    async def echo(payload: dict[str, str]) -> dict[str, str]:
        return payload

    app.include_router(router)

    def chunks() -> Any:
        yield b'{"a": "'
        for _ in range(20):
            yield b"y" * 100
        yield b'"}'

    with make_client(app) as client:
        assert client.post("/api/echo", json={"a": "b"}).json() == {"a": "b"}
        response = client.post(
            "/api/echo", content=chunks(), headers={"content-type": "application/json"}
        )
    assert response.status_code == 413
    assert response.json()["type"].endswith("/request-too-large")


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InputError("bad"), 422),
        (CredentialError("forged"), 403),
        (AlreadyVotedError("used"), 409),
        (BallotClosedError("closed"), 409),
        (IllegalTransitionError(action="open", state="draft", allowed=(), clause="c"), 409),
        (NotFoundError("none"), 404),
        (TooManyAttemptsError(what="credential", retry_after=60), 429),
    ],
)
def test_errors_map_to_statuses_by_the_error_tree(error: Exception, status: int) -> None:
    assert status_for(error)[0] == status  # type: ignore[arg-type]


def test_mandate_errors_become_problems_under_api_and_pages_elsewhere(tmp_path: Path) -> None:
    app = create_app(keyed_settings(tmp_path / "data"), signer=new_signer())
    router = APIRouter()

    @router.get("/api/refuse")
    def api_refuse() -> None:
        raise IllegalTransitionError(
            action="open the ballot", state="draft", allowed=("open nominations",), clause="ch.4"
        )

    @router.get("/refuse")
    def page_refuse() -> None:
        raise TooManyAttemptsError(what="credential", retry_after=60)

    app.include_router(router)
    with make_client(app) as client:
        api = client.get("/api/refuse")
        page = client.get("/refuse")
    assert api.status_code == 409
    assert api.json()["clause"] == "ch.4"
    assert api.json()["allowed"] == ["open nominations"]
    assert "cannot open the ballot" in api.json()["detail"]
    assert page.status_code == 429
    assert page.headers["retry-after"] == "60"
    assert "too many failed credential attempts" in page.text


def test_openapi_schema_is_served(client: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/results" in schema["paths"]


def test_mandate_serve_answers_on_loopback(server: Server) -> None:
    with urllib.request.urlopen(f"{server.url}/healthz") as response:
        assert response.status == 200
    with urllib.request.urlopen(f"{server.url}/") as response:
        assert "Skip to main content" in response.read().decode()


@pytest.mark.browser
def test_home_page_in_chromium_has_no_serious_accessibility_violation(
    page: Any, screenshots: Path
) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/")
    assert page.title() == "Welcome · mandate"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    assert axe_violations(page) == []
    page.screenshot(path=str(screenshots / "home.png"), full_page=True)
    assert errors == []
