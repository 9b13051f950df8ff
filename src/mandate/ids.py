"""Typed identifiers, so that a candidate id is never passed where a contest id belongs."""

from __future__ import annotations

import re
from typing import NewType

from mandate.errors import InputError

__all__ = [
    "CONTEST_ID_PATTERN",
    "BodyId",
    "CandidateId",
    "ContestId",
    "MemberId",
    "RulebookId",
    "Tracker",
    "check_contest_id",
]

CandidateId = NewType("CandidateId", str)
"""A candidate as named on the ballot paper (unique within a contest)."""

ContestId = NewType("ContestId", str)
"""A contest, e.g. ``labour-leader-2016``."""

CONTEST_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
"""A contest id: an ASCII letter or digit, then up to 99 letters, digits, ``.``, ``_`` or ``-``.

A contest id names a folder of published files and a URL path segment, so it cannot be ``.``
or ``..``, hold a ``/``, or be longer than the store keeps (100 characters).
"""


def check_contest_id(value: str) -> ContestId:
    """``value`` as a contest id, or an error saying what a contest id may hold.

    >>> check_contest_id("leader-2016")
    'leader-2016'
    >>> check_contest_id("..")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mandate.errors.InputError: contest id must start with a letter or digit ... (got '..')

    Raises:
        InputError: anything else.
    """
    if CONTEST_ID_PATTERN.fullmatch(value) is None:
        shown = value if len(value) <= 60 else value[:60] + "..."
        raise InputError(
            "contest id must start with a letter or digit and hold only ASCII letters, "
            f"digits, '.', '_' and '-', at most 100 characters (got {shown!r})"
        )
    return ContestId(value)


MemberId = NewType("MemberId", str)
"""A person on a roll, as the organisation's membership system numbers them."""

BodyId = NewType("BodyId", str)
"""A body declared by a rulebook, e.g. ``plp``."""

RulebookId = NewType("RulebookId", str)
"""A rulebook, e.g. ``labour-2016``."""

Tracker = NewType("Tracker", str)
"""The random receipt tracker printed for a voter and published with their ballot."""
