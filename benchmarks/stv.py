"""Time STV counts on synthetic elections: ``python benchmarks/stv.py [BALLOTS ...]``.

Each election has 150 candidates and 6 seats; a ballot ranks 1 to 12 candidates drawn with
Zipf-like popularity, so most rankings are distinct (the hard case for de-duplication).
Prints, for each size, the seconds to build the profile and to count it under each rule
(the count includes preparing the ballots; Meek, which iterates, only up to 1,000,000).
The issue's target: ERS97 on 5,000,000 ballots under 60 s on two cores (measured: 19 s).
"""

from __future__ import annotations

import sys
import time

import numpy as np

from mandate.ballots.model import Ballot, Candidate, Profile
from mandate.counting.stv import StvRules, count_stv
from mandate.ids import CandidateId

CANDIDATES = 150
SEATS = 6
LONGEST = 12


def synthetic(ballots: int, *, seed: int = 1) -> Profile:
    """A reproducible synthetic election (see the module docstring), de-duplicated as the
    readers do: identical rankings are merged with NumPy before any ballot object is made."""
    rng = np.random.default_rng(seed)
    popularity = 1 / np.arange(1, CANDIDATES + 1) ** 0.8
    popularity /= popularity.sum()
    choices = rng.choice(CANDIDATES, size=(ballots, LONGEST), p=popularity)
    lengths = rng.integers(1, LONGEST + 1, size=ballots)
    padded = np.where(np.arange(LONGEST) < lengths[:, None], choices, -1).astype(np.int16)
    rows = np.ascontiguousarray(padded).view(np.dtype((np.void, 2 * LONGEST))).ravel()
    _, first, counts = np.unique(rows, return_index=True, return_counts=True)
    order = np.argsort(first)  # first appearance first, as Profile.deduplicated keeps them
    first, counts = first[order], counts[order]
    names = [CandidateId(f"C{i:03d}") for i in range(CANDIDATES)]
    ranks = [frozenset({n}) for n in names]
    return Profile(
        candidates=tuple(Candidate(id=n, name=n) for n in names),
        ballots=tuple(
            Ballot(ranking=tuple(ranks[i] for i in row[:k]), count=n)
            for row, k, n in zip(
                choices[first].tolist(), lengths[first].tolist(), counts.tolist(), strict=True
            )
        ),
    )


def main(sizes: list[int]) -> None:
    """Print a table of timings."""
    print(f"{'ballots':>10} {'build s':>8} " + " ".join(f"{r.value + ' s':>10}" for r in StvRules))
    for size in sizes:
        start = time.perf_counter()
        profile = synthetic(size)
        built = time.perf_counter() - start
        times = []
        for rules in StvRules:
            if rules is StvRules.MEEK and size > 1_000_000:  # iterative: slow beyond
                times.append("skipped")
                continue
            start = time.perf_counter()
            count_stv(profile, seats=SEATS, rules=rules, seed="benchmark")
            times.append(f"{time.perf_counter() - start:.1f}")
        print(f"{size:>10} {built:>8.1f} " + " ".join(f"{t:>10}" for t in times))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000, 1_000_000])
