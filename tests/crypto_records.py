"""Proofs as JSON records, and the checks that read and verify them.

A record holds a proof with its whole statement and context, in the JSON of
docs/verifiable.md. The tamper tests flip bits in every field of a record and expect the
check to refuse it; the test-vector tests run the same checks on docs/verifiable-vectors.json.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from mandate.crypto.elgamal import Ciphertext, encrypt
from mandate.crypto.group import G, Point, Scalar
from mandate.crypto.proofs import (
    BallotProof,
    MembershipProof,
    SchnorrProof,
    prove_ballot,
    prove_decryption_share,
    prove_dlog,
    prove_membership,
    sign,
    verify_ballot,
    verify_decryption_share,
    verify_dlog,
    verify_membership,
    verify_signature,
)
from mandate.crypto.shuffle import Shuffle, ShuffleRandomness, shuffle_ballots
from mandate.crypto.shuffle_verification import verify_shuffle

Record = dict[str, Any]


def check_dlog(record: Record) -> None:
    verify_dlog(
        Point.from_hex(record["X"]),
        SchnorrProof.from_json(record["proof"]),
        context=bytes.fromhex(record["context"]),
    )


def check_signature(record: Record) -> None:
    verify_signature(
        Point.from_hex(record["X"]),
        bytes.fromhex(record["message"]),
        SchnorrProof.from_json(record["proof"]),
        context=bytes.fromhex(record["context"]),
    )


def check_decryption_share(record: Record) -> None:
    verify_decryption_share(
        Point.from_hex(record["X"]),
        Ciphertext.from_json(record["ciphertext"]),
        Point.from_hex(record["F"]),
        SchnorrProof.from_json(record["proof"]),
        context=bytes.fromhex(record["context"]),
    )


def check_membership(record: Record) -> None:
    verify_membership(
        Point.from_hex(record["y"]),
        Ciphertext.from_json(record["ciphertext"]),
        record["allowed"],
        MembershipProof.from_json(record["proof"]),
        context=bytes.fromhex(record["context"]),
    )


def check_ballot(record: Record) -> None:
    verify_ballot(
        Point.from_hex(record["y"]),
        [Ciphertext.from_json(ct) for ct in record["ciphertexts"]],
        BallotProof.from_json(record["proof"]),
        context=bytes.fromhex(record["context"]),
    )


def check_shuffle(record: Record) -> None:
    """§12: the shuffle entry ``record["shuffle"]`` of the input list ``record["ciphertexts"]``."""
    verify_shuffle(
        Point.from_hex(record["y"]),
        [[Ciphertext.from_json(ct) for ct in ballot] for ballot in record["ciphertexts"]],
        Shuffle.from_json(record["shuffle"]),
        election=bytes.fromhex(record["context"]),
        voter_class=record["class"],
        trustee=record["trustee"],
        positions=record["positions"],
    )


CHECKS: dict[str, Callable[[Record], None]] = {
    "dlog": check_dlog,
    "signature": check_signature,
    "decryption_share": check_decryption_share,
    "membership": check_membership,
    "ballot": check_ballot,
    "shuffle": check_shuffle,
}

FLIPPED_BITS = (0, 1, 9, 130, 254, 255)
"""Which bits of each 32-byte field the tamper tests flip (byte order as encoded)."""


def _flip(text: str, bit: int) -> str:
    data = bytearray(bytes.fromhex(text))
    if bit >= 8 * len(data):
        bit %= 8 * len(data)
    data[bit // 8] ^= 1 << (bit % 8)
    return data.hex()


def tampered(record: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every record that differs from ``record`` in one field: one bit flipped in a hex field
    (several bits, one at a time), one added to an integer, one byte added to a context, one
    letter changed in a name."""
    if isinstance(record, dict):
        for key, value in record.items():
            for where, changed in tampered(value, f"{path}.{key}"):
                yield where, {**record, key: changed}
    elif isinstance(record, list):
        for n, value in enumerate(record):
            for where, changed in tampered(value, f"{path}[{n}]"):
                yield where, [*record[:n], changed, *record[n + 1 :]]
    elif isinstance(record, int):
        yield f"{path} + 1", record + 1
    elif isinstance(record, str):
        if path.endswith((".context", ".message")):
            yield f"{path} + 1 byte", record + "00"
        try:
            bytes.fromhex(record)
        except ValueError:  # a name (a voter class): change one letter
            yield f"{path} changed", record[:-1] + chr(ord(record[-1]) ^ 1)
            return
        if record:
            for bit in FLIPPED_BITS:
                yield f"{path} bit {bit}", _flip(record, bit)


def make_records(rand: Callable[[], Scalar]) -> dict[str, Record]:
    """One honest record of each proof, with every random scalar drawn from ``rand``."""
    context = bytes.fromhex("e1ec7104") + b"\x00" * 28
    x = rand()
    X = G**x
    y = G ** rand()
    r = rand()
    ciphertext = encrypt(y, 2, r)
    F, share_proof = prove_decryption_share(x, ciphertext, context=context, w=rand())
    allowed = [0, 1, 2, 3]
    membership = prove_membership(
        y,
        ciphertext,
        allowed,
        index=2,
        r=r,
        context=context,
        w=rand(),
        fakes=[(rand(), rand()) for _ in range(3)],
    )
    rs = [rand() for _ in range(3)]
    positions = [encrypt(y, v, r_p) for v, r_p in zip((3, 1, 0), rs, strict=True)]
    message = b"a ballot"
    inputs = [tuple(encrypt(y, v, rand()) for v in values) for values in ((3, 1), (2, 0), (1, 2))]
    mixed = shuffle_ballots(
        y,
        inputs,
        ShuffleRandomness.drawn((2, 0, 1), 2, rand),
        election=context,
        voter_class="member",
        trustee=2,
    )
    return {
        "dlog": {
            "context": context.hex(),
            "X": X.hex(),
            "proof": prove_dlog(x, context=context, w=rand()).to_json(),
        },
        "signature": {
            "context": context.hex(),
            "X": X.hex(),
            "message": message.hex(),
            "proof": sign(x, message, context=context, w=rand()).to_json(),
        },
        "decryption_share": {
            "context": context.hex(),
            "X": X.hex(),
            "ciphertext": ciphertext.to_json(),
            "F": F.hex(),
            "proof": share_proof.to_json(),
        },
        "membership": {
            "context": context.hex(),
            "y": y.hex(),
            "ciphertext": ciphertext.to_json(),
            "allowed": allowed,
            "proof": membership.to_json(),
        },
        "ballot": {
            "context": context.hex(),
            "y": y.hex(),
            "ciphertexts": [ct.to_json() for ct in positions],
            "proof": prove_ballot(
                y, positions, rs, context=context, ws=[rand() for _ in rs]
            ).to_json(),
        },
        "shuffle": {
            "context": context.hex(),
            "y": y.hex(),
            "class": "member",
            "trustee": 2,
            "positions": 2,
            "ciphertexts": [[ct.to_json() for ct in ballot] for ballot in inputs],
            "shuffle": mixed.to_json(),
        },
    }
