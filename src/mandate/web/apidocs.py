"""The REST API's documentation for people, read from the app's own OpenAPI schema.

``GET /api/docs`` renders the schema FastAPI builds (the one at ``/api/openapi.json``) as one
plain page: each operation with its parameters, request body and responses, grouped by who
uses it, then the shape of every body. No script and nothing from the network, so it works
on an installation with no internet and under the pages' content security policy.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from mandate.web.templating import render

__all__ = [
    "EXAMPLE_BODIES",
    "EXAMPLE_PARAMETERS",
    "ApiDocs",
    "Field",
    "Operation",
    "SchemaDoc",
    "api_docs",
    "example_request",
    "pages",
    "type_of",
]

pages = APIRouter(include_in_schema=False)
"""Included in the API router (prefix ``/api``): the page is ``/api/docs``."""

METHODS = ("get", "post", "put", "patch", "delete")
TAG_TITLES = {
    "public": "Public: declared results and their records",
    "voters": "Voters: the open ballots, casting",
    "officials": "Officials: sessions and contest administration",
}
"""Headings of the tags the API uses; another tag is shown by its name."""

EXAMPLE_PARAMETERS: dict[str, str] = {
    "contest": "leader-2016",
    "contest_id": "leader-2016",
    "tracker": "K7QM-2XRP-9D4T-WNHC",
    "name": "result.json",
    "member_id": "M1043",
    "on": "2016-08-08",
}
"""The value each path or query parameter takes in the page's examples."""

EXAMPLE_BODIES: dict[str, Any] = {
    "TrackerQuery": {"tracker": "K7QM-2XRP-9D4T-WNHC"},
    "SignIn": {"username": "ro", "password": "correct horse battery staple"},
    "BallotIn": {
        "credential": "QF7KD-9XW2M-HT4RP-C8NVJ",
        "ranking": ["Jeremy Corbyn", "Owen Smith"],
        "contest": "leader-2016",
    },
    "ContestIn": {"contest_id": "leader-2016", "rulebook": "labour-2016"},
    "ActionIn": {"action": "open the ballot"},
    "NominationIn": {"name": "Owen Smith", "nominations": 172},
    "WithdrawalIn": {"name": "Angela Eagle"},
    "ThresholdIn": {"process": "challenge", "body_size": 251, "on": "2016-07-20"},
    "CloseNominationsIn": {"process": "challenge", "body_size": 251, "on": "2016-07-20"},
    "PaperBatchIn": {
        "label": "box 17",
        "voter_class": "member",
        "ballots": [["Jeremy Corbyn", "Owen Smith"], ["Owen Smith"]],
        "spoilt": 1,
    },
    "EnvelopesIn": {"credentials": ["QF7KD-9XW2M-HT4RP-C8NVJ", "M3XTW-7RK2D-PC9HV-4QJNF"]},
}
"""An example body for each request body the API takes, by its schema's name; a test checks
each against the model the server validates it with, so an example cannot drift from the
API."""

_BASE = "https://vote.example.org"
_PARAMETER = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Field:
    """One parameter or body field: its name, type in words, and what it takes."""

    name: str
    type: str
    required: bool
    where: str = ""
    """``path``, ``query`` or ``header`` for a parameter; empty for a body field."""
    description: str = ""
    constraints: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Operation:
    """One method on one path."""

    anchor: str
    method: str
    path: str
    summary: str
    description: str
    parameters: tuple[Field, ...]
    body: str
    """The request body's type in words (a schema's name), or empty for none."""
    body_media: str
    responses: tuple[tuple[str, str, str], ...]
    """(status, description, type in words) for each documented response."""
    example: str = ""
    """A worked example: the request as a ``curl`` command."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SchemaDoc:
    """A named body shape from the schema's components."""

    name: str
    description: str
    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiDocs:
    """The whole API as the page shows it."""

    title: str
    version: str
    openapi: str
    summary: str
    groups: tuple[tuple[str, tuple[Operation, ...]], ...]
    schemas: tuple[SchemaDoc, ...]

    @property
    def schema_names(self) -> frozenset[str]:
        """The names of the documented bodies (a type with one of these names is a link)."""
        return frozenset(s.name for s in self.schemas)


def type_of(schema: Mapping[str, Any]) -> str:
    """A JSON schema's type in words: a component's name, ``list of …``, ``… or null``.

    >>> type_of({"anyOf": [{"type": "integer"}, {"type": "null"}]})
    'integer or null'
    >>> type_of({"type": "array", "items": {"$ref": "#/components/schemas/BallotIn"}})
    'list of BallotIn'
    """
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " or ".join(type_of(s) for s in schema[key])
    if "enum" in schema:
        return "one of " + ", ".join(repr(v) for v in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        return "list of " + type_of(schema.get("items", {}))
    if kind == "object" and "additionalProperties" in schema:
        extra = schema["additionalProperties"]
        if isinstance(extra, Mapping) and extra:
            return "object of " + type_of(extra)
        return "object"
    if isinstance(kind, str):
        return f"{kind} ({schema['format']})" if "format" in schema else kind
    return "any"


def _constraints(schema: Mapping[str, Any]) -> str:
    """Limits on a value, in words (from the schema and the branches of an ``anyOf``)."""
    words: list[str] = []
    branches = [schema, *schema.get("anyOf", ()), *schema.get("oneOf", ())]
    for branch in branches:
        for key, word in (
            ("minLength", "at least {} characters"),
            ("maxLength", "at most {} characters"),
            ("minimum", "at least {}"),
            ("maximum", "at most {}"),
            ("minItems", "at least {} items"),
            ("maxItems", "at most {} items"),
            ("pattern", "matching {}"),
        ):
            if key in branch:
                value = branch[key]
                value = int(value) if isinstance(value, float) and value.is_integer() else value
                words.append(word.format(f"{value:,}" if isinstance(value, int) else value))
    if "default" in schema and schema["default"] is not None:
        words.append(f"default {schema['default']!r}")
    return "; ".join(words)


def _fields(schema: Mapping[str, Any]) -> tuple[Field, ...]:
    required = set(schema.get("required", ()))
    return tuple(
        Field(
            name=name,
            type=type_of(prop),
            required=name in required,
            description=str(prop.get("description", "")),
            constraints=_constraints(prop),
        )
        for name, prop in schema.get("properties", {}).items()
    )


def _split(text: str) -> tuple[str, str]:
    """A docstring's first paragraph (the summary, on one line) and the rest, without the
    reStructuredText literal marks (````x````)."""
    first, _, rest = text.replace("``", "").strip().partition("\n\n")
    return " ".join(first.split()), rest.strip()


def example_request(path: str, method: str, spec: Mapping[str, Any]) -> str:
    """An operation's example as a ``curl`` command: the path's parameters filled in from
    :data:`EXAMPLE_PARAMETERS`, the body from :data:`EXAMPLE_BODIES`, and the session cookie
    and CSRF header an official's operation needs (its ``security``).

    >>> example_request("/api/contests/{contest_id}", "get", {"security": [{"session": []}]})
    'curl -b cookies.txt https://vote.example.org/api/contests/leader-2016'
    """
    url = _BASE + _PARAMETER.sub(lambda m: EXAMPLE_PARAMETERS.get(m.group(1), "x"), path)
    query = [
        f"{p['name']}={EXAMPLE_PARAMETERS.get(p['name'], 'x')}"
        for p in spec.get("parameters", ())
        if p.get("in") == "query" and p.get("required")
    ]
    if query:
        url += "?" + "&".join(query)
    words = ["curl"]
    if method != "get":
        words += ["-X", method.upper()]
    schemes = {name for need in spec.get("security", ()) for name in need}
    if path == "/api/session" and method == "post":
        words += ["-c", "cookies.txt"]
    elif "session" in schemes:
        words += ["-b", "cookies.txt"]
    if "csrf" in schemes:
        words += ["-H", "X-CSRF-Token: $CSRF_TOKEN"]
    content: Mapping[str, Any] = spec.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        name = type_of(content["application/json"].get("schema", {}))
        body = json.dumps(EXAMPLE_BODIES.get(name, {}), ensure_ascii=False)
        words += ["-H", "Content-Type: application/json", "-d", body]
    elif "text/csv" in content:
        words += ["-H", "Content-Type: text/csv", "--data-binary", "@roll.csv"]
    return " ".join(shlex.quote(w) if w != "$CSRF_TOKEN" else w for w in [*words, url]).replace(
        "'X-CSRF-Token: $CSRF_TOKEN'", '"X-CSRF-Token: $CSRF_TOKEN"'
    )


def _operation(path: str, method: str, spec: Mapping[str, Any]) -> Operation:
    summary, description = _split(str(spec.get("description") or spec.get("summary", "")))
    parameters = tuple(
        Field(
            name=str(p["name"]),
            type=type_of(p.get("schema", {})),
            required=bool(p.get("required", False)),
            where=str(p.get("in", "")),
            description=str(p.get("description", "")),
            constraints=_constraints(p.get("schema", {})),
        )
        for p in spec.get("parameters", ())
    )
    content: Mapping[str, Any] = spec.get("requestBody", {}).get("content", {})
    media = next(iter(content), "")
    body = type_of(content[media].get("schema", {})) if media else ""
    responses = []
    for status, answer in spec.get("responses", {}).items():
        answer_content: Mapping[str, Any] = answer.get("content", {})
        kind = next(iter(answer_content), "")
        shape = type_of(answer_content[kind].get("schema", {})) if kind else ""
        responses.append((str(status), str(answer.get("description", "")), shape))
    return Operation(
        anchor=str(spec.get("operationId") or f"{method}-{path}"),
        method=method.upper(),
        path=path,
        summary=summary,
        description=description,
        parameters=parameters,
        body=body,
        body_media=media,
        responses=tuple(responses),
        example=example_request(path, method, spec),
    )


def api_docs(schema: Mapping[str, Any]) -> ApiDocs:
    """The page's view of an OpenAPI schema: operations grouped by tag, in the schema's order."""
    groups: dict[str, list[Operation]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                tags: Sequence[str] = item[method].get("tags") or ("other",)
                groups.setdefault(tags[0], []).append(_operation(path, method, item[method]))
    components = schema.get("components", {}).get("schemas", {})
    info = schema.get("info", {})
    return ApiDocs(
        title=str(info.get("title", "API")),
        version=str(info.get("version", "")),
        openapi=str(schema.get("openapi", "")),
        summary=str(info.get("summary") or info.get("description") or ""),
        groups=tuple((TAG_TITLES.get(tag, tag), tuple(ops)) for tag, ops in groups.items()),
        schemas=tuple(
            SchemaDoc(
                name=name,
                description=" ".join(str(shape.get("description", "")).split()),
                fields=_fields(shape),
            )
            for name, shape in sorted(components.items())
        ),
    )


@pages.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    """The API documentation, from the app's own OpenAPI schema."""
    return render(request, "api_docs.html", {"docs": api_docs(request.app.openapi())})
