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
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from mandate.errors import InputError, VerificationError
from mandate.ids import BodyId
from mandate.rules.evaluate import MotionAnswer, StandingAnswer, ThresholdAnswer, evaluate
from mandate.rules.events import BodySize, Events, MotionVote, Nomination
from mandate.service.audit import AuditReport, verify_audit
from mandate.service.contests import ContestService, Receipt
from mandate.service.results import ContestCount, count_contest, declare_contest
from mandate.service.verify import VerifyReport, verify_published

__all__ = ["DemoOutcome", "DemoPlan", "DemoReporter", "load_published", "plan_demo", "run_demo"]

CLASSES = ("member", "registered_supporter", "affiliated_supporter")
CAST_BATCH = 2000
PAPER_SHARE = 10
"""One ballot in this many is returned on paper (synthetic)."""
PAPER_BATCH = 500


def load_published() -> dict[str, Any]:
    """The published 2016 figures shipped with mandate (``service/data/labour-2016.json``)."""
    text = (resources.files("mandate.service") / "data" / "labour-2016.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _apportion(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` by largest remainders (sums exactly)."""
    whole = sum(weights)
    shares = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: -(total * weights[i] % whole))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _scaled(value: int, scale: float) -> int:
    return round(value * scale)


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoPlan:
    """What the demo will produce, class by class, at a scale."""

    scale: float
    candidates: tuple[str, ...]
    votes: dict[str, dict[str, int]]
    """Valid votes by class and candidate (first preferences)."""
    spoilt: dict[str, int]
    electorate: dict[str, int]
    late_members: int
    arrears_members: int
    late_supporters: int
    late_affiliates: int
    doubles: dict[str, int]
    """People on the members' list who are also listed in another class."""

    def valid(self, voter_class: str) -> int:
        """Valid votes of a class."""
        return sum(self.votes[voter_class].values())


def plan_demo(scale: float, published: dict[str, Any] | None = None) -> DemoPlan:
    """The demo's figures at ``scale`` (1 = the full 2016 ballot)."""
    if not 0 < scale <= 1:
        raise InputError(f"--scale must be more than 0 and at most 1 (got {scale})")
    data = published or load_published()
    by_class = data["by_class"]
    valid = [sum(by_class[c].values()) for c in CLASSES]
    spoilt = _apportion(data["spoilt"], valid)
    returned = [v + s for v, s in zip(valid, spoilt, strict=True)]
    electorate = _apportion(data["ballots_distributed"], returned)
    votes = {c: {name: _scaled(n, scale) for name, n in by_class[c].items()} for c in CLASSES}
    plan_spoilt = {c: _scaled(s, scale) for c, s in zip(CLASSES, spoilt, strict=True)}
    plan_electorate = {}
    for c, e in zip(CLASSES, electorate, strict=True):
        needed = sum(votes[c].values()) + plan_spoilt[c]
        plan_electorate[c] = max(_scaled(e, scale), needed)
    return DemoPlan(
        scale=scale,
        candidates=tuple(data["candidates"]),
        votes=votes,
        spoilt=plan_spoilt,
        electorate=plan_electorate,
        late_members=_scaled(data["members_excluded_by_freeze"], scale),
        arrears_members=_scaled(4000, scale),
        late_supporters=_scaled(3000, scale),
        late_affiliates=_scaled(2500, scale),
        doubles={
            "registered_supporter": _scaled(3500, scale),
            "affiliated_supporter": _scaled(2000, scale),
        },
    )


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


FIRST = (
    "Alex",
    "Sam",
    "Jo",
    "Priya",
    "Tom",
    "Aisha",
    "Chris",
    "Megan",
    "Hamza",
    "Niamh",
    "Owen",
    "Ruth",
    "Dev",
    "Grace",
    "Kwame",
    "Liam",
    "Fatima",
    "Ellen",
    "Marek",
    "Sian",
)
LAST = (
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Khan",
    "Patel",
    "Hughes",
    "Edwards",
    "Roberts",
    "Walker",
    "Wright",
    "Hall",
    "Green",
    "Lewis",
    "Murphy",
)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


@dataclass(frozen=True, slots=True, kw_only=True)
class RulesStory:
    """What the rulebook says about the 2016 events, in words, and the figures it decides."""

    lines: tuple[str, ...]
    threshold: int
    threshold_basis: str
    incumbent_basis: str


def _explained(explanation: Any) -> str:
    parts = [*explanation.arithmetic]
    cited = "; ".join(dict.fromkeys(c.ref for c in explanation.clauses))
    return "; ".join(parts) + (f" [{cited}]" if cited else "")


def rules_story(rulebook: Any, published: dict[str, Any], params: dict[str, str]) -> RulesStory:
    """Evaluate the PLP motion and the challenge's nominations with the rulebook's evaluator."""
    motion = published["plp_confidence_motion"]
    nominations = published["nominations"]
    closed = dt.date.fromisoformat(nominations["closed"])
    on_motion = dt.date.fromisoformat(motion["date"])
    nominees = []
    for c in nominations["candidates"]:
        nominees.append(
            Nomination(
                candidate=c["name"],
                by=((BodyId("plp_eplp"), c["nominations"]),) if c.get("nominations") else (),
                on=closed,
                incumbent=bool(c.get("incumbent")),
                withdrew=dt.date.fromisoformat(c["withdrew"]) if c.get("withdrew") else None,
            )
        )
    events = Events(
        title=published["title"],
        process="challenge",
        incumbent=next(c["name"] for c in nominations["candidates"] if c.get("incumbent")),
        dates=(("motion_date", on_motion), ("close_of_nominations", closed)),
        body_sizes=(
            BodySize(body=BodyId("plp"), on=on_motion, size=motion["plp_size"]),
            BodySize(
                body=BodyId("plp_eplp"), on=closed, size=nominations["plp_eplp_size_at_close"]
            ),
        ),
        motions=(
            MotionVote(
                motion="plp_no_confidence",
                on=on_motion,
                votes_for=motion["for"],
                votes_against=motion["against"],
                spoilt=motion["spoilt"],
                did_not_vote=motion["did_not_vote"],
            ),
        ),
        nominations=tuple(nominees),
        rulebook=str(rulebook.id),
    )
    readings = {k: v for k, v in params.items() if k in rulebook.default_params()}
    evaluation = evaluate(rulebook, events, readings)
    lines: list[str] = []
    for answer in evaluation.of_type(MotionAnswer):
        lines.append(
            f"PLP motion of no confidence, {motion['date']}: {motion['for']} for, "
            f"{motion['against']} against, {motion['spoilt']} spoilt — {answer.summary}. "
            f"{_explained(answer.explanation)}"
        )
    (threshold,) = evaluation.of_type(ThresholdAnswer)
    basis = _explained(threshold.explanation)
    lines.append(f"Nomination threshold for a challenger: [bold]{threshold.value}[/] — {basis}")
    incumbent_basis = ""
    for standing in evaluation.of_type(StandingAnswer):
        text = _explained(standing.explanation)
        lines.append(f"{standing.candidate}: {standing.status} — {text}")
        if standing.candidate == events.incumbent:
            incumbent_basis = text
    return RulesStory(
        lines=tuple(lines),
        threshold=threshold.value,
        threshold_basis=basis,
        incumbent_basis=incumbent_basis or "incumbent",
    )


def write_roll(folder: Path, plan: DemoPlan, rng: random.Random) -> tuple[Path, ...]:
    """Write the synthetic roll: one CSV a voter class, with the people to be excluded."""
    folder.mkdir(parents=True, exist_ok=True)
    header = ["member_id", "voter_class", "name", "email", "joined", "in_arrears"]
    freeze = dt.date(2016, 1, 12)
    paths = []
    members_path = folder / "members.csv"
    doubles_total = sum(plan.doubles.values())
    with members_path.open("w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(header)
        for n in range(plan.electorate["member"]):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            w.writerow(
                [
                    f"M{n:07d}",
                    "member",
                    name,
                    f"m{n}@example.org",
                    _day(rng, dt.date(1970, 1, 1), freeze).isoformat(),
                    "no",
                ]
            )
        start = plan.electorate["member"]
        for n in range(start, start + plan.late_members):
            w.writerow(
                [
                    f"M{n:07d}",
                    "member",
                    f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    f"m{n}@example.org",
                    _day(rng, freeze + dt.timedelta(days=1), dt.date(2016, 7, 12)).isoformat(),
                    "no",
                ]
            )
        start += plan.late_members
        for n in range(start, start + plan.arrears_members):
            w.writerow(
                [
                    f"M{n:07d}",
                    "member",
                    f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    f"m{n}@example.org",
                    _day(rng, dt.date(1990, 1, 1), freeze).isoformat(),
                    "yes",
                ]
            )
    paths.append(members_path)
    del doubles_total
    double_pool = iter(range(plan.electorate["member"]))
    windows = {
        "registered_supporter": (
            "R",
            dt.date(2016, 7, 18),
            dt.date(2016, 7, 20),
            plan.late_supporters,
            dt.date(2016, 7, 21),
            dt.date(2016, 8, 1),
        ),
        "affiliated_supporter": (
            "A",
            dt.date(2000, 1, 1),
            freeze,
            plan.late_affiliates,
            freeze + dt.timedelta(days=1),
            dt.date(2016, 8, 8),
        ),
    }
    for voter_class, (prefix, first, last, late, late_first, late_last) in windows.items():
        path = folder / f"{voter_class}s.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            w = csv.writer(handle)
            w.writerow(header)
            n = 0
            for _ in range(plan.electorate[voter_class]):
                w.writerow(
                    [
                        f"{prefix}{n:07d}",
                        voter_class,
                        f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                        f"{prefix.lower()}{n}@example.net",
                        _day(rng, first, last).isoformat(),
                        "no",
                    ]
                )
                n += 1
            for _ in range(late):
                w.writerow(
                    [
                        f"{prefix}{n:07d}",
                        voter_class,
                        f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                        f"{prefix.lower()}{n}@example.net",
                        _day(rng, late_first, late_last).isoformat(),
                        "no",
                    ]
                )
                n += 1
            for _ in range(plan.doubles[voter_class]):
                member = next(double_pool)  # a member who also signed up here
                w.writerow(
                    [
                        f"{prefix}{n:07d}",
                        voter_class,
                        "",
                        f"m{member}@example.org",
                        _day(rng, first, last).isoformat(),
                        "no",
                    ]
                )
                n += 1
        paths.append(path)
    return tuple(paths)


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
        f"Its declaration will be signed with Ed25519 key {service.public_key(contest_id)[:16]}…"
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
    audit = verify_audit(service.store)
    timings["audit verify"] = time.monotonic() - clock
    reporter.say(
        f"Published to {folder}: cvr.json (NIST CDF), cvr.csv, result.json and the signed "
        f"declaration.json. [bold]mandate verify[/] recounted {verified.ballots:,} records: "
        f"they elect {', '.join(verified.elected)}, the signature holds. "
        f"[bold]mandate audit verify[/]: {audit.entries} audit entries chain correctly and "
        f"{audit.seals_checked} ballot seals match the stored ballots."
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
