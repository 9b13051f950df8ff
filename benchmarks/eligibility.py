"""Time ``decide_eligibility`` on rolls the size of Labour's 2016 electorate and larger.

Prints one row a roll size: entries, electors, excluded, seconds. The roll mixes the three
labour-2016 classes, freeze-date failures, arrears and people listed in two classes.

    .venv/bin/python benchmarks/eligibility.py
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from mandate.ids import MemberId
from mandate.rules import RollEntry, decide_eligibility, load_rulebook

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
    print(f"{'entries':>9} {'electors':>9} {'excluded':>9} {'seconds':>8}")
    for size in (100_000, 654_006, 700_000):
        entries = roll(size)
        began = time.perf_counter()
        report = decide_eligibility(rulebook, entries, on=date(2016, 8, 8))
        took = time.perf_counter() - began
        print(f"{size:>9} {len(report.eligible):>9} {len(report.excluded):>9} {took:>8.2f}")


if __name__ == "__main__":
    main()
