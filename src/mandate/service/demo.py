"""The 2016 Labour leadership ballot, replayed through the real service layer.

:func:`run_demo` creates the contest from the ``labour-2016`` rulebook, records the PLP's
confidence motion and the challenge's nominations and lets the rulebook decide who stands,
writes a synthetic roll of the three voter classes (with people the rules must exclude: late
joiners after the freeze date, members in arrears, supporters outside their window, people on
two lists), imports it, issues credentials, has synthetic voters cast online ballots and
officials enter paper batches so that each class's result is the published one (scaled by
``scale`` and rounded; exactly the published figures at scale 1), closes, counts by class and
in total, declares, publishes and verifies.

Synthetic, and said so: the people, the split of the 654,006 ballots between classes (in
proportion to each class's returned ballots), the spoilt ballots by class (1,042 in proportion
to valid votes), one ballot in ten returned on paper, and second preferences.

The figures, the roll and what the rulebook says are planned in :mod:`mandate.service.demo_plan`.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from mandate.crypto import key_fingerprint
from mandate.errors import VerificationError
from mandate.service.audit import AuditReport
from mandate.service.checkpoints import CHECKPOINTS_FILE
from mandate.service.contests import ContestService, Receipt
from mandate.service.demo_plan import (
    CLASSES,
    DemoPlan,
    load_published,
    plan_demo,
    rules_story,
    write_roll,
)
from mandate.service.results import ContestCount, count_contest, declare_contest
from mandate.service.verify import VerifyReport, verify_published

__all__ = ["DemoOutcome", "DemoReporter", "run_demo"]

CAST_BATCH = 2000
PAPER_SHARE = 10
"""One ballot in this many is returned on paper (synthetic)."""
PAPER_BATCH = 500


class Progress(Protocol):
    """A progress bar the demo advances."""

    def advance(self, steps: int) -> None:
        """Move on by ``steps``."""


class DemoReporter(Protocol):
    """Where the demo tells its story (the terminal, with Rich, in ``mandate demo``)."""

    def section(self, title: str) -> None:
        """Start a part of the story."""

    def say(self, text: str) -> None:
        """A paragraph of the story."""

    def table(self, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """A table of figures."""

    def progress(self, description: str, total: int) -> AbstractContextManager[Progress]:
        """A progress bar for ``total`` steps."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoOutcome:
    """What the demo did, for the caller and the tests."""

    contest_id: str
    plan: DemoPlan
    count: ContestCount
    published: Path
    verified: VerifyReport
    audit: AuditReport
    online_ballots: int
    """Ballots cast online (their receipts are not kept: 455,797 of them took 70 MB)."""
    credentials_file: Path


def _read_credentials(path: Path) -> dict[str, list[str]]:
    by_class: dict[str, list[str]] = {c: [] for c in CLASSES}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            by_class[row["voter_class"]].append(row["credential"])
    return by_class


def _choices(rng: random.Random, first: str, candidates: Sequence[str]) -> tuple[str, ...]:
    """A voter's ranking: their first choice, and (for six in ten) the others after it."""
    if rng.random() < 0.6:
        return (first, *(c for c in candidates if c != first))
    return (first,)


def _ballots_for(plan: DemoPlan, voter_class: str) -> tuple[list[tuple[str, ...]], list[str]]:
    """Online and paper first choices of a class, with exactly the planned totals."""
    online: list[tuple[str, ...]] = []
    paper: list[str] = []
    for name in plan.candidates:
        votes = plan.votes[voter_class][name]
        on_paper = votes // PAPER_SHARE
        paper.extend([name] * on_paper)
        online.extend([(name,)] * (votes - on_paper))
    return online, paper


def unused_contest_id(service: ContestService, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… if a contest of that name already exists."""
    taken = {c.id for c in service.list_contests()}
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _iter_batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def run_demo(
    service: ContestService,
    *,
    data_dir: Path,
    scale: float,
    reporter: DemoReporter,
    seed: int = 2016,
) -> DemoOutcome:
    """Run the 2016 scenario end to end; raise if any class's result differs from the plan.

    Args:
        service: the contest service (on the data folder's database).
        data_dir: where the roll, the credentials and the published records go.
        scale: 1 for the full 654,006-voter ballot; 0.01 for one hundredth.
        reporter: tells the story.
        seed: seeds the synthetic people and their choices (not the ballots' ids or trackers,
            which always come from the operating system's secure random source).
    """
    rng = random.Random(seed)
    published = load_published()
    plan = plan_demo(scale, published)
    officer = "returning officer (demo)"
    contest_id = unused_contest_id(service, published["id"])

    reporter.section("1. The rulebook and the challenge")
    contest = service.create_contest(
        contest_id=contest_id, rulebook_ref="labour-2016", title=published["title"], actor=officer
    )
    rulebook = service.rulebook(contest)
    reporter.say(
        f"Contest [bold]{contest_id}[/] created from the rulebook “{rulebook.title}”. "
        f"Its declaration will be signed with Ed25519 key {service.public_key(contest_id)[:16]}… "
        f"(fingerprint {key_fingerprint(service.public_key(contest_id))}), the returning "
        "officer's; each step of the contest signs the audit log's head with it (a checkpoint, "
        f"published in {CHECKPOINTS_FILE})."
    )
    story = rules_story(rulebook, published, dict(contest.params))
    for line in story.lines:
        reporter.say(line)

    reporter.section("2. Nominations")
    service.open_nominations(contest_id, actor=officer)
    for candidate in published["nominations"]["candidates"]:
        name = candidate["name"]
        if candidate.get("incumbent"):
            service.nominate(contest_id, name, automatic=story.incumbent_basis, actor=officer)
        else:
            service.nominate(contest_id, name, nominations=candidate["nominations"], actor=officer)
        if candidate.get("withdrew"):
            service.withdraw(contest_id, name, actor=officer)
    decided = service.close_nominations(
        contest_id, threshold=story.threshold, basis=story.threshold_basis, actor=officer
    )
    reporter.table(
        "Close of nominations",
        ("Candidate", "Nominations", "Status", "Why"),
        [
            (c.name, "—" if c.nominations is None else str(c.nominations), c.status, c.basis)
            for c in decided
        ],
    )

    reporter.section("3. The roll")
    roll_dir = data_dir / "demo" / contest_id
    paths = write_roll(roll_dir, plan, rng)
    reporter.say(
        f"A synthetic roll was written to {roll_dir}: members, registered supporters and "
        "affiliated supporters, including late joiners, members in arrears, supporters outside "
        "their window and people listed twice."
    )
    clock = time.monotonic()
    report = service.import_roll(contest_id, paths, on=dt.date(2016, 8, 8), actor=officer)
    timings = {"roll import": time.monotonic() - clock}
    titles = dict(contest.voter_classes)
    reporter.table(
        "Roll imported (eligibility decided on 8 August 2016)",
        ("Voter class", "Eligible"),
        [(titles[c], f"{n:,}") for c, n in report.eligible_by_class]
        + [("total", f"{report.eligible:,}")],
    )
    reporter.table(
        f"Excluded: {len(report.excluded):,} of {report.read:,} entries",
        ("Reason (clause)", "People"),
        [(reason, f"{n:,}") for reason, n in report.excluded_by_reason()],
    )

    reporter.section("4. Credentials and the ballot")
    credentials_file = data_dir / "demo" / f"{contest_id}-credentials.csv"
    clock = time.monotonic()
    issued = service.issue_credentials(contest_id, credentials_file, actor=officer)
    timings["credentials"] = time.monotonic() - clock
    reporter.say(
        f"{issued:,} credentials issued (100 random bits each; only their keyed hashes are "
        f"stored) and exported once to {credentials_file}."
    )
    service.open_ballot(contest_id, actor=officer)
    credentials = _read_credentials(credentials_file)
    cast = 0
    sample_tracker = ""
    clock = time.monotonic()
    for voter_class in CLASSES:
        online, _ = _ballots_for(plan, voter_class)
        voters = credentials[voter_class]
        rng.shuffle(voters)
        items = [
            (voters[i], _choices(rng, first[0], plan.candidates)) for i, first in enumerate(online)
        ]
        rng.shuffle(items)
        with reporter.progress(f"Online: {titles[voter_class]}", len(items)) as bar:
            for batch in _iter_batches(items, CAST_BATCH):
                outcome = service.cast_many(contest_id, batch)
                refused = [o for o in outcome if not isinstance(o, Receipt)]
                if refused:
                    raise VerificationError(f"demo ballot refused: {refused[0]}")
                cast += len(outcome)
                if not sample_tracker and isinstance(outcome[0], Receipt):
                    sample_tracker = outcome[0].tracker
                bar.advance(len(batch))
    timings["online casting"] = time.monotonic() - clock
    reused = service.cast_many(contest_id, [(credentials["member"][0], (plan.candidates[0],))])
    reporter.say(
        f"{cast:,} online ballots cast through the service's bulk path ({CAST_BATCH:,} "
        "a transaction, with the same validation and storage as a single online cast), each "
        f"with a random receipt tracker (e.g. {sample_tracker}). A second try with a used "
        f"credential: “{reused[0]}”."
    )
    envelopes = 0
    for voter_class in CLASSES:
        online, paper = _ballots_for(plan, voter_class)
        postal = credentials[voter_class][
            len(online) : len(online) + len(paper) + plan.spoilt[voter_class]
        ]
        refused = [r for r in service.record_envelopes(contest_id, postal, actor=officer) if r]
        if refused:
            raise VerificationError(f"demo envelope refused: {refused[0]}")
        envelopes += len(postal)
        spoilt_left = plan.spoilt[voter_class]
        batches = list(_iter_batches(paper, PAPER_BATCH)) or [[]]
        with reporter.progress(f"Paper: {titles[voter_class]}", len(paper)) as bar:
            for number, batch in enumerate(batches, start=1):
                spoilt = spoilt_left if number == len(batches) else 0
                spoilt_left -= spoilt
                service.enter_paper_batch(
                    contest_id,
                    label=f"{voter_class} postal batch {number}",
                    voter_class=voter_class,
                    ballots=[_choices(rng, first, plan.candidates) for first in batch],
                    spoilt=spoilt,
                    actor="count official (demo)",
                )
                bar.advance(len(batch))
    reporter.say(
        f"{envelopes:,} postal envelopes recorded by the voting code printed on each (those "
        "electors can no longer vote online), and their ballot papers entered in batches of "
        f"{PAPER_BATCH}, apart from the envelopes, with the spoilt papers counted."
    )
    del credentials  # the codes are in the exported file; the count does not need them
    service.close_ballot(contest_id, actor=officer)

    reporter.section("5. The count")
    clock = time.monotonic()
    counted = count_contest(service, contest_id, actor=officer)
    timings["count"] = time.monotonic() - clock
    rows = []
    for tally in counted.tallies:
        result = dict(counted.by_class).get(tally.voter_class)
        first = result.rounds[0] if result else None
        cells = [f"{int(first.votes_of(c)):,}" if first else "0" for c in _ids(counted)]
        rows.append(
            (
                tally.title,
                *cells,
                f"{tally.online:,}",
                f"{tally.paper:,}",
                f"{tally.spoilt:,}",
                f"{tally.electors:,}",
            )
        )
    total_first = counted.total.rounds[0]
    rows.append(
        (
            "All",
            *(f"{int(total_first.votes_of(c)):,}" for c in _ids(counted)),
            f"{sum(t.online for t in counted.tallies):,}",
            f"{sum(t.paper for t in counted.tallies):,}",
            f"{sum(t.spoilt for t in counted.tallies):,}",
            f"{sum(t.electors for t in counted.tallies):,}",
        )
    )
    reporter.table(
        "First preferences by class",
        ("Class", *plan.candidates, "Online", "Paper", "Spoilt", "Electorate"),
        rows,
    )
    for tally in counted.tallies:
        result = dict(counted.by_class)[tally.voter_class]
        for name in plan.candidates:
            got = result.rounds[0].votes_of(_id_of(counted, name))
            if got != plan.votes[tally.voter_class][name]:
                raise VerificationError(
                    f"demo: {tally.voter_class} gave {name} {got}, "
                    f"expected {plan.votes[tally.voter_class][name]}"
                )
    winner = counted.total.name_of(counted.total.elected[0])
    valid = counted.ballots
    winner_votes = int(total_first.votes_of(counted.total.elected[0]))
    reporter.say(
        f"[bold]{winner}[/] is elected with {winner_votes:,} "
        f"of {valid:,} valid votes. Every class's first preferences match the published 2016 "
        f"figures{' exactly' if scale == 1 else f' scaled by {scale:g}'}."
    )

    reporter.section("6. Declaration, publication and verification")
    clock = time.monotonic()
    folder = declare_contest(service, contest_id, data_dir / "published", actor=officer)
    timings["declaration"] = time.monotonic() - clock
    clock = time.monotonic()
    verified = verify_published(folder, public_key=service.public_key(contest_id))
    timings["mandate verify"] = time.monotonic() - clock
    clock = time.monotonic()
    audit = service.verify_audit()
    timings["audit verify"] = time.monotonic() - clock
    reporter.say(
        f"Published to {folder}: cvr.json (NIST CDF, no trackers), cvr.csv, result.json, "
        "trackers.txt and the signed declaration.json. "
        f"[bold]mandate verify[/] recounted {verified.ballots:,} records: "
        f"they elect {', '.join(verified.elected)}, the signature holds. "
        f"[bold]mandate audit verify[/]: {audit.entries} audit entries chain correctly, "
        f"{audit.seals_checked} ballot seals match the stored ballots, and the "
        f"{len(service.checkpoints(contest_id))} checkpoints signed at each step hold."
    )
    reporter.table(
        "Time taken",
        ("Step", "Seconds"),
        [(step, f"{seconds:.1f}") for step, seconds in timings.items()],
    )
    return DemoOutcome(
        contest_id=contest_id,
        plan=plan,
        count=counted,
        published=folder,
        verified=verified,
        audit=audit,
        online_ballots=cast,
        credentials_file=credentials_file,
    )


def _ids(counted: ContestCount) -> tuple[Any, ...]:
    return tuple(c for c, _ in counted.total.candidates)


def _id_of(counted: ContestCount, name: str) -> Any:
    for c, n in counted.total.candidates:
        if n == name:
            return c
    raise KeyError(name)
