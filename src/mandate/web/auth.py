"""Officials' sessions on the web: the session cookie, CSRF checks, and the client address.

The cookie holds a random token (HttpOnly, SameSite=Strict, Secure over HTTPS); the session it
names lives in the database. Every state-changing request of an official carries the session's
CSRF token: a hidden ``csrf_token`` field in forms, an ``X-CSRF-Token`` header in the API.
"""

from __future__ import annotations

import functools
import ipaddress

from anyio import to_thread
from fastapi import Request, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from mandate.errors import AccessDeniedError
from mandate.service.access import Access, Action, OfficialSession
from mandate.web.problems import error_response

__all__ = [
    "CHANGES",
    "CSRF_HEADER",
    "OFFICIALS_ONLY_PREFIXES",
    "SECURITY_SCHEMES",
    "SESSION_COOKIE",
    "SIGNED_IN",
    "SignedInGate",
    "access_of",
    "clear_session_cookie",
    "client_address",
    "official_session",
    "optional_session",
    "require",
    "set_session_cookie",
]

SESSION_COOKIE = "mandate_session"
CSRF_HEADER = "X-CSRF-Token"

SECURITY_SCHEMES = {
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": SESSION_COOKIE,
        "description": "The official's session: the cookie `POST /api/session` sets.",
    },
    "csrf": {
        "type": "apiKey",
        "in": "header",
        "name": CSRF_HEADER,
        "description": "The `csrf_token` `POST /api/session` returns, sent back on every "
        "request of an official that changes something.",
    },
}
"""How officials authenticate, as the OpenAPI schema declares it (``components``)."""

SIGNED_IN: dict[str, object] = {"security": [{"session": []}]}
"""``openapi_extra`` of an official's operation that only reads: the session cookie."""

CHANGES: dict[str, object] = {"security": [{"session": [], "csrf": []}]}
"""``openapi_extra`` of an official's operation that changes something: the cookie and the
CSRF header, both."""

OFFICIALS_ONLY_PREFIXES = ("/api/contests", "/official/contests")
"""Paths where every request that sends a body is an official's: checked before reading it."""

_READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def access_of(request: Request) -> Access:
    """The installation's access control (built once by the app factory)."""
    access: Access = request.app.state.access
    return access


def client_address(request: Request) -> str:
    """The client's address, as the rate limits count it.

    The peer's address, unless the peer is one of the settings' trusted proxies: then the
    ``X-Forwarded-For`` hops are read from the right (the nearest first), skipping trusted
    proxies, and the first other address is the client's. Hops further left were written
    by whoever sent the request and are not believed.
    """
    peer = request.client.host if request.client else "unknown"
    trusted = _trusted_networks(request.app.state.settings.trusted_proxies)
    if not trusted or not _is_within(peer, trusted):
        return peer
    hops = [
        hop.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for hop in header.split(",")
    ]
    for hop in reversed(hops):
        if not _is_within(hop, trusted):
            return hop if _is_address(hop) else peer
    return peer


@functools.cache
def _trusted_networks(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _is_within(address: str, networks: tuple[IPNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def optional_session(request: Request) -> OfficialSession | None:
    """The signed-in official's session, or ``None``; remembered on ``request.state``."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        session = access_of(request).session(token)
    except AccessDeniedError:
        return None
    request.state.official = session.official
    request.state.csrf_token = session.csrf_token
    return session


def official_session(request: Request) -> OfficialSession:
    """The signed-in official's session.

    Raises:
        AccessDeniedError: not signed in (401).
    """
    session = optional_session(request)
    if session is None:
        raise AccessDeniedError("sign in as an official to do this", signed_in=False)
    return session


def require(
    request: Request, action: Action, *, csrf: str | None = None, changes: bool = True
) -> OfficialSession:
    """The session of an official allowed to do ``action``, CSRF-checked if it changes things.

    ``csrf`` is the form's token; without it the ``X-CSRF-Token`` header is used.
    """
    session = official_session(request)
    session.official.require(action)
    if changes:
        session.check_csrf(csrf if csrf is not None else request.headers.get(CSRF_HEADER))
    return session


def set_session_cookie(request: Request, response: Response, session: OfficialSession) -> None:
    """Give the browser the session's cookie."""
    response.set_cookie(
        SESSION_COOKIE,
        session.token,
        max_age=max(0, session.expires_at - int(access_of(request).clock())),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    """Remove the session cookie."""
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")


class SignedInGate:
    """Refuse a body sent to an official's address without a live session, unread.

    FastAPI reads and parses a request's body before the route runs, so the route's own
    check comes too late to save the memory a large body takes. This middleware looks at the
    session cookie first and answers ``401`` without reading a byte of the body; the route
    still checks the role and the CSRF token.
    """

    def __init__(self, app: ASGIApp, *, prefixes: tuple[str, ...] = OFFICIALS_ONLY_PREFIXES):
        self.app = app
        self.prefixes = prefixes

    def _guarded(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] in _READ_ONLY_METHODS:
            return False
        path: str = scope["path"]
        return any(path == p or path.startswith(p + "/") for p in self.prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._guarded(scope):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = request.cookies.get(SESSION_COOKIE)
        try:
            if not token:
                raise AccessDeniedError("sign in as an official to do this", signed_in=False)
            await to_thread.run_sync(access_of(request).session, token)
        except AccessDeniedError as refused:
            response = await error_response(request, refused)
            response.headers["Connection"] = "close"  # the unread body is not waited for
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
