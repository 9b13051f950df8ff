"""Nominations the service refuses, whoever records them (issue 10, item 13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from mandate.cli.app import app
from mandate.errors import InputError
from mandate.service import ContestService
from mandate.service.nominations import NominationField, name_key, nomination_problems
from tests.integration.contests.test_cli_contest import officer_environment


def test_names_are_compared_without_case_or_spaces() -> None:
    assert name_key(" Owen   Smith ") == name_key("owen smith") == "owen smith"
    assert name_key("Owen Smith") != name_key("Owen Smyth")


@pytest.mark.parametrize(
    ("name", "nominations", "automatic", "fields"),
    [
        ("owen smith", 3, None, ["name"]),
        ("OWEN  SMITH", 3, None, ["name"]),
        ("Owen Smith", 3, None, []),  # the same name exactly: a corrected count
        ("Angela > Eagle", 3, None, ["name"]),
        ("Angela Eagle", 3, "incumbent", ["nominations"]),
        ("Angela Eagle", None, None, ["nominations"]),
        ("Angela Eagle", None, "   ", ["nominations"]),
        ("Angela Eagle", None, "incumbent", []),
        ("Angela Eagle", 100_000_000, None, []),
        ("Angela Eagle", 100_000_001, None, ["nominations"]),  # past the store's integers
        ("owen smith", None, None, ["name", "nominations"]),  # every problem at once
    ],
)
def test_nomination_problems_name_the_field(
    name: str, nominations: int | None, automatic: str | None, fields: list[str]
) -> None:
    problems = nomination_problems(
        name, nominations=nominations, automatic=automatic, recorded=["Owen Smith"]
    )
    assert [p.field for p in problems] == [NominationField(f) for f in fields]


def test_the_service_refuses_a_second_spelling_and_records_nothing(
    service: ContestService,
) -> None:
    service.create_contest(contest_id="c", rulebook_ref="labour-2016")
    service.open_nominations("c")
    service.nominate("c", "Owen Smith", nominations=172)
    with pytest.raises(InputError, match="already nominated as 'Owen Smith'"):
        service.nominate("c", "owen smith", nominations=3)
    with pytest.raises(InputError, match="cannot contain '>'"):
        service.nominate("c", "Owen > Smith", nominations=3)
    with pytest.raises(InputError, match="not both"):
        service.nominate("c", "Angela Eagle", nominations=3, automatic="incumbent")
    with pytest.raises(InputError, match="give the valid nominations received, or the basis"):
        service.nominate("c", "Angela Eagle")
    assert [(c.name, c.nominations) for c in service.candidates("c")] == [("Owen Smith", 172)]
    service.nominate("c", "Owen Smith", nominations=173)  # the same name exactly corrects it
    assert [(c.name, c.nominations) for c in service.candidates("c")] == [("Owen Smith", 173)]


def test_the_command_line_refuses_a_second_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer_environment(monkeypatch, tmp_path)  # the key and secret a script gives
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path / "data")]
    for args in (
        ["contest", "create", "c", "--rulebook", "labour-2016"],
        ["nominations", "open", "c"],
        ["nominations", "add", "c", "Owen Smith", "--nominations", "172"],
    ):
        done = runner.invoke(app, [*args, *data], catch_exceptions=False)
        assert done.exit_code == 0, done.output
    refused = runner.invoke(
        app, ["nominations", "add", "c", "owen smith", "--nominations", "3", *data]
    )
    assert isinstance(refused.exception, InputError)
    assert "already nominated as 'Owen Smith'" in str(refused.exception)
