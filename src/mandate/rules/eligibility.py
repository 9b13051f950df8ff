"""Who may vote, in which class, and why not: one pass over a roll.

:func:`decide_eligibility` applies each voter class's tests (freeze date or registration
window, months of membership, dues, age) to every :class:`RollEntry`, then gives each person
(``person_key``) one vote: if a person qualifies in several classes, the class listed first in
the rulebook's ``[electorate] precedence`` wins and the other entries are excluded, citing the
electorate clause. The work is one dictionary pass, O(n) in the roll; reasons are built once
a class, not once a voter, so a roll of 700,000 entries takes a second or two.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from mandate.ids import MemberId
from mandate.rules.model import Clause, Explanation, ParamRef, Rulebook, VoterClass

__all__ = [
    "Elector",
    "EligibilityReport",
    "Exclusion",
    "RollEntry",
    "decide_eligibility",
    "months_before",
    "one_vote_rule",
    "voter_class_rules",
    "years_before",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class RollEntry:
    """One line of a roll: a person listed in one voter class.

    Args:
        person_key: identifies the person across classes (the de-duplication key), e.g. a
            normalised email address or a membership number shared across lists.
        member_id: this entry's number on its list.
        voter_class: a voter class id of the rulebook (``member``, ``registered_supporter``).
        joined: when the person joined (or registered, or joined the affiliate).
        in_arrears: whether their dues are unpaid on the date of decision.
        birth_date: where the roll holds it.
    """

    person_key: str
    member_id: MemberId
    voter_class: str
    joined: date
    in_arrears: bool = False
    birth_date: date | None = None
    name: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Elector:
    """A person who may vote, once, in one class; the reason and clause say why."""

    person_key: str
    member_id: MemberId
    voter_class: str
    reason: str
    clause: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Exclusion:
    """A roll entry that gives no vote, with the reason and the clause that says so."""

    entry: RollEntry
    reason: str
    clause: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EligibilityReport:
    """The outcome of :func:`decide_eligibility`: one elector per person, and the rest.

    Args:
        on: the date of decision (the freeze date the contest uses).
        params: the readings of disputed clauses that were applied.
        rules: per voter class, the tests applied, as an explanation.
    """

    on: date
    params: tuple[tuple[str, str], ...]
    eligible: tuple[Elector, ...]
    excluded: tuple[Exclusion, ...]
    rules: tuple[Explanation, ...]

    def counts_by_class(self) -> dict[str, int]:
        """Electors in each voter class."""
        return dict(Counter(elector.voter_class for elector in self.eligible))

    def exclusions_by_reason(self) -> dict[str, int]:
        """How many entries were excluded for each reason."""
        return dict(Counter(exclusion.reason for exclusion in self.excluded))


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February becomes 28 February).

    >>> years_before(date(2016, 2, 29), 16)
    datetime.date(2000, 2, 29)
    >>> years_before(date(2016, 2, 29), 1)
    datetime.date(2015, 2, 28)
    """
    year = day.year - years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier, clipped to the month's end.

    >>> months_before(date(2016, 7, 12), 6)
    datetime.date(2016, 1, 12)
    """
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _long(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


@dataclass(frozen=True, slots=True)
class _Test:
    """One voter class's tests, compiled for the date of decision."""

    rank: int
    joined_by: date
    joined_from: date | None
    dues: bool
    born_by: date | None
    clause: str
    eligible: str
    late: str
    early: str
    arrears: str
    no_birth_date: str
    under_age: str
    explanation: Explanation


def _compile(
    voter_class: VoterClass, rank: int, rulebook: Rulebook, on: date, params: Mapping[str, str]
) -> _Test:
    clauses: list[Clause] = [voter_class.clause]
    tests: list[str] = []
    joined_from = voter_class.joined_on_or_after
    if joined_from is not None:
        tests.append(f"joined on or after {_long(joined_from)}")
    joined_by = on
    late = f"joined after the date of decision ({_long(on)})"
    limit = voter_class.joined_on_or_before
    if isinstance(limit, ParamRef):
        param = rulebook.param(limit.param)
        clauses.append(param.clause)
        reading = params[param.id]
        limit = None if reading == "none" else date.fromisoformat(reading)
        if limit is None:
            tests.append(f"no freeze date (reading {param.id} = none)")
        else:
            tests.append(f"joined on or before {_long(limit)} (reading {param.id} = {reading})")
    elif limit is not None:
        tests.append(f"joined on or before {_long(limit)}")
    if limit is not None and limit < joined_by:
        joined_by = limit
        closed = "window closed" if voter_class.joined_on_or_after else "freeze date"
        late = f"joined after the {closed} ({_long(limit)})"
    months = voter_class.minimum_membership_months
    if months is not None:
        cutoff = months_before(on, months)
        tests.append(
            f"{months} months' membership on {_long(on)}: joined on or before {_long(cutoff)}"
        )
        if cutoff < joined_by:
            joined_by = cutoff
            late = (
                f"fewer than {months} months' membership on {_long(on)} "
                f"(joined after {_long(cutoff)})"
            )
    if voter_class.dues_paid:
        tests.append("not in arrears")
    born_by = None
    if voter_class.minimum_age is not None:
        born_by = years_before(on, voter_class.minimum_age)
        tests.append(
            f"aged at least {voter_class.minimum_age} on {_long(on)}: "
            f"born on or before {_long(born_by)}"
        )
    clause = "; ".join(c.ref for c in clauses)
    title = voter_class.title
    condition = ", ".join(tests) if tests else "listed in the class"
    return _Test(
        rank=rank,
        joined_by=joined_by,
        joined_from=joined_from,
        dues=voter_class.dues_paid,
        born_by=born_by,
        clause=clause,
        eligible=f"{title}: {condition}",
        late=f"{title}: {late}",
        early=f"{title}: joined before the window opened ({_long(joined_from)})"
        if joined_from
        else "",
        arrears=f"{title}: in arrears",
        no_birth_date=f"{title}: no birth date on the roll to show the minimum age",
        under_age=f"{title}: under {voter_class.minimum_age} on {_long(on)}",
        explanation=Explanation(
            value=f"{voter_class.id}: {title}",
            clauses=tuple(clauses),
            arithmetic=tuple(tests) or ("every listed person qualifies",),
            notes=(voter_class.note,) if voter_class.note else (),
        ),
    )


def decide_eligibility(
    rulebook: Rulebook,
    entries: Iterable[RollEntry],
    *,
    on: date,
    params: Mapping[str, str] | None = None,
) -> EligibilityReport:
    """Decide who may vote on ``on``: one :class:`Elector` per person, the rest excluded.

    Each entry is tested against its voter class. A person who qualifies in several classes
    votes once, in the class that comes first in ``[electorate] precedence``; their other
    entries are excluded with the electorate clause. A second entry in the same class is
    excluded as a duplicate. Entries of an unknown class are excluded, not fatal.

    Args:
        rulebook: the rules.
        entries: the roll (iterated once).
        on: the date of decision; ages and months of membership are reckoned on it.
        params: readings of disputed clauses (e.g. ``{"member_freeze_date": "none"}``).

    Raises:
        RulebookError: a param name or reading the rulebook does not have.
    """
    readings = rulebook.resolve_params(params)
    order = {class_id: rank for rank, class_id in enumerate(rulebook.electorate.precedence)}
    tests = {
        vc.id: _compile(vc, order[vc.id], rulebook, on, readings) for vc in rulebook.voter_classes
    }
    return _decide(rulebook, entries, on, readings, tests)


def _decide(
    rulebook: Rulebook,
    entries: Iterable[RollEntry],
    on: date,
    readings: Mapping[str, str],
    tests: Mapping[str, _Test],
) -> EligibilityReport:
    winners: dict[str, RollEntry] = {}
    excluded: list[Exclusion] = []
    exclude = excluded.append
    outranked: list[RollEntry] = []
    for entry in entries:
        test = tests.get(entry.voter_class)
        if test is None:
            exclude(
                Exclusion(
                    entry=entry,
                    reason=f"{entry.voter_class!r} is not a voter class of {rulebook.id}",
                    clause=rulebook.electorate.clause.ref,
                )
            )
            continue
        joined = entry.joined
        if joined > test.joined_by:
            exclude(Exclusion(entry=entry, reason=test.late, clause=test.clause))
            continue
        if test.joined_from is not None and joined < test.joined_from:
            exclude(Exclusion(entry=entry, reason=test.early, clause=test.clause))
            continue
        if test.dues and entry.in_arrears:
            exclude(Exclusion(entry=entry, reason=test.arrears, clause=test.clause))
            continue
        if test.born_by is not None:
            born = entry.birth_date
            if born is None or born > test.born_by:
                reason = test.no_birth_date if born is None else test.under_age
                exclude(Exclusion(entry=entry, reason=reason, clause=test.clause))
                continue
        held = winners.get(entry.person_key)
        if held is None:
            winners[entry.person_key] = entry
        elif test.rank < tests[held.voter_class].rank:
            outranked.append(held)
            winners[entry.person_key] = entry
        else:
            outranked.append(entry)
    one_vote = rulebook.electorate.clause.ref
    titles = {vc.id: vc.title for vc in rulebook.voter_classes}
    reasons: dict[tuple[str, str], str] = {}
    for entry in outranked:
        pair = (winners[entry.person_key].voter_class, entry.voter_class)
        if pair not in reasons:
            kept, lost = titles[pair[0]], titles[pair[1]]
            reasons[pair] = (
                f"listed twice as {lost}: one vote per person"
                if pair[0] == pair[1]
                else f"votes once, as {kept} (one vote per person; {kept} comes before {lost})"
            )
        exclude(Exclusion(entry=entry, reason=reasons[pair], clause=one_vote))
    eligible = tuple(
        Elector(
            person_key=entry.person_key,
            member_id=entry.member_id,
            voter_class=entry.voter_class,
            reason=tests[entry.voter_class].eligible,
            clause=tests[entry.voter_class].clause,
        )
        for entry in winners.values()
    )
    return EligibilityReport(
        on=on,
        params=tuple(sorted(readings.items())),
        eligible=eligible,
        excluded=tuple(excluded),
        rules=_rules(rulebook, tests),
    )


def one_vote_rule(rulebook: Rulebook) -> Explanation:
    """The rule that gives a person listed in several classes one vote, in one class."""
    titles = {vc.id: vc.title for vc in rulebook.voter_classes}
    precedence = " > ".join(titles[c] for c in rulebook.electorate.precedence)
    return Explanation(
        value="one vote per person",
        clauses=(rulebook.electorate.clause,),
        arithmetic=(f"a person listed in several classes votes in the first: {precedence}",),
        notes=(rulebook.electorate.clause.text,) if rulebook.electorate.clause.text else (),
    )


def _rules(rulebook: Rulebook, tests: Mapping[str, _Test]) -> tuple[Explanation, ...]:
    ordered = (tests[c].explanation for c in rulebook.electorate.precedence)
    return (*ordered, one_vote_rule(rulebook))


def voter_class_rules(
    rulebook: Rulebook, *, on: date, params: Mapping[str, str] | None = None
) -> tuple[Explanation, ...]:
    """The tests each voter class applies on ``on``, and the one-vote rule, as explanations."""
    readings = rulebook.resolve_params(params)
    order = {class_id: rank for rank, class_id in enumerate(rulebook.electorate.precedence)}
    tests = {
        vc.id: _compile(vc, order[vc.id], rulebook, on, readings) for vc in rulebook.voter_classes
    }
    return _rules(rulebook, tests)
