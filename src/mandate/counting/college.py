"""Weighted electoral college: sections with weights, each section's share weighted and summed.

Labour's leadership elections from 1993 to 2010 used three sections each worth a third — MPs
and MEPs, individual members, members of affiliated organisations — each voting on its own
ranked ballots. Every round, each continuing candidate's share of the valid vote in each
section is computed, multiplied by the section's weight and summed; a candidate with more than
half of the weighted total wins; otherwise the lowest on the weighted total is eliminated and
the ballots for them transfer, within each section, to their next continuing preference.
Labour 2010: each candidate's share in each section "divided by 3 and summed" (see
docs/counting.md and party_contests.json ``labour-leader-2010``).

The Conservative Party of Canada's points per district is the same count with a section per
riding: each riding is worth 100 points shared in proportion to vote share (since 2022 the
full 100 only for a riding of at least 100 members; here, optionally, 100 marked ballots),
and the lowest on points is eliminated until someone has more than half of the points
(:func:`count_points_per_district`).

Shares are exact (:class:`~fractions.Fraction`); each section's ballots are held in the same
NumPy arrays as IRV's (:mod:`mandate.counting.ranked`), with the same options for overvotes,
skipped and repeated rankings, and ties for elimination are broken as IRV breaks them
(:mod:`mandate.counting.tiebreak`) on the weighted totals.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from mandate.ballots.sections import SectionedProfile
from mandate.counting.irv import IrvOptions, continuing_mask, transfers_of
from mandate.counting.model import (
    CountResult,
    InactiveReason,
    Round,
    SectionTally,
    TieBreakRecord,
    Transfer,
    Votes,
    format_votes,
)
from mandate.counting.ranked import (
    REASONS,
    BallotPointers,
    RankedBallots,
    encode_ballots,
    inactive_of,
    tally_of,
)
from mandate.errors import CountingError, InputError
from mandate.ids import CandidateId

__all__ = [
    "count_college",
    "count_points_per_district",
    "district_points",
    "parse_weight",
    "parse_weights",
    "refuse_irv_only_options",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_DEFAULT_OPTIONS = IrvOptions()


def refuse_irv_only_options(options: IrvOptions, what: str) -> None:
    """Refuse IRV options that have no meaning outside IRV, rather than ignore them.

    Raises:
        InputError: batch elimination, continue-until-two or an undeclared write-in is set.
    """
    given = [
        flag
        for flag, value in (
            ("batch elimination", options.batch_elimination),
            ("continue until two", options.continue_until_two),
            ("an undeclared write-in", options.undeclared_write_in is not None),
        )
        if value
    ]
    if given:
        raise InputError(f"{what} has no {', '.join(given)}: those are IRV options")


_WEIGHT = re.compile(r"[+-]?[0-9]{1,30}(?:\.[0-9]{1,30}|/[0-9]{1,30})?")
"""A weight as written: a whole number, a decimal or a fraction, of a sane number of digits."""


def parse_weight(text: str, *, where: str = "weight") -> Fraction:
    """A section weight written as a whole number, a decimal or a fraction (``1/3``).

    Raises:
        InputError: text that is not a positive number.

    >>> parse_weight("1/3"), parse_weight("0.5"), parse_weight("100")
    (Fraction(1, 3), Fraction(1, 2), Fraction(100, 1))
    """
    written = text.strip()
    if _WEIGHT.fullmatch(written) is None:  # no exponents: Fraction("1e100000000") never ends
        raise InputError(f"{where}: expected a number such as 1/3, 0.5 or 100 (got {text[:40]!r})")
    try:
        value = Fraction(written)
    except ZeroDivisionError:
        raise InputError(f"{where}: a fraction cannot divide by 0 (got {text!r})") from None
    if value <= 0:
        raise InputError(f"{where}: a weight must be more than 0 (got {text!r})")
    return value


def parse_weights(text: str) -> tuple[tuple[str, Fraction], ...]:
    """Section weights written ``name=weight,name=weight`` (e.g. ``mps=1/3,members=1/3``).

    Raises:
        InputError: an item without ``=``, a blank or repeated name, or a bad weight.

    >>> parse_weights("plp_eplp=1/3, members=1/3,affiliates=1/3")[0]
    ('plp_eplp', Fraction(1, 3))
    """
    weights: dict[str, Fraction] = {}
    for item in text.split(","):
        if not item.strip():
            continue
        name, equals, value = item.partition("=")
        name = name.strip()
        if not equals or not name:
            raise InputError(f"weights: expected name=weight, e.g. members=1/3 (got {item!r})")
        if name in weights:
            raise InputError(f"weights: section {name!r} is given twice")
        weights[name] = parse_weight(value, where=f"weight of {name!r}")
    if not weights:
        raise InputError("weights: none given; expected name=weight,name=weight")
    return tuple(weights.items())


def district_points(
    sections: SectionedProfile, *, points: int = 100, full_points_minimum: int | None = None
) -> dict[str, Fraction]:
    """What each district is worth: ``points``, or with ``full_points_minimum``, a district
    with fewer marked ballots than that is worth ``points × ballots / minimum`` (with 100 and
    100: one point a ballot). CPC 2022 counts members for its minimum of 100; a ballot file
    does not hold them, so where that differs, pass each district's points as weights to
    :func:`count_college`.

    Raises:
        InputError: points or minimum below 1.
    """
    if points < 1:
        raise InputError(f"a district must be worth at least 1 point (got {points})")
    if full_points_minimum is not None and full_points_minimum < 1:
        raise InputError(f"the full-points minimum must be at least 1 (got {full_points_minimum})")
    weights: dict[str, Fraction] = {}
    for name, profile in sections:
        worth = Fraction(points)
        if full_points_minimum is not None:
            marked = sum(b.count for b in profile.ballots if not b.is_blank)
            if marked < full_points_minimum:
                worth = Fraction(points * marked, full_points_minimum)
        weights[name] = worth
    return weights


def count_points_per_district(
    districts: SectionedProfile,
    *,
    points: int = 100,
    full_points_minimum: int | None = None,
    options: IrvOptions = _DEFAULT_OPTIONS,
) -> CountResult:
    """Count a points-per-district contest (Conservative Party of Canada).

    Each district is a section worth :func:`district_points`; a district with no marked
    ballots is worth nothing. See :func:`count_college` for the count itself.

    >>> from mandate.ballots.model import Ballot, Candidate, Profile
    >>> A, B = CandidateId("A"), CandidateId("B")
    >>> def riding(a: int, b: int) -> Profile:
    ...     return Profile(candidates=(Candidate(id=A, name="A"), Candidate(id=B, name="B")),
    ...                    ballots=(Ballot(ranking=(frozenset({A}),), count=a),
    ...                             Ballot(ranking=(frozenset({B}),), count=b)))
    >>> ridings = SectionedProfile.of({"east": riding(900, 100), "west": riding(10, 30)})
    >>> result = count_points_per_district(ridings, full_points_minimum=100)
    >>> [format_votes(v) for _, v in result.rounds[0].tally], result.winner
    (['100', '40'], 'A')
    """
    weights = district_points(districts, points=points, full_points_minimum=full_points_minimum)
    worthless = [name for name, weight in weights.items() if weight == 0]
    if len(worthless) == len(weights):
        raise CountingError("no district has a marked ballot: there are no points to share")
    extra = [("points", str(points))]
    if full_points_minimum is not None:
        extra.append(("full-points-minimum", str(full_points_minimum)))
    return _count(
        districts,
        {name: w for name, w in weights.items() if w},
        options,
        rules="points-per-district",
        described=tuple(extra),
        skipped=frozenset(worthless),
    )


def count_college(
    sections: SectionedProfile,
    weights: Mapping[str, Fraction],
    options: IrvOptions = _DEFAULT_OPTIONS,
) -> CountResult:
    """Count a weighted electoral college.

    Args:
        sections: each section's ranked ballots.
        weights: what each section is worth (every section named once); only their ratios
            matter to who wins; the tallies are in their units (weights of 1/3 give tallies
            as fractions of 1, weights of 100 give points).
        options: IRV's options for reading ballots (overvotes, skipped and repeated ranks,
            maximum rankings), excluded candidates and the tie-break.

    Returns:
        Every round with the weighted total as its ``tally``, half of it as its
        ``threshold`` (a candidate needs more), and each section's votes, valid ballots and
        weighted shares in ``sections``; ``inactive`` adds the sections' inactive ballots.

    Raises:
        InputError: a weight missing, unknown or not positive; an IRV-only option (batch
            elimination, continue until two, an undeclared write-in).
        UnknownCandidateError: an option names someone not standing.
        UnresolvedTieError: a tie the tie-break cannot settle.
        CountingError: no candidate can take part, or no section has a valid vote.

    >>> from mandate.ballots.model import Ballot, Candidate, Profile
    >>> A, B, C = (CandidateId(x) for x in "ABC")
    >>> def section(*ballots: tuple[str, int]) -> Profile:
    ...     return Profile(candidates=tuple(Candidate(id=x, name=x) for x in (A, B, C)),
    ...                    ballots=tuple(Ballot(ranking=tuple(frozenset({CandidateId(c)})
    ...                                  for c in r), count=n) for r, n in ballots))
    >>> college = SectionedProfile.of({"mps": section(("A", 6), ("B", 3), ("CB", 1)),
    ...                                "members": section(("A", 40), ("B", 45), ("CA", 15))})
    >>> result = count_college(college, {"mps": Fraction(1, 2), "members": Fraction(1, 2)})
    >>> [[format_votes(v) for _, v in r.tally] for r in result.rounds], result.winner
    ([['0.5', '0.375', '0.125'], ['0.575', '0.425']], 'A')
    """
    names = set(sections.names)
    for name in weights:
        if name not in names:
            raise InputError(
                f"a weight is given for {name!r}, which is not a section "
                f"(sections: {', '.join(sections.names)})"
            )
    missing = [name for name in sections.names if name not in weights]
    if missing:
        raise InputError(f"no weight given for section(s) {', '.join(missing)}")
    for name, weight in weights.items():
        if weight <= 0:
            raise InputError(f"the weight of section {name!r} must be more than 0 (got {weight})")
    described = (("weights", ", ".join(f"{n}={weights[n]}" for n in sections.names)),)
    return _count(sections, dict(weights), options, rules=None, described=described)


@dataclass(slots=True)
class _Section:
    """One section's ballots and where each stands."""

    name: str
    weight: Fraction
    ballots: RankedBallots
    state: BallotPointers


def _count(
    sections: SectionedProfile,
    weights: dict[str, Fraction],
    options: IrvOptions,
    *,
    rules: str | None,
    described: tuple[tuple[str, str], ...],
    skipped: frozenset[str] = frozenset(),
) -> CountResult:
    refuse_irv_only_options(options, "a college count")
    candidates = sections.candidates
    ids = tuple(c.id for c in candidates)
    index = {c: i for i, c in enumerate(ids)}
    options.check_names(ids)
    withdrawn = frozenset().union(*(p.withdrawn for _, p in sections))
    continuing = continuing_mask(index, (*options.exclude, *withdrawn))
    parts, undervotes = _prepare(sections, weights, options, index, continuing, skipped)
    breaker = options.tie_breaker(ids)
    rounds: list[Round] = []
    history: list[dict[CandidateId, Votes]] = []
    elected: CandidateId | None = None
    eliminated: tuple[CandidateId, ...] = ()
    moved: dict[str, tuple[Transfer, ...]] = {}
    tiebreaks: tuple[TieBreakRecord, ...] = ()
    note = ""
    first_total: Fraction | None = None
    threshold = Fraction(0)
    while True:
        alive = [int(c) for c in np.flatnonzero(continuing)]
        totals, records, inactive = _weigh(parts, alive, ids, moved)
        total = sum(totals.values(), start=Fraction(0))
        if not total:
            raise CountingError("no section has a valid vote for a continuing candidate")
        if first_total is None:
            first_total = total
        threshold = total / 2
        notes = [note] if note else []
        newly: tuple[CandidateId, ...] = ()
        best = max(totals.values())
        leaders = [c for c in alive if totals[c] == best]
        if best > threshold:
            newly = (ids[leaders[0]],)
            notes.append(f"{ids[leaders[0]]} has more than half of {format_votes(total)}")
        elif len(alive) == 1:
            newly = (ids[alive[0]],)
            notes.append(f"{ids[alive[0]]} is the last continuing candidate")
        elif len(alive) == 2:
            # The last two tie at half each: the tie-break elects one in this round, as in
            # IRV (RCTab's identifyWinners), with no further round.
            record = breaker.choose(
                tuple(ids[c] for c in alive),
                purpose="elect",
                history=history,
                round_number=len(rounds) + 1,
            )
            newly = (record.chosen,)
            tiebreaks = (*tiebreaks, record)
            notes.append(
                f"{record.chosen} elected by tie-break ({record.method}) between the last two "
                f"at {format_votes(best)} each"
            )
        tallies: dict[CandidateId, Votes] = {ids[c]: totals[c] for c in alive}
        rounds.append(
            Round(
                number=len(rounds) + 1,
                tally=tuple(tallies.items()),
                threshold=threshold,
                inactive=tuple(inactive.items()),
                elected=newly,
                eliminated=eliminated,
                tiebreaks=tiebreaks,
                note="; ".join(notes),
                sections=tuple(records),
            )
        )
        history.append(tallies)
        if newly:
            elected = newly[0]
            break
        lowest = min(totals.values())
        tied = [c for c in alive if totals[c] == lowest]
        if len(tied) == 1:
            loser = tied[0]
            tiebreaks = ()
            note = f"{ids[loser]} has the lowest weighted total ({format_votes(lowest)})"
        else:
            record = breaker.choose(
                tuple(ids[c] for c in tied),
                purpose="eliminate",
                history=history[:-1],
                round_number=len(rounds) + 1,
            )
            loser = index[record.chosen]
            tiebreaks = (record,)
            note = f"{record.chosen} eliminated by tie-break ({record.method})"
        continuing[loser] = False
        eliminated = (ids[loser],)
        moved = {part.name: _transfer(part, loser, continuing, ids) for part in parts}
    assert first_total is not None
    return CountResult(
        method="college",
        rules=rules,
        seats=1,
        candidates=tuple((c.id, c.name) for c in candidates),
        elected=(elected,) if elected is not None else (),
        quota=threshold,
        rounds=tuple(rounds),
        undervotes=undervotes,
        valid=first_total,
        options=options.described() + described,
    )


def _prepare(
    sections: SectionedProfile,
    weights: dict[str, Fraction],
    options: IrvOptions,
    index: dict[CandidateId, int],
    continuing: BoolArray,
    skipped: frozenset[str],
) -> tuple[list[_Section], int]:
    """Each counted section's ballots as arrays, every ballot at its first preference; and
    the undervotes of all sections."""
    parts: list[_Section] = []
    undervotes = 0
    for name, profile in sections:
        ballots = encode_ballots(profile, index, options.max_rankings)
        undervotes += ballots.undervotes
        if name in skipped:
            continue
        options.refuse_unrecorded(ballots, where=f"section {name!r}: ")
        state = options.pointers(ballots, len(index))
        state.advance(np.arange(ballots.counts.size, dtype=np.int64), continuing)
        parts.append(_Section(name=name, weight=weights[name], ballots=ballots, state=state))
    return parts, undervotes


def _weigh(
    parts: list[_Section],
    alive: list[int],
    ids: tuple[CandidateId, ...],
    moved: dict[str, tuple[Transfer, ...]],
) -> tuple[dict[int, Fraction], list[SectionTally], dict[InactiveReason, int]]:
    """The weighted total of each continuing candidate, each section's record, and the
    inactive ballots of all sections, as the ballots stand."""
    totals = {c: Fraction(0) for c in alive}
    records: list[SectionTally] = []
    inactive = dict.fromkeys(REASONS, 0)
    for part in parts:
        tally = tally_of(part.state, len(ids))
        valid = int(tally[alive].sum())
        weighted: list[tuple[CandidateId, Votes]] = []
        if valid:
            for c in alive:
                share = part.weight * Fraction(int(tally[c]), valid)
                totals[c] += share
                weighted.append((ids[c], share))
        section_inactive = inactive_of(part.state)
        for reason, value in section_inactive.items():
            inactive[reason] += value
        records.append(
            SectionTally(
                section=part.name,
                weight=part.weight,
                valid=valid,
                tally=tuple((ids[c], int(tally[c])) for c in alive),
                weighted=tuple(weighted),
                inactive=tuple(section_inactive.items()),
                transfers=moved.get(part.name, ()),
            )
        )
    return totals, records, inactive


def _transfer(
    part: _Section, loser: int, continuing: BoolArray, ids: tuple[CandidateId, ...]
) -> tuple[Transfer, ...]:
    """Move a section's ballots for ``loser`` on; the transfers they made."""
    state = part.state
    moving = np.flatnonzero(state.current == loser)
    if not moving.size:
        return ()
    state.advance(moving, continuing)
    counts = part.ballots.counts[moving]
    n = len(ids)
    target = np.where(
        state.current[moving] >= 0, state.current[moving], n - 1 + state.status[moving]
    )
    sums = np.zeros(n + len(REASONS), dtype=np.int64)
    np.add.at(sums, target, counts)
    return tuple(transfers_of(ids[loser], sums, ids))
