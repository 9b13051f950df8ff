"""What a nomination must be before it is recorded: one check shared by the CLI, API and pages.

A candidate stands either on a count of valid nominations or, without any, on a stated basis
(the incumbent in a challenge): exactly one of the two. Their name is not a second spelling of
a name already recorded (case and spaces aside: "owen  smith" is "Owen Smith"), and is one
every publication format can carry (:func:`~mandate.ballots.names.check_candidate_name`: no
``>``, which separates preferences on a typed paper ballot, no ``=``, and so on).

:func:`nomination_problems` lists every problem with the field it is about, so that a form can
say each beside its field; :meth:`ContestService.nominate` refuses while any remains.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from mandate.ballots.names import check_candidate_name
from mandate.errors import InputError

__all__ = [
    "MAX_NOMINATIONS",
    "NominationField",
    "NominationProblem",
    "name_key",
    "nomination_problems",
]

MAX_NOMINATIONS = 100_000_000
"""The most valid nominations a candidate can be recorded with: more than any nominating body
has members, and within the store's integer column on every database."""


class NominationField(enum.StrEnum):
    """The parts of a nomination a problem can be about."""

    NAME = "name"
    NOMINATIONS = "nominations"
    AUTOMATIC = "automatic"


@dataclass(frozen=True, slots=True, kw_only=True)
class NominationProblem:
    """Why a nomination cannot be recorded as given, and which part of it to correct."""

    field: NominationField
    message: str


def name_key(name: str) -> str:
    """A name as compared for duplicates: case folded, runs of spaces made one.

    >>> name_key("  Owen   SMITH ") == name_key("owen smith")
    True
    """
    return " ".join(name.split()).casefold()


def nomination_problems(
    name: str,
    *,
    nominations: int | None,
    automatic: str | None,
    recorded: Iterable[str],
) -> tuple[NominationProblem, ...]:
    """Every reason the nomination cannot be recorded; empty if it can.

    Args:
        name: the candidate's name as given (surrounding spaces are ignored).
        nominations: valid nominations received, or ``None``.
        automatic: the basis for standing without nominations, or ``None`` (or blank).
        recorded: the names of the candidates already recorded in the contest. The same name
            exactly records the nomination again (a corrected count); another spelling of it
            is refused.

    >>> [p.field.value for p in nomination_problems(
    ...     "owen smith", nominations=3, automatic="incumbent", recorded=["Owen Smith"])]
    ['name', 'nominations']
    """
    problems: list[NominationProblem] = []
    name = name.strip()
    try:
        check_candidate_name(name)  # what every publication format (and paper entry) can carry
    except InputError as refused:
        problems.append(NominationProblem(field=NominationField.NAME, message=str(refused)))
    else:
        twin = next(
            (r for r in recorded if r != name and name_key(r) == name_key(name)),
            None,
        )
        if twin is not None:
            problems.append(
                NominationProblem(
                    field=NominationField.NAME,
                    message=f"{name!r} is already nominated as {twin!r} (names are compared "
                    "without regard to case or spaces): to correct that nomination, give the "
                    "name exactly as recorded",
                )
            )
    basis = (automatic or "").strip()
    if nominations is not None and nominations < 0:
        problems.append(
            NominationProblem(
                field=NominationField.NOMINATIONS,
                message=f"nominations cannot be negative (got {nominations})",
            )
        )
    elif nominations is not None and nominations > MAX_NOMINATIONS:
        problems.append(
            NominationProblem(
                field=NominationField.NOMINATIONS,
                message=f"nominations cannot be more than {MAX_NOMINATIONS:,} (got "
                f"{nominations:,}); check the number typed",
            )
        )
    elif nominations is not None and basis:
        problems.append(
            NominationProblem(
                field=NominationField.NOMINATIONS,
                message="give either the valid nominations received or the basis on which the "
                "candidate stands without nominations, not both",
            )
        )
    elif nominations is None and not basis:
        problems.append(
            NominationProblem(
                field=NominationField.NOMINATIONS,
                message="give the valid nominations received, or the basis on which the "
                "candidate stands without nominations",
            )
        )
    return tuple(problems)
