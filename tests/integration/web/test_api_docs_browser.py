"""The API documented for people at ``/api/docs``, in Chromium with no network (issue 10,
item 17).

The page is generated from the app's own OpenAPI schema: every operation of
``/api/openapi.json`` is on it, with its parameters and bodies. It loads nothing from anywhere
but the server itself (the test refuses and records every other request) and axe-core finds
no serious or critical issue.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from mandate.web.apidocs import api_docs, type_of
from tests.support.web import Server, assert_accessible


@pytest.mark.browser
def test_the_api_docs_render_offline_from_the_schema(browser: Any, server: Server) -> None:
    context = browser.new_context(base_url=server.url, viewport={"width": 1000, "height": 900})
    context.set_default_timeout(15_000)
    foreign: list[str] = []

    def only_the_server(route: Any) -> None:
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_server)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/")
    with page.expect_navigation() as navigation:  # the home page links to it
        page.click("a[href='/api/docs']")
    answer = navigation.value
    assert answer is not None
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert page.title().startswith("API documentation")

    schema = json.loads(page.context.request.get("/api/openapi.json").text())
    headings = set(page.locator("article.api-operation h3").all_inner_texts())
    expected = {
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    assert headings == expected
    assert "POST /api/contests/{contest_id}/nominations" in headings
    nominate = page.locator("#api_nominate_api_contests__contest_id__nominations_post")
    assert nominate.is_visible()
    card = page.locator("article.api-operation", has=nominate)
    assert "Record a candidate's nominations" in card.inner_text()
    assert "contest_id" in card.locator("table").inner_text()
    answers = card.inner_text()  # every refusal is declared, with the problem body (issue 16)
    assert all(status in answers for status in ("401", "403", "404", "409", "413", "422"))
    assert "Problem" in answers
    assert "docs/api.md" in page.locator("#guide").inner_text()
    # every operation shows an example, as a command a reader can copy
    assert page.locator("article.api-operation pre.example").count() == len(headings)
    example = card.locator("pre.example").inner_text()
    assert example.startswith("curl -X POST")
    assert '"nominations": 172' in example
    card.locator("a[href='#schema-NominationIn']").click()
    fields = page.locator("article:has(#schema-NominationIn) table").inner_text()
    assert "nominations" in fields
    assert "integer or null" in fields
    assert "at most 200 characters" in fields
    assert_accessible(page)
    assert foreign == []
    assert errors == []
    context.close()


def test_types_are_said_in_words() -> None:
    assert type_of({"type": "string", "format": "date"}) == "string (date)"
    assert type_of({"$ref": "#/components/schemas/SignIn"}) == "SignIn"
    assert type_of({"type": "object", "additionalProperties": True}) == "object"
    docs = api_docs(
        {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": {"description": "Get x.\n\nMore.", "tags": ["public"]}}},
        }
    )
    ((title, (op,)),) = docs.groups
    assert title == "Public: declared results and their records"
    assert (op.method, op.path, op.summary, op.description) == ("GET", "/x", "Get x.", "More.")
