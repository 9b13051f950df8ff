"""Verifying a published contest, from its folder alone: no database is needed.

:func:`verify_published` checks the signature (against the contest's announced key when one is
pinned, else only against the key inside the declaration, and says so) and the files' hashes,
recounts ``cvr.json`` in total and by voter class (a college by voter class) and compares the
recount with ``result.json`` and with every declared figure it can derive from the published
files, raising at the first discrepancy. The folder is the one
:func:`~mandate.service.results.declare_contest` publishes; docs/results.md lists which
declaration fields are derived and which cannot be.
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
from mandate.ballots.formats.cdf import read_cdf_sections
from mandate.ballots.model import Profile
from mandate.counting.model import CountResult
from mandate.counting.registry import CountSpec, Method, count
from mandate.counting.report import result_to_json
from mandate.counting.sectioned import count_each_section
from mandate.crypto import canonical_json, parse_tracker, verify_document
from mandate.crypto.signing import signature_value
from mandate.errors import BallotFormatError, MandateError, VerificationError
from mandate.service.checkpoints import verify_published_checkpoints
from mandate.service.college import (
    check_first_round_by_class,
    count_by_class,
    read_published_sections,
)
from mandate.service.results import (
    DECLARATION_FORMAT,
    LEGACY_DECLARATION_FORMAT,
    LEGACY_PUBLISHED_FILES,
    PUBLISHED_FILES,
    _first_round,
    spec_from_json,
)
from mandate.service.turnout import percent

__all__ = [
    "UNPINNED_WARNING",
    "VerifyReport",
    "check_ballots_possible",
    "check_record",
    "verify_published",
]

UNPINNED_WARNING = (
    "no key pinned: the signature was checked against the key inside declaration.json, which "
    "proves the files agree with each other but not who signed them; anyone can re-sign an "
    "altered record with a new key. Pass the contest's announced key with --public-key."
)
"""Said whenever a folder is verified without the contest's announced key."""


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifyReport:
    """A published folder that verified: what was checked."""

    contest: str
    ballots: int
    elected: tuple[str, ...]
    public_key: str
    key_pinned: bool = True
    """Whether the signature was checked against a key given from outside the folder."""
    online: int | None = None
    """The trackers published (``trackers.txt``), checked equal to the online ballots; ``None``
    for a record of the first format, which published none."""
    warnings: tuple[str, ...] = ()
    """What was not checked, and why (no key pinned; a record of the first format)."""


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


def _figure(path: Path, where: str, figures: Mapping[str, Any], name: str) -> int:
    value = figures.get(name)
    if type(value) is not int or value < 0:
        raise VerificationError(
            f"{path}: {where}, {name} must be a whole number of ballots (got {value!r})"
        )
    return value


def check_ballots_possible(path: Path, declaration: Mapping[str, Any]) -> None:
    """The declared ballots must be possible: in total and in each class, online and paper
    ballots add up to the valid ones, and no more ballots are returned than there are electors
    (a declaration that says otherwise counted a batch twice, or a class's papers in another).

    Raises:
        VerificationError: naming the class and the figures.
    """
    sections = [("in total", declaration.get("ballots") or {})]
    sections += [
        (f"class {section.get('id')!r}", section) for section in declaration.get("by_class") or []
    ]
    for where, figures in sections:
        if "online" not in figures:  # a declaration from before the split was published
            continue
        online, paper, valid = (
            _figure(path, where, figures, n) for n in ("online", "paper", "valid")
        )
        if online + paper != valid:
            raise VerificationError(
                f"{path}: {where}, {online} online and {paper} paper ballots declared, "
                f"which is {online + paper}, not the {valid} valid ballots declared"
            )
        electorate = _figure(path, where, figures, "electorate")
        returned = valid + _figure(path, where, figures, "spoilt")
        if returned > electorate:
            raise VerificationError(
                f"{path}: {where}, {returned} ballots returned (valid and spoilt) but only "
                f"{electorate} electors: no class can return more ballots than it has electors"
            )


def verify_published(folder: Path, *, public_key: str | None = None) -> VerifyReport:
    """Check a published folder: signature, file hashes, a recount of the records, and every
    declared figure that follows from the published files.

    Args:
        folder: ``DATA_DIR/published/<contest>``; its name must be the declared contest's id.
        public_key: the contest's key as announced (hex); without it, the key inside the
            declaration is used, which proves integrity but not who signed, and the report
            says so (``key_pinned`` false, a warning).

    Raises:
        VerificationError: the first discrepancy found.
    """
    declaration, warnings = check_record(folder, public_key=public_key)
    try:
        return _verify_contents(folder, declaration, warnings, key_pinned=public_key is not None)
    except VerificationError:
        raise
    except MandateError as error:
        raise VerificationError(
            f"{folder}: the published records cannot be recounted as declared ({error})"
        ) from None
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
        raise VerificationError(
            f"{folder / 'declaration.json'}: a field is missing or malformed "
            f"({type(error).__name__}: {error})"
        ) from None


def _verify_contents(
    folder: Path, declaration: Mapping[str, Any], warnings: tuple[str, ...], *, key_pinned: bool
) -> VerifyReport:
    """The recount and the checks of every derivable field, after :func:`check_record`."""
    where = folder / "declaration.json"
    legacy = declaration["format"] == LEGACY_DECLARATION_FORMAT
    published = _load_json(folder / "result.json")
    spec = spec_from_json(declaration["count_spec"])
    college = spec.method is Method.COLLEGE
    if college:
        result, records, by_class = _recount_college(folder, declaration, spec)
    elif legacy:
        result, records = _recount(folder, declaration, spec)
        by_class = None
    else:
        result, records, by_class = _recount_by_class(folder, declaration, spec)
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
            f"{where}: declares {declaration['elected']}, "
            f"the result elects {published.get('elected')}"
        )
    _check_candidates(where, declaration, published)
    _check_turnout(where, "in total", declaration["ballots"])
    for section in declaration["by_class"]:
        _check_turnout(where, f"class {section.get('id')!r}", section)
    _check_classes_add_up(where, declaration)
    check_ballots_possible(where, declaration)
    if college:
        check_first_round_by_class(where, declaration["by_class"], published)
    else:
        _check_first_round_adds_up(where, declaration, published)
    if by_class is not None:
        _check_class_recounts(where, declaration, by_class)
    online = None if legacy else _check_trackers(folder, declaration)
    return VerifyReport(
        contest=str(declaration["contest"]),
        ballots=records,
        elected=tuple(declaration["elected"]),
        public_key=str(declaration["public_key"]),
        key_pinned=key_pinned,
        online=online,
        warnings=warnings,
    )


def check_record(folder: Path, *, public_key: str | None) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Check a published folder's signature, format, contest id and files' hashes (no recount).

    What the public pages check before they show a record, and the first half of
    :func:`verify_published`.

    Args:
        folder: ``DATA_DIR/published/<contest>``; its name must be the declared contest's id.
        public_key: the key to check the signature against (hex); ``None`` trusts the key
            inside the declaration, and the warnings say so.

    Returns:
        The declaration's body, and what was not checked (the warnings).

    Raises:
        VerificationError: the first discrepancy found.
    """
    where = folder / "declaration.json"
    signed = _load_json(where)
    try:
        declaration = signed["declaration"]
        signature = signature_value(signed["signature"], where=str(where))
        key = declaration["public_key"]
    except (KeyError, TypeError):
        raise VerificationError(f"{where}: not a mandate declaration") from None
    if not isinstance(declaration, dict):
        raise VerificationError(f"{where}: not a mandate declaration")
    warnings: list[str] = []
    if public_key is not None and public_key.strip().lower() != str(key).lower():
        raise VerificationError(f"{where}: signed with key {key}, not the announced {public_key}")
    if public_key is None:
        warnings.append(UNPINNED_WARNING)
    if not verify_document(str(key), declaration, str(signature)):
        raise VerificationError(f"{where}: the signature does not match the declaration")
    verify_published_checkpoints(folder, str(key), declaration)
    form = declaration.get("format")
    if form not in (DECLARATION_FORMAT, LEGACY_DECLARATION_FORMAT):
        raise VerificationError(
            f"{where}: format {form!r} is not one this version verifies "
            f"({DECLARATION_FORMAT}, {LEGACY_DECLARATION_FORMAT})"
        )
    legacy = form == LEGACY_DECLARATION_FORMAT
    if legacy:
        warnings.append(
            f"a record of the first format ({LEGACY_DECLARATION_FORMAT}): it publishes no "
            "trackers.txt, so the online ballots and each class's count cannot be recounted"
        )
    if declaration.get("contest") != folder.name:
        raise VerificationError(
            f"{where}: declares contest {declaration.get('contest')!r}, but the folder is "
            f"{folder.name!r} (a folder holds the records of the contest it is named after; "
            "a copy must keep the contest's id as its name)"
        )
    _check_files(folder, declaration, LEGACY_PUBLISHED_FILES if legacy else PUBLISHED_FILES)
    return declaration, tuple(warnings)


def _check_files(folder: Path, declaration: Mapping[str, Any], names: tuple[str, ...]) -> None:
    """The declaration lists exactly the published files, and each hashes as declared."""
    files = declaration.get("files")
    if not isinstance(files, dict) or sorted(files) != sorted(names):
        listed = sorted(files) if isinstance(files, dict) else files
        raise VerificationError(
            f"{folder / 'declaration.json'}: lists the files {listed}, "
            f"a declaration of its format publishes {sorted(names)}"
        )
    for name in names:
        path = folder / name
        if not path.exists():
            raise VerificationError(f"{path}: missing")
        if _sha256(path) != files[name]:
            raise VerificationError(f"{path}: changed since the declaration (SHA-256 differs)")


def _check_candidates(
    path: Path, declaration: Mapping[str, Any], published: Mapping[str, Any]
) -> None:
    """The declared candidates are the result's, in the same order."""
    counted = [str(c.get("name")) for c in published.get("candidates") or ()]
    if list(declaration["candidates"]) != counted:
        raise VerificationError(
            f"{path}: declares the candidates {declaration['candidates']}, "
            f"the result counted {counted}"
        )


_ADDED = ("electorate", "valid", "online", "paper", "spoilt", "returned")


def _check_classes_add_up(path: Path, declaration: Mapping[str, Any]) -> None:
    """The classes add up to the total, figure by figure; in total and in each class, the
    online and paper ballots add up to the valid ones; each class is named once."""
    classes = list(declaration["by_class"])
    ids = [str(c.get("id")) for c in classes]
    if len(set(ids)) != len(ids):
        raise VerificationError(f"{path}: a voter class is declared twice ({ids})")
    total = declaration["ballots"]
    for figure in _ADDED:
        if figure not in total:
            continue
        added = sum(int(c.get(figure, 0)) for c in classes)
        if added != int(total[figure]):
            raise VerificationError(
                f"{path}: {total[figure]} {figure} declared in total, the classes add up to {added}"
            )
    for where, figures in [("in total", total)] + [
        (f"class {i!r}", c) for i, c in zip(ids, classes, strict=True)
    ]:
        if "online" in figures and int(figures["online"]) + int(figures["paper"]) != int(
            figures["valid"]
        ):
            raise VerificationError(
                f"{path}: {where}, {figures['online']} online and {figures['paper']} paper "
                f"ballots declared, which do not add up to the {figures['valid']} valid"
            )


def _check_class_recounts(
    path: Path, declaration: Mapping[str, Any], by_class: Mapping[str, tuple[int, Any]]
) -> None:
    """Each class's declared valid ballots, first preferences and elected are its recount's.

    Args:
        by_class: class id → (records of that class, the class's recount as result JSON).
    """
    declared = {str(c.get("id")): c for c in declaration["by_class"]}
    unknown = sorted(set(by_class) - set(declared))
    if unknown:
        raise VerificationError(
            f"{path.parent / 'cvr.json'}: ballots of {', '.join(map(repr, unknown))}, which is "
            f"not a voter class of the declaration ({', '.join(declared)})"
        )
    for class_id, item in declared.items():
        records, recount = by_class.get(class_id, (0, None))
        if int(item.get("valid", 0)) != records:
            raise VerificationError(
                f"{path}: class {class_id!r} declares {item.get('valid')} valid ballots, "
                f"cvr.json holds {records} of that class"
            )
        first = _first_round(recount) if recount is not None else {}
        elected = list(recount["elected"]) if recount is not None else []
        if dict(item.get("first_round") or {}) != first:
            raise VerificationError(
                f"{path}: class {class_id!r} declares first preferences "
                f"{item.get('first_round')}, its recount gives {first}"
            )
        if list(item.get("elected") or []) != elected:
            raise VerificationError(
                f"{path}: class {class_id!r} declares {item.get('elected')} elected, "
                f"its recount elects {elected}"
            )


def _check_trackers(folder: Path, declaration: Mapping[str, Any]) -> int:
    """``trackers.txt``: one tracker a line, in its written form, sorted and each once, and as
    many as the online ballots declared. The number of trackers."""
    path = folder / "trackers.txt"
    previous = ""
    lines = 0
    with path.open(encoding="utf-8") as handle:
        for lines, line in enumerate(handle, start=1):
            text = line.rstrip("\n")
            try:
                tracker = parse_tracker(text)
            except ValueError:
                tracker = None
            if tracker != text:
                raise VerificationError(f"{path}, line {lines}: {text[:80]!r} is not a tracker")
            if tracker <= previous:
                raise VerificationError(
                    f"{path}, line {lines}: {tracker} is not after {previous}: the trackers "
                    "are published sorted, each once"
                )
            previous = tracker
    online = int(declaration["ballots"]["online"])
    if lines != online:
        raise VerificationError(
            f"{path}: {lines} trackers but {online} online ballots declared (every online "
            "ballot's tracker is published)"
        )
    return lines


def _recount(
    folder: Path, declaration: Mapping[str, Any], spec: CountSpec
) -> tuple[CountResult, int]:
    """Recount ``cvr.json``, after checking ``cvr.csv`` holds the same ballots; the result and
    the number of records."""
    profile = read_ballots(
        folder / "cvr.json", format=BallotFormat.CDF, candidates=declaration["candidates"]
    )
    _check_title(folder, declaration, profile.title)
    result = count(profile, spec)
    _check_csv(folder, declaration, profile)
    return result, profile.total


def _recount_college(
    folder: Path, declaration: Mapping[str, Any], spec: CountSpec
) -> tuple[CountResult, int, dict[str, tuple[int, Any]]]:
    """Recount a college over the voter classes the records give each ballot; the result,
    the number of records, and each class's records and count."""
    classes = [str(item["id"]) for item in declaration["by_class"]]
    sections = read_published_sections(folder, classes, declaration["candidates"])
    _check_title(folder, declaration, next((p.title for _, p in sections if p.ballots), None))
    result, each = count_by_class(sections, spec)
    counted = {name: json.loads(canonical_json(result_to_json(r))) for name, r in each}
    by_class = {name: (p.total, counted.get(name)) for name, p in sections}
    return result, sum(p.total for _, p in sections), by_class


def _recount_by_class(
    folder: Path, declaration: Mapping[str, Any], spec: CountSpec
) -> tuple[CountResult, int, dict[str, tuple[int, Any]]]:
    """Recount ``cvr.json`` in total and each voter class apart (its ``BallotStyleId``), after
    checking ``cvr.csv`` holds the same ballots; the total, the number of records, and each
    class's records and count."""
    path = folder / "cvr.json"
    try:
        sections = read_cdf_sections(path, candidates=declaration["candidates"])
    except BallotFormatError as error:
        raise VerificationError(f"{error} (the records say each ballot's voter class)") from None
    pooled = sections.pooled()
    _check_title(folder, declaration, pooled.title)
    _check_csv(folder, declaration, pooled)
    totals = dict(sections)
    by_class = {  # as the declaration counted them: a report that no tie stops
        name: (totals[name].total, json.loads(canonical_json(result_to_json(result))))
        for name, result in count_each_section(sections, spec)
    }
    return count(pooled, spec), pooled.total, by_class


def _check_title(folder: Path, declaration: Mapping[str, Any], title: str | None) -> None:
    """The declared title is the contest's name in ``cvr.json``."""
    if declaration.get("title") != title:
        raise VerificationError(
            f"{folder / 'declaration.json'}: declares the title {declaration.get('title')!r}, "
            f"cvr.json names the contest {title!r}"
        )


def _check_csv(folder: Path, declaration: Mapping[str, Any], profile: Profile) -> None:
    csv_profile = read_ballots(
        folder / "cvr.csv", format=BallotFormat.CSV, candidates=declaration["candidates"]
    )
    if Counter({b.ranking: b.count for b in csv_profile.deduplicated()}) != Counter(
        {b.ranking: b.count for b in profile.deduplicated()}
    ):
        raise VerificationError(f"{folder / 'cvr.csv'}: its ballots differ from cvr.json's")


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
