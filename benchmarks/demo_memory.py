"""Peak memory of each step of ``mandate demo``, to find where the whole run peaks.

Runs :func:`mandate.service.demo.run_demo` on SQLite in a fresh data folder and prints, for
each step, the peak resident set size while it ran, the resident size it left behind, and
its seconds (a step called many times, such as ``cast_many``, is one row: its highest peak
and its total time; "the demo's own code" is everything between the steps, as one row). The peak of
each step is read from ``VmHWM`` in ``/proc/self/status``, reset before the step by writing
``5`` to ``/proc/self/clear_refs`` (Linux only). The steps are timed through wrappers that
call the real functions; nothing is replaced.

    .venv/bin/python benchmarks/demo_memory.py --scale 1          # about 3 minutes
    .venv/bin/python benchmarks/demo_memory.py --scale 0.1 --data-dir /tmp/demo-tenth
"""

from __future__ import annotations

import argparse
import functools
import secrets
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mandate.service.demo as demo
from mandate.config import Settings
from mandate.crypto import SeedSigner
from mandate.service import ContestService, open_service

DEMO_STEPS = (
    "write_roll",
    "_read_credentials",
    "count_contest",
    "declare_contest",
    "verify_published",
)
"""Functions the demo module calls, measured as steps."""
SERVICE_STEPS = (
    "import_roll",
    "issue_credentials",
    "open_ballot",
    "cast_many",
    "record_envelopes",
    "enter_paper_batch",
    "close_ballot",
    "verify_audit",
)
"""Methods of the contest service the demo calls, measured as steps."""


def _megabytes(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name == field:
                return int(value.split()[0]) // 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
        clear.write("5")


@dataclass
class Step:
    """One step's figures, over all its calls."""

    peak: int = 0
    left: int = 0
    seconds: float = 0.0
    calls: int = 0


class Meter:
    """Closes an interval at each step boundary: its peak, what it left, its time."""

    def __init__(self) -> None:
        self.steps: dict[str, Step] = {}
        self.since = time.monotonic()
        _reset_peak()

    def close(self, label: str) -> None:
        now = time.monotonic()
        step = self.steps.setdefault(label, Step())
        step.peak = max(step.peak, _megabytes("VmHWM"))
        step.left = _megabytes("VmRSS")
        step.seconds += now - self.since
        step.calls += 1
        self.since = now
        _reset_peak()

    def wrap(self, owner: Any, name: str) -> None:
        function: Callable[..., Any] = getattr(owner, name)

        @functools.wraps(function)
        def measured(*args: Any, **kwargs: Any) -> Any:
            self.close("the demo's own code")
            try:
                return function(*args, **kwargs)
            finally:
                self.close(name)

        setattr(owner, name, measured)


class _Titles:
    """A demo reporter that prints only the section titles, to show how far it has got."""

    def section(self, title: str) -> None:
        print(title, flush=True)

    def say(self, text: str) -> None:
        pass

    def table(self, title: str, columns: Any, rows: Any) -> None:
        pass

    @contextmanager
    def progress(self, description: str, total: int) -> Iterator[Any]:
        class _Bar:
            def advance(self, steps: int) -> None:
                pass

        yield _Bar()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--data-dir", type=Path, default=None, help="default: a temporary one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mandate-demo-memory-") as scratch:
        data_dir = args.data_dir or Path(scratch)
        settings = Settings.build(data_dir, None)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        service = open_service(settings, signer=SeedSigner(secrets.token_bytes(32)))
        service.server_secret = secrets.token_bytes(32)  # this run's, as the demo makes
        meter = Meter()
        for name in DEMO_STEPS:
            meter.wrap(demo, name)
        for name in SERVICE_STEPS:
            meter.wrap(ContestService, name)
        began = time.monotonic()
        try:
            outcome = demo.run_demo(
                service, data_dir=settings.data_dir, scale=args.scale, reporter=_Titles()
            )
        finally:
            service.close()
        meter.close("after the demo")
    print(
        f"scale {args.scale:g}: {outcome.verified.ballots:,} ballots, elected "
        f"{', '.join(outcome.verified.elected)}, {time.monotonic() - began:.0f} s"
    )
    print(f"{'step':<40} {'calls':>5} {'peak MB':>8} {'left MB':>8} {'seconds':>8}")
    for label, step in meter.steps.items():
        print(f"{label:<40} {step.calls:>5} {step.peak:>8} {step.left:>8} {step.seconds:>8.1f}")
    print(f"{'whole run':<40} {'':>5} {max(s.peak for s in meter.steps.values()):>8}")


if __name__ == "__main__":
    main()
