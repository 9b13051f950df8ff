"""Validating a voter's choices against a contest, and the stored form of a ranking.

Online and paper ballots go through the same :func:`validate_choices`: a ranked ballot lists
candidates in order of preference, each once; a plurality ballot names one; an approval ballot
names any number, each once. Equal rankings are not offered online or on paper entry.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from mandate.ballots.model import Ranking
from mandate.errors import InvalidBallotError, UnknownCandidateError
from mandate.ids import CandidateId

__all__ = ["MAX_CHOICE_CHARS", "parse_stored_ranking", "stored_ranking", "validate_choices"]

MAX_CHOICE_CHARS = 200
"""Longest candidate name accepted in a ballot (anything longer is refused unread)."""


def validate_choices(
    choices: Sequence[str],
    *,
    standing: Sequence[str],
    method: str,
    where: str = "ballot",
    ballot: int | None = None,
) -> Ranking:
    """Check a voter's choices and return them as a ranking.

    Args:
        choices: candidate ids, first preference first (for approval: the approved ones).
        standing: the ids of the candidates standing, in ballot-paper order.
        method: the counting method (``plurality`` and ``approval`` are unranked).
        where: names the ballot in error messages.
        ballot: the ballot's number in a batch, kept by the error as its ``ballot``.

    Raises:
        InvalidBallotError: empty, oversized, repeated choices, or a ranking the method forbids.
        UnknownCandidateError: a choice that is not a candidate standing.

    >>> validate_choices(["B", "A"], standing=["A", "B"], method="irv")
    (frozenset({'B'}), frozenset({'A'}))
    """
    if isinstance(choices, str):
        raise InvalidBallotError(
            f"{where}: choices must be a list of candidates, not text", ballot=ballot
        )
    if len(choices) == 0:
        raise InvalidBallotError(
            f"{where}: no candidate chosen; a ballot needs at least one", ballot=ballot
        )
    if len(choices) > len(standing):
        raise InvalidBallotError(
            f"{where}: {len(choices)} choices but only {len(standing)} candidates are standing",
            ballot=ballot,
        )
    known = set(standing)
    seen: set[str] = set()
    for position, choice in enumerate(choices, start=1):
        if not isinstance(choice, str) or len(choice) > MAX_CHOICE_CHARS:
            raise InvalidBallotError(
                f"{where}: choice {position} is not a candidate's name", ballot=ballot
            )
        if choice not in known:
            raise UnknownCandidateError(choice, known=tuple(standing), where=where, ballot=ballot)
        if choice in seen:
            raise InvalidBallotError(
                f"{where}: {choice!r} is chosen more than once (again at preference {position})",
                ballot=ballot,
            )
        seen.add(choice)
    if method == "approval":
        return (frozenset(CandidateId(c) for c in choices),)
    if method == "plurality" and len(choices) != 1:
        raise InvalidBallotError(
            f"{where}: this contest takes one choice (got {len(choices)}); rankings are not used",
            ballot=ballot,
        )
    return tuple(frozenset({CandidateId(c)}) for c in choices)


def stored_ranking(ranking: Ranking) -> str:
    """The canonical JSON text of a ranking: a list of ranks, each a sorted list of ids.

    >>> stored_ranking((frozenset({CandidateId("B")}), frozenset({CandidateId("A")})))
    '[["B"],["A"]]'
    """
    return json.dumps([sorted(rank) for rank in ranking], separators=(",", ":"), ensure_ascii=False)


def parse_stored_ranking(text: str) -> Ranking:
    """The ranking stored as :func:`stored_ranking` wrote it."""
    return tuple(frozenset(CandidateId(c) for c in rank) for rank in json.loads(text))
