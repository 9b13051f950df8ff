"""The ballot form's rank selectors become a ranking and a review in words."""

from __future__ import annotations

import pytest

from mandate.errors import InputError
from mandate.ids import CandidateId
from mandate.web.ranking import ranking_from_ranks, ranks_from_form, review

A, B, C = CandidateId("Ann"), CandidateId("Bob"), CandidateId("Cy")


def test_ranks_from_form_skips_unranked_candidates() -> None:
    form = {"rank-1": "2", "rank-2": "", "rank-3": "1", "credential": "x"}
    assert ranks_from_form(form, candidates=3) == {1: 2, 3: 1}


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"rank-4": "1"}, "no candidate 4"),
        ({"rank-0": "1"}, "no candidate 0"),
        ({"rank-x": "1"}, "no candidate x"),
        ({"rank-1": "4"}, "from 1 to 3"),
        ({"rank-1": "0"}, "from 1 to 3"),
        ({"rank-1": "first"}, "from 1 to 3"),
    ],
)
def test_ranks_from_form_refuses_what_the_ballot_cannot_hold(
    form: dict[str, str], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        ranks_from_form(form, candidates=3)


def test_ranking_keeps_skips_and_repeats_as_marked() -> None:
    assert ranking_from_ranks({1: 1, 2: 3}, [A, B, C]) == (
        frozenset({A}),
        frozenset(),
        frozenset({B}),
    )
    assert ranking_from_ranks({1: 1, 2: 1}, [A, B, C]) == (frozenset({A, B}),)
    assert ranking_from_ranks({}, [A, B, C]) == ()


def test_review_says_the_ranking_in_words() -> None:
    said = review({3: 1, 1: 2}, ["Ann", "Bob", "Cy"])
    assert said.lines == ("1st preference: Cy", "2nd preference: Ann")
    assert said.warnings == ()
    assert said.unranked == ("Bob",)


def test_review_warns_on_skipped_rank() -> None:
    said = review({1: 1, 2: 3}, ["Ann", "Bob", "Cy"])
    assert said.lines[1] == "2nd preference: nobody (skipped)"
    assert said.warnings == ("You gave no candidate rank 2, but gave rank 3.",)


def test_review_warns_on_repeated_rank() -> None:
    said = review({1: 1, 2: 1, 3: 2}, ["Ann", "Bob", "Cy"])
    assert said.lines[0] == "1st preference: Ann and Bob (the same rank)"
    assert len(said.warnings) == 1
    assert "rank 1 to more than one candidate (Ann and Bob)" in said.warnings[0]
