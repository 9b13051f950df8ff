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
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.routing import Match, Route

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

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "PROBLEM_TYPE_BASE",
    "STATUSES",
    "Problem",
    "allowed_methods",
    "error_response",
    "install_error_handlers",
    "problem",
    "problem_responses",
    "status_for",
    "with_problem_schema",
]

PROBLEM_MEDIA_TYPE = "application/problem+json"
"""The media type of every refusal under ``/api`` (RFC 9457)."""

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

_WHEN = {
    400: "The request could not be read.",
    401: "Not signed in as an official (or the session has ended): sign in with "
    "`POST /api/session`.",
    403: "Signed in, but this official's role may not do this, or the `X-CSRF-Token` header is "
    "missing or wrong; for a ballot, the voting code is not recognised.",
    404: "No such contest, candidate, elector, published record or file.",
    409: "The contest's state or rules refuse this now (the problem names the rule, the state "
    "and the actions allowed).",
    413: "The request body is over the size limit for this address (`limit` gives it).",
    422: "The request or a value in it is invalid (`errors` lists each field and why; "
    "`where` and `clause` point into a file sent).",
    429: "Too many failed attempts: wait the seconds in the `Retry-After` header.",
    500: "The published record fails verification against the contest's key, so it is not "
    "shown (or the installation is not set up correctly).",
}
"""When each problem status is returned, in the words the API documentation shows."""


class Problem(BaseModel):
    """An RFC 9457 problem: what went wrong, said so that the person can act on it.

    Extra members appear where the error has them: ``error`` (its kind), ``clause``,
    ``state``, ``allowed``, ``action``, ``path``, ``line``, ``where``, ``limit``, ``errors``.
    """

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="A URI naming the kind of problem.")
    title: str = Field(description="The status in words.")
    status: int = Field(ge=400, le=599, description="The HTTP status, repeated.")
    detail: str = Field(description="What went wrong and what to do about it.")
    instance: str = Field(description="The path of the request refused.")


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of an API operation that can refuse with these statuses.

    Every refusal has the same body, :class:`Problem`, under :data:`PROBLEM_MEDIA_TYPE`, so the
    declarations are built here, once, from the same titles the answers carry.

    >>> sorted(problem_responses(404, 422))
    [404, 422]
    """
    return {
        status: {
            "description": f"{_TITLES[status]}. {_WHEN[status]}",
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": _PROBLEM_REF}}},
        }
        for status in sorted(set(statuses))
    }


_PROBLEM_REF = "#/components/schemas/Problem"


def with_problem_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI schema with :class:`Problem` among its components (the answers refer to it)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = Problem.model_json_schema()
    return schema


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
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


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


async def error_response(request: Request, error: MandateError) -> Response:
    """The answer to an error: a problem under ``/api``, a page in words elsewhere."""
    return await _mandate_error(request, error)


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


def allowed_methods(request: Request) -> str:
    """The ``Allow`` header for a request's path: the methods of every route at that path.

    Starlette answers 405 with the methods of the first route that matched the path only; a
    path served by several routes (``GET`` and ``POST /api/contests``) has them all.
    """
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, Route) and route.methods:
            match, _ = route.matches(request.scope)
            if match is not Match.NONE:
                methods |= route.methods
    return ", ".join(sorted(methods))


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if error.status_code == 405:
        error.headers = {**(error.headers or {}), "Allow": allowed_methods(request)}
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
