"""A declaration's signature block must name Ed25519 (issue 10, item 31)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mandate.errors import VerificationError
from mandate.service import ContestService
from mandate.service.verify import verify_published
from tests.integration.contests.conftest import OpenContest
from tests.integration.contests.test_tampering import _declared


@pytest.mark.parametrize("algorithm", ["none", "HS256", "ed25519-but-not-really", None])
def test_a_signature_naming_another_algorithm_is_refused(
    service: ContestService, ready: OpenContest, tmp_path: Path, algorithm: str | None
) -> None:
    folder = _declared(service, ready, tmp_path)
    path = folder / "declaration.json"
    signed = json.loads(path.read_text())
    signed["signature"]["algorithm"] = algorithm  # the signature itself is still good
    path.write_text(json.dumps(signed))
    with pytest.raises(VerificationError, match=r"signature algorithm .* is not supported"):
        verify_published(folder, public_key=service.public_key(ready.contest_id))
