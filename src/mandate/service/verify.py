"""Verifying a published contest, from its folder alone: no database is needed.

:func:`verify_published` checks the signature and the files' hashes, recounts ``cvr.json`` (a
college by voter class) and compares the recount with ``result.json``, checks the declared
turnout follows from the declared ballots, raising at the first discrepancy. The folder is
the one :func:`~mandate.service.results.declare_contest` publishes.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mandate.ballots.formats import BallotFormat, read_ballots
from mandate.counting.model import CountResult
from mandate.counting.registry import CountSpec, Method, count
from mandate.counting.report import result_to_json
from mandate.crypto import canonical_json, verify_document
from mandate.errors import VerificationError
from mandate.service.checkpoints import verify_published_checkpoints
from mandate.service.college import (
    check_first_round_by_class,
    count_by_class,
    read_published_sections,
)
from mandate.service.results import PUBLISHED_FILES, _first_round, spec_from_json
from mandate.service.turnout import percent

__all__ = ["VerifyReport", "verify_published"]


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifyReport:
    """A published folder that verified: what was checked."""

    contest: str
    ballots: int
    elected: tuple[str, ...]
    public_key: str


def _first_difference(expected: Any, found: Any, path: str = "") -> str | None:
    if isinstance(expected, dict) and isinstance(found, dict):
        for key in sorted(set(expected) | set(found), key=str):
            if key not in found:
                return f"{path}.{key}: missing from the recount"
            if key not in expected:
                return f"{path}.{key}: not in the published result"
            diff = _first_difference(expected[key], found[key], f"{path}.{key}")
            if diff:
                return diff
        return None
    if isinstance(expected, list) and isinstance(found, list):
        for i, (e, f) in enumerate(zip(expected, found, strict=False)):
            diff = _first_difference(e, f, f"{path}[{i}]")
            if diff:
                return diff
        if len(expected) != len(found):
            return f"{path}: {len(expected)} items published, {len(found)} in the recount"
        return None
    if expected != found:
        return f"{path or 'result'}: published {expected!r}, recount gives {found!r}"
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VerificationError(f"{path}: missing") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise VerificationError(f"{path}: not valid JSON ({error})") from None


def _check_turnout(path: Path, where: str, figures: Mapping[str, Any]) -> None:
    """Declared turnout must follow from the declared ballots: returned = valid + spoilt, and
    the percentage is :func:`~mandate.service.turnout.percent` of returned over electorate.

    Declarations made before ``returned`` was published are not checked here.
    """
    if "returned" not in figures:
        return
    returned = int(figures["valid"]) + int(figures["spoilt"])
    if figures["returned"] != returned:
        raise VerificationError(
            f"{path}: {where}, {figures['returned']} ballots returned declared but valid and "
            f"spoilt add up to {returned}"
        )
    expected = percent(returned, int(figures["electorate"]))
    if figures.get("turnout_percent") != expected:
        raise VerificationError(
            f"{path}: {where}, turnout {figures.get('turnout_percent')!r}% declared, "
            f"{returned} of {figures['electorate']} is {expected}%"
        )


def verify_published(folder: Path, *, public_key: str | None = None) -> VerifyReport:
    """Check a published folder: signature, file hashes, and a recount of the records.

    Args:
        folder: ``DATA_DIR/published/<contest>``.
        public_key: the contest's key as announced (hex); without it, the key inside the
            declaration is used, which proves integrity but not who signed.

    Raises:
        VerificationError: the first discrepancy found.
    """
    signed = _load_json(folder / "declaration.json")
    try:
        declaration = signed["declaration"]
        signature = signed["signature"]["value"]
        key = declaration["public_key"]
    except (KeyError, TypeError):
        raise VerificationError(
            f"{folder / 'declaration.json'}: not a mandate declaration"
        ) from None
    if public_key is not None and public_key.lower() != str(key).lower():
        raise VerificationError(
            f"{folder / 'declaration.json'}: signed with key {key}, not the announced {public_key}"
        )
    if not verify_document(key, declaration, signature):
        raise VerificationError(
            f"{folder / 'declaration.json'}: the signature does not match the declaration"
        )
    verify_published_checkpoints(folder, str(key), declaration)
    for name in PUBLISHED_FILES:
        path = folder / name
        if not path.exists():
            raise VerificationError(f"{path}: missing")
        if _sha256(path) != declaration["files"].get(name):
            raise VerificationError(f"{path}: changed since the declaration (SHA-256 differs)")
    published = _load_json(folder / "result.json")
    spec = spec_from_json(declaration["count_spec"])
    college = spec.method is Method.COLLEGE
    result, records = (_recount_college if college else _recount)(folder, declaration, spec)
    recount = json.loads(canonical_json(result_to_json(result)))
    diff = _first_difference(published, recount)
    if diff:
        raise VerificationError(f"{folder / 'result.json'}: {diff}")
    valid = declaration["ballots"]["valid"]
    if records != valid:
        raise VerificationError(
            f"{folder / 'cvr.json'}: {records} records but {valid} valid ballots declared"
        )
    if list(published.get("elected", [])) != list(declaration["elected"]):
        raise VerificationError(
            f"{folder / 'declaration.json'}: declares {declaration['elected']}, "
            f"the result elects {published.get('elected')}"
        )
    _check_turnout(folder / "declaration.json", "in total", declaration["ballots"])
    for section in declaration["by_class"]:
        _check_turnout(folder / "declaration.json", f"class {section.get('id')!r}", section)
    if college:
        check_first_round_by_class(folder / "declaration.json", declaration["by_class"], published)
    else:
        _check_first_round_adds_up(folder / "declaration.json", declaration, published)
    return VerifyReport(
        contest=str(declaration["contest"]),
        ballots=records,
        elected=tuple(declaration["elected"]),
        public_key=str(key),
    )


def _recount(
    folder: Path, declaration: Mapping[str, Any], spec: CountSpec
) -> tuple[CountResult, int]:
    """Recount ``cvr.json``, after checking ``cvr.csv`` holds the same ballots; the result and
    the number of records."""
    profile = read_ballots(
        folder / "cvr.json", format=BallotFormat.CDF, candidates=declaration["candidates"]
    )
    result = count(profile, spec)
    csv_profile = read_ballots(
        folder / "cvr.csv", format=BallotFormat.CSV, candidates=declaration["candidates"]
    )
    if Counter({b.ranking: b.count for b in csv_profile.deduplicated()}) != Counter(
        {b.ranking: b.count for b in profile.deduplicated()}
    ):
        raise VerificationError(f"{folder / 'cvr.csv'}: its ballots differ from cvr.json's")
    return result, profile.total


def _recount_college(
    folder: Path, declaration: Mapping[str, Any], spec: CountSpec
) -> tuple[CountResult, int]:
    """Recount a college over the voter classes the records give each ballot."""
    classes = [str(item["id"]) for item in declaration["by_class"]]
    sections = read_published_sections(folder, classes, declaration["candidates"])
    result, _ = count_by_class(sections, spec)
    return result, sum(p.total for _, p in sections)


def _check_first_round_adds_up(
    path: Path, declaration: Mapping[str, Any], published: Mapping[str, Any]
) -> None:
    """The classes' declared first preferences must add up to the total's."""
    first = dict.fromkeys(declaration["candidates"], 0)
    for section in declaration["by_class"]:
        for name, votes in section["first_round"].items():
            first[name] = first.get(name, 0) + int(str(votes).split(".")[0])
    published_first = {n: int(str(v).split(".")[0]) for n, v in _first_round(published).items()}
    if any(first.get(n, 0) != v for n, v in published_first.items()):
        raise VerificationError(
            f"{path}: first preferences by class do not add up to the "
            f"total ({first} against {published_first})"
        )
