"""ERS97 against its rules: hand-counted cases, and an independent count on random elections.

``ers97_reference.py`` counts under the 1997 rules paper by paper, written from the rules'
text; here mandate's count must agree with it at every stage: who is deemed elected and
excluded, every candidate's vote, the non-transferable vote and the quota.
"""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st
from tests.unit.counting.ers97_reference import NotSettledError, Stage, count_ers97_reference

from mandate.ballots.formats.blt import read_blt
from mandate.ballots.model import Ballot, Candidate, Profile
from mandate.counting.model import CountResult, InactiveReason
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


def _hundredths(value: int | Fraction | Decimal) -> int:
    scaled = Fraction(value) * 100
    assert scaled.denominator == 1, value
    return int(scaled)


def _stages(result: CountResult, names: tuple[str, ...]) -> list[Stage]:
    """mandate's rounds in the reference's terms (values in hundredths)."""
    stages = []
    for r in result.rounds:
        votes = dict.fromkeys(names, 0)
        votes.update({str(c): _hundredths(v) for c, v in r.tally})
        exhausted = r.inactive_of(InactiveReason.EXHAUSTED)
        assert r.threshold is not None
        stages.append(
            Stage(
                votes=votes,
                non_transferable=_hundredths(exhausted) + _hundredths(r.rounding_loss),
                quota=_hundredths(r.threshold),
                elected=tuple(str(c) for c in r.elected),
                excluded=tuple(str(c) for c in sorted(r.eliminated, key=names.index)),
            )
        )
    return stages


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


def test_equal_candidates_for_the_last_places_are_ordered_by_earlier_points_without_lot() -> None:
    """5.6.2: three continuing candidates with equal votes for two places are taken in
    descending order of their votes at the earliest point where they differed; C and E were
    equal at every point but both fit, so no lot is needed. Three places, 6 valid: quota
    1.50. A (4) is elected; A's surplus 2.50 passes one paper to F at 1.00. Then C, E and F
    have 1 each against a total active vote of 3.00 ÷ 3 = 1.00; at the first stage F had 0."""
    names = ("A", "B", "C", "D", "E", "F")
    rows = _rows((3, "A"), (1, "A F C D E B"), (1, "C D E"), (1, "E A D C"))
    result = count_stv(_profile(names, rows), seats=3, rules=StvRules.ERS97)
    assert result.elected == ("A", "C", "E")
    assert all(t.method == "previous-stage" for r in result.rounds for t in r.tiebreaks)
    assert count_ers97_reference(names, rows, 3)[0] == ("A", "C", "E")


def test_the_reference_count_gives_the_rules_answer_on_both_cases() -> None:
    assert count_ers97_reference(*AWAITING, 2)[0] == ("A", "C")
    assert count_ers97_reference(*GROUP, 2)[0] == ("C", "B")


# -- mandate's count and the reference agree on random elections ----------------------------

NAMES = ("A", "B", "C", "D", "E", "F")


@st.composite
def elections(draw: st.DrawFn) -> tuple[tuple[str, ...], Rows, int]:
    """3–6 candidates, 1–3 places, up to 12 distinct rankings cast 1–30 times each."""
    n = draw(st.integers(min_value=3, max_value=len(NAMES)))
    names = NAMES[:n]

    def prefix(order: list[str]) -> st.SearchStrategy[tuple[str, ...]]:
        return st.integers(min_value=1, max_value=len(order)).map(lambda k: tuple(order[:k]))

    ranking = st.permutations(names).flatmap(prefix)
    rows = draw(
        st.lists(
            st.tuples(st.integers(min_value=1, max_value=30), ranking), min_size=1, max_size=12
        )
    )
    seats = draw(st.integers(min_value=1, max_value=min(3, n - 1)))
    return names, rows, seats


@settings(max_examples=600)
@given(elections())
def test_ers97_agrees_with_the_reference_count_stage_by_stage(
    election: tuple[tuple[str, ...], Rows, int],
) -> None:
    names, rows, seats = election
    try:
        elected, stages = count_ers97_reference(names, rows, seats)
    except NotSettledError:
        reject()
    result = count_stv(_profile(names, rows), seats=seats, rules=StvRules.ERS97, seed="p")
    assert not [t for r in result.rounds for t in r.tiebreaks if t.method.startswith("lot")]
    assert _stages(result, names) == stages
    assert result.elected == elected


GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "counting"
ERS97_GOLDEN = sorted(
    folder.name
    for folder in GOLDEN.glob("stv-*")
    if "ers97" in tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))["rules"]
)


@pytest.mark.parametrize("case", ERS97_GOLDEN)
def test_the_reference_count_reproduces_the_hand_counted_golden_cases(case: str) -> None:
    """The golden ERS97 cases were checked by hand against the rules: the reference must
    reproduce them too, so that the property above compares with a count known to be right."""
    folder = GOLDEN / case
    seats = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))["seats"]
    profile = read_blt(folder / "ballots.blt")
    names = tuple(str(c) for c in profile.candidate_ids)
    rows: Rows = []
    for ballot in profile.ballots:
        assert all(len(rank) == 1 for rank in ballot.ranking)
        rows.append((ballot.count, tuple(str(c) for rank in ballot.ranking for c in rank)))
    elected, stages = count_ers97_reference(names, rows, seats)
    expected = json.loads((folder / "expected-ers97.json").read_text(encoding="utf-8"))
    assert list(elected) == expected["elected"]
    assert len(stages) == len(expected["rounds"])
    for stage, want in zip(stages, expected["rounds"], strict=True):
        shown = {name: stage.votes[name] for name in want["tally"]}
        assert shown == {c: _hundredths(Decimal(v)) for c, v in want["tally"].items()}
        nontransferable = Decimal(want["exhausted"]) + Decimal(want["rounding_loss"])
        assert stage.non_transferable == _hundredths(nontransferable)
        assert stage.quota == _hundredths(Decimal(want["threshold"]))
        assert list(stage.elected) == want["elected"]
        assert sorted(stage.excluded) == sorted(want["eliminated"])
