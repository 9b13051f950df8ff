"""Reading Droop's JSON count records (the reference counts in ../shared/data) for tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True, kw_only=True)
class DroopStage:
    """One stage of a Droop count: non-defeated candidates' votes, exhausted, quota."""

    votes: dict[str, str]
    exhausted: str | None
    total: str
    quota: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DroopCount:
    """A Droop count record: elected in order and the stages."""

    elected: list[str]
    stages: list[DroopStage]
    quota: str


def _stage(action: dict[str, Any], names: dict[str, str], *, keep_defeated: bool) -> DroopStage:
    votes = {
        names[cid]: state["vote"]
        for cid, state in action["cstate"].items()
        if keep_defeated or state["code"] != "D"
    }
    return DroopStage(
        votes=votes,
        exhausted=action.get("nt_votes"),
        total=action["votes"],
        quota=action["quota"],
    )


def load_droop(path: Path) -> DroopCount:
    """Stages of a WIGM-family record (after each transfer) or a Meek record (after each
    round's iteration, where the round elects or defeats)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    names = {cid: c["name"] for cid, c in data["cdict"].items()}
    meek = data["method"] == "meek"
    by_round: dict[int, list[dict[str, Any]]] = {}
    elected: list[str] = []
    for action in data["actions"]:
        if "cstate" in action:
            by_round.setdefault(action["round"], []).append(action)
        if action["tag"] == "elect":
            elected.append(action["msg"].split(": ", 1)[1])
    stages = []
    for number in sorted(by_round):
        actions = by_round[number]
        if meek:
            decided = [a for a in actions if a["tag"] in ("elect", "defeat")]
            if number > 0 and decided:
                stages.append(_stage(decided[0], names, keep_defeated=True))
        else:
            moved = [a for a in actions if a["tag"] in ("begin", "transfer")]
            if moved:
                stages.append(_stage(moved[-1], names, keep_defeated=False))
    return DroopCount(elected=elected, stages=stages, quota=data["quota"])
