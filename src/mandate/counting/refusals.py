"""Counts that cannot decide anything, refused before they start.

Two refusals every method shares (issue 10, item 4), so that no count elects fewer people than
it says it fills, or elects someone with no vote by lot:

- **More seats than candidates standing.** No method's rules fill a seat nobody stands for:
  an ERS97 count deems the continuing candidates elected only when "the number of continuing
  candidates is equal to the number of places remaining to be filled" (5.5.1), Scottish STV
  likewise (rule 52), and plurality and approval elect the ``seats`` with most votes. With
  fewer candidates than seats, the candidates are returned unopposed and the seats left
  over stay vacant; that is the returning officer's declaration, not a count. As many
  candidates as seats is counted (every method elects them all).
- **No valid vote.** When no ballot counts for a candidate standing (every ballot blank,
  spoilt, or marking only withdrawn or excluded candidates), every candidate has 0 votes and
  a count would draw a lot among all of them. Nothing is counted.

>>> check_seats(3, 2)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
mandate.errors.CountingError: 3 seats but only 2 candidates standing: ...
"""

from __future__ import annotations

from mandate.counting.model import Votes
from mandate.errors import CountingError, NoValidVoteError

__all__ = ["check_seats", "check_valid"]


def check_seats(seats: int, standing: int) -> None:
    """Refuse a count of more seats than candidates standing.

    Raises:
        CountingError: ``seats`` exceeds ``standing``.
    """
    if seats > standing:
        raise CountingError(
            f"{seats} seats but only {standing} candidate{'' if standing == 1 else 's'} "
            "standing: a count cannot fill more seats than there are candidates (the "
            f"candidates are returned unopposed; count with at most {standing} "
            f"seat{'' if standing == 1 else 's'})"
        )


def check_valid(valid: Votes, ballots: int) -> None:
    """Refuse a count in which no ballot counts for a candidate standing.

    Args:
        valid: the vote counting for candidates in the first round.
        ballots: every ballot given to the count (blank and spoilt ones included).

    Raises:
        NoValidVoteError: ``valid`` is 0.
    """
    if not valid:
        raise NoValidVoteError(
            f"no valid vote: none of the {ballots:,} ballots counts for a candidate standing, "
            "so every candidate has 0 votes and nothing can be decided (no lot is drawn "
            "among candidates with no votes)",
            ballots=ballots,
        )
