"""Edits after the fact are detected: audit rows, ballot rows, and published records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from mandate.errors import AuditChainError, VerificationError
from mandate.service import ContestService
from mandate.service.audit import verify_audit
from mandate.service.results import count_contest, declare_contest
from mandate.service.verify import verify_published
from tests.integration.contests.conftest import CANDIDATES, OpenContest


def _declared(service: ContestService, ready: OpenContest, root: Path) -> Path:
    for n, credential in enumerate(ready.credentials.values()):
        service.cast(credential, [CANDIDATES[n % 3 == 0], CANDIDATES[n % 3 != 0]])
    service.close_ballot(ready.contest_id)
    count_contest(service, ready.contest_id)
    return declare_contest(service, ready.contest_id, root)


def _execute(service: ContestService, statement: str) -> None:
    with service.store.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(sa.text(statement))


def test_an_untouched_contest_verifies(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    folder = _declared(service, ready, tmp_path)
    report = verify_published(folder, public_key=service.public_key(ready.contest_id))
    assert report.ballots == len(ready.credentials)
    assert report.elected == (CANDIDATES[0],)
    assert verify_audit(service.store).seals_checked == 2


def test_an_edited_audit_row_is_detected(service: ContestService, ready: OpenContest) -> None:
    _execute(service, "UPDATE audit_log SET actor = 'someone else' WHERE seq = 3")
    with pytest.raises(AuditChainError, match=r"entry 3 .* was changed"):
        verify_audit(service.store)


def test_a_deleted_audit_row_is_detected(service: ContestService, ready: OpenContest) -> None:
    _execute(service, "DELETE FROM audit_log WHERE seq = 2")
    with pytest.raises(AuditChainError, match="expected entry 2"):
        verify_audit(service.store)


def test_cutting_off_the_end_of_the_log_is_detected(
    service: ContestService, ready: OpenContest
) -> None:
    _execute(service, "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
    with pytest.raises(AuditChainError, match="head records"):
        verify_audit(service.store)


def test_an_edited_ballot_row_is_detected(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    _declared(service, ready, tmp_path)
    _execute(
        service,
        """UPDATE ballots SET ranking = '[["Jeremy Corbyn"]]' """
        """WHERE id = (SELECT min(id) FROM ballots)""",
    )
    with pytest.raises(AuditChainError, match="no longer match"):
        verify_audit(service.store)


def test_a_deleted_ballot_row_is_detected(service: ContestService, ready: OpenContest) -> None:
    service.cast(next(iter(ready.credentials.values())), [CANDIDATES[0]])
    service.close_ballot(ready.contest_id)
    _execute(service, "DELETE FROM ballots")
    with pytest.raises(AuditChainError, match="sealed when the ballot closed"):
        verify_audit(service.store)


def test_an_edited_published_record_is_detected(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    folder = _declared(service, ready, tmp_path)
    cvr = folder / "cvr.csv"
    lines = cvr.read_text().splitlines()
    lines[1] = lines[1].replace(CANDIDATES[0], "X") if CANDIDATES[0] in lines[1] else lines[1]
    cvr.write_text("\n".join([*lines, lines[-1]]) + "\n")
    with pytest.raises(VerificationError, match=r"cvr\.csv: changed since the declaration"):
        verify_published(folder)


def test_a_result_changed_and_rehashed_is_caught_by_the_signature(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    folder = _declared(service, ready, tmp_path)
    signed = json.loads((folder / "declaration.json").read_text())
    signed["declaration"]["elected"] = [CANDIDATES[1]]
    (folder / "declaration.json").write_text(json.dumps(signed))
    with pytest.raises(VerificationError, match="signature does not match"):
        verify_published(folder)


def test_a_wrong_announced_key_is_refused(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    folder = _declared(service, ready, tmp_path)
    with pytest.raises(VerificationError, match="not the announced"):
        verify_published(folder, public_key="00" * 32)


def test_a_result_that_the_records_do_not_give_is_caught_by_the_recount(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    import hashlib

    folder = _declared(service, ready, tmp_path)
    result = json.loads((folder / "result.json").read_text())
    first = result["rounds"][0]["tally"]
    name = next(iter(first))
    first[name] = str(int(first[name]) + 1)
    (folder / "result.json").write_text(json.dumps(result))
    signed = json.loads((folder / "declaration.json").read_text())
    declaration = signed["declaration"]
    declaration["files"]["result.json"] = hashlib.sha256(
        (folder / "result.json").read_bytes()
    ).hexdigest()
    assert service.signer is not None
    signed["signature"]["value"] = service.signer.sign(declaration)
    (folder / "declaration.json").write_text(json.dumps(signed))
    with pytest.raises(VerificationError, match=r"rounds\[0\]\.tally"):
        verify_published(folder)
