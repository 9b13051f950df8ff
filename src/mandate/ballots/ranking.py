"""What a ranked ballot holds: one set of candidates a rank, first preference first.

An empty set is a skipped rank; a set of two or more is an overvote (or an equal ranking, as
the rules read it); :data:`UNRECORDED_OVERVOTE` stands for an overvote whose marks the
export did not record.
"""

from __future__ import annotations

from mandate.ids import CandidateId

__all__ = ["UNRECORDED_OVERVOTE", "Rank", "Ranking"]

Rank = frozenset[CandidateId]
"""The candidates marked at one rank."""

Ranking = tuple[Rank, ...]
"""One set of candidates a rank, first preference first."""

UNRECORDED_OVERVOTE = CandidateId("#overvote")
"""Marks a rank as overvoted when the vendor's export did not record which candidates."""
