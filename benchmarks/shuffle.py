"""The mix: one trustee's shuffle with its proof, and its verification, per ballot (issue 12).

N ballots of P = 8 positions (the issue's benchmark), each position an exponential-ElGamal
ciphertext, shuffled by :mod:`mandate.crypto.shuffle` as docs/verifiable.md §12 specifies:

- ``shuffle + prove, 1 process``: ψ and the randomness drawn (``random_shuffle``), the
  re-encryptions and the Terelius–Wikström proof (``shuffle_ballots``);
- ``shuffle + prove, K processes``: the re-encryptions (``shuffle_outputs``) over K ranges of
  ballots in K processes, the sequential part (``commit_shuffle``: the commitment chain) in the
  parent, the commitments' products (``proof_products``) over K ranges in K processes, and
  ``finish_proof`` in the parent;
- ``verify, 1 process``: ``verify_shuffle``;
- ``verify, K processes``: the challenges hashed in the parent (``shuffle_challenges``), the
  products over K ranges of ballots in K processes (``shuffle_products``), multiplied and
  checked in the parent (``check_shuffle_products``), as the shell would run it.

Each is reported per ballot in wall-clock time and in this process's CPU time (for the
pool, the workers' CPU time too), and extrapolated linearly — every step is linear in N — to
100,000 ballots × 8 positions; the extrapolation is labelled as such.

Usage: ``.venv/bin/python benchmarks/shuffle.py [--ballots 1000] [--positions 8] [--processes 2]``.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import platform
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from mandate.crypto.elgamal import Ciphertext, encrypt, public_key
from mandate.crypto.group import random_scalar
from mandate.crypto.shuffle import (
    Ballot,
    ProofProducts,
    Shuffle,
    ShuffleCommitments,
    ShuffleRandomness,
    commit_shuffle,
    finish_proof,
    proof_products,
    random_shuffle,
    shuffle_ballots,
    shuffle_outputs,
)
from mandate.crypto.shuffle_verification import (
    ShuffleChallenges,
    ShuffleProducts,
    check_shuffle_products,
    shuffle_challenges,
    shuffle_products,
    verify_shuffle,
)

ELECTION = bytes(range(32))
CLASS = "member"
TRUSTEE = 1
TARGET_BALLOTS = 100_000
Y = public_key(random_scalar())

T = TypeVar("T")

# Shared with the forked workers (copy-on-write), as a shell would share the loaded board.
_INPUTS: list[tuple[Ciphertext, ...]] = []
_OUTPUTS: list[tuple[Ciphertext, ...]] = []
_RANDOMNESS: list[ShuffleRandomness] = []
_COMMITMENTS: list[ShuffleCommitments] = []
_SHUFFLE: list[Shuffle] = []
_CHALLENGES: list[ShuffleChallenges] = []


def _outputs(start: int, stop: int) -> tuple[tuple[Ballot, ...], float]:
    began = time.process_time()
    outputs = shuffle_outputs(Y, _INPUTS, _RANDOMNESS[0], start=start, stop=stop)
    return outputs, time.process_time() - began


def _proof_products(start: int, stop: int) -> tuple[ProofProducts, float]:
    began = time.process_time()
    products = proof_products(_OUTPUTS, _COMMITMENTS[0], _RANDOMNESS[0], start=start, stop=stop)
    return products, time.process_time() - began


def _products(start: int, stop: int) -> tuple[ShuffleProducts, float]:
    began = time.process_time()
    products = shuffle_products(_INPUTS, _SHUFFLE[0], _CHALLENGES[0], start=start, stop=stop)
    return products, time.process_time() - began


def _timed(action: Callable[[], T]) -> tuple[T, float, float]:
    """The result, the wall-clock seconds and this process's CPU seconds."""
    began, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, time.perf_counter() - began, time.process_time() - cpu


def _line(what: str, n: int, wall: float, cpu: float) -> None:
    scale = TARGET_BALLOTS / n
    print(
        f"{what:<34}{wall / n * 1000:>8.2f} ms wall {cpu / n * 1000:>8.2f} ms CPU per ballot"
        f"   → 100,000 ballots (extrapolated): {wall * scale / 60:>5.1f} min wall"
        f" {cpu * scale / 60:>5.1f} min CPU"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=1000)
    parser.add_argument("--positions", type=int, default=8)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    n, P, k = args.ballots, args.positions, args.processes
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, load {os.getloadavg()}")
    print(f"{n} ballots × {P} positions, one trustee's shuffle")

    _INPUTS.extend(
        tuple(encrypt(Y, (i + p) % 11, random_scalar()) for p in range(P)) for i in range(n)
    )

    def mix() -> Shuffle:
        return shuffle_ballots(
            Y,
            _INPUTS,
            random_shuffle(n, P),
            election=ELECTION,
            voter_class=CLASS,
            trustee=TRUSTEE,
        )

    mixed, wall, cpu = _timed(mix)
    _line("shuffle + prove, 1 process", n, wall, cpu)

    def mix_in_pool() -> float:
        randomness = random_shuffle(n, P)
        _RANDOMNESS.append(randomness)
        ranges = list(itertools.pairwise([n * part // k for part in range(k + 1)]))
        with multiprocessing.get_context("fork").Pool(k) as pool:
            parts = pool.starmap(_outputs, ranges)
        _OUTPUTS.extend(ballot for part, _ in parts for ballot in part)
        commitments = commit_shuffle(
            Y,
            _INPUTS,
            _OUTPUTS,
            randomness,
            election=ELECTION,
            voter_class=CLASS,
            trustee=TRUSTEE,
        )
        _COMMITMENTS.append(commitments)
        with multiprocessing.get_context("fork").Pool(k) as pool:
            products = pool.starmap(_proof_products, ranges)
        combined = products[0][0]
        for part, _ in products[1:]:
            combined = combined * part
        finish_proof(Y, commitments, combined, randomness, election=ELECTION)
        return sum(seconds for _, seconds in parts) + sum(seconds for _, seconds in products)

    workers_cpu, wall, cpu = _timed(mix_in_pool)
    _line(f"shuffle + prove, {k} processes", n, wall, cpu + workers_cpu)
    _SHUFFLE.append(mixed)

    def verify() -> None:
        verify_shuffle(
            Y,
            _INPUTS,
            mixed,
            election=ELECTION,
            voter_class=CLASS,
            trustee=TRUSTEE,
            positions=P,
        )

    _, wall, cpu = _timed(verify)
    _line("verify, 1 process", n, wall, cpu)

    def verify_in_pool() -> float:
        challenges = shuffle_challenges(
            Y,
            _INPUTS,
            mixed,
            election=ELECTION,
            voter_class=CLASS,
            trustee=TRUSTEE,
            positions=P,
        )
        _CHALLENGES.append(challenges)
        bounds = [n * part // k for part in range(k + 1)]
        with multiprocessing.get_context("fork").Pool(k) as pool:
            parts = pool.starmap(_products, list(itertools.pairwise(bounds)))
        products = parts[0][0]
        for part, _ in parts[1:]:
            products = products * part
        check_shuffle_products(Y, mixed, challenges, products)
        return sum(seconds for _, seconds in parts)

    workers_cpu, wall, cpu = _timed(verify_in_pool)
    _line(f"verify, {k} processes", n, wall, cpu + workers_cpu)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the parent process: {peak:.0f} MiB (inputs, outputs and proof held)")


if __name__ == "__main__":
    main()
