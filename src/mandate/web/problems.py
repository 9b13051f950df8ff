"""Errors, translated once: RFC 9457 problem details under ``/api``, pages in words elsewhere.

Every :class:`~mandate.errors.MandateError` maps to an HTTP status by its place in the error
tree (:data:`STATUSES`, most specific class first). API clients get
``application/problem+json`` with ``type``, ``title``, ``status``, ``detail`` and
``instance``; people get the same message on a page that says what to do next.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from mandate.errors import (
    AccessDeniedError,
    AlreadyVotedError,
    BallotClosedError,
    ConfigError,
    ContestError,
    CountingError,
    CredentialError,
    IllegalTransitionError,
    InputError,
    IntegrityError,
    MandateError,
    NotFoundError,
    RequestTooLargeError,
    TooManyAttemptsError,
    VerificationError,
)
from mandate.web.security import BodyTooLarge
from mandate.web.templating import render

__all__ = ["PROBLEM_TYPE_BASE", "STATUSES", "install_error_handlers", "problem", "status_for"]

PROBLEM_TYPE_BASE = "https://mandate.invalid/problems/"
"""Base of each problem's ``type`` URI (a name, not a page that is fetched)."""

STATUSES: tuple[tuple[type[MandateError], int, str], ...] = (
    (TooManyAttemptsError, 429, "too-many-attempts"),
    (AccessDeniedError, 403, "access-denied"),
    (RequestTooLargeError, 413, "request-too-large"),
    (InputError, 422, "invalid-input"),
    (CredentialError, 403, "bad-credential"),
    (AlreadyVotedError, 409, "already-voted"),
    (BallotClosedError, 409, "ballot-closed"),
    (IllegalTransitionError, 409, "illegal-transition"),
    (ContestError, 409, "refused"),
    (CountingError, 409, "count-cannot-proceed"),
    (NotFoundError, 404, "not-found"),
    (VerificationError, 500, "record-failed-verification"),
    (IntegrityError, 500, "integrity-failure"),
    (ConfigError, 500, "misconfigured"),
    (MandateError, 500, "error"),
)
"""HTTP status and problem type for each kind of error; the first matching row wins."""

_TITLES = {
    400: "Bad request",
    401: "Sign in needed",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Refused",
    413: "Request too large",
    422: "Invalid input",
    429: "Too many attempts",
    500: "Something went wrong",
}

_HTTP_KINDS = {404: "not-found", 405: "method-not-allowed", 413: "request-too-large"}


def status_for(error: MandateError) -> tuple[int, str]:
    """The HTTP status and problem type name for an error."""
    for cls, status, kind in STATUSES:
        if isinstance(error, cls):
            if isinstance(error, AccessDeniedError) and not error.signed_in and status == 403:
                return 401, "sign-in-needed"
            return status, kind
    raise AssertionError("MandateError is the last row")  # pragma: no cover


def problem(
    request: Request,
    *,
    status: int,
    kind: str,
    detail: str,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """An RFC 9457 problem-details response."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + kind,
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if extra:
        body.update(extra)
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )


def _wants_problem(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


def _error_page(
    request: Request, *, status: int, detail: str, headers: dict[str, str] | None = None
) -> Response:
    response = render(
        request,
        "error.html",
        {"status": status, "title": _TITLES.get(status, "Error"), "detail": detail},
        status_code=status,
    )
    if headers:
        response.headers.update(headers)
    return response


def _extra_for(error: MandateError) -> dict[str, Any]:
    extra: dict[str, Any] = {"error": type(error).__name__}
    for attribute in ("path", "line", "where", "clause", "state", "allowed", "action", "limit"):
        value = getattr(error, attribute, None)
        if value is not None:
            extra[attribute] = list(value) if isinstance(value, tuple) else value
    return extra


async def _mandate_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, MandateError)
    status, kind = status_for(error)
    headers = (
        {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyAttemptsError) else None
    )
    if _wants_problem(request):
        return problem(
            request,
            status=status,
            kind=kind,
            detail=str(error),
            extra=_extra_for(error),
            headers=headers,
        )
    return _error_page(request, status=status, detail=str(error), headers=headers)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    detail = error.detail if isinstance(error.detail, str) else _TITLES.get(error.status_code, "")
    if error.status_code == 404:
        detail = f"there is nothing at {request.url.path}"
    if _wants_problem(request):
        kind = _HTTP_KINDS.get(error.status_code, f"http-{error.status_code}")
        return problem(
            request,
            status=error.status_code,
            kind=kind,
            detail=detail,
            extra={"limit": error.limit} if isinstance(error, BodyTooLarge) else None,
            headers=dict(error.headers or {}),
        )
    return _error_page(
        request, status=error.status_code, detail=detail, headers=dict(error.headers or {})
    )


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    errors = [
        {
            "where": ".".join(str(part) for part in item.get("loc", ())),
            "message": str(item.get("msg", "")),
        }
        for item in error.errors()
    ]
    detail = "; ".join(f"{e['where']}: {e['message']}" for e in errors) or "invalid request"
    if _wants_problem(request):
        return problem(
            request, status=422, kind="invalid-input", detail=detail, extra={"errors": errors}
        )
    return _error_page(request, status=422, detail=detail)


def install_error_handlers(app: FastAPI) -> None:
    """Register the translations of mandate's errors, HTTP errors and validation errors."""
    app.add_exception_handler(MandateError, _mandate_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
