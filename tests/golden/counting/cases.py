"""Golden IRV cases: each folder holds ``ballots.csv``, ``options.toml`` and ``expected.json``
(the JSON report, docs/results-format.md). The test compares a fresh count with the file.

After a deliberate change to the count or the report, regenerate the files and review the
diff before committing::

    PYTHONPATH=src python -m tests.golden.counting.cases
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from mandate.ballots.formats import BallotFormat, read_ballots
from mandate.ballots.model import Profile
from mandate.counting.irv import Duplicates, IrvOptions, Overvote
from mandate.counting.registry import CountSpec, Method, count
from mandate.counting.report import result_to_json
from mandate.counting.tiebreak import TieBreak

HERE = Path(__file__).resolve().parent


def case_folders() -> list[Path]:
    """Every golden IRV case (a folder with ``options.toml``)."""
    return sorted(p.parent for p in HERE.glob("*/options.toml"))


def _limit(value: Any) -> int | None:
    return None if value in (None, "unlimited") else int(value)


def load_case(folder: Path) -> tuple[Profile, CountSpec]:
    """The ballots and the count spec of one case."""
    options = tomllib.loads((folder / "options.toml").read_text(encoding="utf-8"))
    profile = read_ballots(
        folder / "ballots.csv", format=BallotFormat.CSV, candidates=options.get("candidates")
    )
    irv = IrvOptions(
        overvote=Overvote(options.get("overvote", "exhaust")),
        max_skipped=_limit(options.get("max-skipped")),
        max_rankings=_limit(options.get("max-rankings")),
        duplicates=Duplicates(options.get("duplicates", "skip")),
        batch_elimination=bool(options.get("batch-elimination", False)),
        continue_until_two=bool(options.get("continue-until-two", False)),
        tiebreak=TieBreak(options.get("tiebreak", "previous-round")),
        seed=options.get("seed"),
        lot=tuple(options["lot"]) if "lot" in options else None,
        exclude=frozenset(options.get("exclude", ())),
        undeclared_write_in=options.get("undeclared-write-in"),
    )
    spec = CountSpec(method=Method(options.get("method", "irv")), irv=irv)
    return profile, spec


def report(folder: Path) -> dict[str, Any]:
    """The JSON report of a fresh count of one case."""
    profile, spec = load_case(folder)
    return result_to_json(count(profile, spec))


def main() -> None:
    """Rewrite every ``expected.json`` from a fresh count."""
    for folder in case_folders():
        text = json.dumps(report(folder), indent=2, ensure_ascii=False) + "\n"
        (folder / "expected.json").write_text(text, encoding="utf-8")
        print(f"wrote {folder.name}/expected.json")


if __name__ == "__main__":
    main()
