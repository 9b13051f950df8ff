"""Encryption and verification of a 10-candidate ranked ballot per second (issue 12).

A ballot is made by :mod:`mandate.crypto.ballot` as docs/verifiable.md §9 specifies: P = 10
positions, each the encryption of the candidate ranked there (0 when none), the ballot proof
(§6.5) over all positions with the context ``encode("mandate/v1/ballot/context", φ, S,
class)``, and a Schnorr signature (§6.2) with the credential's key over the canonical JSON of
the ballot without its signature.

- ``encrypt``: the voter's device: P encryptions, the ballot proof, the signature, the JSON.
- ``verify``: the server: read the JSON (every point's encoding checked), verify the ballot
  proof and the signature; on 1 process and on ``--processes`` processes (a pool, one chunk of
  ballots each, as a server with that many workers would).
- ``verify, range proofs``: the alternative §9.5 declines: a disjunctive proof (§6.4) over
  {0, …, k} on every position, verified as well, for comparison.
- a trustee's decryption share with its Chaum–Pedersen proof (§6.3), made and verified;
- the group operations themselves.

Usage: ``.venv/bin/python benchmarks/crypto.py [--ballots 400] [--processes 2]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from mandate.crypto.ballot import BallotSetup, EncryptedBallot, check_ballot, encrypt_ballot
from mandate.crypto.elgamal import Ciphertext, encrypt, public_key
from mandate.crypto.group import G, Point, Scalar, random_scalar
from mandate.crypto.proofs import (
    MembershipProof,
    prove_decryption_share,
    prove_membership,
    verify_decryption_share,
    verify_membership,
)

CANDIDATES = 10
POSITIONS = 10
ELECTION = bytes(range(32))
CLASS = "member"
Y = public_key(random_scalar())
SETUP = BallotSetup(election=ELECTION, public_key=Y, candidates=CANDIDATES, positions=POSITIONS)


def make_ballot(x_cred: Scalar, ranking: list[int]) -> dict[str, Any]:
    """The voter's device: encrypt, prove, sign (docs/verifiable.md §9.3), as JSON."""
    ballot = encrypt_ballot(
        SETUP,
        credential=x_cred,
        voter_class=CLASS,
        ranking=ranking,
        randomness=[random_scalar() for _ in range(POSITIONS)],
        proof_randomness=[random_scalar() for _ in range(POSITIONS)],
        signature_randomness=random_scalar(),
    )
    return ballot.to_json()


def verify_ballot_json(ballot: dict[str, Any]) -> None:
    """The server: read the JSON (every field checked), verify the proof and the signature."""
    check_ballot(SETUP, EncryptedBallot.from_json(ballot))


def make_range_proofs(ranking: list[int]) -> tuple[list[Ciphertext], list[MembershipProof]]:
    allowed = list(range(CANDIDATES + 1))
    values = ranking + [0] * (POSITIONS - len(ranking))
    positions, proofs = [], []
    for v in values:
        r = random_scalar()
        ct = encrypt(Y, v, r)
        fakes = [(random_scalar(), random_scalar()) for _ in allowed[1:]]
        proofs.append(
            prove_membership(
                Y, ct, allowed, index=v, r=r, context=ELECTION, w=random_scalar(), fakes=fakes
            )
        )
        positions.append(ct)
    return positions, proofs


def check_range_proofs(positions: list[Ciphertext], proofs: list[MembershipProof]) -> None:
    allowed = list(range(CANDIDATES + 1))
    for ct, proof in zip(positions, proofs, strict=True):
        verify_membership(Y, ct, allowed, proof, context=ELECTION)


def _rate(count: int, action: Callable[[], object]) -> float:
    """Per second of wall-clock time."""
    began = time.perf_counter()
    action()
    return count / (time.perf_counter() - began)


def _rates(count: int, action: Callable[[], object]) -> str:
    """Per second of wall-clock time, and per second of this process's CPU time (what one
    idle core would do, when other work shares the machine)."""
    began, cpu = time.perf_counter(), time.process_time()
    action()
    wall, used = time.perf_counter() - began, time.process_time() - cpu
    return f"{count / wall:>10.1f} /s wall {count / used:>10.1f} /s CPU"


def _verify_chunk(ballots: list[dict[str, Any]]) -> int:
    for ballot in ballots:
        verify_ballot_json(ballot)
    return len(ballots)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=400)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    n = args.ballots
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, load {os.getloadavg()}")
    print(f"{CANDIDATES} candidates, {POSITIONS} positions, {n} ballots")

    x = random_scalar()
    X = G**x
    ops = 2000
    print(f"{'g^x (base point)':<42}{_rates(ops, lambda: [G**x for _ in range(ops)])}")
    print(f"{'X^x (any point)':<42}{_rates(ops, lambda: [X**x for _ in range(ops)])}")
    print(f"{'A·B':<42}{_rates(ops, lambda: [X * X for _ in range(ops)])}")
    print(
        f"{'point decoding (encoding checked)':<42}"
        f"{_rates(ops, lambda: [Point.from_hex(X.hex()) for _ in range(ops)])}"
    )

    credentials = [random_scalar() for _ in range(n)]
    rankings = [[(i + k) % CANDIDATES + 1 for k in range(1 + i % CANDIDATES)] for i in range(n)]
    ballots: list[dict[str, Any]] = []

    def encrypt_all() -> None:
        ballots.extend(make_ballot(c, r) for c, r in zip(credentials, rankings, strict=True))

    print(f"{'encrypt + prove + sign a ballot':<42}{_rates(n, encrypt_all)}")
    print(f"{'verify a ballot, 1 process':<42}{_rates(n, lambda: _verify_chunk(ballots))}")
    p = args.processes
    chunks = [ballots[i::p] for i in range(p)]
    with multiprocessing.Pool(p) as pool:
        pool.map(_verify_chunk, [chunk[:5] for chunk in chunks])  # warm the workers up
        many = _rate(n, lambda: sum(pool.map(_verify_chunk, chunks)))
    print(f"{f'verify a ballot, {p} processes':<42}{many:>10.1f} /s wall")

    shares = max(100, n)
    x_j = random_scalar()
    Y_j = G**x_j
    ct = encrypt(Y, 3, random_scalar())
    made_shares = []
    rates = _rates(
        shares,
        lambda: made_shares.extend(
            prove_decryption_share(x_j, ct, context=ELECTION, w=random_scalar())
            for _ in range(shares)
        ),
    )
    print(f"{'decryption share + proof (a trustee)':<42}{rates}")
    rates = _rates(
        shares,
        lambda: [
            verify_decryption_share(Y_j, ct, F, proof, context=ELECTION) for F, proof in made_shares
        ],
    )
    print(f"{'verify a decryption share':<42}{rates}")

    k = max(20, n // 10)
    made: list[tuple[list[Ciphertext], list[MembershipProof]]] = []
    rates = _rates(k, lambda: made.extend(make_range_proofs(r) for r in rankings[:k]))
    print(f"{'encrypt with range proofs (§9.5, declined)':<42}{rates}")
    rates = _rates(k, lambda: [check_range_proofs(*m) for m in made])
    print(f"{'verify range proofs, 1 process':<42}{rates}")


if __name__ == "__main__":
    main()
