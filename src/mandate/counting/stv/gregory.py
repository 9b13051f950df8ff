"""The weighted inclusive Gregory count that Scottish STV and the PRF's WIGM share.

Each stage either transfers the largest surplus or excludes the candidate with the fewest
votes. A surplus is transferred by passing on *every* ballot the elected candidate holds,
each at a new weight of ``weight × surplus ÷ votes`` (rounded as the rule says), so the
candidate keeps exactly the quota; what rounding drops is reported as rounding loss. An
excluded candidate's ballots pass on at the weights they carry. After every transfer each
hopeful candidate with at least the quota is elected, largest vote first. The count ends
when all seats are filled or no more hopefuls remain than seats, who are then elected
together (listed in declared order).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mandate.ballots.model import Profile
from mandate.counting.model import CountResult, TieBreakRecord
from mandate.counting.stv.arithmetic import FixedPoint, IntArray
from mandate.counting.stv.ballots import prepare
from mandate.counting.stv.stages import StageCount, State, decimal_text
from mandate.counting.stv.tiebreak import Purpose, TieBreaker
from mandate.ids import CandidateId

__all__ = ["GregoryRule", "count_gregory"]


@dataclass(frozen=True, slots=True, kw_only=True)
class GregoryRule:
    """What distinguishes one weighted inclusive Gregory rule from another.

    Args:
        name: the rules' name as results show it (``scottish``, ``wigm``).
        places: decimal places of every value.
        quota: the quota (scaled) from the number of valid ballots and seats.
        new_weights: a transferred ballot's new weights (scaled) from its current weights,
            the surplus and the candidate's votes (all scaled).
        look_back: ties are broken by earlier stages before lot.
        zero_surplus_is_a_stage: a candidate elected with exactly the quota has a (zero)
            surplus transferred as a stage of its own.
    """

    name: str
    places: int
    quota: Callable[[FixedPoint, int, int], int]
    new_weights: Callable[[FixedPoint, IntArray, int, int], IntArray]
    look_back: bool
    zero_surplus_is_a_stage: bool


def _elect_with_quota(count: StageCount, rule: GregoryRule, pending: list[int]) -> list[int]:
    """Elect every hopeful with the quota, largest vote first; return them."""
    reached = [i for i in count.hopeful() if count.votes[i] >= count.quota]
    reached.sort(key=lambda i: -count.votes[i])
    chosen = reached[: max(count.seats_left, 0)]
    for i in chosen:
        count.elect(i)
        if count.votes[i] > count.quota or rule.zero_surplus_is_a_stage:
            pending.append(i)
    return chosen


def count_gregory(
    profile: Profile,
    *,
    seats: int,
    rule: GregoryRule,
    seed: str | None,
    lot: tuple[CandidateId, ...] | None = None,
) -> CountResult:
    """Count a profile under a weighted inclusive Gregory rule (see the module docstring);
    ``lot``, the order the officer drew, settles ties by lot before ``seed``."""
    fixed = FixedPoint(places=rule.places)
    table = prepare(profile)
    count = StageCount(table, seats=seats, fixed=fixed)
    count.quota = rule.quota(fixed, table.valid, seats)
    ties = TieBreaker(
        candidates=table.candidates,
        seed=seed,
        look_back=rule.look_back,
        lot=lot,
        order=profile.tie_order,
    )
    pending: list[int] = []

    elected = _elect_with_quota(count, rule, pending)
    count.record(note="first preferences", elected=elected)
    while not count.complete():
        stage = len(count.rounds) + 1
        tiebreaks: list[TieBreakRecord] = []
        if pending:
            high = max(count.votes[i] for i in pending)
            tied = [i for i in pending if count.votes[i] == high]
            source, record = ties.break_tie(
                tied, purpose=Purpose.SURPLUS, history=count.history, stage=stage
            )
            pending.remove(source)
            total = count.votes[source]
            surplus = total - count.quota
            rows = count.rows_at(source)
            weights = rule.new_weights(fixed, count.weight[rows], surplus, total)
            moved = count.move(rows, weights)
            count.votes[source] = count.quota
            count.loss += surplus - moved.total
            note = (
                f"surplus of {count.name(source)} ({decimal_text(fixed.to_decimal(surplus))}) "
                "transferred"
            )
            eliminated: list[int] = []
        else:
            low = min(count.votes[i] for i in count.hopeful())
            tied = [i for i in count.hopeful() if count.votes[i] == low]
            source, record = ties.break_tie(
                tied, purpose=Purpose.ELIMINATE, history=count.history, stage=stage
            )
            count.state[source] = State.EXCLUDED
            moved = count.move(count.rows_at(source))
            count.votes[source] = 0
            note = f"{count.name(source)} excluded (fewest votes); ballots transferred"
            eliminated = [source]
        if record is not None:
            tiebreaks.append(record)
        # After an exclusion that leaves no more hopefuls than vacancies, they are all
        # elected together below (rule 52; WIGM B.4 then C), not one by one on the quota.
        last_vacancies = bool(eliminated) and len(count.hopeful()) <= count.seats_left
        elected = [] if last_vacancies else _elect_with_quota(count, rule, pending)
        count.record(
            note=note,
            elected=elected,
            eliminated=eliminated,
            transfers=count.transfers(source, moved),
            tiebreaks=tiebreaks,
        )
    count.elect_remaining("remaining candidates elected: no more hopefuls than vacancies")
    return count.result(profile, rules=rule.name, seed=seed)
