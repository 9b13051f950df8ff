"""ERS97 against its rules: hand-counted cases."""

from __future__ import annotations

from decimal import Decimal

from mandate.ballots.model import Ballot, Candidate, Profile
from mandate.counting.stv import StvRules, count_stv
from mandate.ids import CandidateId

Rows = list[tuple[int, tuple[str, ...]]]


def _profile(names: tuple[str, ...], rows: Rows) -> Profile:
    return Profile(
        candidates=tuple(Candidate(id=CandidateId(n), name=n) for n in names),
        ballots=tuple(
            Ballot(ranking=tuple(frozenset({CandidateId(c)}) for c in ranking), count=count)
            for count, ranking in rows
        ),
    )


def _rows(*spec: tuple[int, str]) -> Rows:
    return [(count, tuple(ranking.split())) for count, ranking in spec]


# -- the two cases of issue 10 ---------------------------------------------------------------

# Two places, 82 valid: quota 27.34. A's surplus 12.66 passes on 40 papers at 0.31, so X has
# 16.20 (10 papers at 1.00, 20 at 0.31) and is excluded. After X's first batch (10 papers,
# non-transferable) X's 20 papers at 0.31 still await transfer: the total active vote is
# B 20 + C 18.20 + 6.20 = 44.40 and the vote needed is 22.20, which B's 20 does not reach
# (5.4.9(b), 6.20). After the second batch C has 24.40 and is deemed elected.
AWAITING = (
    ("A", "B", "C", "X"),
    _rows((20, "A X C"), (20, "A C"), (20, "B"), (12, "C"), (10, "X")),
)

# Two places, 183 valid: quota 61. D 12 and E 10 are excluded together (5.2.5); their 22
# papers of value 1.00 are one batch (5.4.1, 6.1), which elects C with 72. C's surplus 11
# comes from that batch (5.3.2): 12 papers go on to B at 11 ÷ 12 = 0.91, so B has 65.92.
GROUP = (
    ("B", "C", "D", "E", "F"),
    _rows((50, "C"), (12, "D C B"), (10, "E C"), (55, "B"), (56, "F")),
)


def test_votes_awaiting_transfer_count_in_the_total_active_vote() -> None:
    names, rows = AWAITING
    result = count_stv(_profile(names, rows), seats=2, rules=StvRules.ERS97)
    assert result.elected == ("A", "C")
    assert result.rounds[2].elected == ("C",)
    assert dict(result.rounds[2].tally)[CandidateId("C")] == Decimal("24.40")


def test_a_group_exclusion_transfers_one_batch_a_value() -> None:
    names, rows = GROUP
    result = count_stv(_profile(names, rows), seats=2, rules=StvRules.ERS97)
    assert result.elected == ("C", "B")
    assert "last batch of 22 papers: 12 transferable at 0.91" in result.rounds[2].note
    assert dict(result.rounds[2].tally)[CandidateId("B")] == Decimal("65.92")


def test_a_group_exclusion_does_not_depend_on_candidate_numbering() -> None:
    names, rows = GROUP
    renumbered = ("F", "E", "D", "C", "B")
    first = count_stv(_profile(names, rows), seats=2, rules=StvRules.ERS97)
    second = count_stv(_profile(renumbered, rows), seats=2, rules=StvRules.ERS97)
    assert set(first.elected) == set(second.elected) == {"B", "C"}
