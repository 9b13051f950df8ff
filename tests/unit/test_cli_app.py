"""The ``mandate`` command itself: help, version, and error translation."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from mandate import __version__
from mandate.cli.app import app, exit_code_for
from mandate.errors import (
    BallotFormatError,
    IllegalTransitionError,
    MandateError,
    VerificationError,
)


def test_version_prints_package_version() -> None:
    result = CliRunner().invoke(app, ["version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_python_dash_m_runs_the_same_app() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mandate", "--help"], capture_output=True, text=True, check=True
    )
    assert "Open, verifiable elections" in out.stdout


def test_exit_codes_follow_the_error_tree() -> None:
    assert exit_code_for(BallotFormatError("bad", path="x.blt", line=3)) == 3
    assert exit_code_for(IllegalTransitionError(action="a", state="s", allowed=(), clause="c")) == 4
    assert exit_code_for(VerificationError("x")) == 5
    assert exit_code_for(MandateError("x")) == 1


def test_located_errors_name_file_and_line() -> None:
    error = BallotFormatError("expected a count", path="ward.blt", line=7, where="ballot 5")
    assert str(error) == "ward.blt, line 7, ballot 5: expected a count"
    assert error.line == 7


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["count", "--help"],
        ["rules", "whatif", "--help"],
        ["officials", "add", "--help"],
    ],
    ids=" ".join,
)
def test_flags_show_no_type_in_help(args: list[str]) -> None:
    result = CliRunner().invoke(app, args, terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output
    assert "--help" in result.output


def test_options_that_take_a_value_still_show_their_type() -> None:
    result = CliRunner().invoke(app, ["count", "--help"], terminal_width=200)
    flag = next(line for line in result.output.splitlines() if "--json " in line)
    chart = next(line for line in result.output.splitlines() if "--chart " in line)
    assert "<path>" in chart
    assert "<" not in flag.split("Print the result")[0]
