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
