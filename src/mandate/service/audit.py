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
from collections.abc import Iterator
from dataclasses import dataclass

from mandate.crypto import GENESIS_HASH, audit_entry_hash, ballot_set_digest
from mandate.errors import AuditChainError
from mandate.storage.ports import AuditEntry, ContestStore

__all__ = ["SEALED", "AuditReport", "online_digest", "verify_audit"]

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


def _ballot_fields(
    store: ContestStore, contest_id: str, *, online_only: bool
) -> Iterator[tuple[str, ...]]:
    for b in store.ballots(contest_id):
        if online_only and b.channel != "online":
            continue
        yield (b.id, b.tracker, b.voter_class, b.channel, b.batch_id or "", b.ranking)


def online_digest(store: ContestStore, contest_id: str) -> tuple[int, str]:
    """The number and digest of a contest's online ballots (ordered by id)."""
    count = 0

    def counted() -> Iterator[tuple[str, ...]]:
        nonlocal count
        for fields in _ballot_fields(store, contest_id, online_only=True):
            count += 1
            yield fields

    digest = ballot_set_digest(counted())
    return count, digest


def all_digest(store: ContestStore, contest_id: str) -> tuple[int, str]:
    """The number and digest of every ballot of a contest (ordered by id)."""
    count = 0

    def counted() -> Iterator[tuple[str, ...]]:
        nonlocal count
        for fields in _ballot_fields(store, contest_id, online_only=False):
            count += 1
            yield fields

    digest = ballot_set_digest(counted())
    return count, digest


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


def verify_audit(store: ContestStore) -> AuditReport:
    """Check the whole audit log and the ballot seals; raise at the first discrepancy.

    Raises:
        AuditChainError: naming the first entry (or contest's ballots) that does not verify.
    """
    prev_hash = GENESIS_HASH
    expected = 1
    seals: list[tuple[AuditEntry, dict[str, object]]] = []
    for entry in store.audit_entries():
        _check_entry(entry, expected, prev_hash)
        prev_hash = entry.hash
        expected += 1
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
    for (contest_id, action), (entry, payload) in sorted(latest.items()):
        if action == COUNTED and "ballot_digest" not in payload:
            continue
        count, digest = (
            online_digest(store, contest_id) if action == SEALED else all_digest(store, contest_id)
        )
        if digest != payload.get("ballot_digest") or count != payload.get("ballots"):
            what = (
                "online ballots sealed when the ballot closed"
                if action == SEALED
                else ("ballots sealed by the count")
            )
            raise AuditChainError(
                f"contest {contest_id!r}: the stored ballots no longer match the {what} "
                f"(audit entry {entry.seq}: {payload.get('ballots')} ballots; now {count}, "
                "or a ballot was changed)"
            )
    return AuditReport(entries=expected - 1, head=prev_hash, seals_checked=len(latest))
