"""Ballots prepared for STV: distinct rankings of candidate indices in NumPy arrays.

STV counts preferences one candidate a rank. Preparing a profile for a count: withdrawn
candidates and skipped ranks are passed over, a candidate ranked again is ignored, and a
rank that names two or more candidates (an equal ranking or an overvote) ends the ballot
there, because no single next preference can be read from it. A ballot left with no
preference is not a valid vote for STV (it is reported as an undervote). Identical prepared
rankings are merged, so the count works over distinct rankings with their multiplicities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mandate.ballots.model import UNRECORDED_OVERVOTE, Profile
from mandate.counting.stv.arithmetic import IntArray, exact_counts, fits_int64
from mandate.ids import CandidateId

__all__ = ["BallotTable", "prepare"]


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotTable:
    """Distinct rankings as a padded matrix.

    Args:
        candidates: every candidate in declared order; indices refer to this tuple.
        eligible: indices of the candidates standing (not withdrawn), in declared order.
        prefs: shape ``(groups, width + 1)``: candidate indices by rank, padded with -1
            (the last column is always -1, so a ballot's position never runs off the end).
        counts: the number of ballots with each ranking (``int64``, or Python integers in an
            ``object`` array when their total does not fit ``int64``).
        valid: ballots with at least one preference.
        undervotes: ballots with none.
    """

    candidates: tuple[CandidateId, ...]
    eligible: tuple[int, ...]
    prefs: IntArray
    counts: IntArray
    valid: int
    undervotes: int


_SKIP = -1
_END = -2


def _meaning(
    rank: frozenset[CandidateId], standing: set[CandidateId], index: dict[CandidateId, int]
) -> int:
    marks = [c for c in rank if c in standing or c == UNRECORDED_OVERVOTE]
    if not marks:
        return _SKIP
    if len(marks) > 1 or marks[0] == UNRECORDED_OVERVOTE:
        return _END
    return index[marks[0]]


def prepare(profile: Profile) -> BallotTable:
    """Prepare a profile's ballots for an STV count (see the module docstring)."""
    ids = profile.candidate_ids
    index = {c: i for i, c in enumerate(ids)}
    standing = {c for c in ids if c not in profile.withdrawn}
    merged: dict[tuple[int, ...], int] = {}
    undervotes = 0
    # What each distinct rank means: a candidate index, _SKIP (nobody standing) or _END.
    meaning: dict[frozenset[CandidateId], int] = {}
    for ballot in profile.ballots:
        seen: list[int] = []
        for rank in ballot.ranking:
            action = meaning.get(rank)
            if action is None:
                action = meaning[rank] = _meaning(rank, standing, index)
            if action == _END:
                break
            if action != _SKIP and action not in seen:
                seen.append(action)
        if not seen:
            undervotes += ballot.count
            continue
        key = tuple(seen)
        merged[key] = merged.get(key, 0) + ballot.count
    width = max((len(k) for k in merged), default=0)
    prefs = np.full((len(merged), width + 1), -1, dtype=np.int64)
    for row, key in enumerate(merged):
        prefs[row, : len(key)] = key
    valid = sum(merged.values())  # Python integers: a total past int64 cannot wrap
    counts: IntArray = (
        np.fromiter(merged.values(), dtype=np.int64, count=len(merged))
        if fits_int64(valid)
        else exact_counts(np.array(list(merged.values()), dtype=object))
    )
    return BallotTable(
        candidates=ids,
        eligible=tuple(i for i, c in enumerate(ids) if c in standing),
        prefs=prefs,
        counts=counts,
        valid=valid,
        undervotes=undervotes,
    )
