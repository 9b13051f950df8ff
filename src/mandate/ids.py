"""Typed identifiers, so that a candidate id is never passed where a contest id belongs."""

from __future__ import annotations

from typing import NewType

__all__ = ["BodyId", "CandidateId", "ContestId", "MemberId", "RulebookId", "Tracker"]

CandidateId = NewType("CandidateId", str)
"""A candidate as named on the ballot paper (unique within a contest)."""

ContestId = NewType("ContestId", str)
"""A contest, e.g. ``labour-leader-2016``."""

MemberId = NewType("MemberId", str)
"""A person on a roll, as the organisation's membership system numbers them."""

BodyId = NewType("BodyId", str)
"""A body declared by a rulebook, e.g. ``plp``."""

RulebookId = NewType("RulebookId", str)
"""A rulebook, e.g. ``labour-2016``."""

Tracker = NewType("Tracker", str)
"""The random receipt tracker printed for a voter and published with their ballot."""
