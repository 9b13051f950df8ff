"""Issue 10, item 25: which key `mandate verify` trusts, and that it says so.

A record altered and re-signed with a new key agrees with itself, so a check against the key
inside the folder passes: it must say loudly that no key was pinned, and a check against the
contest's announced key fails.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mandate.crypto import GENESIS_HASH, public_key_hex, sign_document
from mandate.errors import VerificationError
from mandate.service import ContestService
from mandate.service.checkpoints import checkpoint_hash
from mandate.service.results import count_contest, declare_contest
from mandate.service.verify import UNPINNED_WARNING, verify_published
from tests.integration.contests.conftest import CANDIDATES, OpenContest


def _declared(service: ContestService, ready: OpenContest, root: Path) -> Path:
    for n, credential in enumerate(ready.credentials.values()):
        service.cast(credential, [CANDIDATES[n % 3 == 0], CANDIDATES[n % 3 != 0]])
    service.close_ballot(ready.contest_id)
    count_contest(service, ready.contest_id)
    return declare_contest(service, ready.contest_id, root)


def _forged(folder: Path) -> None:
    """The contest renamed in the records and the declaration, the files re-hashed, the signed
    checkpoints and the declaration re-signed with a new key: everything in the folder
    agrees."""
    cvr = json.loads((folder / "cvr.json").read_text())
    cvr["Election"][0]["Contest"][0]["Name"] = "Another contest"
    (folder / "cvr.json").write_text(json.dumps(cvr))
    seed = bytes(range(32))
    previous = GENESIS_HASH
    lines = []
    for line in (folder / "checkpoints.jsonl").read_text().splitlines():
        checkpoint = json.loads(line)
        checkpoint["checkpoint"]["previous"] = previous
        checkpoint["signature"]["value"] = sign_document(seed, checkpoint["checkpoint"])
        previous = checkpoint_hash(checkpoint)
        lines.append(json.dumps(checkpoint))
    (folder / "checkpoints.jsonl").write_text("\n".join(lines) + "\n")
    signed = json.loads((folder / "declaration.json").read_text())
    declaration = signed["declaration"]
    named = declaration["checkpoint"]["n"]
    declaration["checkpoint"]["hash"] = checkpoint_hash(json.loads(lines[named - 1]))
    for name in declaration["files"]:
        declaration["files"][name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    declaration["public_key"] = public_key_hex(seed)
    declaration["title"] = "Another contest"
    signed["signature"]["value"] = sign_document(seed, declaration)
    (folder / "declaration.json").write_text(json.dumps(signed))


def test_a_record_re_signed_with_a_new_key_passes_only_unpinned_and_says_so(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    folder = _declared(service, ready, tmp_path)
    announced = service.public_key(ready.contest_id)
    assert verify_published(folder, public_key=announced).key_pinned
    _forged(folder)
    report = verify_published(folder)
    assert report.key_pinned is False
    assert report.warnings == (UNPINNED_WARNING,)
    with pytest.raises(VerificationError, match="not the announced"):
        verify_published(folder, public_key=announced)


def test_the_command_warns_when_no_key_is_pinned(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    folder = _declared(service, ready, tmp_path)
    announced = service.public_key(ready.contest_id)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mandate", "verify", str(folder), *args],
            capture_output=True,
            text=True,
            check=False,
        )

    unpinned = run()
    assert unpinned.returncode == 0
    assert "warning: no key pinned" in unpinned.stderr
    assert "NOT PINNED" in unpinned.stdout
    as_json = run("--json")
    assert as_json.returncode == 0
    report = json.loads(as_json.stdout)
    assert report["key_pinned"] is False
    assert report["warnings"] == [UNPINNED_WARNING]
    assert report["online"] == len(ready.credentials)
    pinned = run("--json", "--public-key", announced)
    assert pinned.returncode == 0
    assert pinned.stderr == ""
    assert json.loads(pinned.stdout)["key_pinned"] is True
