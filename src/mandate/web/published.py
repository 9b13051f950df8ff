"""Reading a contest's published records for the public pages: the result, the declaration,
and the published trackers.

Everything comes from ``DATA_DIR/published/<contest>/`` exactly as published, and only after
:meth:`PublishedContest.check` has checked the declaration's signature against the key
recorded for the contest and every file's hash against the declaration (issue 10, item 24):
an edited file is refused, never shown. The files are re-read, and re-checked, whenever they
change on disk.

A tracker look-up answers only whether the ballot is in the count (``trackers.txt``): the
published records do not link a tracker to a ranking (issue 10, item 8).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from mandate.config import Settings
from mandate.counting.model import CountResult
from mandate.counting.report import result_from_json
from mandate.crypto import key_fingerprint, parse_tracker
from mandate.errors import InputError, NotFoundError, VerificationError
from mandate.ids import CONTEST_ID_PATTERN
from mandate.service.turnout import percent
from mandate.service.verify import check_record

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
    "trackers.txt": "text/plain; charset=utf-8",
}
"""The records a declared contest publishes, with their media types."""


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

    def check(self, public_key: str) -> str:
        """Check the record against the key recorded for the contest: the declaration's
        signature, its contest id and every published file's hash. The key's fingerprint.

        Raises:
            VerificationError: the record failed, saying what failed (without server paths).
        """
        stamps = tuple(
            (name, *_stamp(self.folder / name)[1:])
            for name in ("declaration.json", *PUBLISHED_FILES)
            if (self.folder / name).is_file()
        )
        failure = _checked(self.folder, public_key.lower(), stamps)
        if failure is not None:
            raise VerificationError(
                f"the published record of contest {self.contest!r} failed verification, so it "
                f"is not shown: {failure}. Tell the returning officer."
            )
        return key_fingerprint(public_key)

    def has_tracker(self, tracker: str) -> bool:
        """Whether a ballot with this tracker is among the published ballots (forgiving case,
        spaces and dashes); nothing about what it says.

        Raises:
            InputError: text that cannot be a tracker.
        """
        wanted = parse_tracker(tracker)
        path = self.folder / "trackers.txt"
        if path.is_file():
            return wanted in _trackers(*_stamp(path))
        # a record of the first format: the trackers were UniqueIds in cvr.json
        return wanted in _legacy_trackers(*_stamp(self.file("cvr.json")))


def published_contest(settings: Settings, contest: str) -> PublishedContest:
    """The published folder of a contest, refusing names that are not contest ids."""
    if not CONTEST_ID_PATTERN.fullmatch(contest):
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
        if folder.is_dir()
        and CONTEST_ID_PATTERN.fullmatch(folder.name)
        and (folder / "result.json").is_file()
    )


def _stamp(path: Path) -> tuple[Path, int, int, int, int]:
    """A file and what changes when it is written: modified and changed times (the change
    time cannot be set back), size, inode."""
    stat = path.stat()
    return path, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino


@lru_cache(maxsize=32)
def _checked(
    folder: Path, public_key: str, _stamps: tuple[tuple[str, int, int, int, int], ...]
) -> str | None:
    """Why the record in ``folder`` fails :func:`~mandate.service.verify.check_record` with
    this key, without the folder's path; ``None`` if it passes."""
    try:
        check_record(folder, public_key=public_key)
    except VerificationError as error:
        return str(error).replace(f"{folder}{os.sep}", "")
    return None


@lru_cache(maxsize=32)
def _json(path: Path, *_stamp: int) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=32)
def _result(path: Path, *stamp: int) -> CountResult:
    data = _json(path, *stamp)
    if not isinstance(data, dict):
        raise InputError(f"{path.name}: a result must be a JSON object")
    return result_from_json(data)


@lru_cache(maxsize=4)
def _trackers(path: Path, *_stamp: int) -> frozenset[str]:
    """The published trackers (``trackers.txt``, one a line)."""
    with path.open(encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


@lru_cache(maxsize=4)
def _legacy_trackers(path: Path, *stamp: int) -> frozenset[str]:
    """The trackers of a record of the first format: the CVRs' ``UniqueId`` in ``cvr.json``,
    in their written form (the rankings beside them are not read)."""
    report = _json(path, *stamp)
    found = set()
    for record in report.get("CVR", []) if isinstance(report, dict) else ():
        tracker = record.get("UniqueId") if isinstance(record, dict) else None
        if isinstance(tracker, str):
            try:
                found.add(parse_tracker(tracker))
            except InputError:
                continue
    return frozenset(found)
