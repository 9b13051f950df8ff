"""docs/cli.md is the reference the commands make of themselves: it cannot fall behind --help."""

from __future__ import annotations

from pathlib import Path

from mandate.cli.app import COMMANDS
from mandate.cli.reference import reference

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_docs_cli_md_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == reference(), (
        "docs/cli.md is out of date: run `python -m mandate.cli.reference > docs/cli.md` "
        "and review the diff"
    )


def test_the_reference_has_every_command_and_its_options() -> None:
    text = reference()
    for command in COMMANDS:
        assert f"## `mandate {command.name}`" in text
    for flag in ("--overvote", "--max-skipped", "--tiebreak", "--section", "--district-points"):
        assert f"| `{flag} " in text or f"| `{flag}` " in text
    assert "| 3 | Input that mandate cannot accept" in text
