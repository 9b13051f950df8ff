"""Reading a contest's published records for the public pages: the result, the declaration,
and the cast-vote records' trackers.

Everything comes from ``DATA_DIR/published/<contest>/`` exactly as published; the files are
re-read whenever they change on disk.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from mandate.config import Settings
from mandate.counting.model import CountResult
from mandate.counting.report import result_from_json
from mandate.errors import InputError, NotFoundError
from mandate.service.turnout import percent

__all__ = [
    "PUBLISHED_FILES",
    "ClassResult",
    "PublishedContest",
    "published_contest",
    "published_contests",
]

PUBLISHED_FILES: dict[str, str] = {
    "result.json": "application/json",
    "declaration.json": "application/json",
    "cvr.json": "application/json",
    "cvr.csv": "text/csv; charset=utf-8",
}
"""The records a declared contest publishes, with their media types."""

CONTEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
TRACKER = re.compile(r"^[A-Za-z0-9-]{4,64}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class ClassResult:
    """One voter class's declared result: ballots, first preferences, who it elected."""

    id: str
    title: str
    electorate: int
    valid: int
    spoilt: int
    paper: int
    declared_turnout: str
    """Ballots returned (valid and spoilt) as a share of the electorate, as declared."""
    first_round: tuple[tuple[str, str], ...]
    elected: tuple[str, ...]

    @property
    def turnout_percent(self) -> str:
        """The declared turnout, one decimal; a dash when the class had no electors."""
        return self.declared_turnout if self.electorate else "–"


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishedContest:
    """One contest's published folder."""

    contest: str
    folder: Path

    def file(self, name: str) -> Path:
        """A published file by name; ``NotFoundError`` if it is not one or is not there."""
        if name not in PUBLISHED_FILES:
            raise NotFoundError(
                f"{name!r} is not a published record (one of: {', '.join(PUBLISHED_FILES)})"
            )
        path = self.folder / name
        if not path.is_file():
            raise NotFoundError(f"contest {self.contest!r} has not published {name}")
        return path

    def files(self) -> tuple[tuple[str, int], ...]:
        """The published records present, with their sizes in bytes."""
        return tuple(
            (name, (self.folder / name).stat().st_size)
            for name in PUBLISHED_FILES
            if (self.folder / name).is_file()
        )

    def result(self) -> CountResult:
        """The declared result (``result.json``)."""
        return _result(*_stamp(self.file("result.json")))

    def declaration(self) -> dict[str, Any]:
        """The declaration's body (``declaration.json``, without its signature), or ``{}``."""
        path = self.folder / "declaration.json"
        if not path.is_file():
            return {}
        signed = _json(*_stamp(path))
        body = signed.get("declaration") if isinstance(signed, dict) else None
        return dict(body) if isinstance(body, dict) else {}

    def title(self) -> str:
        """The contest's title as the declaration gives it, else its id."""
        title = self.declaration().get("title")
        return title if isinstance(title, str) and title else self.contest

    def by_class(self) -> tuple[ClassResult, ...]:
        """The declared result of each voter class (from the declaration)."""
        classes = []
        for item in self.declaration().get("by_class", []):
            if not isinstance(item, dict):
                continue
            first_round = item.get("first_round") or {}
            electorate = int(item.get("electorate", 0))
            valid = int(item.get("valid", 0))
            spoilt = int(item.get("spoilt", 0))
            declared = item.get("turnout_percent")
            classes.append(
                ClassResult(
                    id=str(item.get("id", "")),
                    title=str(item.get("title", item.get("id", ""))),
                    electorate=electorate,
                    valid=valid,
                    spoilt=spoilt,
                    paper=int(item.get("paper", 0)),
                    # declarations before per-class turnout was published: the same rule
                    declared_turnout=str(declared)
                    if declared is not None
                    else percent(valid + spoilt, electorate),
                    first_round=tuple((str(k), str(v)) for k, v in first_round.items()),
                    elected=tuple(str(e) for e in item.get("elected", [])),
                )
            )
        return tuple(classes)

    def find_tracker(self, tracker: str) -> tuple[str, ...] | None:
        """The published ballot with this tracker, its ranks in words; ``None`` if absent.

        Raises:
            InputError: text that cannot be a tracker.
        """
        tracker = tracker.strip().upper()
        if not TRACKER.match(tracker):
            raise InputError(
                f"a tracker is 4 to 64 letters, digits and dashes (got {tracker[:80]!r})"
            )
        return _trackers(*_stamp(self.file("cvr.json"))).get(tracker)


def published_contest(settings: Settings, contest: str) -> PublishedContest:
    """The published folder of a contest, refusing names that are not contest ids."""
    if not CONTEST_ID.match(contest):
        raise NotFoundError(f"no published contest {contest!r}")
    folder = settings.published_dir / contest
    if not (folder / "result.json").is_file():
        raise NotFoundError(f"no published result for contest {contest!r}")
    return PublishedContest(contest=contest, folder=folder)


def published_contests(settings: Settings) -> tuple[PublishedContest, ...]:
    """Every contest with a published result, by name."""
    root = settings.published_dir
    if not root.is_dir():
        return ()
    return tuple(
        PublishedContest(contest=folder.name, folder=folder)
        for folder in sorted(root.iterdir())
        if folder.is_dir() and CONTEST_ID.match(folder.name) and (folder / "result.json").is_file()
    )


def _stamp(path: Path) -> tuple[Path, int, int]:
    stat = path.stat()
    return path, stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=32)
def _json(path: Path, _mtime: int, _size: int) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=32)
def _result(path: Path, mtime: int, size: int) -> CountResult:
    data = _json(path, mtime, size)
    if not isinstance(data, dict):
        raise InputError(f"{path}: a result must be a JSON object")
    return result_from_json(data)


@lru_cache(maxsize=4)
def _trackers(path: Path, mtime: int, size: int) -> dict[str, tuple[str, ...]]:
    """Tracker → ranks in words, from a NIST CDF cast-vote-record report."""
    report = _json(path, mtime, size)
    names: dict[str, str] = {}
    selections: dict[str, str] = {}
    for election in report.get("Election", []):
        for candidate in election.get("Candidate", []):
            names[candidate["@id"]] = candidate.get("Name", candidate["@id"])
        for contest in election.get("Contest", []):
            for selection in contest.get("ContestSelection", []):
                ids = selection.get("CandidateIds", [])
                selections[selection["@id"]] = " and ".join(names.get(i, i) for i in ids)
    found: dict[str, tuple[str, ...]] = {}
    for record in report.get("CVR", []):
        tracker = record.get("UniqueId")
        if not isinstance(tracker, str):
            continue
        ranks: dict[int, list[str]] = {}
        for snapshot in record.get("CVRSnapshot", []):
            if snapshot.get("@id") != record.get("CurrentSnapshotId"):
                continue
            for contest in snapshot.get("CVRContest", []):
                for selection in contest.get("CVRContestSelection", []):
                    name = selections.get(selection.get("ContestSelectionId", ""), "?")
                    for position in selection.get("SelectionPosition", []):
                        ranks.setdefault(int(position.get("Rank", 1)), []).append(name)
        found[tracker] = tuple(
            f"rank {rank}: {' = '.join(sorted(ranks[rank]))}" for rank in sorted(ranks)
        ) or ("no preferences marked (a blank ballot)",)
    return found
