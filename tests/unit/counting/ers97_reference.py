"""A second, independent count under the ERS97 rules, written from the rules' text, for tests.

Source: Electoral Reform Society, *How to conduct an election by the Single Transferable
Vote*, 3rd edition (1997), sections 4 (general description), 5 (the rules) and 6 (the
glossary). Paragraph numbers below are the rules'. This module shares no code with
``mandate.counting.stv``: it handles voting papers one by one, as a returning officer
would, keeps every value in hundredths as a plain Python ``int`` (the rules work to two
decimal places), and follows the rules in their order. The property test in
``test_stv_ers97.py`` compares it with mandate's count stage by stage.

Choices the rules leave open, and how this reference makes them:

- Candidates with equal votes who can all be deemed elected (5.1.7, 5.3.13, 5.4.9) are
  deemed elected in ballot-paper order; so are the candidates deemed elected at completion
  (4.3, 5.5.1). The rules give no order there, and it changes nobody's election.
- A tie that the rules settle by lot (5.2.3, 5.2.5), a tie for a surplus or an exclusion
  among three or more candidates that the earliest point of difference does not settle to
  one, or a group exclusion whose lowest
  candidates cannot be told apart from the candidate next above, raises
  :class:`NotSettledError`: the test leaves such elections out rather than guess.

A stage (6.16) is the first stage, the transfer of one surplus, or the exclusion of one or
more candidates with all the batches of their papers. Where the count completes without a
transfer (4.3, 5.5.1), the candidates deemed elected are added to the last stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

__all__ = ["NotSettledError", "Stage", "count_ers97_reference"]

ONE = 100
"""A voting paper's full value, in hundredths."""


class NotSettledError(Exception):
    """The rules call for lot, or leave the choice unclear: this election is left out."""


class Status(Enum):
    CONTINUING = "continuing"  # 6.3: not yet deemed elected or excluded
    ELECTED = "elected"
    EXCLUDED = "excluded"


@dataclass(slots=True)
class Paper:
    """One voting paper: its preferences, which of them now holds it, and its value (6.25)."""

    preferences: tuple[int, ...]
    at: int
    value: int

    @property
    def holder(self) -> int:
        return self.preferences[self.at]


@dataclass(frozen=True, slots=True)
class Stage:
    """What the result sheet (6.15) shows at the end of a stage."""

    votes: dict[str, int]
    non_transferable: int
    quota: int
    elected: tuple[str, ...]
    excluded: tuple[str, ...]


@dataclass(slots=True)
class _Count:
    names: tuple[str, ...]
    seats: int
    total_valid: int = 0
    quota: int = 0
    votes: list[int] = field(default_factory=list)
    status: list[Status] = field(default_factory=list)
    # The batches of papers each candidate has received, in the order received (6.1).
    batches: list[list[list[Paper]]] = field(default_factory=list)
    elected: list[int] = field(default_factory=list)
    elected_at_first_stage: set[int] = field(default_factory=set)
    transferred_surplus: set[int] = field(default_factory=set)
    non_transferable: int = 0
    # Every candidate's vote at the first stage and after each batch of papers (5.2.3).
    points: list[list[int]] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    elected_this_stage: list[int] = field(default_factory=list)

    # -- the first stage (5.1) -------------------------------------------------------------

    def first_stage(self, ballots: list[tuple[int, tuple[str, ...]]]) -> None:
        n = len(self.names)
        index = {name: i for i, name in enumerate(self.names)}
        self.votes = [0] * n
        self.status = [Status.CONTINUING] * n
        self.batches = [[] for _ in range(n)]
        first: list[list[Paper]] = [[] for _ in range(n)]
        for count, ranking in ballots:
            if not ranking:
                continue  # 6.9: no first preference, an invalid paper
            for _ in range(count):
                paper = Paper(tuple(index[name] for name in ranking), 0, ONE)
                first[paper.holder].append(paper)
        for candidate, papers in enumerate(first):
            if papers:
                self.batches[candidate].append(papers)
            self.votes[candidate] = ONE * len(papers)
        self.total_valid = sum(self.votes)  # 5.1.2
        self.quota = self.quota_of(self.total_valid)  # 5.1.6
        self.points.append(list(self.votes))
        self.deem_elected()  # 5.1.7
        for candidate in self.elected:
            self.elected_at_first_stage.add(candidate)
        self.close_stage(excluded=[])

    def quota_of(self, total: int) -> int:
        """5.1.6: total ÷ (places + 1) to two places; if not exact, the remainder is ignored
        and 0.01 added. In hundredths that is the division rounded up."""
        whole, remainder = divmod(total, self.seats + 1)
        return whole + 1 if remainder else whole

    # -- questions -------------------------------------------------------------------------

    def continuing(self) -> list[int]:
        return [c for c in range(len(self.names)) if self.status[c] is Status.CONTINUING]

    def places_left(self) -> int:
        return self.seats - len(self.elected)

    def surplus(self, candidate: int) -> int:
        """6.18: the amount by which an elected candidate's vote exceeds the quota, while it
        has not been transferred."""
        if self.status[candidate] is not Status.ELECTED:
            return 0
        if candidate in self.transferred_surplus:
            return 0
        return max(self.votes[candidate] - self.quota, 0)

    def surpluses(self) -> dict[int, int]:
        return {c: self.surplus(c) for c in self.elected if self.surplus(c) > 0}

    def total_active_vote(self) -> int:
        """6.20: the votes of all continuing candidates, plus any votes awaiting transfer
        (surpluses not yet transferred, and excluded candidates' papers not yet passed on)."""
        continuing = sum(self.votes[c] for c in self.continuing())
        surpluses = sum(self.surpluses().values())
        excluded = sum(
            self.votes[c] for c in range(len(self.names)) if self.status[c] is Status.EXCLUDED
        )
        active = continuing + surpluses + excluded
        # 5.6.1 gives the same figure another way: the total valid vote less the quotas (or
        # votes if less) of those deemed elected and the non-transferable votes.
        control = (
            self.total_valid
            - sum(min(self.quota, self.votes[c]) for c in self.elected)
            - self.non_transferable
        )
        assert active == control, (active, control)
        return active

    def next_available(self, paper: Paper) -> int | None:
        """6.10: the position of the next preference for a continuing candidate, passing over
        candidates deemed elected or excluded; ``None`` if there is none (6.12)."""
        for at in range(paper.at + 1, len(paper.preferences)):
            if self.status[paper.preferences[at]] is Status.CONTINUING:
                return at
        return None

    def earliest_difference(self, tied: list[int], *, most: bool) -> int | None:
        """The candidate with the most (or fewest) votes at the first stage or the earliest
        point after a batch of papers where the tied candidates had unequal votes (5.2.3,
        5.2.5, 5.6.2); ``None`` if they were equal at every such point."""
        for point in self.points:
            values = {point[c] for c in tied}
            if len(values) > 1:
                best = max(values) if most else min(values)
                chosen = [c for c in tied if point[c] == best]
                if len(chosen) > 1:
                    raise NotSettledError("three or more tied, not settled by the earliest point")
                return chosen[0]
        return None

    # -- deeming elected (5.1.7, 5.3.13, 5.4.9, 5.6.2) -------------------------------------

    def deem_elected(self) -> None:
        """Considering each continuing candidate in turn in descending order of votes, deem
        elected any whose vote equals or exceeds (a) the quota or (b) the total active vote
        ÷ (places not yet filled + 1), up to the number of places to be filled."""
        while self.places_left() > 0:
            continuing = self.continuing()
            if not continuing:
                return
            top = max(self.votes[c] for c in continuing)
            places = self.places_left()
            reaches_quota = top >= self.quota
            # vote >= TAV / (places + 1), compared exactly
            reaches_active = top * (places + 1) >= self.total_active_vote()
            if not (reaches_quota or reaches_active):
                return
            tied = [c for c in continuing if self.votes[c] == top]
            if len(tied) > places:
                # 5.6.2: not enough places for them all. They are taken in descending order of
                # their votes at the first stage or the earliest point where they differed,
                # which is the order of their vote histories compared point by point; those
                # equal at every point are not deemed elected if they cannot all be.
                history = {c: [point[c] for point in self.points] for c in tied}
                best = max(history.values())
                first = [c for c in tied if history[c] == best]
                if len(first) > places:
                    return  # equal at every point: none of them is deemed elected now
                chosen = first[0]
            else:
                chosen = tied[0]
            self.status[chosen] = Status.ELECTED
            self.elected.append(chosen)
            self.elected_this_stage.append(chosen)

    # -- surpluses (5.2.2, 5.2.3, 5.3) -----------------------------------------------------

    def deferred(self) -> bool:
        """5.2.2: the surpluses wait if their total does not exceed (a) the difference between
        the two lowest candidates or (b) that between a group of lowest candidates who could
        be excluded together under 5.2.5 and the candidate next above."""
        total = sum(self.surpluses().values())
        low = sorted(self.votes[c] for c in self.continuing())
        if len(low) < 2:
            return False
        if total <= low[1] - low[0]:
            return True
        for k in range(2, len(low)):
            if len(low) - k < self.places_left():
                break  # 5.2.5(a)
            if sum(low[:k]) + total <= low[k]:  # 5.2.5(b), the deferred surpluses included
                return True
        return False

    def transfer_largest_surplus(self) -> None:
        surpluses = self.surpluses()
        largest = max(surpluses.values())
        tied = [c for c, s in surpluses.items() if s == largest]
        if len(tied) == 1:
            source = tied[0]
        else:
            chosen = self.earliest_difference(tied, most=True)  # 5.2.3
            if chosen is None:
                raise NotSettledError("equal surpluses, equal at every point: lot")
            source = chosen
        surplus = largest
        # 5.3.1: a surplus arising at the first stage: all the papers; 5.3.2: later, only the
        # last received batch, which gave rise to it.
        if source in self.elected_at_first_stage:
            examined = [p for batch in self.batches[source] for p in batch]
        else:
            examined = self.batches[source][-1]
        # 5.3.3: sort by next available preference; the rest are non-transferable papers.
        to: dict[int, list[Paper]] = {}
        for paper in examined:
            at = self.next_available(paper)
            if at is not None:
                paper.at = at
                to.setdefault(paper.holder, []).append(paper)
        transferable = [p for papers in to.values() for p in papers]
        # 5.3.7: if the transferable papers' value exceeds the surplus, each passes at
        # surplus ÷ number of transferable papers, to two places, remainder ignored;
        # otherwise at its present value.
        if sum(p.value for p in transferable) > surplus:
            transfer_value = surplus // len(transferable)
            for p in transferable:
                p.value = transfer_value
        credited = 0
        for target in sorted(to):
            papers = to[target]
            for p in papers:
                self.votes[target] += p.value
                credited += p.value
            self.batches[target].append(papers)  # 5.3.12
        # 5.3.9, 5.3.10: the candidate keeps the quota; what is not credited is
        # non-transferable.
        self.votes[source] -= surplus
        self.non_transferable += surplus - credited
        self.transferred_surplus.add(source)
        self.points.append(list(self.votes))
        self.deem_elected()  # 5.3.13
        self.close_stage(excluded=[])

    # -- exclusion (5.2.5, 5.4) ------------------------------------------------------------

    def to_exclude(self) -> list[int]:
        """5.2.5: as many of the lowest candidates together as possible, provided enough remain
        to fill the places and their votes with any deferred surpluses do not exceed the vote
        of the candidate next above; else the single lowest (ties: fewest at the earliest
        point of difference, then lot)."""
        deferred = sum(self.surpluses().values())
        ordered = sorted(self.continuing(), key=lambda c: self.votes[c])
        best = 0
        for k in range(2, len(ordered)):
            if len(ordered) - k < self.places_left():
                break
            group = ordered[:k]
            if sum(self.votes[c] for c in group) + deferred <= self.votes[ordered[k]]:
                best = k
        if best:
            if self.votes[ordered[best - 1]] == self.votes[ordered[best]]:
                raise NotSettledError("the group's highest ties with the candidate next above")
            return ordered[:best]
        fewest = self.votes[ordered[0]]
        tied = [c for c in ordered if self.votes[c] == fewest]
        if len(tied) == 1:
            return tied
        chosen = self.earliest_difference(tied, most=False)
        if chosen is None:
            raise NotSettledError("equal lowest candidates, equal at every point: lot")
        return [chosen]

    def exclude(self, group: list[int]) -> None:
        for c in group:
            self.status[c] = Status.EXCLUDED
        # 5.4.1: all their papers together, in batches by value, highest first (a batch is
        # all the papers of one value, 6.1).
        papers = [p for c in group for batch in self.batches[c] for p in batch]
        for c in group:
            self.batches[c] = []
        for value in sorted({p.value for p in papers}, reverse=True):
            if self.places_left() == 0:
                break  # 5.5.2: places filled: no further transfers
            to: dict[int, list[Paper]] = {}
            for paper in [p for p in papers if p.value == value]:
                self.votes[paper.holder] -= paper.value
                at = self.next_available(paper)  # 5.4.2
                if at is None:
                    self.non_transferable += paper.value
                    continue
                paper.at = at
                self.votes[paper.holder] += paper.value
                to.setdefault(paper.holder, []).append(paper)
            for target in sorted(to):
                self.batches[target].append(to[target])  # 5.4.7
            if not self.elected and self.non_transferable:
                self.quota = self.quota_of(self.total_valid - self.non_transferable)  # 5.4.8
            self.points.append(list(self.votes))
            self.deem_elected()  # 5.4.9; 5.4.10: the elected are no longer continuing
        self.close_stage(excluded=group)

    # -- stages and completion -------------------------------------------------------------

    def close_stage(self, *, excluded: list[int]) -> None:
        assert sum(self.votes) + self.non_transferable == self.total_valid  # 5.3.11, 5.4.15
        self.stages.append(
            Stage(
                votes={name: self.votes[i] for i, name in enumerate(self.names)},
                non_transferable=self.non_transferable,
                quota=self.quota,
                elected=tuple(self.names[c] for c in self.elected_this_stage),
                excluded=tuple(self.names[c] for c in sorted(excluded)),
            )
        )
        self.elected_this_stage = []

    def complete(self, remaining: list[int]) -> None:
        """Deem the remaining continuing candidates elected, added to the last stage."""
        last = self.stages[-1]
        self.elected += remaining
        self.stages[-1] = Stage(
            votes=last.votes,
            non_transferable=last.non_transferable,
            quota=last.quota,
            elected=last.elected + tuple(self.names[c] for c in remaining),
            excluded=last.excluded,
        )

    def run(self) -> None:
        while self.places_left() > 0:
            continuing = self.continuing()
            if len(continuing) <= self.places_left():
                self.complete(continuing)  # 4.3
                return
            if self.surpluses() and not self.deferred():
                self.transfer_largest_surplus()  # 5.2.3
                continue
            group = self.to_exclude()  # 5.2.5
            if len(continuing) - len(group) == self.places_left():
                # 5.5.1: the proposed exclusion would leave only as many continuing
                # candidates as places: they are deemed elected.
                self.complete([c for c in continuing if c not in group])
                return
            self.exclude(group)
        # 5.5.2: all places filled; the remaining candidates are formally excluded.


def count_ers97_reference(
    names: tuple[str, ...], ballots: list[tuple[int, tuple[str, ...]]], seats: int
) -> tuple[tuple[str, ...], list[Stage]]:
    """Count under ERS97: the candidates deemed elected, in order, and every stage.

    Args:
        names: the candidates in ballot-paper order.
        ballots: (number of papers, preferences in order) pairs; each preference names one
            candidate, at most once.
        seats: places to be filled.

    Raises:
        NotSettledError: a tie needs lot, or the rules leave the choice unclear.
    """
    count = _Count(names=names, seats=seats)
    count.first_stage(ballots)
    count.run()
    return tuple(names[c] for c in count.elected), count.stages
