"""Protections every response gets: security headers and request-size limits.

Both are plain ASGI middleware so that they also cover errors raised before a route runs.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "BodyLimit",
    "BodySizeLimitMiddleware",
    "BodyTooLarge",
    "SecurityHeadersMiddleware",
]

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
"""Only our own files: no inline script, no third-party origin, never framed."""

_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)


class SecurityHeadersMiddleware:
    """Add the security headers to every HTTP response (unless a route set its own)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(pair for pair in _HEADERS if pair[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


@dataclass(frozen=True, slots=True, kw_only=True)
class BodyLimit:
    """A larger body limit for the paths that take uploads (rulebooks, rolls, paper batches)."""

    path_suffixes: tuple[str, ...]
    max_bytes: int


class BodyTooLarge(HTTPException):
    """Raised inside ``receive`` when a streamed body passes its limit.

    An ``HTTPException`` so that FastAPI's body parsing lets it through to the error handlers,
    which answer ``413`` in the page's or the API's own way.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(413, _too_large_detail(limit))


class BodySizeLimitMiddleware:
    """Refuse request bodies over a limit with ``413`` and a problem-details body.

    The declared ``Content-Length`` is checked first; a body streamed without one is counted
    as it arrives, and refused as soon as it passes the limit.
    """

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, upload_limits: Sequence[BodyLimit] = ()
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_limits = tuple(upload_limits)

    def limit_for(self, path: str) -> int:
        """The body limit for a request path."""
        for limit in self.upload_limits:
            if path.endswith(limit.path_suffixes):
                return limit.max_bytes
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = 0
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = limit + 1
        if declared > limit:  # refuse before reading a byte of it
            await _send_too_large(send, scope["path"], limit)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await _send_too_large(send, scope["path"], limit)


def _too_large_detail(limit: int) -> str:
    return f"the request is larger than the {limit:,}-byte limit for this address"


async def _send_too_large(send: Send, path: str, limit: int) -> None:
    if path == "/api" or path.startswith("/api/"):
        media_type = b"application/problem+json"
        body = json.dumps(
            {
                "type": "https://mandate.invalid/problems/request-too-large",
                "title": "Request too large",
                "status": 413,
                "detail": _too_large_detail(limit),
                "instance": path,
                "limit": limit,
            }
        ).encode()
    else:
        media_type = b"text/html; charset=utf-8"
        body = (
            '<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
            "<title>Request too large · mandate</title>"
            '<link rel="stylesheet" href="/static/css/site.css"></head>'
            '<body><main id="main" class="wrap"><h1>Request too large</h1>'
            f'<p class="notice notice-error">{html.escape(_too_large_detail(limit))}.</p>'
            "<p>Nothing was changed. Go back and send a smaller file.</p></main></body></html>"
        ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", media_type),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
