"""The 2016 demo's plan: its figures at a scale, what the rulebook decides, the synthetic roll.

:func:`plan_demo` scales the published 2016 figures (``service/data/labour-2016.json``, read by
:func:`load_published`) class by class; :func:`rules_story` evaluates the PLP's motion and the
challenge's nominations with the rulebook's evaluator; :func:`write_roll` writes the synthetic
roll of the three voter classes, with the people the rules must exclude.
:func:`mandate.service.demo.run_demo` runs the demo from them.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from mandate.errors import InputError
from mandate.ids import BodyId
from mandate.rules.evaluate import MotionAnswer, StandingAnswer, ThresholdAnswer, evaluate
from mandate.rules.events import BodySize, Events, MotionVote, Nomination

__all__ = [
    "CLASSES",
    "DemoPlan",
    "RulesStory",
    "load_published",
    "plan_demo",
    "rules_story",
    "write_roll",
]

CLASSES = ("member", "registered_supporter", "affiliated_supporter")


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
