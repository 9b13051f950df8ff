"""A bad rulebook gives one clear error naming the file, the line and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from mandate.errors import NotFoundError, RulebookError
from mandate.rules import load_rulebook, shipped_rulebooks

VALID = """\
format_version = 1
id = "test"
title = "Test rules"
organisation = "Test"

[bodies.plp]
title = "MPs"
unit = "MPs"
clause = "Rule 1"

[bodies.eplp]
title = "MEPs"
unit = "MEPs"
clause = "Rule 1"

[bodies.both]
title = "MPs and MEPs"
unit = "MPs and MEPs"
parts = ["plp", "eplp"]
clause = "Rule 1"

[thresholds.challenge]
title = "Challenge"
share = "20%"
of = "both"
rounding = "ceil"
clause = "Rule 2"

[voter_classes.member]
title = "Members"
clause = "Rule 3"

[electorate]
precedence = ["member"]
clause = "Rule 4"

[ballots.leader]
title = "Leader"
method = "irv"
seats = 1
tiebreak = "lot"
clause = "Rule 5"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, fragment: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def error_for(tmp_path: Path, text: str) -> RulebookError:
    path = write(tmp_path, text)
    with pytest.raises(RulebookError) as caught:
        load_rulebook(path)
    assert caught.value.path == str(path)
    return caught.value


def test_the_base_rulebook_is_valid(tmp_path: Path) -> None:
    assert load_rulebook(write(tmp_path, VALID)).id == "test"


def test_bad_rulebook_unknown_key(tmp_path: Path) -> None:
    text = VALID.replace('unit = "MEPs"\n', 'unit = "MEPs"\ncolour = "red"\n')
    error = error_for(tmp_path, text)
    assert error.line == line_of(text, "colour")
    assert error.where == "key bodies.eplp.colour"
    assert "unknown key 'colour'" in error.detail
    assert str(error).startswith(f"{error.path}, line {error.line}, key bodies.eplp.colour: ")


def test_bad_rulebook_threshold_over_100_percent(tmp_path: Path) -> None:
    text = VALID.replace('share = "20%"', 'share = "120%"')
    error = error_for(tmp_path, text)
    assert error.line == line_of(text, "120%")
    assert error.where == "key thresholds.challenge.share"
    assert error.detail == "a share cannot be over 100%, got 120%"


def test_bad_rulebook_cycle_of_references(tmp_path: Path) -> None:
    text = VALID.replace('unit = "MPs"\n', 'unit = "MPs"\nparts = ["both"]\n', 1)
    error = error_for(tmp_path, text)
    assert error.where == "key bodies.plp.parts"
    assert error.line == line_of(text, 'parts = ["both"]')
    assert error.detail == "a cycle of body references: plp → both → plp"


def test_bad_rulebook_cycle_of_threshold_gates(tmp_path: Path) -> None:
    text = VALID + (
        '\n[thresholds.a]\ntitle = "A"\nall_of = ["b"]\nclause = "R"\n'
        '\n[thresholds.b]\ntitle = "B"\nany_of = ["challenge", "a"]\nclause = "R"\n'
    )
    error = error_for(tmp_path, text)
    assert error.where == "key thresholds.a.all_of"
    assert error.detail == "a cycle of threshold references: a → b → a"


def test_bad_rulebook_missing_body(tmp_path: Path) -> None:
    text = VALID.replace('of = "both"', 'of = "clps"')
    error = error_for(tmp_path, text)
    assert error.line == line_of(text, 'of = "clps"')
    assert error.where == "key thresholds.challenge.of"
    assert error.detail == "body 'clps' is not declared (bodies: plp, eplp, both)"


def test_bad_rulebook_part_that_is_not_a_body(tmp_path: Path) -> None:
    text = VALID.replace('parts = ["plp", "eplp"]', 'parts = ["plp", "lords"]')
    error = error_for(tmp_path, text)
    assert error.where == "key bodies.both.parts"
    assert "body 'lords' is not declared" in error.detail


def test_newer_format_version_is_refused(tmp_path: Path) -> None:
    error = error_for(tmp_path, VALID.replace("format_version = 1", "format_version = 2"))
    assert error.line == 1
    assert "format_version 2 is newer than this version of mandate reads (up to 1)" in error.detail


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    text = VALID.replace("seats = 1", "seats = = 1")
    error = error_for(tmp_path, text)
    assert error.line == line_of(text, "seats = = 1")
    assert error.detail.startswith("not valid TOML")


def test_a_float_share_is_refused_for_exactness(tmp_path: Path) -> None:
    error = error_for(tmp_path, VALID.replace('share = "20%"', "share = 0.2"))
    assert error.where == "key thresholds.challenge.share"
    assert "written as a string" in error.detail


def test_a_param_reference_to_an_undeclared_param(tmp_path: Path) -> None:
    error = error_for(tmp_path, VALID.replace('rounding = "ceil"', 'rounding = { param = "r" }'))
    assert error.where == "key thresholds.challenge.rounding"
    assert "param 'r', which is not declared" in error.detail


def test_a_misspelt_method_lists_the_methods(tmp_path: Path) -> None:
    error = error_for(tmp_path, VALID.replace('method = "irv"', 'method = "av"'))
    assert error.where == "key ballots.leader.method"
    assert "'irv', 'stv', 'plurality'" in error.detail


def test_stv_needs_its_rules(tmp_path: Path) -> None:
    error = error_for(tmp_path, VALID.replace('method = "irv"', 'method = "stv"'))
    assert "missing key 'stv_rules'" in error.detail
    assert error.where == "key ballots.leader"


def test_college_weights_must_add_up_to_one(tmp_path: Path) -> None:
    text = VALID.replace(
        'method = "irv"', 'method = "college"\nsections = { member = "1/3", plp = "1/3" }'
    )
    error = error_for(tmp_path, text)
    assert error.detail == "section weights must add up to 1, they add up to 2/3"


def test_precedence_must_list_every_voter_class(tmp_path: Path) -> None:
    text = VALID.replace(
        "[electorate]", '[voter_classes.supporter]\ntitle = "S"\nclause = "R"\n\n[electorate]'
    )
    error = error_for(tmp_path, text)
    assert error.where == "key electorate.precedence"
    assert "missing: supporter" in error.detail


def test_every_shipped_rulebook_loads() -> None:
    assert shipped_rulebooks() == ("conservative-1922", "labour-2016", "labour-2021", "society")
    for name in shipped_rulebooks():
        assert load_rulebook(name).id == name


def test_unknown_rulebook_name_lists_the_shipped_ones() -> None:
    with pytest.raises(NotFoundError, match="labour-2016"):
        load_rulebook("labour-1906")


def test_only_a_previous_round_tiebreak_has_a_direction(tmp_path: Path) -> None:
    error = error_for(
        tmp_path, VALID.replace('tiebreak = "lot"', 'tiebreak = "lot"\ntiebreak_forwards = true')
    )
    assert error.where == "key ballots.leader.tiebreak_forwards"
    forwards = VALID.replace(
        'tiebreak = "lot"', 'tiebreak = "previous-round"\ntiebreak_forwards = true'
    )
    assert load_rulebook(write(tmp_path, forwards)).ballot.tiebreak_forwards


POINTS = VALID.replace('method = "irv"', 'method = "college"\ndistrict_points = 100')
"""The base rulebook with a college by points per district."""

POINTS_RULEBOOK = (
    Path(__file__).resolve().parents[2] / "support" / "rulebooks" / "points-per-district.toml"
)


def test_points_per_district_loads_with_its_minimum(tmp_path: Path) -> None:
    text = POINTS.replace(
        "district_points = 100", "district_points = 100\nfull_points_minimum = 50"
    )
    ballot = load_rulebook(write(tmp_path, text)).ballot
    assert (ballot.district_points, ballot.full_points_minimum) == (100, 50)
    assert ballot.sections == ()


def test_points_per_district_without_a_minimum(tmp_path: Path) -> None:
    ballot = load_rulebook(write(tmp_path, POINTS)).ballot
    assert (ballot.district_points, ballot.full_points_minimum) == (100, None)


def test_the_test_rulebook_after_the_cpc_declares_100_points_a_riding() -> None:
    ballot = load_rulebook(POINTS_RULEBOOK).ballot
    assert ballot.method.value == "college"
    assert (ballot.district_points, ballot.full_points_minimum) == (100, 100)


def test_sections_and_district_points_together_are_refused(tmp_path: Path) -> None:
    text = POINTS.replace(
        "district_points = 100", 'district_points = 100\nsections = { member = "1" }'
    )
    error = error_for(tmp_path, text)
    assert error.where == "key ballots.leader.district_points"
    assert error.line == line_of(text, "district_points = 100")
    assert "either [sections] weights or district_points" in error.detail


@pytest.mark.parametrize("points", ["0", "-5"])
def test_district_points_must_be_positive(tmp_path: Path, points: str) -> None:
    text = POINTS.replace("district_points = 100", f"district_points = {points}")
    error = error_for(tmp_path, text)
    assert error.where == "key ballots.leader.district_points"
    assert error.line == line_of(text, f"district_points = {points}")
    assert error.detail == f"a district must be worth at least 1 point, got {points}"
    assert str(error).startswith(f"{error.path}, line {error.line}, key ballots.leader.")


@pytest.mark.parametrize("points", ['"100"', "100.0", "true"])
def test_district_points_must_be_a_whole_number(tmp_path: Path, points: str) -> None:
    error = error_for(
        tmp_path, POINTS.replace("district_points = 100", f"district_points = {points}")
    )
    assert error.where == "key ballots.leader.district_points"
    assert "expected a whole number of points" in error.detail


def test_full_points_minimum_must_be_positive(tmp_path: Path) -> None:
    text = POINTS.replace("district_points = 100", "district_points = 100\nfull_points_minimum = 0")
    error = error_for(tmp_path, text)
    assert error.where == "key ballots.leader.full_points_minimum"
    assert error.detail == "the full-points minimum must be at least 1 ballot, got 0"


def test_full_points_minimum_needs_district_points(tmp_path: Path) -> None:
    text = VALID.replace(
        'method = "irv"',
        'method = "college"\nsections = { member = "1" }\nfull_points_minimum = 100',
    )
    error = error_for(tmp_path, text)
    assert error.where == "key ballots.leader.full_points_minimum"
    assert "belongs to points per district" in error.detail


def test_district_points_only_on_a_college_ballot(tmp_path: Path) -> None:
    error = error_for(
        tmp_path, VALID.replace('method = "irv"', 'method = "irv"\ndistrict_points = 100')
    )
    assert error.where == "key ballots.leader.district_points"
    assert error.detail == "only a college ballot has district_points (method is irv)"


def test_a_college_needs_weights_or_district_points(tmp_path: Path) -> None:
    error = error_for(tmp_path, VALID.replace('method = "irv"', 'method = "college"'))
    assert error.where == "key ballots.leader"
    assert "a [sections] table of weights, or district_points" in error.detail


@pytest.mark.parametrize("share", ["1e2000000", "2e-3", "0x10", "½", "1" * 40 + "%"])
def test_a_share_in_another_form_is_refused_before_any_number_is_built(
    tmp_path: Path, share: str
) -> None:
    """Issue 10, item 30: Fraction() took "1e100000000" and spent minutes and gigabytes on
    it (a rulebook can come from a web upload). Only the written forms are read now; the
    test measures that no large number is built."""
    import tracemalloc

    text = VALID.replace('share = "20%"', f'share = "{share}"')
    tracemalloc.start()
    try:
        error = error_for(tmp_path, text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "expected a share such as" in str(error)
    assert error.line == line_of(text, "share =")
    assert peak < 1 << 20
