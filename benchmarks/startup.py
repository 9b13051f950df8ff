"""Time how long ``mandate`` takes to start: a few quick commands, each a fresh process.

Prints one row a command: the best and the median wall-clock seconds of ``--runs`` runs
(default 5) of ``python -m mandate ...``, with ``src`` (or ``--src``) first on PYTHONPATH, and
the least CPU time (user + system) of those runs, which other work on a shared machine
disturbs less than the wall clock; and the same for ``python -c pass`` as the floor. Give
``--src`` another checkout's ``src`` folder to time that version the same way.

    .venv/bin/python benchmarks/startup.py
    .venv/bin/python benchmarks/startup.py --src /tmp/old/src --runs 7
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMALL_FILE = ROOT / "tests" / "golden" / "counting" / "undervotes" / "ballots.csv"
COMMANDS = (
    ("--help",),
    ("rules", "check", "labour-2016"),
    ("count", str(SMALL_FILE.relative_to(ROOT))),
    ("contest", "--help"),
)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timings(argv: list[str], runs: int, env: dict[str, str]) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of ``runs`` runs of ``argv``; each must succeed."""
    wall, cpu = [], []
    for _ in range(runs):
        cpu_before = _children_cpu()
        began = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, env=env, check=True, capture_output=True)
        wall.append(time.perf_counter() - began)
        cpu.append(_children_cpu() - cpu_before)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="mandate's src folder")
    parser.add_argument("--runs", type=int, default=5, help="runs of each command")
    options = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(options.src.resolve()), COLUMNS="80")
    rows = [("python -c pass", [sys.executable, "-c", "pass"])]
    rows += [
        (f"mandate {' '.join(command)}", [sys.executable, "-m", "mandate", *command])
        for command in COMMANDS
    ]
    print(f"{'command':<58} {'best':>7} {'median':>7} {'cpu':>7}")
    for label, argv in rows:
        wall, cpu = timings(argv, options.runs, env)
        print(f"{label:<58} {min(wall):>7.3f} {statistics.median(wall):>7.3f} {min(cpu):>7.3f}")


if __name__ == "__main__":
    main()
