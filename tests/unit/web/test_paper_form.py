"""The paper-batch form's text becomes ballots, and ballot n is always the typed line n."""

from __future__ import annotations

import doctest

import pytest

import mandate.web.official
from mandate.errors import BallotFormatError, InputError
from mandate.web.official import PaperForm, parse_paper_ballots


def test_each_line_is_a_ballot_with_its_preferences_in_order() -> None:
    text = "Ann > Bob\r\n  Bob >Cy > Ann \r\nCy\r\n"
    assert parse_paper_ballots(text) == [["Ann", "Bob"], ["Bob", "Cy", "Ann"], ["Cy"]]


def test_blank_lines_after_the_last_ballot_are_dropped() -> None:
    assert parse_paper_ballots("Ann\nBob\n\n  \n") == [["Ann"], ["Bob"]]
    assert parse_paper_ballots("") == []


@pytest.mark.parametrize(("text", "line"), [("Ann\n\nBob\n", 2), ("\nAnn\n", 1), (" \t\nAnn", 1)])
def test_a_blank_line_before_a_ballot_is_refused_by_its_line(text: str, line: int) -> None:
    # Skipping it would make "ballot 3" in a later error point at the wrong line.
    with pytest.raises(BallotFormatError, match=f"^ballots, line {line}: this line is blank") as e:
        parse_paper_ballots(text)
    assert e.value.line == line
    assert isinstance(e.value, InputError)


def test_the_docstring_example_runs() -> None:
    finder = doctest.DocTestFinder()
    (test,) = [
        t for t in finder.find(mandate.web.official) if t.name.endswith("parse_paper_ballots")
    ]
    assert doctest.DocTestRunner().run(test).failed == 0
    assert test.examples


def test_the_form_quotes_the_line_at_fault_as_typed() -> None:
    form = PaperForm(ballots="Ann > Bob\r\n  Bob > Tony \r\nCy", line=2)
    assert form.line_typed == "Bob > Tony"
    assert PaperForm(ballots="Ann\n\nBob", line=2).line_typed == ""
    assert PaperForm(ballots="Ann", line=5).line_typed == ""
    assert PaperForm(ballots="Ann").line_typed == ""
