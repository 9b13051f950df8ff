"""Labour's 2010 electoral college: the MPs' real ballots and the other sections rebuilt.

Shared by the college's unit tests and the command-line tests that read the sections from
files in different formats.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from mandate.ballots.model import Ballot, Profile
from mandate.ids import CandidateId

DM, EM, EB, AB, DA = (
    CandidateId(n) for n in ("D.Milbnd", "E.Milbnd", "E.Balls", "A.Burnhm", "D.Abbott")
)
PUBLISHED_NAMES = {
    "David Miliband": DM,
    "Ed Miliband": EM,
    "Ed Balls": EB,
    "Andy Burnham": AB,
    "Diane Abbott": DA,
}


def labour_2010_contest(shared_data: Path) -> dict[str, Any]:
    """The ``labour-leader-2010`` entry of party_contests.json (published figures)."""
    contests = json.loads((shared_data / "party_contests.json").read_text(encoding="utf-8"))
    return next(c for c in contests["labour"] if c["id"] == "labour-leader-2010")


def built_section(contest: dict[str, Any], section: str, like: Profile) -> Profile:
    """A section's ballots built from the published figures, which are all there is.

    Only the MPs' and MEPs' ballots were published as preferences (the .soi file). For the
    members' and the affiliates' sections, party_contests.json gives the valid total, the two
    Milibands' round-1 votes, the other three's round-1 percentages, and the round-4 split
    between the Milibands. So each section gets: the Milibands' round-1 votes as published;
    Balls, Burnham and Abbott with their round-1 percentage of the valid total (so the
    section's total differs from the derived one by the published rounding); and every
    Balls, Burnham or Abbott ballot a second preference for one Miliband, split so that the
    round-4 percentages are the published ones. Rounds 2 and 3 (no section breakdown
    published) therefore do not match the published college figures; round 1, the order of
    elimination and round 4 do, to the published figures' last place.
    """
    first = contest["rounds"][0]
    total = first["section_valid_totals_derived"][section]
    raw = first["raw_votes_partial"]
    pct = first["section_pct_derived_x3"]
    votes = {DM: raw["David Miliband"][section], EM: raw["Ed Miliband"][section]}
    for published, candidate in (("Ed Balls", EB), ("Andy Burnham", AB), ("Diane Abbott", DA)):
        votes[candidate] = round(Decimal(str(pct[published][section])) * total / 100)
    final = contest["rounds"][3]["section_pct"]["David Miliband"][section]
    dm_final = round(Decimal(str(final)) * total / 100)
    to_dm = dm_final - votes[DM]
    others = votes[EB] + votes[AB] + votes[DA]
    made: list[Ballot] = [
        Ballot(ranking=(frozenset({DM}),), count=votes[DM]),
        Ballot(ranking=(frozenset({EM}),), count=votes[EM]),
    ]
    left = to_dm
    for position, candidate in enumerate((EB, AB, DA)):
        share = left if position == 2 else votes[candidate] * to_dm // others
        left -= share
        made.append(Ballot(ranking=(frozenset({candidate}), frozenset({DM})), count=share))
        made.append(
            Ballot(
                ranking=(frozenset({candidate}), frozenset({EM})), count=votes[candidate] - share
            )
        )
    return Profile(candidates=like.candidates, ballots=tuple(made))
