"""Signed checkpoints: the audit log's head, signed with the contest's key at each transition.

At every step of a contest's life (created, nominations opened and closed, ballot opened and
closed, counted, declared) the returning officer's key signs a *checkpoint*::

    {"format": "mandate-checkpoint/1", "contest": …, "n": 3, "previous": "<hex>",
     "action": "close nominations", "state": "nominations_closed",
     "audit_head": {"seq": 41, "hash": "<hex>"}, "public_key": "<hex>",
     "digests": {"candidates": "<hex>", …}, "signed_at": "…Z"}

``previous`` is the SHA-256 of the canonical JSON of checkpoint ``n − 1`` (64 zeros for the
first), ``digests`` the SHA-256 digests of the contest's tables that may no longer change in
that state (:data:`FROZEN_FROM`). The signed checkpoint is appended to the audit log (action
``checkpoint``) and, when the service has a published folder, as one line to
``published/<contest>/checkpoints.jsonl``, which the public pages serve while voting runs.

Anyone with write access to the database can recompute hashes, but not signatures: a rewritten
chain no longer gives the signed heads, an edited table no longer gives the signed digests, and
a contest's state must be the last checkpoint's (:func:`verify_checkpoints`). Entries cut from
the end after the last checkpoint are caught by comparing with a copy of the published file
taken earlier.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mandate.crypto import (
    GENESIS_HASH,
    BallotSetHasher,
    Signer,
    canonical_json,
    hash_hex,
    verify_document,
)
from mandate.errors import AuditChainError, VerificationError
from mandate.service.lifecycle import Action, ContestState
from mandate.storage.ports import AuditEntry, ContestStore

__all__ = [
    "CHECKPOINT",
    "CHECKPOINTS_FILE",
    "CHECKPOINT_FORMAT",
    "FROZEN_FROM",
    "ContestCheckpoints",
    "checkpoint_hash",
    "contest_digests",
    "make_checkpoint",
    "publish_checkpoint",
    "read_published",
    "verify_checkpoints",
    "verify_published_checkpoints",
    "write_checkpoints",
]

CHECKPOINT = "checkpoint"
"""The audit action of a signed checkpoint."""
CHECKPOINT_FORMAT = "mandate-checkpoint/1"
CHECKPOINTS_FILE = "checkpoints.jsonl"
CREATED = "contest created"

_ORDER = tuple(ContestState)
BALLOT_COLUMNS = ("id", "tracker", "voter_class", "channel", "batch_id", "ranking", "cast_on")
ELECTOR_COLUMNS = ("member_id", "voter_class", "name", "email", "credential_hash", "voted")


@dataclass(frozen=True, slots=True, kw_only=True)
class Component:
    """A part of a contest's stored data, sealed from one state on."""

    table: str
    columns: tuple[str, ...] = ()
    where_channel: str | None = None


FROZEN_FROM: Mapping[str, tuple[ContestState, Component]] = {
    "contest": (
        ContestState.BALLOT_OPEN,
        Component(
            table="contests",
            columns=(
                "title",
                "rulebook_ref",
                "rulebook_id",
                "count_spec",
                "voter_classes",
                "params",
                "created_on",
            ),
        ),
    ),
    "public_key": (ContestState.DRAFT, Component(table="contest_keys", columns=("public_key",))),
    "candidates": (ContestState.NOMINATIONS_CLOSED, Component(table="candidates")),
    "roll": (
        ContestState.BALLOT_OPEN,
        Component(table="electors", columns=("member_id", "voter_class", "name", "email")),
    ),
    "online_ballots": (
        ContestState.BALLOT_CLOSED,
        Component(table="ballots", columns=BALLOT_COLUMNS, where_channel="online"),
    ),
    "electors": (ContestState.COUNTED, Component(table="electors", columns=ELECTOR_COLUMNS)),
    "ballots": (ContestState.COUNTED, Component(table="ballots", columns=BALLOT_COLUMNS)),
    "paper_batches": (ContestState.COUNTED, Component(table="paper_batches")),
    "results": (ContestState.COUNTED, Component(table="results")),
}
"""Each sealed component: the state from which it may not change, and where it is stored.

The contest row's state is not in ``contest``: it is the checkpoint's ``state``."""


def _frozen(state: ContestState) -> list[str]:
    return [
        name
        for name, (since, _) in FROZEN_FROM.items()
        if _ORDER.index(state) >= _ORDER.index(since)
    ]


def contest_digests(store: ContestStore, contest_id: str, state: ContestState) -> dict[str, str]:
    """The digest of every component of the contest frozen in ``state``.

    Each is ``"<rows>:<hex>"``: the number of rows, and the SHA-256 of
    ``"mandate/ballot-set/v1"`` then, for each row in primary-key order, its fields encoded
    after the count of its fields (:class:`~mandate.crypto.BallotSetHasher`, every part
    length-prefixed), each field as :meth:`ContestStore.table_rows` writes it as text. One
    pass over each table.
    """
    names = _frozen(state)
    hashers = {name: BallotSetHasher() for name in names}
    by_table: dict[str, list[str]] = {}
    for name in names:
        by_table.setdefault(FROZEN_FROM[name][1].table, []).append(name)
    for table, members in by_table.items():
        # one pass a table: the columns every member needs, each member taking its own
        components = [FROZEN_FROM[name][1] for name in members]
        columns: tuple[str, ...] = ()
        if all(c.columns for c in components):
            columns = tuple(dict.fromkeys(col for c in components for col in c.columns))
        picks = [
            (
                hashers[name],
                None
                if not columns or c.columns == columns
                else tuple(columns.index(col) for col in c.columns),
                columns.index("channel") if c.where_channel else -1,
                c.where_channel,
            )
            for name, c in zip(members, components, strict=True)
        ]
        for row in store.table_rows(contest_id, table, columns or None):
            for hasher, indices, channel_at, wanted in picks:
                if wanted is not None and row[channel_at] != wanted:
                    continue
                hasher.update(row if indices is None else tuple(row[i] for i in indices))
    return {name: f"{hashers[name].count}:{hashers[name].hexdigest()}" for name in names}


CHECKPOINT_DOMAIN = "mandate/checkpoint/v1"


def checkpoint_hash(signed: Mapping[str, Any]) -> str:
    """The hash of a signed checkpoint, which the next one and the declaration name:
    ``SHA-256("mandate/checkpoint/v1" ‖ canonical JSON)``, the parts length-prefixed
    (:func:`mandate.crypto.hash_hex`), like every other hash of the record."""
    return hash_hex(CHECKPOINT_DOMAIN, canonical_json(dict(signed)))


def make_checkpoint(
    store: ContestStore,
    signer: Signer,
    *,
    contest_id: str,
    action: str,
    state: ContestState,
    previous: Mapping[str, Any] | None,
    signed_at: str,
) -> dict[str, Any]:
    """Sign the audit log's current head for a contest that just moved to ``state``.

    Returns the signed checkpoint, ``{"checkpoint": {...}, "signature": {...}}``.
    """
    seq, head = store.audit_head()
    document: dict[str, Any] = {
        "format": CHECKPOINT_FORMAT,
        "contest": contest_id,
        "n": 1 if previous is None else int(previous["checkpoint"]["n"]) + 1,
        "previous": GENESIS_HASH if previous is None else checkpoint_hash(previous),
        "action": action,
        "state": state.value,
        "audit_head": {"seq": seq, "hash": head},
        "public_key": signer.public_key,
        "digests": contest_digests(store, contest_id, state),
        "signed_at": signed_at,
    }
    return {
        "checkpoint": document,
        "signature": {"algorithm": "Ed25519", "value": signer.sign(document)},
    }


def publish_checkpoint(published_root: Path, contest_id: str, signed: Mapping[str, Any]) -> Path:
    """Append a signed checkpoint as one line to ``<root>/<contest>/checkpoints.jsonl``."""
    folder = published_root / contest_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CHECKPOINTS_FILE
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(dict(signed), sort_keys=True, ensure_ascii=False) + "\n")
    return path


def write_checkpoints(path: Path, signed: Iterable[Mapping[str, Any]]) -> None:
    """Write a contest's signed checkpoints, one a line, as the whole file (at declaration)."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        for item in signed:
            handle.write(json.dumps(dict(item), sort_keys=True, ensure_ascii=False) + "\n")
    partial.replace(path)


@dataclass(slots=True)
class ContestCheckpoints:
    """What :func:`verify_checkpoints` found for one contest."""

    contest_id: str
    public_key: str | None = None
    checkpoints: list[tuple[AuditEntry, dict[str, Any]]] = field(default_factory=list)
    transitions: int = 0


def _fail(contest_id: str, message: str) -> AuditChainError:
    return AuditChainError(f"contest {contest_id!r}: {message}")


def _check_signed(
    contest: ContestCheckpoints,
    entry: AuditEntry,
    signed: Mapping[str, Any],
    hashes: Sequence[str],
    previous: Mapping[str, Any] | None,
) -> None:
    cid = contest.contest_id
    try:
        document = signed["checkpoint"]
        signature = signed["signature"]
        head = document["audit_head"]
    except (KeyError, TypeError):
        raise _fail(cid, f"audit entry {entry.seq} is not a signed checkpoint") from None
    if signature.get("algorithm") != "Ed25519" or not verify_document(
        str(contest.public_key), document, str(signature.get("value"))
    ):
        raise _fail(
            cid,
            f"checkpoint in audit entry {entry.seq} is not signed by the contest's key "
            f"{str(contest.public_key)[:16]}…",
        )
    expected_n = 1 if previous is None else int(previous["checkpoint"]["n"]) + 1
    expected_prev = GENESIS_HASH if previous is None else checkpoint_hash(previous)
    if document.get("n") != expected_n or document.get("previous") != expected_prev:
        raise _fail(
            cid,
            f"checkpoint {document.get('n')} (audit entry {entry.seq}) does not follow "
            f"checkpoint {expected_n - 1}: a checkpoint was removed or replaced",
        )
    seq = int(head["seq"])
    if not 0 < seq < entry.seq or hashes[seq] != head["hash"]:
        raise _fail(
            cid,
            f"the audit log was rewritten: entry {seq} no longer has the hash signed in "
            f"checkpoint {expected_n} ({document.get('action')}, {document.get('signed_at')})",
        )


def read_published(path: Path, public_key: str) -> list[dict[str, Any]]:
    """The signed checkpoints of a published ``checkpoints.jsonl``, each checked: signed by
    ``public_key`` and following the one before it.

    Raises:
        AuditChainError: a line that is not JSON, not signed by the key, or out of order
            (naming the file and line).
    """
    found: list[dict[str, Any]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise AuditChainError(f"{path}: cannot be read ({error})") from None
    for number, line in enumerate(lines, start=1):
        try:
            signed = json.loads(line)
            document = signed["checkpoint"]
            value = str(signed["signature"]["value"])
            algorithm = signed["signature"]["algorithm"]
        except (ValueError, KeyError, TypeError):
            raise AuditChainError(f"{path}, line {number}: not a signed checkpoint") from None
        if algorithm != "Ed25519" or not verify_document(public_key, document, value):
            raise AuditChainError(
                f"{path}, line {number}: not signed by the contest's key {public_key[:16]}…"
            )
        expected = GENESIS_HASH if not found else checkpoint_hash(found[-1])
        if document.get("n") != len(found) + 1 or document.get("previous") != expected:
            raise AuditChainError(
                f"{path}, line {number}: checkpoint {document.get('n')} does not follow "
                f"checkpoint {len(found)} (one was removed or replaced)"
            )
        found.append(signed)
    return found


def verify_checkpoints(
    store: ContestStore,
    entries: Iterable[AuditEntry],
    *,
    hashes: Sequence[str],
    published_dir: Path | None = None,
) -> dict[str, ContestCheckpoints]:
    """Check every contest's signed checkpoints against the chain and the stored tables, and
    against the published ``checkpoints.jsonl`` if there is one.

    Args:
        entries: the audit log's entries already checked as a chain (only the contests'
            creation, transitions and checkpoints are looked at).
        hashes: every entry's hash by sequence number (``hashes[0]`` is the genesis hash).
        published_dir: ``DATA_DIR/published``: every checkpoint published there must be in
            the log (a log cut short, with its state wound back, is caught here).

    Raises:
        AuditChainError: the first thing that does not hold, naming the contest.
    """
    contests: dict[str, ContestCheckpoints] = {}
    transitions = {action.value for action in Action}
    for entry in entries:
        if entry.contest_id is None:
            continue
        contest = contests.setdefault(entry.contest_id, ContestCheckpoints(entry.contest_id))
        if entry.action == CREATED:
            contest.public_key = json.loads(entry.payload).get("public_key")
        elif entry.action == CHECKPOINT:
            signed = json.loads(entry.payload)
            previous = contest.checkpoints[-1][1] if contest.checkpoints else None
            _check_signed(contest, entry, signed, hashes, previous)
            contest.checkpoints.append((entry, signed))
        elif entry.action in transitions:
            contest.transitions += 1
    for contest in contests.values():
        _check_contest(store, contest)
        if published_dir is not None and contest.public_key:
            _check_published(published_dir / contest.contest_id / CHECKPOINTS_FILE, contest)
    return contests


def _check_published(path: Path, contest: ContestCheckpoints) -> None:
    """Every checkpoint published must be in the log, the same, in the same place."""
    if not path.exists():
        return
    logged = [signed for _, signed in contest.checkpoints]
    for signed in read_published(path, str(contest.public_key)):
        n = int(signed["checkpoint"]["n"])
        if n > len(logged) or checkpoint_hash(logged[n - 1]) != checkpoint_hash(signed):
            document = signed["checkpoint"]
            raise _fail(
                contest.contest_id,
                f"{path} has signed checkpoint {n} ({document['action']}, "
                f"{document['signed_at']}, audit entry {document['audit_head']['seq']}) that "
                f"the audit log {'does not have' if n > len(logged) else 'has otherwise'}: "
                "the log was cut short or rewritten",
            )


def _check_contest(store: ContestStore, contest: ContestCheckpoints) -> None:
    cid = contest.contest_id
    try:
        record = store.get_contest(cid)
        stored_key = store.get_keys(cid).public_key
    except LookupError:
        if contest.checkpoints:
            raise _fail(cid, "signed checkpoints exist but the contest was deleted") from None
        return
    if contest.public_key is not None and stored_key != contest.public_key:
        raise _fail(
            cid,
            f"contest_keys says key {stored_key[:16]}…, but the contest was created with key "
            f"{contest.public_key[:16]}… (contest_keys was changed)",
        )
    if not contest.checkpoints:
        if record.state != ContestState.DECLARED.value:
            # only a contest declared before migration 0003_keys has none; it refuses others
            raise _fail(
                cid,
                f"it is {record.state.replace('_', ' ')!r} and has no signed checkpoint: every "
                "contest made since keys left the database has one from its creation (the "
                "checkpoints were removed)",
            )
        return
    signed_states = len(contest.checkpoints) - 1  # the first one signs the creation
    if signed_states < contest.transitions:
        raise _fail(
            cid,
            f"{contest.transitions} transitions in the audit log but only {signed_states} "
            "signed checkpoints after the creation",
        )
    last = contest.checkpoints[-1][1]["checkpoint"]
    if last["state"] != record.state:
        raise _fail(
            cid,
            f"its state is {record.state.replace('_', ' ')!r} but the last signed checkpoint "
            f"({last['action']}, {last['signed_at']}) says {last['state'].replace('_', ' ')!r} "
            "(the state was changed)",
        )
    digests = contest_digests(store, cid, ContestState(last["state"]))
    for name, signed_digest in sorted(last["digests"].items()):
        if digests.get(name) != signed_digest:
            table = FROZEN_FROM[name][1].table if name in FROZEN_FROM else name
            raise _fail(
                cid,
                f"the stored {name.replace('_', ' ')} (table {table}) no longer match the "
                f"digest signed in checkpoint {last['n']} ({last['action']}, "
                f"{last['signed_at']}): a row was changed, added or removed",
            )


LIFECYCLE = (
    CREATED,
    Action.OPEN_NOMINATIONS.value,
    Action.CLOSE_NOMINATIONS.value,
    Action.OPEN_BALLOT.value,
    Action.CLOSE_BALLOT.value,
    Action.COUNT.value,
    Action.DECLARE.value,
)
"""The steps every declared contest signed, in this order."""


def verify_published_checkpoints(
    folder: Path, public_key: str, declaration: Mapping[str, Any]
) -> int:
    """Check a published contest's ``checkpoints.jsonl`` against its declaration, offline.

    Every line signed by the declaration's key and following the one before; a checkpoint for
    each step of the lifecycle, in order, for this contest; the declaration names its last
    checkpoint before declaring (``checkpoint``: ``n`` and hash), and the declaration's own
    checkpoint comes after the audit head the declaration gives. Returns how many checkpoints.
    A declaration made before checkpoints existed (no ``checkpoint`` field) is not checked.

    Raises:
        VerificationError: naming the file and what does not hold.
    """
    path = folder / CHECKPOINTS_FILE
    named = declaration.get("checkpoint")
    if named is None and not path.exists():
        return 0
    if not path.exists():
        raise VerificationError(f"{path}: missing (the declaration names checkpoint {named})")
    try:
        found = read_published(path, public_key)
    except AuditChainError as error:
        raise VerificationError(str(error)) from None
    documents = [signed["checkpoint"] for signed in found]
    contest = declaration.get("contest")
    for document in documents:
        if document.get("contest") != contest:
            raise VerificationError(
                f"{path}: checkpoint {document.get('n')} is for contest "
                f"{document.get('contest')!r}, not {contest!r}"
            )
    steps = iter(d.get("action") for d in documents)
    for step in LIFECYCLE:
        if step not in steps:  # consumes the iterator: the steps must come in this order
            raise VerificationError(
                f"{path}: no signed checkpoint of {step!r} after the ones before it"
            )
    if named is not None:
        n = int(named.get("n", 0))
        if not 0 < n <= len(found) or checkpoint_hash(found[n - 1]) != named.get("hash"):
            raise VerificationError(
                f"{path}: checkpoint {n} is not the one the declaration names (the file was "
                "rewritten)"
            )
    head = int(declaration.get("audit_head", {}).get("seq", 0))
    last = documents[-1]
    if last.get("action") != Action.DECLARE.value or int(last["audit_head"]["seq"]) <= head:
        raise VerificationError(
            f"{path}: the last checkpoint is not the declaration's (signed after audit entry "
            f"{head})"
        )
    return len(found)
