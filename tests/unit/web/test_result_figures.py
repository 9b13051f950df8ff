"""How the result page writes figures (issue 10, item 14): whole votes without decimals,
thousands separated, shares of the valid vote, and who was elected below the quota."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from mandate.counting.chart import display_votes, sankey_svg
from mandate.counting.model import CountResult, Round
from mandate.ids import CandidateId
from mandate.web.public import below_quota, declared, round_table, share, show_votes

A, B, C = CandidateId("A"), CandidateId("B"), CandidateId("C")


def test_whole_votes_have_no_decimals_and_every_figure_thousands() -> None:
    assert show_votes(Decimal("172.00000")) == "172"
    assert show_votes(Decimal("12345.00")) == "12,345"
    assert show_votes(Decimal("12345.50")) == "12,345.50"
    assert show_votes(Fraction(5, 2)) == "2.5"
    assert show_votes(1234567) == "1,234,567"
    assert show_votes(0) == "0"


def test_shares_are_exact_to_a_tenth_rounded_half_up() -> None:
    assert share(1, 3) == "33.3%"
    assert share(2, 3) == "66.7%"
    assert share(1, 8) == "12.5%"
    assert share(Decimal("433.34"), 1300) == "33.3%"
    assert share(5, 0) == ""


def stv(final_b: Decimal) -> CountResult:
    quota = Decimal("433.34")
    return CountResult(
        method="stv",
        rules="ers97",
        seats=2,
        candidates=((A, "Ann"), (B, "Bob"), (C, "Cat")),
        elected=(A, B),
        quota=quota,
        valid=1300,
        rounds=(
            Round(
                number=1,
                tally=((A, Decimal("650.00")), (B, Decimal("400.00")), (C, Decimal("250.00"))),
                threshold=quota,
                elected=(A,),
            ),
            Round(
                number=2,
                tally=((A, quota), (B, final_b), (C, Decimal("250.00"))),
                threshold=quota,
                elected=(B,),
            ),
        ),
    )


def test_a_candidate_elected_below_the_quota_gets_a_note() -> None:
    (note,) = below_quota(stv(Decimal("400.00")))
    assert note.startswith("Bob was elected in round 2 with 400 votes, fewer than the quota")
    assert "433.34" in note
    assert below_quota(stv(Decimal("450.00"))) == ()


def test_the_round_table_writes_first_preferences_whole_with_their_share() -> None:
    table = round_table(stv(Decimal("400.00")))
    ann = table.candidates[0]
    assert ann.cells[0] == "650 (elected)"
    assert ann.shares[0] == "50.0%"
    assert table.valid == "1,300"


def test_the_declaration_gives_turnout_time_and_key() -> None:
    seen = declared(
        {
            "declared_at": "2026-03-01T18:02:11Z",
            "ballots": {
                "electorate": 14000,
                "returned": 13000,
                "spoilt": 7,
                "turnout_percent": "92.9",
            },
        }
    )
    assert seen is not None
    assert (seen.electorate, seen.returned, seen.turnout) == ("14,000", "13,000", "92.9%")
    assert seen.declared_words == "1 March 2026, 18:02:11 UTC"
    assert declared({}) is None


def test_the_chart_labels_votes_as_the_tables_do() -> None:
    svg = sankey_svg(stv(Decimal("400.00")))
    assert ">Ann 650 ✓<" in svg
    assert "650.00" not in svg
    assert ">Ann 433.34<" in svg
    assert display_votes(Decimal("12345.00")) == "12,345"
