"""The examples on /api/docs: one for every operation, and each body one the server accepts
as well-formed (validated by the very model the API validates requests with)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel
from tests.support.keys import keyed_settings

from mandate.web import api, create_app, public
from mandate.web.apidocs import EXAMPLE_BODIES, api_docs


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    data: Path = tmp_path_factory.mktemp("docs") / "data"
    data.mkdir()
    return create_app(keyed_settings(data)).openapi()


def test_every_operation_has_an_example(schema: dict[str, object]) -> None:
    docs = api_docs(schema)
    operations = [op for _, ops in docs.groups for op in ops]
    assert operations
    for op in operations:
        assert op.example.startswith("curl "), op.anchor
        assert "{" not in op.example.rsplit(" ", 1)[-1], f"{op.anchor}: a parameter left unfilled"
        if op.body_media == "application/json":
            assert op.body in EXAMPLE_BODIES, f"{op.anchor}: no example body for {op.body}"


def test_every_request_body_has_an_example_and_nothing_else_does(
    schema: dict[str, object],
) -> None:
    docs = api_docs(schema)
    bodies = {
        op.body for _, ops in docs.groups for op in ops if op.body_media == "application/json"
    }
    assert set(EXAMPLE_BODIES) == bodies


@pytest.mark.parametrize("name", sorted(EXAMPLE_BODIES))
def test_each_example_body_is_what_the_server_validates(name: str) -> None:
    model = getattr(api, name, None) or getattr(public, name)
    assert isinstance(model, type)
    assert issubclass(model, BaseModel)
    model.model_validate(EXAMPLE_BODIES[name])
