"""Starting ``mandate``: a command imports what it uses and no more; the help lists every command.

Each command runs in a fresh interpreter, which then reports the modules it imported: the
database (SQLAlchemy, Alembic, the service and storage layers), the web app (FastAPI,
uvicorn) and NumPy must stay out of the commands that do not use them.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mandate.cli.app import COMMANDS, app
from mandate.cli.lazy import LazyCommand

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "counting"

# Runs the console script's entry point with the given arguments, then writes the names of
# the modules imported to the file named first.
_RUN_AND_LIST_MODULES = """
import json, sys
out, sys.argv = sys.argv[1], ["mandate", *sys.argv[2:]]
from mandate.cli.app import main
try:
    main()
except SystemExit as stop:
    code = stop.code or 0
else:
    code = 0
with open(out, "w", encoding="utf-8") as handle:
    json.dump({"code": code, "modules": sorted(sys.modules)}, handle)
"""

DATABASE = ("sqlalchemy", "alembic", "mandate.service", "mandate.storage")
WEB = ("fastapi", "uvicorn", "starlette", "mandate.web")
COUNTING = ("numpy", "mandate.counting.registry")
COMMAND_MODULES = (
    "mandate.cli.contest",
    "mandate.cli.count",
    "mandate.cli.officials",
    "mandate.cli.rules",
    "mandate.cli.serve",
)


def _imported(tmp_path: Path, *args: str) -> tuple[str, set[str]]:
    """Run ``mandate ARGS`` in a fresh interpreter; its output and the modules it imported."""
    listing = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", _RUN_AND_LIST_MODULES, str(listing), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(listing.read_text(encoding="utf-8"))
    assert report["code"] == 0, done.stdout + done.stderr
    return done.stdout, set(report["modules"])


def _present(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    """The packages of ``packages`` that were imported (or any module inside them)."""
    return [p for p in packages if any(m == p or m.startswith(p + ".") for m in modules)]


def test_help_imports_no_command(tmp_path: Path) -> None:
    out, modules = _imported(tmp_path, "--help")
    assert "Commands" in out
    assert _present(modules, DATABASE + WEB + COUNTING + COMMAND_MODULES) == []


def test_rules_check_imports_neither_database_web_numpy_nor_rich(tmp_path: Path) -> None:
    out, modules = _imported(tmp_path, "rules", "check", "labour-2016")
    assert out.startswith("labour-2016: valid")
    assert _present(modules, (*DATABASE, *WEB, *COUNTING, "rich")) == []


def test_counting_a_small_file_imports_neither_database_web_nor_rich(tmp_path: Path) -> None:
    out, modules = _imported(tmp_path, "count", str(GOLDEN / "undervotes" / "ballots.csv"))
    assert out.startswith("IRV count, 1 seat")
    assert "numpy" in modules
    assert _present(modules, (*DATABASE, *WEB, "rich")) == []


def test_contest_help_imports_neither_database_web_nor_numpy(tmp_path: Path) -> None:
    out, modules = _imported(tmp_path, "contest", "--help")
    assert "create" in out
    assert _present(modules, DATABASE + WEB + COUNTING) == []


def test_help_lists_every_command_in_order() -> None:
    result = CliRunner().invoke(app, ["--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    rows = [line[2:] for line in result.output.splitlines() if line.startswith("│ ")]
    listed = [row.split()[0] for row in rows if not row.startswith(" ")]
    assert listed == ["--help", *(entry.name for entry in COMMANDS)]


@pytest.mark.parametrize("entry", COMMANDS, ids=lambda entry: entry.name)
def test_each_listed_summary_is_the_command_s_own_help(entry: LazyCommand) -> None:
    command = entry.load()
    assert command.name == entry.name
    help_text = inspect.cleandoc(command.short_help or command.help or "")
    first_paragraph = help_text.split("\n\n")[0].replace("\n", " ")
    assert entry.summary == first_paragraph


def test_recounting_published_records_needs_no_database_modules() -> None:
    # `mandate verify` reads a published folder through mandate.service.verify; the
    # service package opens a database only when asked to.
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, mandate.service.verify; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'sqlalchemy','alembic'}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"
