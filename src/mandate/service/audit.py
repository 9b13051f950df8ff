"""Verifying the audit log: the hash chain, its head, and the ballots it sealed.

The log is append-only and hash-chained (:func:`mandate.crypto.audit_entry_hash`): editing,
inserting or deleting any entry breaks the chain at that entry, and cutting entries off the end
no longer matches the head row. The log also *seals* ballots: when a ballot closes, the digest
of the online ballots is recorded (``ballot sealed``), and the count records the digest of every
ballot it counted; :func:`verify_audit` recomputes both from the stored ballots, so an edited,
added or deleted ballot row is detected too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mandate.crypto import GENESIS_HASH, BallotSetHasher, audit_entry_hash
from mandate.errors import AuditChainError
from mandate.service.checkpoints import CHECKPOINT, verify_checkpoints
from mandate.storage.ports import AuditEntry, BallotRecord, ContestStore

__all__ = [
    "COUNTED",
    "SEALED",
    "AuditReport",
    "ballot_fields",
    "online_digest",
    "seal_digests",
    "verify_audit",
]

SEALED = "ballot sealed"
"""The audit action recording the digest of the online ballots when the ballot closes."""

COUNTED = "count"
"""The audit action of the count, recording the digest of every ballot counted."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditReport:
    """A verified audit log: how many entries, its head, and the ballot seals checked."""

    entries: int
    head: str
    seals_checked: int
    signed_contests: tuple[str, ...] = ()
    """Contests whose signed checkpoints were checked against the chain and their tables."""
    unsigned_contests: tuple[str, ...] = ()
    """Contests with no signed checkpoint (declared before keys left the database)."""


def ballot_fields(b: BallotRecord) -> tuple[str, ...]:
    """The fields of a stored ballot that a seal covers, in order."""
    return (b.id, b.tracker, b.voter_class, b.channel, b.batch_id or "", b.ranking)


def seal_digests(store: ContestStore, contest_id: str) -> dict[str, tuple[int, str]]:
    """One pass over a contest's ballots: the number and digest of the online ballots
    (:data:`SEALED`) and of all of them (:data:`COUNTED`), ordered by ballot id."""
    online, every = BallotSetHasher(), BallotSetHasher()
    for b in store.ballots(contest_id):
        fields = ballot_fields(b)
        every.update(fields)
        if b.channel == "online":
            online.update(fields)
    return {
        SEALED: (online.count, online.hexdigest()),
        COUNTED: (every.count, every.hexdigest()),
    }


def online_digest(store: ContestStore, contest_id: str) -> tuple[int, str]:
    """The number and digest of a contest's online ballots (ordered by id)."""
    return seal_digests(store, contest_id)[SEALED]


_STEPS = frozenset(
    {
        "contest created",
        "open nominations",
        "close nominations",
        "open the ballot",
        "close the ballot",
        "count",
        "declare",
    }
)


def _check_entry(entry: AuditEntry, expected_seq: int, prev_hash: str) -> None:
    if entry.seq != expected_seq:
        raise AuditChainError(
            f"audit log: expected entry {expected_seq} next, found entry {entry.seq} "
            "(an entry was deleted or inserted)"
        )
    if entry.prev_hash != prev_hash:
        raise AuditChainError(
            f"audit log entry {entry.seq} ({entry.action}): its previous-hash does not match "
            f"entry {entry.seq - 1} (an entry before it was changed or replaced)"
        )
    recomputed = audit_entry_hash(
        prev_hash=entry.prev_hash,
        seq=entry.seq,
        contest_id=entry.contest_id,
        recorded_at=entry.recorded_at,
        actor=entry.actor,
        action=entry.action,
        payload=entry.payload,
    )
    if recomputed != entry.hash:
        raise AuditChainError(
            f"audit log entry {entry.seq} ({entry.action}, {entry.recorded_at}) was changed: "
            "its contents no longer give its hash"
        )


def verify_audit(
    store: ContestStore,
    *,
    published_dir: Path | None = None,
    public_keys: Mapping[str, str] | None = None,
) -> AuditReport:
    """Check the whole audit log, the ballot seals and every contest's signed checkpoints
    (:func:`mandate.service.checkpoints.verify_checkpoints`); raise at the first discrepancy.

    Args:
        published_dir: ``DATA_DIR/published``, whose ``checkpoints.jsonl`` files are checked
            against the log too.
        public_keys: announced keys (contest id → hex): such a contest must have been created
            with that key, so that its checkpoints are signed by it.

    Raises:
        AuditChainError: naming the first entry (or contest's ballots) that does not verify.
    """
    prev_hash = GENESIS_HASH
    expected = 1
    seals: list[tuple[AuditEntry, dict[str, object]]] = []
    hashes = [GENESIS_HASH]
    signed_steps: list[AuditEntry] = []
    for entry in store.audit_entries():
        _check_entry(entry, expected, prev_hash)
        prev_hash = entry.hash
        hashes.append(entry.hash)
        expected += 1
        if entry.contest_id and (entry.action == CHECKPOINT or entry.action in _STEPS):
            signed_steps.append(entry)
        if entry.action in (SEALED, COUNTED) and entry.contest_id:
            seals.append((entry, json.loads(entry.payload)))
    head_seq, head_hash = store.audit_head()
    if (head_seq, head_hash) != (expected - 1, prev_hash):
        raise AuditChainError(
            f"audit log ends at entry {expected - 1} but its head records entry {head_seq}: "
            "entries were removed from the end, or the head was changed"
        )
    latest: dict[tuple[str, str], tuple[AuditEntry, dict[str, object]]] = {}
    for entry, payload in seals:
        assert entry.contest_id is not None
        latest[(entry.contest_id, entry.action)] = (entry, payload)
    digests: dict[str, dict[str, tuple[int, str]]] = {}
    for (contest_id, action), (entry, payload) in sorted(latest.items()):
        if action == COUNTED and "ballot_digest" not in payload:
            continue
        if contest_id not in digests:
            digests[contest_id] = seal_digests(store, contest_id)
        count, digest = digests[contest_id][action]
        if digest != payload.get("ballot_digest") or count != payload.get("ballots"):
            what = (
                "online ballots sealed when the ballot closed"
                if action == SEALED
                else "ballots sealed by the count"
            )
            raise AuditChainError(
                f"contest {contest_id!r}: the stored ballots no longer match the {what} "
                f"(audit entry {entry.seq}: {payload.get('ballots')} ballots; now {count}, "
                "or a ballot was changed)"
            )
    contests = verify_checkpoints(store, signed_steps, hashes=hashes, published_dir=published_dir)
    for contest_id, announced in (public_keys or {}).items():
        found = contests.get(contest_id)
        if found is None or found.public_key is None:
            raise AuditChainError(f"contest {contest_id!r}: not in the audit log")
        if not found.checkpoints:
            raise AuditChainError(
                f"contest {contest_id!r}: no signed checkpoint to check against the announced "
                "key (declared before keys left the database, or its checkpoints were removed)"
            )
        if found.public_key.lower() != announced.lower():
            raise AuditChainError(
                f"contest {contest_id!r}: created with key {found.public_key[:16]}…, not the "
                f"announced {announced[:16]}… (the log and its checkpoints were rewritten with "
                "another key)"
            )
    return AuditReport(
        entries=expected - 1,
        head=prev_hash,
        seals_checked=len(latest),
        signed_contests=tuple(sorted(c for c, found in contests.items() if found.checkpoints)),
        unsigned_contests=tuple(
            sorted(c for c, found in contests.items() if not found.checkpoints)
        ),
    )
