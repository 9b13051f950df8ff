"""Issue 10, item 25: every declaration field ``mandate verify`` can derive is checked.

A declared contest's declaration is taken apart field by field: each leaf is changed on its
own and the declaration re-signed with the same key, as a dishonest key holder could. Verify
must fail for every field it can derive from the published files; the fields it cannot derive
are listed here by name (and in docs/results.md, with the reason), so that a field added to
the declaration fails this test until someone decides which it is.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest

from mandate.crypto import SeedSigner, public_key_hex, sign_document
from mandate.errors import VerificationError
from mandate.service import ContestService
from mandate.service.results import count_contest, declare_contest
from mandate.service.verify import verify_published
from mandate.storage.sql import open_store
from tests.integration.contests.conftest import CANDIDATES, OpenContest
from tests.support.keys import keyed_service

SEED = bytes(range(32))
"""The key re-signing every variant (the test's stand-in for the contest's own key)."""
KEY = public_key_hex(SEED)

Path_ = tuple[str | int, ...]


@pytest.fixture
def service(database_url: str, tmp_path: Path) -> Iterator[ContestService]:
    """The contest service holding :data:`SEED` as the returning officer's key, so that the
    checkpoints it publishes and every re-signed variant are signed by the same key."""
    s = keyed_service(open_store(database_url), tmp_path / "published", signer=SeedSigner(SEED))
    yield s
    s.close()


NOT_DERIVABLE: dict[str, str] = {
    "rulebook": "the rulebook is not published in the folder",
    "declared_at": "a time; nothing published records when the declaration was made",
    "count_spec.clause": "the rulebook's clause, quoted; the rulebook is not published",
    "audit_head.hash": "the audit log is not published; `mandate audit verify` checks it",
    "by_class.*.title": "a class's title comes from the rulebook, which is not published",
    "by_class.affiliated_supporter.id": (
        "a class with no ballot appears in no published record, only in the rulebook"
    ),
}
"""Declaration fields verify cannot derive from the published files (pattern → why); each
must match a field of the declaration here. docs/results.md gives the same list."""


def _declared(service: ContestService, ready: OpenContest, root: Path) -> Path:
    """Online ballots in both classes, three postal envelopes of members: two paper ballots
    and one spoilt."""
    members = [m for m, c in ready.classes.items() if c == "member"]
    postal = members[:3]
    assert service.record_envelopes(ready.contest_id, [ready.credentials[m] for m in postal]) == (
        None,
        None,
        None,
    )
    for n, (member, credential) in enumerate(ready.credentials.items()):
        if member not in postal:
            service.cast(credential, [CANDIDATES[n % 3 == 0], CANDIDATES[n % 3 != 0]])
    service.close_ballot(ready.contest_id)
    service.enter_paper_batch(
        ready.contest_id,
        label="box 1",
        voter_class="member",
        ballots=[[CANDIDATES[1]], [CANDIDATES[0], CANDIDATES[1]]],
        spoilt=1,
    )
    count_contest(service, ready.contest_id)
    return declare_contest(service, ready.contest_id, root / "published")


def _leaves(value: Any, path: Path_ = ()) -> Iterator[Path_]:
    if isinstance(value, dict):
        for key in value:
            yield from _leaves(value[key], (*path, key))
    elif isinstance(value, list) and value:
        for i, item in enumerate(value):
            yield from _leaves(item, (*path, i))
    else:
        yield path


def _name(body: dict[str, Any], path: Path_) -> str:
    """``by_class.member.first_round.Jeremy Corbyn`` for ("by_class", 0, "first_round", ...):
    a class by its id, a list's other items by their index."""
    parts = [str(path[0])]
    for i, part in enumerate(path[1:], start=1):
        if path[0] == "by_class" and i == 1:
            parts.append(str(body["by_class"][part]["id"]))
        else:
            parts.append(str(part))
    return ".".join(parts)


def _not_derivable(name: str) -> str | None:
    return next((why for pattern, why in NOT_DERIVABLE.items() if fnmatch(name, pattern)), None)


def _changed(value: Any) -> Any:
    """Another value of the same kind."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        if re.fullmatch(r"\d+(\.\d+)?", value):
            return value[:-1] + str((int(value[-1]) + 1) % 10)
        return value + "x"
    if value is None:
        return 1
    if value == []:
        return ["Jeremy Corbyn"]
    if value == {}:
        return {"Jeremy Corbyn": "1"}
    raise AssertionError(f"no change for {value!r}")


def _get(document: Any, path: Path_) -> Any:
    for part in path:
        document = document[part]
    return document


def _set(document: Any, path: Path_, value: Any) -> None:
    for part in path[:-1]:
        document = document[part]
    document[path[-1]] = value


def _resigned(folder: Path, out: Path, declaration: dict[str, Any]) -> Path:
    copied = out / folder.name
    if copied.exists():
        shutil.rmtree(copied)
    shutil.copytree(folder, copied)
    signed = {
        "declaration": declaration,
        "signature": {"algorithm": "Ed25519", "value": sign_document(SEED, declaration)},
    }
    (copied / "declaration.json").write_text(json.dumps(signed, indent=2), encoding="utf-8")
    return copied


@pytest.fixture
def declared(service: ContestService, ready: OpenContest, tmp_path: Path) -> dict[str, Any]:
    folder = _declared(service, ready, tmp_path)
    body: dict[str, Any] = json.loads((folder / "declaration.json").read_text())["declaration"]
    body["public_key"] = KEY
    return {"folder": folder, "body": body, "out": tmp_path / "variants"}


def test_the_untouched_declaration_re_signed_verifies(declared: dict[str, Any]) -> None:
    folder = _resigned(declared["folder"], declared["out"], declared["body"])
    report = verify_published(folder, public_key=KEY)
    assert report.key_pinned
    assert report.warnings == ()
    assert report.online == 9  # twelve electors, three voted by post
    assert report.ballots == 11  # and two of their papers were valid


def test_every_derivable_declaration_field_is_checked(declared: dict[str, Any]) -> None:
    body = declared["body"]
    undetected: list[str] = []
    listed_but_checked: list[str] = []
    names = [_name(body, path) for path in _leaves(body)]
    assert len(names) > 60
    for path, name in zip(_leaves(body), names, strict=True):
        changed = copy.deepcopy(body)
        _set(changed, path, _changed(_get(body, path)))
        folder = _resigned(declared["folder"], declared["out"], changed)
        try:
            verify_published(folder, public_key=KEY)
        except VerificationError:
            if _not_derivable(name):
                listed_but_checked.append(name)
            continue
        if not _not_derivable(name):
            undetected.append(name)
    assert (undetected, listed_but_checked) == ([], [])
    unused = [p for p in NOT_DERIVABLE if not any(fnmatch(n, p) for n in names)]
    assert unused == []


def _rehashed(declared: dict[str, Any], edit: Any) -> Path:
    """The declared folder with ``trackers.txt`` edited, re-hashed and re-signed."""
    import hashlib

    folder = _resigned(declared["folder"], declared["out"], declared["body"])
    path = folder / "trackers.txt"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    body = copy.deepcopy(declared["body"])
    body["files"]["trackers.txt"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _resigned(folder, declared["out"] / "edited", body)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda text: "".join(text.splitlines(keepends=True)[1:]), "8 trackers but 9 online"),
        (lambda text: text + "ZZZZ-ZZZZ-ZZZZ-ZZZZ\n", "10 trackers but 9 online"),
        (lambda text: text + text.splitlines(keepends=True)[-1], "sorted, each once"),
        (lambda text: "".join(reversed(text.splitlines(keepends=True))), "sorted, each once"),
        (lambda text: text.replace("-", "", 1), "is not a tracker"),
        (lambda text: text.replace("\n", " rank 1: Owen Smith\n", 1), "is not a tracker"),
    ],
)
def test_the_published_trackers_must_be_one_per_online_ballot(
    declared: dict[str, Any], edit: Any, message: str
) -> None:
    """Issue 10, item 8: verify checks trackers.txt holds one tracker per online ballot, in
    order, and nothing else."""
    folder = _rehashed(declared, edit)
    with pytest.raises(VerificationError, match=message):
        verify_published(folder, public_key=KEY)


def test_a_record_of_the_first_format_still_verifies_with_a_warning(
    declared: dict[str, Any],
) -> None:
    """Declarations made before trackers.txt (mandate-declaration/1) verify as before, and
    verify says what it could not check."""
    body = copy.deepcopy(declared["body"])
    body["format"] = "mandate-declaration/1"
    del body["files"]["trackers.txt"]
    folder = _resigned(declared["folder"], declared["out"], body)
    (folder / "trackers.txt").unlink()
    report = verify_published(folder, public_key=KEY)
    assert report.online is None
    assert len(report.warnings) == 1
    assert "first format" in report.warnings[0]
    body["format"] = "mandate-declaration/9"
    with pytest.raises(VerificationError, match="not one this version verifies"):
        verify_published(_resigned(folder, declared["out"] / "9", body), public_key=KEY)
