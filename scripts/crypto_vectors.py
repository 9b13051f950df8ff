"""Print the test vectors of docs/verifiable.md §16 as JSON.

Usage: ``.venv/bin/python scripts/crypto_vectors.py > docs/verifiable-vectors.json``

Fixed inputs and the outputs mandate.crypto computes from them, for each primitive, so that an
independent verifier can check itself. The "random" scalars are
``Hs("mandate/v1/test-vector", name, i)``: reproducible, and never used outside the vectors.
tests/unit/crypto/test_vectors.py checks that the published file is what this prints and
that every proof in it verifies.
"""

from __future__ import annotations

import json
import sys
from itertools import count
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from mandate.crypto.ballot import BallotSetup, credential_key, encrypt_ballot
from mandate.crypto.channel import reveal_channel_key, seal_share, settle_complaint
from mandate.crypto.elgamal import encrypt, public_key, reencrypt
from mandate.crypto.group import (
    GENERATOR_TAG,
    ORDER,
    G,
    H,
    Scalar,
    generator,
    hash_sha512,
    hash_to_point,
    hash_to_scalar,
)
from mandate.crypto.hashing import hash_hex
from mandate.crypto.proofs import (
    prove_ballot,
    prove_decryption_share,
    prove_dlog,
    prove_membership,
    sign,
)
from mandate.crypto.shuffle import ShuffleRandomness, shuffle_ballots
from mandate.crypto.shuffle_verification import shuffle_challenges
from mandate.crypto.threshold import (
    combine_shares,
    complaints,
    deal,
    decryption_share,
    election_public_key,
    secret_share,
    verification_key,
)

VECTOR_TAG = "mandate/v1/test-vector"

BAD_POINTS = [
    "00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2df6",
]


class Randomness:
    """The vectors' reproducible scalars: ``Hs("mandate/v1/test-vector", name, i)``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.counter = count()

    def __call__(self) -> Scalar:
        return hash_to_scalar(VECTOR_TAG, self.name, next(self.counter))


def _parts_json(parts: tuple[str | bytes | int, ...]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in parts:
        if isinstance(part, bytes):
            out.append({"hex": part.hex()})
        elif isinstance(part, int):
            out.append({"int": part})
        else:
            out.append({"text": part})
    return out


def hashes() -> list[dict[str, Any]]:
    cases: list[tuple[str, tuple[str | bytes | int, ...]]] = [
        ("mandate/v1/test-vector", ()),
        ("mandate/v1/test-vector", ("ab", "c")),
        ("mandate/v1/test-vector", ("a", "bc")),
        ("mandate/v1/test-vector", (bytes(range(5)), 12, "é")),
    ]
    out = []
    for tag, parts in cases:
        out.append(
            {
                "tag": tag,
                "parts": _parts_json(parts),
                "H": hash_sha512(tag, *parts).hex(),
                "Hs": hash_to_scalar(tag, *parts).hex(),
                "Hg": hash_to_point(tag, *parts).hex(),
                "Hid": hash_hex(tag, *parts),
            }
        )
    return out


def group() -> dict[str, Any]:
    big = hash_to_scalar(VECTOR_TAG, "group", 0)
    return {
        "order": str(ORDER),
        "g": G.hex(),
        "h": {"tag": GENERATOR_TAG, "parts": _parts_json(("h",)), "point": H.hex()},
        "h_i": [
            {"i": i, "parts": _parts_json(("h", i)), "point": generator(i).hex()} for i in range(4)
        ],
        "multiples_of_g": [{"k": str(k), "point": (G ** Scalar(k)).hex()} for k in range(6)]
        + [{"k": str(big.value), "point": (G**big).hex()}],
        "bad_points": BAD_POINTS,
        "bad_scalars": [
            ORDER.to_bytes(32, "little").hex(),
            (2**256 - 1).to_bytes(32, "little").hex(),
        ],
    }


def elgamal() -> list[dict[str, Any]]:
    rand = Randomness("elgamal")
    out = []
    for m in (0, 1, 7):
        x = rand()
        r = rand()
        r2 = rand()
        y = public_key(x)
        ciphertext = encrypt(y, m, r)
        out.append(
            {
                "x": x.hex(),
                "y": y.hex(),
                "m": m,
                "r": r.hex(),
                "ciphertext": ciphertext.to_json(),
                "reencryption": {
                    "r": r2.hex(),
                    "ciphertext": reencrypt(y, ciphertext, r2).to_json(),
                },
            }
        )
    return out


def proofs() -> dict[str, Any]:
    rand = Randomness("proofs")
    context = hash_sha512(VECTOR_TAG, "context")[:32]
    x = rand()
    X = public_key(x)
    y = public_key(rand())
    r = rand()
    ciphertext = encrypt(y, 2, r)
    w_dlog, w_sig, w_share, w_member = rand(), rand(), rand(), rand()
    fakes = [(rand(), rand()) for _ in range(3)]
    message = b"mandate test vector message"
    F, share_proof = prove_decryption_share(x, ciphertext, context=context, w=w_share)
    rs = [rand() for _ in range(4)]
    ws = [rand() for _ in range(4)]
    values = (3, 1, 4, 0)
    positions = [encrypt(y, v, r_p) for v, r_p in zip(values, rs, strict=True)]
    membership = prove_membership(
        y, ciphertext, [0, 1, 2, 3], index=2, r=r, context=context, w=w_member, fakes=fakes
    )
    return {
        "dlog": {
            "inputs": {"x": x.hex(), "w": w_dlog.hex()},
            "context": context.hex(),
            "X": X.hex(),
            "proof": prove_dlog(x, context=context, w=w_dlog).to_json(),
        },
        "signature": {
            "inputs": {"x": x.hex(), "w": w_sig.hex()},
            "context": context.hex(),
            "X": X.hex(),
            "message": message.hex(),
            "proof": sign(x, message, context=context, w=w_sig).to_json(),
        },
        "decryption_share": {
            "inputs": {"x": x.hex(), "w": w_share.hex()},
            "context": context.hex(),
            "X": X.hex(),
            "ciphertext": ciphertext.to_json(),
            "F": F.hex(),
            "proof": share_proof.to_json(),
        },
        "membership": {
            "inputs": {
                "m": 2,
                "index": 2,
                "r": r.hex(),
                "w": w_member.hex(),
                "fakes": [{"c": c.hex(), "s": s.hex()} for c, s in fakes],
            },
            "context": context.hex(),
            "y": y.hex(),
            "ciphertext": ciphertext.to_json(),
            "allowed": [0, 1, 2, 3],
            "proof": membership.to_json(),
        },
        "ballot": {
            "inputs": {
                "values": list(values),
                "r": [r_p.hex() for r_p in rs],
                "w": [w.hex() for w in ws],
            },
            "context": context.hex(),
            "y": y.hex(),
            "ciphertexts": [ct.to_json() for ct in positions],
            "proof": prove_ballot(y, positions, rs, context=context, ws=ws).to_json(),
        },
        "shuffle": shuffle(),
    }


def shuffle() -> dict[str, Any]:
    """§12: trustee 2 shuffles 3 ballots of 2 positions of class "member" with ψ = (3, 1, 2)
    (from 1; output 1 is input 3)."""
    rand = Randomness("shuffle")
    election = hash_sha512(VECTOR_TAG, "context")[:32]
    x = rand()
    y = public_key(x)
    values = [(3, 1), (2, 0), (1, 2)]
    rs = [[rand() for _ in ballot] for ballot in values]
    inputs = [
        tuple(encrypt(y, v, r) for v, r in zip(ballot, r_b, strict=True))
        for ballot, r_b in zip(values, rs, strict=True)
    ]
    randomness = ShuffleRandomness.drawn((2, 0, 1), 2, rand)
    mixed = shuffle_ballots(
        y, inputs, randomness, election=election, voter_class="member", trustee=2
    )
    derived = shuffle_challenges(
        y, inputs, mixed, election=election, voter_class="member", trustee=2, positions=2
    )

    def hexes(scalars: tuple[Scalar, ...]) -> list[str]:
        return [s.hex() for s in scalars]

    return {
        "inputs": {
            "x": x.hex(),
            "values": [list(ballot) for ballot in values],
            "r": [hexes(tuple(r_b)) for r_b in rs],
            "permutation_from_1": [j + 1 for j in randomness.permutation],
            "r_prime": [hexes(row) for row in randomness.r_prime],
            "rho": hexes(randomness.rho),
            "r_hat": hexes(randomness.r_hat),
            "omega_1": randomness.omega_1.hex(),
            "omega_2": randomness.omega_2.hex(),
            "omega_3": randomness.omega_3.hex(),
            "omega_4": hexes(randomness.omega_4),
            "omega_hat": hexes(randomness.omega_hat),
            "omega_prime": hexes(randomness.omega_prime),
            "order_drawn": "x, r (by ballot, then position), then r_prime, rho, r_hat, "
            "omega_1, omega_2, omega_3, omega_4, omega_hat, omega_prime",
        },
        "context": election.hex(),
        "y": y.hex(),
        "class": "member",
        "trustee": 2,
        "positions": 2,
        "ciphertexts": [[ct.to_json() for ct in ballot] for ballot in inputs],
        "seed": derived.seed.hex(),
        "u": hexes(derived.u),
        "challenge": derived.c.hex(),
        "shuffle": mixed.to_json(),
    }


def threshold() -> dict[str, Any]:
    rand = Randomness("threshold")
    n, t = 3, 2
    election = hash_sha512(VECTOR_TAG, "election")[:32]
    dealers = []
    shares: dict[int, dict[int, Scalar]] = {}
    published = []
    for i in range(1, n + 1):
        coefficients = [rand() for _ in range(t)]
        w = rand()
        dealer, shares[i] = deal(i, coefficients, trustees=n, election=election, w=w)
        dealers.append(dealer)
        published.append(
            {
                "coefficients": [a.hex() for a in coefficients],
                "w": w.hex(),
                "published": dealer.to_json(),
                "shares": {str(j): s.hex() for j, s in shares[i].items()},
            }
        )
    y = election_public_key(dealers)
    keys = {j: verification_key(dealers, j) for j in range(1, n + 1)}
    xs = {j: secret_share({i: shares[i][j] for i in shares}) for j in range(1, n + 1)}
    m = 5
    r = rand()
    ciphertext = encrypt(y, m, r)
    present = (1, 3)
    factors = [decryption_share(j, xs[j], ciphertext, context=election, w=rand()) for j in present]
    M = combine_shares(ciphertext, factors, verification_keys=keys, threshold=t, context=election)
    bad = {i: shares[i][3] for i in shares}
    bad[2] = bad[2] + Scalar(1)
    found = complaints(dealers, receiver=3, shares=bad, threshold=t, election=election)
    return {
        "n": n,
        "t": t,
        "election": election.hex(),
        "dealers": published,
        "y": y.hex(),
        "verification_keys": {str(j): Y.hex() for j, Y in keys.items()},
        "secret_shares": {str(j): x.hex() for j, x in xs.items()},
        "decryption": {
            "m": m,
            "r": r.hex(),
            "ciphertext": ciphertext.to_json(),
            "present": list(present),
            "shares": [share.to_json() for share in factors],
            "M": M.hex(),
        },
        "complaint": {
            "receiver": 3,
            "shares_received": {str(i): s.hex() for i, s in bad.items()},
            "complaints": [{"dealer": c.dealer, "receiver": c.receiver} for c in found],
        },
    }


def ballot() -> dict[str, Any]:
    rand = Randomness("ballot")
    election = hash_sha512(VECTOR_TAG, "election")[:32]
    x = rand()
    setup = BallotSetup(election=election, public_key=public_key(x), candidates=4, positions=3)
    credential = "7KQ2M-ABCDE-FGHJK-MNPQR"
    ranking = (4, 2)
    rs = [rand() for _ in range(3)]
    ws = [rand() for _ in range(3)]
    w = rand()
    made = encrypt_ballot(
        setup,
        credential=credential_key(election, credential),
        voter_class="member",
        ranking=ranking,
        randomness=rs,
        proof_randomness=ws,
        signature_randomness=w,
    )
    return {
        "election": election.hex(),
        "election_secret_key": x.hex(),
        "y": setup.public_key.hex(),
        "candidates": 4,
        "positions": 3,
        "credential": credential,
        "credential_key": credential_key(election, credential).hex(),
        "class": "member",
        "ranking": list(ranking),
        "r": [r.hex() for r in rs],
        "w": [w_p.hex() for w_p in ws],
        "signature_w": w.hex(),
        "ballot": made.to_json(),
        "tracker": made.tracker(),
    }


def channel() -> dict[str, Any]:
    rand = Randomness("channel")
    election = hash_sha512(VECTOR_TAG, "election")[:32]
    coefficients = [rand(), rand()]
    dealer, shares = deal(1, coefficients, trustees=3, election=election, w=rand())
    e = rand()
    E = public_key(e)
    cases = []
    for name, share in (("right share", shares[3]), ("wrong share", shares[3] + Scalar(1))):
        rho, w = rand(), rand()
        sealed = seal_share(share, election=election, dealer=1, receiver=3, receiver_key=E, rho=rho)
        reveal = reveal_channel_key(sealed, election=election, receiver_secret=e, w=w)
        at_fault = settle_complaint(
            sealed, reveal, election=election, receiver_key=E, dealer_commitments=dealer.commitments
        )
        cases.append(
            {
                "case": name,
                "share": share.hex(),
                "rho": rho.hex(),
                "sealed": sealed.to_json(),
                "reveal": {"K": reveal.K.hex(), "w": w.hex(), "proof": reveal.proof.to_json()},
                "at_fault": at_fault.value,
            }
        )
    return {
        "election": election.hex(),
        "dealer_commitments": [A.hex() for A in dealer.commitments],
        "receiver": 3,
        "receiver_secret": e.hex(),
        "receiver_key": E.hex(),
        "cases": cases,
    }


def vectors() -> dict[str, Any]:
    """Every vector, as the JSON document docs/verifiable-vectors.json holds."""
    return {
        "version": 1,
        "specification": "docs/verifiable.md",
        "random_scalars": 'Hs("mandate/v1/test-vector", name, i) for name in the section',
        "group": group(),
        "hashes": hashes(),
        "elgamal": elgamal(),
        "proofs": proofs(),
        "threshold": threshold(),
        "ballot": ballot(),
        "channel": channel(),
    }


def main() -> None:
    print(json.dumps(vectors(), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
