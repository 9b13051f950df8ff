"""Time ``decide_eligibility`` on rolls the size of Labour's 2016 electorate and larger.

Prints one row a roll size: entries, electors, excluded, and seconds twice: with Python's
cyclic garbage collector running (the pure core as called from anywhere) and with it paused
around the call, as the roll import does (``mandate.service.rolls.collector_paused``). The
roll mixes the three labour-2016 classes, freeze-date failures, arrears and people listed in
two classes.

    .venv/bin/python benchmarks/eligibility.py
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from mandate.ids import MemberId
from mandate.rules import RollEntry, decide_eligibility, load_rulebook
from mandate.service.rolls import collector_paused

CLASSES = ("member", "registered_supporter", "affiliated_supporter")


def roll(size: int) -> list[RollEntry]:
    """A synthetic roll: about one person in twenty is listed twice."""
    start = date(2014, 1, 1)
    return [
        RollEntry(
            person_key=f"person-{i % (size - size // 20)}",
            member_id=MemberId(f"L{i:07d}"),
            voter_class=CLASSES[i % 3],
            joined=start + timedelta(days=i % 940),
            in_arrears=i % 29 == 0,
        )
        for i in range(size)
    ]


def main() -> None:
    rulebook = load_rulebook("labour-2016")
    on = date(2016, 8, 8)
    print(f"{'entries':>9} {'electors':>9} {'excluded':>9} {'seconds':>8} {'gc paused':>9}")
    for size in (100_000, 654_006, 700_000):
        entries = roll(size)
        began = time.perf_counter()
        report = decide_eligibility(rulebook, entries, on=on)
        took = time.perf_counter() - began
        began = time.perf_counter()
        with collector_paused():
            paused = decide_eligibility(rulebook, entries, on=on)
        took_paused = time.perf_counter() - began
        assert paused == report
        print(
            f"{size:>9} {len(report.eligible):>9} {len(report.excluded):>9} "
            f"{took:>8.2f} {took_paused:>9.2f}"
        )


if __name__ == "__main__":
    main()
