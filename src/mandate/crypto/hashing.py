"""Hashes with length-prefixed, domain-separated inputs, and canonical JSON.

Every hash input is ``domain ‖ part₁ ‖ … ‖ partₙ`` where each element is written as its length
(8 bytes, big-endian) followed by its bytes, so that no two different sequences of parts can
give the same input (``("ab", "c")`` and ``("a", "bc")`` hash differently), and a hash made for
one purpose can never be replayed for another.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence

__all__ = [
    "GENESIS_HASH",
    "BallotSetHasher",
    "Part",
    "audit_entry_hash",
    "ballot_set_digest",
    "canonical_json",
    "encode_parts",
    "hash_hex",
    "keyed_hash",
    "payload_text",
]

Part = bytes | str | int
"""A hash input element: bytes as they are, text as UTF-8, integers as decimal text."""

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first entry of a hash chain."""

AUDIT_DOMAIN = "mandate/audit-entry/v1"


def _as_bytes(part: Part) -> bytes:
    if isinstance(part, bool):
        raise TypeError("a hash part cannot be a bool")
    if isinstance(part, bytes):
        return part
    if isinstance(part, int):
        return str(part).encode("ascii")
    return part.encode("utf-8")


def encode_parts(domain: str, *parts: Part) -> bytes:
    """Encode a domain and parts as ``len(x) ‖ x`` for each, in order.

    >>> encode_parts("d", "ab", "c") != encode_parts("d", "a", "bc")
    True
    """
    chunks: list[bytes] = []
    for element in (domain, *parts):
        if type(element) is str:
            data = element.encode("utf-8")
        elif type(element) is bytes:
            data = element
        else:
            data = _as_bytes(element)
        chunks.append(len(data).to_bytes(8, "big"))
        chunks.append(data)
    return b"".join(chunks)


def hash_hex(domain: str, *parts: Part) -> str:
    """SHA-256 of the encoded domain and parts, as 64 lowercase hex digits.

    >>> len(hash_hex("mandate/test", "x"))
    64
    """
    return hashlib.sha256(encode_parts(domain, *parts)).hexdigest()


def keyed_hash(key: bytes, domain: str, *parts: Part) -> bytes:
    """HMAC-SHA256 under ``key`` of the encoded domain and parts (32 bytes).

    Used for credentials: ``H = HMAC-SHA256(k_contest, "mandate/credential/v1" ‖ credential)``;
    without the contest's key, a stored hash cannot be tested against guesses.

    >>> len(keyed_hash(b"k" * 32, "mandate/test", "x"))
    32
    """
    if len(key) < 32:
        raise ValueError(f"a keyed hash needs a key of at least 32 bytes (got {len(key)})")
    return hmac.new(key, encode_parts(domain, *parts), hashlib.sha256).digest()


def canonical_json(value: object) -> bytes:
    """JSON with sorted keys, no spaces and UTF-8 text: one byte string per value.

    >>> canonical_json({"b": 1, "a": [1, "é"]})
    b'{"a":[1,"\\xc3\\xa9"],"b":1}'
    """
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def audit_entry_hash(
    *,
    prev_hash: str,
    seq: int,
    contest_id: str | None,
    recorded_at: str,
    actor: str,
    action: str,
    payload: str,
) -> str:
    """The hash of one audit-log entry, chained to the previous entry's hash.

    ``hᵢ = SHA-256(D ‖ hᵢ₋₁ ‖ i ‖ contest ‖ time ‖ actor ‖ action ‖ payload)`` with every
    element length-prefixed and ``D = "mandate/audit-entry/v1"``; ``h₀`` is
    :data:`GENESIS_HASH`. Changing any field of any entry changes every later hash.
    """
    return hash_hex(
        AUDIT_DOMAIN, prev_hash, seq, contest_id or "", recorded_at, actor, action, payload
    )


def payload_text(payload: Mapping[str, object]) -> str:
    """The canonical JSON text of an audit payload."""
    return canonical_json(dict(payload)).decode("utf-8")


BALLOT_SET_DOMAIN = "mandate/ballot-set/v1"


class BallotSetHasher:
    """Incremental :func:`ballot_set_digest`: feed ballots one at a time."""

    def __init__(self) -> None:
        self._digest = hashlib.sha256(encode_parts(BALLOT_SET_DOMAIN))
        self.count = 0

    def update(self, fields: Sequence[Part]) -> None:
        """Add the next ballot's fields."""
        self._digest.update(encode_parts(str(len(fields)), *fields))
        self.count += 1

    def hexdigest(self) -> str:
        """The digest of the ballots fed so far."""
        return self._digest.hexdigest()


def ballot_set_digest(ballots: Iterable[Sequence[Part]]) -> str:
    """One SHA-256 over a whole set of ballots, in the order given (streamed).

    ``SHA-256(D ‖ n₁ ‖ fields₁ … )``: each ballot's fields are length-prefixed after the count
    of its fields, so the digest changes if any field of any ballot, their order or their
    number changes.

    >>> ballot_set_digest([("a", "b")]) != ballot_set_digest([("ab",)])
    True
    """
    hasher = BallotSetHasher()
    for fields in ballots:
        hasher.update(fields)
    return hasher.hexdigest()
