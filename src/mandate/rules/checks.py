"""Checks on a valid rulebook: every issue worth fixing, listed at once.

Loading refuses a rulebook that cannot be used (:mod:`mandate.rules.load`). What remains is
a rulebook that works but that a reader may want to improve: a disputed clause nothing
refers to, a rule without its source, a body no rule uses. :func:`check_rulebook` lists them
all, each with the fix, and never raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from mandate.rules.model import Clause, ParamRef, Rulebook

__all__ = ["Issue", "Severity", "check_rulebook"]


class Severity(Enum):
    """How much an issue matters."""

    WARNING = "warning"
    """Probably a mistake: the rulebook says something it does not use."""
    NOTE = "note"
    """Worth improving: a rule a reader cannot check against its source."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Issue:
    """One problem, where it is, and the action that fixes it."""

    severity: Severity
    where: str
    message: str
    fix: str


def _referenced_params(rulebook: Rulebook) -> set[str]:
    values: list[object] = []
    for threshold in rulebook.thresholds:
        values += [threshold.rounding, threshold.as_of]
    values += [p.incumbent_on_ballot for p in rulebook.processes]
    values += [vc.joined_on_or_before for vc in rulebook.voter_classes]
    return {v.param for v in values if isinstance(v, ParamRef)}


def _referenced_bodies(rulebook: Rulebook) -> set[str]:
    used: set[str] = {str(t.of) for t in rulebook.thresholds if t.of is not None}
    used |= {str(m.body) for m in rulebook.motions}
    used |= {b.voters for b in rulebook.ballots}
    used |= {name for b in rulebook.ballots for name, _ in b.sections}
    for body in rulebook.bodies:
        if body.id in used:
            used |= set(body.parts)
    return used


def check_rulebook(rulebook: Rulebook) -> tuple[Issue, ...]:
    """Every issue in a loaded rulebook, in declared order (empty when there is nothing)."""
    issues: list[Issue] = []
    used_params = _referenced_params(rulebook)
    for param in rulebook.params:
        if param.id not in used_params:
            issues.append(
                Issue(
                    severity=Severity.WARNING,
                    where=f"params.{param.id}",
                    message=f"disputed clause {param.id!r} is declared but no rule refers to it",
                    fix=f'refer to it with {{ param = "{param.id}" }}, or remove it',
                )
            )
    used_bodies = _referenced_bodies(rulebook)
    for body in rulebook.bodies:
        if body.id not in used_bodies:
            issues.append(
                Issue(
                    severity=Severity.NOTE,
                    where=f"bodies.{body.id}",
                    message=f"body {body.id!r} is not used by any threshold, motion or ballot",
                    fix="use it, or keep it as documentation of the party's structure",
                )
            )
    clauses: list[tuple[str, Clause]] = [
        *((f"thresholds.{t.id}", t.clause) for t in rulebook.thresholds),
        *((f"motions.{m.id}", m.clause) for m in rulebook.motions),
        *((f"processes.{p.id}", p.clause) for p in rulebook.processes),
        *((f"voter_classes.{v.id}", v.clause) for v in rulebook.voter_classes),
        *((f"ballots.{b.id}", b.clause) for b in rulebook.ballots),
    ]
    for where, clause in clauses:
        if not clause.text and not clause.source:
            issues.append(
                Issue(
                    severity=Severity.NOTE,
                    where=where,
                    message=f"clause {clause.ref!r} has neither its text nor a source",
                    fix="quote the rule in 'text', or say where it was read in 'source'",
                )
            )
    for process in rulebook.processes:
        if not process.stages:
            issues.append(
                Issue(
                    severity=Severity.NOTE,
                    where=f"processes.{process.id}",
                    message=f"process {process.id!r} has no timetable stages",
                    fix="list its stages in order, so that event dates can be checked",
                )
            )
    if not rulebook.sources:
        issues.append(
            Issue(
                severity=Severity.NOTE,
                where="sources",
                message="the rulebook lists no sources",
                fix="list where its rules were read in 'sources'",
            )
        )
    return tuple(issues)
