"""Time IRV against other libraries on the same synthetic elections.

    python benchmarks/counting.py                 # 10k, 100k, 1M with peers; 10M mandate alone
    python benchmarks/counting.py --sizes 10000   # just one size
    python benchmarks/counting.py --stv           # also STV (ERS97), 5M ballots x 150 x 6

Each election has 8 candidates; a ballot ranks 1 to 8 of them (length uniform), drawn from a
Plackett-Luce model with Zipf-like popularity, from a fixed seed, so every library counts the
very same ballots. Every peer runs in its own subprocess, bounded by a timeout of 2 minutes
(building its input included); the time shown is its count alone. The peers are installed only
for the benchmark (``pip install -e '.[bench]'``); one that is not installed is shown as such.
pref_voting and votekit need numba, which needs NumPy 2.3 or older while mandate pins a newer
NumPy, so they run from a separate environment: ``--peer-python PATH`` names its interpreter
(it needs NumPy and the peers; mandate's source is put on its path).

What each is given: mandate a de-duplicated profile made as its readers make one (the rank
matrix of the distinct rankings, then the ballot objects from it); pref_voting and votekit the
distinct rankings with their counts (their APIs take counts); pyrankvote and rcv one ballot
object a voter (their APIs have no counts). Building each library's input is not timed, only
its count; ratios are against mandate's count (the median of five, after a first count).
mandate's table also shows the count of the same ballots given as objects alone (a profile
made in code, not read), which encodes them first.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt

from mandate.ballots.matrix import RankMatrix
from mandate.ballots.model import Candidate, Profile
from mandate.counting.irv import count_irv
from mandate.ids import CandidateId

CANDIDATES = 8
NAMES = tuple(f"Candidate {chr(ord('A') + i)}" for i in range(CANDIDATES))
PEER_TIMEOUT = 120.0
PEERS = ("pyrankvote", "pref_voting", "votekit", "rcv")
CHUNK = 1_000_000
BASE = CANDIDATES + 1

IntArray = npt.NDArray[np.int64]
Rows = list[tuple[int, ...]]


def election(ballots: int, *, seed: int = 2026) -> tuple[IntArray, IntArray]:
    """The distinct rankings of a synthetic election, as a matrix of candidate indices (first
    choice first, ``-1`` past a ballot's end), and how many voters cast each. Generated in
    chunks, each ranking coded as an integer, so ten million voters never exist as Python
    objects."""
    rng = np.random.default_rng(seed)
    log_popularity = np.log(1 / np.arange(1, CANDIDATES + 1) ** 0.8)
    codes = []
    for start in range(0, ballots, CHUNK):
        n = min(CHUNK, ballots - start)
        order = np.argsort(-(log_popularity + rng.gumbel(size=(n, CANDIDATES))), axis=1)
        lengths = rng.integers(1, CANDIDATES + 1, size=n)
        digits = np.where(np.arange(CANDIDATES) < lengths[:, None], order + 1, 0)
        codes.append(digits @ (BASE ** np.arange(CANDIDATES, dtype=np.int64)))
    distinct, counts = np.unique(np.concatenate(codes), return_counts=True)
    cells = distinct[:, None] // BASE ** np.arange(CANDIDATES, dtype=np.int64) % BASE - 1
    return cells, counts.astype(np.int64)


def rows_of(cells: IntArray) -> Rows:
    """The rankings as Python tuples of candidate indices, for the peers."""
    return [tuple(c for c in row if c >= 0) for row in cells.tolist()]


def mandate_profile(cells: IntArray, counts: IntArray) -> Profile:
    """The election as mandate's de-duplicated profile, made as its readers make one: the
    arrays first, then the ballots from them."""
    ids = tuple(CandidateId(n) for n in NAMES)
    return Profile.of_matrix(
        RankMatrix.of_cells(ids, cells, counts),
        candidates=tuple(Candidate(id=c, name=c) for c in ids),
    )


def profile_without_matrix(profile: Profile) -> Profile:
    """The same ballots as a profile made in code, which a count must first encode."""
    return Profile(candidates=profile.candidates, ballots=profile.ballots)


def _expanded(rows: Rows, counts: IntArray) -> Rows:
    return [row for row, count in zip(rows, counts.tolist(), strict=True) for _ in range(count)]


def _pyrankvote(cells: IntArray, counts: IntArray) -> Callable[[], str]:
    rows = rows_of(cells)
    import pyrankvote  # type: ignore[import-not-found, import-untyped, unused-ignore]

    candidates = [pyrankvote.Candidate(n) for n in NAMES]
    ballots = [
        pyrankvote.Ballot(ranked_candidates=[candidates[i] for i in row])
        for row in _expanded(rows, counts)
    ]
    return lambda: str(pyrankvote.instant_runoff_voting(candidates, ballots).get_winners()[0].name)


def _pref_voting(cells: IntArray, counts: IntArray) -> Callable[[], str]:
    rows = rows_of(cells)
    from pref_voting.iterative_methods import (  # type: ignore[import-not-found, import-untyped, unused-ignore]
        instant_runoff_for_truncated_linear_orders,
    )
    from pref_voting.profiles_with_ties import (  # type: ignore[import-not-found, import-untyped, unused-ignore]
        ProfileWithTies,
    )

    profile = ProfileWithTies(
        [{c: r + 1 for r, c in enumerate(row)} for row in rows],
        rcounts=counts.tolist(),
        candidates=list(range(CANDIDATES)),
    )
    return lambda: NAMES[instant_runoff_for_truncated_linear_orders(profile)[0]]


def _votekit(cells: IntArray, counts: IntArray) -> Callable[[], str]:
    rows = rows_of(cells)
    from votekit.ballot import RankBallot  # type: ignore[import-not-found, import-untyped, unused-ignore]
    from votekit.elections import IRV  # type: ignore[import-not-found, import-untyped, unused-ignore]
    from votekit.pref_profile import RankProfile  # type: ignore[import-not-found, import-untyped, unused-ignore]

    profile = RankProfile(
        ballots=[
            RankBallot(ranking=[{NAMES[i]} for i in row], weight=count)
            for row, count in zip(rows, counts.tolist(), strict=True)
        ],
        candidates=list(NAMES),
        max_ranking_length=CANDIDATES,
    )
    return lambda: str(next(iter(IRV(profile).get_elected()[0])))


def _rcv(cells: IntArray, counts: IntArray) -> Callable[[], str]:
    rows = rows_of(cells)
    import rcv  # type: ignore[import-not-found, import-untyped, unused-ignore]

    ballots = [tuple(NAMES[i] for i in row) for row in _expanded(rows, counts)]
    return lambda: str(
        next(iter(rcv.FractionalSTV(rcv.PreferenceSchedule.from_ballots(ballots), seats=1).elect()))
    )


PREPARE = {"pyrankvote": _pyrankvote, "pref_voting": _pref_voting, "votekit": _votekit, "rcv": _rcv}


def run_peer(name: str, ballots: int) -> None:
    """In a subprocess: build the peer's input, time its count, print JSON."""
    try:
        PREPARE[name](*election(100, seed=1))()  # warm up: imports, JIT compilation
        counter = PREPARE[name](*election(ballots))
    except ImportError as error:
        print(json.dumps({"error": f"does not import ({error})"}))
        return
    start = time.perf_counter()
    winner = counter()
    print(json.dumps({"seconds": time.perf_counter() - start, "winner": winner}))


def time_peer(name: str, ballots: int, python: str) -> tuple[float | None, str]:
    """A peer's count time (``None`` when it did not finish), and its winner or what failed."""
    command = [python, str(Path(__file__)), "--peer", name, "--sizes", str(ballots)]
    source = str(Path(__file__).resolve().parent.parent / "src")
    environment = {**os.environ, "PYTHONPATH": source}
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=PEER_TIMEOUT,
            check=False,
            env=environment,
        )
    except subprocess.TimeoutExpired:
        return None, "> 2 min"
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        return None, f"failed: {last[:60]}"
    data = json.loads(lines[-1])
    if "error" in data:
        return None, str(data["error"])
    return float(data["seconds"]), str(data["winner"])


def median_seconds(run: Callable[[], object], times: int = 5) -> float:
    """The median wall-clock time of ``times`` runs (mandate's counts are quick enough to
    repeat; one run on a shared machine can be off by tens of percent)."""
    seconds = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    return sorted(seconds)[times // 2]


def time_mandate(ballots: int) -> tuple[float, float, float, str, int]:
    """Seconds to build mandate's profile (the arrays, as a reader builds them, then the
    ballot objects), to count it, and to count the same ballots given as objects alone (which
    encodes them first), each count the median of five; the winner; distinct rankings."""
    cells, counts = election(ballots)
    start = time.perf_counter()
    profile = mandate_profile(cells, counts)
    built = time.perf_counter() - start
    result = count_irv(profile)
    plain = profile_without_matrix(profile)
    assert count_irv(plain) == result
    counted = median_seconds(lambda: count_irv(profile))
    unread = median_seconds(lambda: count_irv(plain))
    return built, counted, unread, str(result.winner), int(counts.size)


def _cell(seconds: float | None, note: str, mandate: float) -> str:
    if seconds is None:
        return note
    return f"{seconds:.3f} s ({seconds / mandate:,.0f}×)"


def main(sizes: list[int], *, peers: bool, stv: bool, python: dict[str, str]) -> None:
    """Print the table."""
    header = ["ballots", "distinct", "mandate build", "mandate count", "count w/o matrix"]
    if peers:
        header += list(PEERS)
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for size in sizes:
        built, counted, unread, winner, distinct = time_mandate(size)
        cells = [f"{size:,}", f"{distinct:,}", f"{built:.3f} s", f"{counted:.4f} s"]
        cells.append(f"{unread:.4f} s")
        if peers and size <= 1_000_000:
            for name in PEERS:
                seconds, note = time_peer(name, size, python.get(name, sys.executable))
                if seconds is not None and note != winner:
                    note = f"winner {note}, not {winner}"
                    seconds = None
                cells.append(_cell(seconds, note, counted))
        elif peers:
            cells += ["not run"] * len(PEERS)
        print(" | ".join(cells), flush=True)
    if stv:
        sys.path.insert(0, str(Path(__file__).parent))
        from mandate.counting.stv import StvRules, count_stv
        from stv import synthetic  # the STV benchmark's elections

        start = time.perf_counter()
        profile = synthetic(5_000_000)
        built = time.perf_counter() - start
        start = time.perf_counter()
        count_stv(profile, seats=6, rules=StvRules.ERS97, seed="benchmark")
        print(
            f"\nSTV ERS97, 5,000,000 ballots x 150 candidates x 6 seats: "
            f"profile {built:.1f} s ({len(profile.ballots):,} distinct), "
            f"count {time.perf_counter() - start:.1f} s"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000, 10_000_000]
    )
    parser.add_argument("--peer", choices=PEERS, help=argparse.SUPPRESS)
    parser.add_argument("--no-peers", action="store_true", help="time mandate alone")
    parser.add_argument("--stv", action="store_true", help="also STV ERS97 on 5M ballots")
    parser.add_argument(
        "--peer-python",
        metavar="PATH",
        help="the interpreter that runs pref_voting and votekit (NumPy 2.3 for numba)",
    )
    arguments = parser.parse_args()
    if arguments.peer:
        run_peer(arguments.peer, arguments.sizes[0])
    else:
        numba = arguments.peer_python or sys.executable
        main(
            arguments.sizes,
            peers=not arguments.no_peers,
            stv=arguments.stv,
            python={"pref_voting": numba, "votekit": numba},
        )
