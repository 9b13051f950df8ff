"""Reports (JSON schema and text), the Sankey chart, and the registry."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from tests.unit.counting.helpers import ballots

from mandate.counting.chart import sankey_svg
from mandate.counting.irv import IrvOptions, Overvote, count_irv
from mandate.counting.model import CountResult, InactiveReason, Round, Transfer
from mandate.counting.registry import CountSpec, Method, StvRules, count
from mandate.counting.report import render_text, result_from_json, result_to_json
from mandate.errors import InputError
from mandate.ids import CandidateId

PROFILE = ballots("5,A,,", "4,B,,", "2,C,A=B,B", "1,D,C=D,B", "2,,,")


def irv_result() -> CountResult:
    return count_irv(PROFILE, IrvOptions(overvote=Overvote.EXHAUST))


def test_json_holds_the_documented_fields() -> None:
    data = result_to_json(irv_result())
    assert data["format"] == "mandate-result"
    assert data["version"] == 1
    assert data["elected"] == ["A"]
    assert (data["threshold"], data["quota"]) == ("5", None)
    assert data["undervotes"] == 2
    first, second = data["rounds"][0], data["rounds"][1]
    assert first["tally"] == {"A": "5", "B": "4", "C": "2", "D": "1"}
    assert first["inactive"] == {
        "exhausted": "0",
        "overvote": "0",
        "skipped": "0",
        "duplicate": "0",
    }
    assert second["eliminated"] == ["D"]
    assert second["transfers"] == [{"from": "D", "to": None, "inactive": "overvote", "votes": "1"}]
    json.dumps(data)  # JSON-ready


def test_json_round_trips() -> None:
    data = result_to_json(irv_result())
    assert result_to_json(result_from_json(data)) == data


def test_exact_fractions_and_decimals_are_written_as_decimal_strings() -> None:
    a, b = CandidateId("A"), CandidateId("B")
    result = CountResult(
        method="stv",
        rules="meek",
        seats=1,
        candidates=((a, "A"), (b, "B")),
        elected=(a,),
        quota=Decimal("3.50000"),
        rounds=(
            Round(
                number=1,
                tally=((a, Fraction(7, 2)), (b, Decimal("1.25000"))),
                inactive=((InactiveReason.EXHAUSTED, Fraction(1, 3)),),
            ),
        ),
    )
    data = result_to_json(result)
    assert data["quota"] == "3.50000"
    assert data["rounds"][0]["tally"] == {"A": "3.5", "B": "1.25000"}
    assert data["rounds"][0]["inactive"]["exhausted"] == "0.333333333"
    again = result_from_json(data)
    assert again.quota == Decimal("3.50000")
    assert result_to_json(again) == data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "other"}, "not a mandate result"),
        ({"version": 99}, "newer than this mandate reads"),
        ({"elected": ["Z"]}, "names 'Z'"),
        ({"rounds": [{"round": 1}]}, "not a valid mandate result"),
    ],
)
def test_reading_bad_json_is_refused(change: dict[str, Any], message: str) -> None:
    data = {**result_to_json(irv_result()), **change}
    with pytest.raises(InputError, match=message):
        result_from_json(data)


def test_text_shows_every_round_and_the_winner() -> None:
    text = render_text(irv_result())
    assert "Round 3    threshold 5" in text
    assert "D → inactive (overvote): 1" in text
    assert "Undervotes (blank): 2" in text
    assert text.rstrip().endswith("Elected: A")


def test_chart_is_a_self_contained_svg_with_every_round() -> None:
    svg = sankey_svg(irv_result())
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert [label for label in labels if label and label.startswith("Round")] == [
        "Round 1",
        "Round 2",
        "Round 3",
    ]
    assert "C → inactive: 2" in svg


def test_chart_handles_fractional_values() -> None:
    a, b = CandidateId("A"), CandidateId("B")
    result = CountResult(
        method="stv",
        rules="wigm",
        seats=1,
        candidates=((a, "A"), (b, "B")),
        elected=(a,),
        quota=Decimal("2.0001"),
        rounds=(
            Round(number=1, tally=((a, Decimal("3.0000")), (b, Decimal("1.0000")))),
            Round(
                number=2,
                tally=((a, Decimal("2.0001")), (b, Decimal("1.9999"))),
                transfers=(Transfer(source=a, target=b, value=Decimal("0.9999")),),
            ),
        ),
    )
    assert "A → B: 0.9999" in sankey_svg(result)


def test_registry_dispatches_each_method() -> None:
    profile = ballots("3,A,B", "2,B,A", "1,C,B", candidates="ABC")
    assert count(profile, CountSpec(method=Method.IRV)).method == "irv"
    assert count(profile, CountSpec(method=Method.PLURALITY)).elected == ("A",)
    assert count(profile, CountSpec(method=Method.APPROVAL, seats=2)).elected == ("B", "A")


def test_registry_dispatches_stv_with_its_rules() -> None:
    profile = ballots("4,A,B", "2,C,", "3,B,", candidates="ABC")
    result = count(profile, CountSpec(method=Method.STV, seats=2, stv_rules=StvRules.SCOTTISH))
    assert (result.method, result.rules) == ("stv", "scottish")
    assert set(result.elected) == {"A", "B"}


def test_registry_refuses_specs_that_do_not_fit() -> None:
    with pytest.raises(InputError, match="IRV fills one seat"):
        CountSpec(method=Method.IRV, seats=2)
    with pytest.raises(InputError, match="STV needs its rules"):
        CountSpec(method=Method.STV, seats=2)
    with pytest.raises(InputError, match="STV rules apply to an STV count"):
        CountSpec(method=Method.IRV, stv_rules=StvRules.MEEK)
    with pytest.raises(InputError, match="section weights apply to a college count"):
        CountSpec(method=Method.IRV, weights=(("members", Fraction(1)),))
    with pytest.raises(InputError, match="college count needs the ballots by section"):
        count(
            ballots("1,A", candidates="A"),
            CountSpec(method=Method.COLLEGE, weights=(("members", Fraction(1)),)),
        )
