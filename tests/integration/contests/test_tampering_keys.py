"""An attacker with write access to the database, and none to the returning officer's key.

Each test plays one tampering of issue 10, item 26 on a declared contest as the red team did:
edit the rows, then recompute the ballot seals, every audit entry's hash and the head, so that
the hash chain alone holds again. The signed checkpoints must still show it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from mandate.crypto import GENESIS_HASH, audit_entry_hash
from mandate.errors import AuditChainError, VerificationError
from mandate.service import ContestService
from mandate.service.audit import COUNTED, SEALED, seal_digests
from mandate.service.checkpoints import checkpoint_hash, contest_digests, write_checkpoints
from mandate.service.lifecycle import ContestState
from mandate.service.results import count_contest, declare_contest
from mandate.service.verify import verify_published
from tests.integration.contests.conftest import CANDIDATES, OpenContest
from tests.support.keys import new_signer


def _declared(service: ContestService, ready: OpenContest, root: Path) -> Path:
    for n, credential in enumerate(list(ready.credentials.values())[:-2]):
        service.cast(credential, [CANDIDATES[n < 2], CANDIDATES[n >= 2]])
    postal = list(ready.credentials)[-2:]  # their papers come back by post
    assert service.record_envelopes(ready.contest_id, [ready.credentials[m] for m in postal]) == (
        None,
        None,
    )
    voter_class = ready.classes[postal[0]]
    papers = sum(ready.classes[m] == voter_class for m in postal)
    service.enter_paper_batch(
        ready.contest_id,
        label="box 1",
        voter_class=voter_class,
        ballots=[[CANDIDATES[0]]],
        spoilt=papers - 1,
    )
    service.close_ballot(ready.contest_id)
    count_contest(service, ready.contest_id)
    return declare_contest(service, ready.contest_id, root)


def _execute(service: ContestService, statement: str, **values: object) -> None:
    with service.store.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(sa.text(statement), values)


Payload = dict[str, object]


def rewrite_chain(
    service: ContestService,
    edit_payload: Callable[[str, Payload, dict[int, str]], Payload] | None = None,
) -> None:
    """Recompute the ballot seals from the stored ballots, then every entry's hash and the
    head: what anyone with write access and the published algorithm can do."""
    engine = service.store.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        rows = conn.execute(sa.text("SELECT * FROM audit_log ORDER BY seq")).all()
        prev = GENESIS_HASH
        rewritten: dict[int, str] = {}
        for row in rows:
            payload = json.loads(row.payload)
            if row.contest_id and row.action in (SEALED, COUNTED) and "ballot_digest" in payload:
                count, digest = seal_digests(service.store, row.contest_id)[row.action]
                payload.update(ballots=count, ballot_digest=digest)
            if edit_payload is not None:
                payload = edit_payload(row.action, payload, rewritten)
            text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            digest = audit_entry_hash(
                prev_hash=prev,
                seq=row.seq,
                contest_id=row.contest_id,
                recorded_at=row.recorded_at,
                actor=row.actor,
                action=row.action,
                payload=text,
            )
            conn.execute(
                sa.text(
                    "UPDATE audit_log SET payload = :p, prev_hash = :prev, hash = :h "
                    "WHERE seq = :seq"
                ),
                {"p": text, "prev": prev, "h": digest, "seq": row.seq},
            )
            prev = rewritten[row.seq] = digest
        conn.execute(
            sa.text("UPDATE audit_head SET seq = :seq, hash = :h"),
            {"seq": rows[-1].seq, "h": prev},
        )


@pytest.fixture
def declared(service: ContestService, ready: OpenContest, tmp_path: Path) -> Path:
    return _declared(service, ready, tmp_path / "declared")


def test_the_untouched_contest_verifies_with_its_checkpoints(
    service: ContestService, ready: OpenContest, declared: Path
) -> None:
    report = service.verify_audit()
    assert report.signed_contests == (ready.contest_id,)
    verified = verify_published(declared, public_key=service.public_key(ready.contest_id))
    assert verified.contest == ready.contest_id
    published = service.published_dir / ready.contest_id / "checkpoints.jsonl"  # type: ignore[operator]
    assert len(published.read_text().splitlines()) == 7  # created, 5 steps, declared


def test_flipped_ballots_with_seals_and_chain_recomputed_are_detected(
    service: ContestService, declared: Path
) -> None:
    _execute(
        service,
        "UPDATE ballots SET ranking = :owen WHERE ranking LIKE :jeremy",
        owen=json.dumps([[CANDIDATES[1]]]),
        jeremy=f'[["{CANDIDATES[0]}"]%',
    )
    rewrite_chain(service)
    with pytest.raises(AuditChainError, match=r"the audit log was rewritten: entry .* signed in"):
        service.verify_audit()


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        ("UPDATE paper_batches SET spoilt = spoilt + 5", "paper batches"),
        ("UPDATE electors SET voted = NOT voted WHERE member_id = 'M0'", "electors"),
        (
            "INSERT INTO electors (contest_id, member_id, voter_class, name, email, voted) "
            "VALUES ('leader-2016', 'M999', 'member', 'Nobody', '', FALSE)",
            "electors",
        ),
        ("UPDATE results SET result_json = replace(result_json, '1', '2')", "results"),
        ("UPDATE candidates SET name = 'Owen Smyth' WHERE name = 'Owen Smith'", "candidates"),
        ("UPDATE contests SET title = 'Another contest'", "contest"),
        (
            "UPDATE ballots SET cast_on = '2016-09-21' WHERE id = (SELECT min(id) FROM ballots)",
            "ballots",
        ),
    ],
)
def test_an_edited_table_is_detected_even_with_the_chain_recomputed(
    service: ContestService, declared: Path, statement: str, named: str
) -> None:
    _execute(service, statement)
    rewrite_chain(service)
    with pytest.raises(AuditChainError, match=f"the stored {named} .* no longer match"):
        service.verify_audit()


def test_a_changed_state_is_detected(service: ContestService, declared: Path) -> None:
    _execute(service, "UPDATE contests SET state = 'ballot_open'")
    with pytest.raises(AuditChainError, match="its state is 'ballot open' but the last signed"):
        service.verify_audit()


def test_a_replaced_public_key_is_detected(service: ContestService, declared: Path) -> None:
    _execute(service, "UPDATE contest_keys SET public_key = :k", k=new_signer().public_key)
    with pytest.raises(AuditChainError, match="contest_keys was changed"):
        service.verify_audit()


def test_a_replaced_public_key_rewritten_into_the_log_is_detected(
    service: ContestService, declared: Path
) -> None:
    forged = new_signer().public_key

    def creation_with(action: str, payload: Payload, _: dict[int, str]) -> Payload:
        return {**payload, "public_key": forged} if action == "contest created" else payload

    _execute(service, "UPDATE contest_keys SET public_key = :k", k=forged)
    rewrite_chain(service, creation_with)
    with pytest.raises(AuditChainError, match="not signed by the contest's key"):
        service.verify_audit()


def test_cutting_the_tail_and_winding_the_state_back_is_detected(
    service: ContestService, declared: Path
) -> None:
    with service.store.engine.begin() as conn:  # type: ignore[attr-defined]
        last = conn.execute(sa.text("SELECT max(seq) FROM audit_log")).scalar_one()
        conn.execute(sa.text("DELETE FROM audit_log WHERE seq > :s"), {"s": last - 2})
        kept = conn.execute(
            sa.text("SELECT hash FROM audit_log WHERE seq = :s"), {"s": last - 2}
        ).scalar_one()
        conn.execute(
            sa.text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": last - 2, "h": kept}
        )
        conn.execute(sa.text("UPDATE contests SET state = 'counted'"))
    with pytest.raises(AuditChainError, match=r"has signed checkpoint 7 .* the log was cut short"):
        service.verify_audit()


def test_cutting_the_tail_alone_is_detected(service: ContestService, declared: Path) -> None:
    with service.store.engine.begin() as conn:  # type: ignore[attr-defined]
        last = conn.execute(sa.text("SELECT max(seq) FROM audit_log")).scalar_one()
        conn.execute(sa.text("DELETE FROM audit_log WHERE seq > :s"), {"s": last - 2})
        kept = conn.execute(
            sa.text("SELECT hash FROM audit_log WHERE seq = :s"), {"s": last - 2}
        ).scalar_one()
        conn.execute(
            sa.text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": last - 2, "h": kept}
        )
    with pytest.raises(AuditChainError, match="its state is 'declared' but the last signed"):
        service.verify_audit()


def test_a_checkpoint_removed_from_the_published_file_is_detected(
    service: ContestService, ready: OpenContest, declared: Path
) -> None:
    path = declared / "checkpoints.jsonl"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:3] + lines[4:]) + "\n")
    with pytest.raises(VerificationError, match="checkpoint 5 does not follow checkpoint 3"):
        verify_published(declared, public_key=service.public_key(ready.contest_id))


def test_a_published_file_cut_before_the_declaration_is_detected(
    service: ContestService, ready: OpenContest, declared: Path
) -> None:
    path = declared / "checkpoints.jsonl"
    path.write_text("\n".join(path.read_text().splitlines()[:-1]) + "\n")
    with pytest.raises(VerificationError, match="no signed checkpoint of 'declare'"):
        verify_published(declared, public_key=service.public_key(ready.contest_id))


def test_a_step_cannot_be_signed_with_another_key(
    service: ContestService, ready: OpenContest
) -> None:
    from mandate.errors import SigningKeyError

    with pytest.raises(SigningKeyError, match="is not the key of contest 'leader-2016'"):
        service.close_ballot(ready.contest_id, signer=new_signer())
    assert service.state(ready.contest_id).value == "ballot_open"


def test_a_log_re_signed_with_another_key_fails_against_the_announced_key(
    service: ContestService, ready: OpenContest, declared: Path
) -> None:
    """The strongest attack without the officer's key: a key of one's own, written into
    contest_keys and the log, every checkpoint re-signed with it and the published file
    rewritten. Only the key announced before the ballot opened shows it."""
    announced = service.public_key(ready.contest_id)
    forger = new_signer()
    previous: list[Payload] = []

    def resign(action: str, payload: Payload, hashes: dict[int, str]) -> Payload:
        if action == "contest created":
            return {**payload, "public_key": forger.public_key}
        if action != "checkpoint":
            return payload
        document = dict(payload["checkpoint"])  # type: ignore[call-overload]
        seq = int(document["audit_head"]["seq"])
        document["audit_head"] = {"seq": seq, "hash": hashes[seq]}
        document["public_key"] = forger.public_key
        document["previous"] = checkpoint_hash(previous[-1]) if previous else GENESIS_HASH
        document["digests"] = digests[document["state"]]  # the tampered tables'

        signed: Payload = {
            "checkpoint": document,
            "signature": {"algorithm": "Ed25519", "value": forger.sign(document)},
        }
        previous.append(signed)
        return signed

    _execute(service, "UPDATE contest_keys SET public_key = :k", k=forger.public_key)
    _execute(service, "UPDATE paper_batches SET spoilt = spoilt + 5")
    digests = {
        state.value: contest_digests(service.store, ready.contest_id, state)
        for state in ContestState
    }
    rewrite_chain(service, resign)
    assert service.published_dir is not None
    write_checkpoints(service.published_dir / ready.contest_id / "checkpoints.jsonl", previous)
    fresh = ContestService(service.store, published_dir=service.published_dir)
    assert fresh.verify_audit().signed_contests == (ready.contest_id,)  # unpinned: it holds
    with pytest.raises(AuditChainError, match="not the announced"):
        fresh.verify_audit(public_keys={ready.contest_id: announced})


def test_checkpoints_stripped_from_a_running_contest_are_detected(
    service: ContestService, ready: OpenContest
) -> None:
    _execute(service, "DELETE FROM audit_log WHERE action = 'checkpoint'")
    with service.store.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(sa.text("UPDATE audit_log SET seq = -seq"))
        old = [r.seq for r in conn.execute(sa.text("SELECT seq FROM audit_log ORDER BY seq DESC"))]
        for new, seq in enumerate(old, start=1):
            conn.execute(
                sa.text("UPDATE audit_log SET seq = :n WHERE seq = :s"), {"n": new, "s": seq}
            )
    rewrite_chain(service)
    unpublished = ContestService(service.store)  # and the published file thrown away
    with pytest.raises(AuditChainError, match="'ballot open' and has no signed checkpoint"):
        unpublished.verify_audit()
