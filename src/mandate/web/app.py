"""The web app factory: pages for voters, officials and the public, and the REST API.

``create_app(settings)`` builds everything from one :class:`~mandate.config.Settings`; nothing
here reads the environment (``mandate serve`` does, in the shell, for ``--workers``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp

from mandate import __version__
from mandate.config import Settings
from mandate.crypto import Signer
from mandate.service import open_service
from mandate.service.access import open_access
from mandate.web import api, keys_public, official, public, voter
from mandate.web.auth import SECURITY_SCHEMES, SignedInGate
from mandate.web.problems import install_error_handlers, with_problem_schema
from mandate.web.security import BodyLimit, BodySizeLimitMiddleware, SecurityHeadersMiddleware
from mandate.web.templating import STATIC_DIR, render

__all__ = [
    "DOCUMENT_PATH_SUFFIXES",
    "MAX_BODY_BYTES",
    "MAX_DOCUMENT_BYTES",
    "MAX_UPLOAD_BYTES",
    "UPLOAD_PATH_SUFFIXES",
    "create_app",
]

MAX_BODY_BYTES = 64 * 1024
"""Largest request body accepted anywhere but the addresses below (a ballot is far smaller)."""

MAX_DOCUMENT_BYTES = 1024 * 1024
"""Largest JSON or form body: a new contest with its rulebook, a batch of paper ballots.

These are parsed whole in memory (several times their size), so they stay small; a large
paper count is entered in several batches."""

DOCUMENT_PATH_SUFFIXES = ("/rulebook", "/contests", "/paper-batches")
"""Paths (by ending) that take a document, and so get :data:`MAX_DOCUMENT_BYTES`."""

MAX_UPLOAD_BYTES = 128 * 1024 * 1024
"""Largest roll (700,000 rows is about 60 MB): streamed to a file, never held in memory."""

UPLOAD_PATH_SUFFIXES = ("/roll",)
"""Paths (by ending) that stream an upload to a file, and so get :data:`MAX_UPLOAD_BYTES`."""


class _MandateApp(FastAPI):
    """FastAPI with the security headers outside everything, even the server-error layer.

    Starlette puts its ``ServerErrorMiddleware`` (which answers ``500``) outside the
    middleware added with ``add_middleware``; wrapping the whole stack gives those answers
    the headers too.
    """

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeadersMiddleware(super().build_middleware_stack())

    def openapi(self) -> dict[str, Any]:
        """The schema FastAPI builds, with the problem body every refusal refers to and the
        officials' session cookie and CSRF header as security schemes."""
        if self.openapi_schema is None:
            schema = with_problem_schema(super().openapi())
            schema["components"]["securitySchemes"] = SECURITY_SCHEMES
            self.openapi_schema = schema
        return self.openapi_schema


def create_app(
    settings: Settings,
    *,
    signer: Signer | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
    rate_limit_key: bytes | None = None,
) -> FastAPI:
    """Build the web app for one installation.

    Args:
        settings: the data folder, the database and the server secret (required: the app
            checks voting codes with keys derived from it).
        signer: the returning officer's key, if the server was started with it; otherwise
            each step that signs asks for the key file and its passphrase in its form.
        max_body_bytes: body limit for ordinary requests (413 above it).
        max_upload_bytes: body limit for the roll, which is streamed to a file.
        rate_limit_key: the key naming rate-limit buckets (random if not given; the worker
            processes of one server share one).

    A request that sends a body to an official's address is refused (401) before its body
    is read unless it carries a live session (:class:`~mandate.web.auth.SignedInGate`).

    Returns:
        The ASGI app; the OpenAPI schema is at ``/api/openapi.json``.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.service.close()
        app.state.access.close()

    app = _MandateApp(
        lifespan=lifespan,
        title="mandate",
        version=__version__,
        summary="Open, verifiable elections: casting, contest administration and results.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app.state.service = open_service(settings, signer=signer, require_secret=True)
    app.state.access = open_access(settings, bucket_key=rate_limit_key)
    app.add_middleware(SignedInGate)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=max_body_bytes,
        upload_limits=(
            BodyLimit(path_suffixes=UPLOAD_PATH_SUFFIXES, max_bytes=max_upload_bytes),
            BodyLimit(path_suffixes=DOCUMENT_PATH_SUFFIXES, max_bytes=MAX_DOCUMENT_BYTES),
        ),
    )
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        return render(request, "home.html")

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    app.include_router(public.pages)
    app.include_router(keys_public.pages)
    app.include_router(public.api)
    app.include_router(voter.pages)
    app.include_router(official.pages)
    app.include_router(api.api)
    return app
