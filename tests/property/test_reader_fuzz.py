"""Fuzzing every reader: any file either reads or is refused with one of our errors.

Issue 10, item 30: 230 of 19,828 fuzzed inputs gave a Python traceback (RecursionError on
nested TOML and JSON, ValueError on integers of over 4,300 digits, ``inf`` as a CDF rank, …).
Each reader here gets random bytes and mutations of a valid file (cut short, a huge integer,
deep nesting, odd Unicode, NUL bytes, invalid UTF-8, a piece repeated or removed), and must
either read it or raise a :class:`~mandate.errors.MandateError`, never another exception.
The commands (``mandate count FILE``, ``mandate rules check FILE``) must end with a
documented exit code and, on an error, one line and no traceback.

Example counts are modest so that the suite stays fast; ``MANDATE_FUZZ_EXAMPLES`` raises them
for a longer run (e.g. ``MANDATE_FUZZ_EXAMPLES=5000``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mandate.ballots.formats import read_ballots
from mandate.ballots.formats.cdf import read_cdf_sections, write_cdf
from mandate.ballots.formats.csv import parse_csv
from mandate.ballots.formats.section_files import read_section_files
from mandate.ballots.formats.sectioned_csv import read_sectioned_csv
from mandate.errors import MandateError
from mandate.rules.events import load_events
from mandate.rules.load import load_rulebook

EXAMPLES = int(os.environ.get("MANDATE_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=(HealthCheck.too_slow, HealthCheck.data_too_large),
)

BLT = """4 2
-4
[nick ann bob cy di]
[tie cy bob ann di]
# a comment
(b1) 3 ann bob=cy 0
2 bob - cy 0
1 cy 0
1 0
0
"Ann"
"Bob"
"Cy"
"Di"
"Club committee"
"Source: the returning officer"
First Prefs 3 2 1 0
"""
CSV = (
    'count,rank1,rank2,rank3\n5,Ann,Bob,\n3,"Smith, J",Ann,\n2,Ann=Bob,,Cy\n1,#overvote,Cy,\n1,,,\n'
)
PREFLIB = """# FILE NAME: club.toi
# TITLE: Club committee
# DATA TYPE: toi
# NUMBER ALTERNATIVES: 3
# NUMBER VOTERS: 6
# NUMBER UNIQUE ORDERS: 3
# ALTERNATIVE NAME 1: Ann
# ALTERNATIVE NAME 2: Bob
# ALTERNATIVE NAME 3: Cy
3: 1,2,3
2: 2,{1,3}
1: 3
"""
SECTIONED = "class,count,rank1,rank2\nmembers,3,Ann,Bob\naffiliates,2,Bob,\nmembers,1,Cy,Ann\n"


def _cdf() -> str:
    rows = [row for row in CSV.splitlines(keepends=True) if "#overvote" not in row]
    profile = parse_csv(rows, source="seed.csv")
    styles = ["members", "affiliates"] * (profile.total // 2) + ["members"] * (profile.total % 2)
    report = write_cdf(profile, contest_name="Leader", ballot_styles=styles)
    return json.dumps(report, indent=1)


CDF = _cdf()
RULEBOOK = (resources.files("mandate.rules.shipped") / "society.toml").read_text(encoding="utf-8")

ODD = [
    "9" * 5000,
    "-" + "9" * 4400,
    "1" * 25,
    "2147483648",
    "9223372036854775808",
    "[" * 3000,
    "{" * 3000,
    "a = " + "[" * 3000,
    '{"a":' * 3000,
    "x.y." * 500 + "z = 1",
    "\x00",
    "\ufeff",
    "\u202e",
    "²",
    "٣",
    "\U0001f5f3",
    "\r",
    "\n",
    '"',
    ",",
    "=",
    "#",
    "[tie",
    "]",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    "-1",
    "0",
    " ",
]
NUMBERS = [
    "9" * 5000,
    "9" * 4300,
    "1" * 19,
    "1" * 20,
    "2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "0",
    "-1",
    "1.5",
    "1e999",
    "²",
    "٣",
    "",
]
BAD_BYTES = [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00\x00", b"\xef\xbb\xbf"]


@st.composite
def mutated(draw: st.DrawFn, seed: str) -> bytes:
    """``seed`` (valid) with a few mutations, as bytes."""
    data = seed.encode("utf-8")
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        kind = draw(
            st.sampled_from(["cut", "insert", "bytes", "delete", "repeat", "replace", "number"])
        )
        numbers = [m.span() for m in re.finditer(rb"[0-9]+", data)]
        if kind == "number" and numbers:  # a number (a count, a rank, a seat) made odd
            start, end = draw(st.sampled_from(numbers))
            piece = draw(st.sampled_from(NUMBERS))
            data = data[:start] + piece.encode("utf-8") + data[end:]
        elif kind == "cut":
            data = data[:at]
        elif kind == "insert":
            piece = draw(st.sampled_from(ODD) | st.text(max_size=8))
            data = data[:at] + piece.encode("utf-8", "surrogatepass") + data[at:]
        elif kind == "bytes":
            piece_bytes = draw(st.sampled_from(BAD_BYTES) | st.binary(max_size=4))
            data = data[:at] + piece_bytes + data[at:]
        elif kind == "delete":
            end = draw(st.integers(min_value=at, max_value=min(len(data), at + 40)))
            data = data[:at] + data[end:]
        elif kind == "repeat":
            end = draw(st.integers(min_value=at, max_value=min(len(data), at + 200)))
            data = data[:end] + data[at:end] * draw(st.integers(1, 3)) + data[end:]
        else:
            end = draw(st.integers(min_value=at, max_value=min(len(data), at + 12)))
            piece = draw(st.sampled_from(ODD))
            data = data[:at] + piece.encode("utf-8") + data[end:]
    return data


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats()
    | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def reshaped(draw: st.DrawFn, seed: str) -> bytes:
    """The JSON ``seed`` with one value somewhere replaced by another of any type."""
    document = json.loads(seed)
    node: Any = document
    while True:
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        if not children:
            break
        key, child = draw(st.sampled_from(children))
        if not isinstance(child, (dict, list)) or draw(st.integers(0, 3)) == 0:
            node[key] = draw(JSON_VALUES)
            break
        node = child
    return json.dumps(document).encode("utf-8")


def inputs(seed: str) -> st.SearchStrategy[bytes]:
    """Random bytes, random text, or a mutation of the valid ``seed``."""
    return st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
        mutated(seed),
    )


def reads_or_refuses(read: Callable[[Path], Any], data: bytes, name: str) -> None:
    """``read`` a file holding ``data``: it reads, or raises one of our errors."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        message = "read"
        try:
            read(path)
        except MandateError as error:
            message = str(error)
    assert message.strip(), "an error with no message"


@FUZZ
@given(inputs(BLT))
def test_blt_reads_or_refuses(data: bytes) -> None:
    reads_or_refuses(read_ballots, data, "ballots.blt")


@FUZZ
@given(inputs(CSV))
def test_csv_reads_or_refuses(data: bytes) -> None:
    reads_or_refuses(read_ballots, data, "ballots.csv")


@FUZZ
@given(inputs(CDF) | reshaped(CDF))
def test_cdf_reads_or_refuses(data: bytes) -> None:
    reads_or_refuses(read_ballots, data, "cvr.json")
    reads_or_refuses(read_cdf_sections, data, "cvr.json")


@FUZZ
@given(inputs(PREFLIB))
def test_preflib_reads_or_refuses(data: bytes) -> None:
    reads_or_refuses(read_ballots, data, "ballots.toi")


@FUZZ
@given(inputs(SECTIONED))
def test_sectioned_csv_reads_or_refuses(data: bytes) -> None:
    reads_or_refuses(lambda path: read_sectioned_csv(path, column="class"), data, "ballots.csv")


@FUZZ
@given(
    st.sampled_from([("blt", BLT), ("csv", CSV), ("toi", PREFLIB), ("json", CDF)]).flatmap(
        lambda pair: st.tuples(st.just(pair[0]), inputs(pair[1]))
    )
)
def test_section_files_read_or_refuse(fuzzed: tuple[str, bytes]) -> None:
    suffix, data = fuzzed

    def read(path: Path) -> object:
        other = path.parent / "other.toi"
        other.write_text(PREFLIB, encoding="utf-8")
        return read_section_files([("fuzzed", path), ("other", other)])

    reads_or_refuses(read, data, f"section.{suffix}")


@FUZZ
@given(inputs(RULEBOOK))
def test_rulebook_reads_or_refuses(data: bytes) -> None:
    reads_or_refuses(load_rulebook, data, "rules.toml")


@FUZZ
@given(inputs(RULEBOOK))
def test_events_file_reads_or_refuses(data: bytes) -> None:
    reads_or_refuses(load_events, data, "events.toml")


ROLL = (
    "member_id,voter_class,joined,email,birth_date,in_arrears,name,person_key\n"
    "M1,member,2015-01-01,ann@example.org,1980-02-29,no,Ann,\n"
    'M2,registered_supporter,2016-07-19,,,yes,"Smith, Bob",bob\n'
)


@FUZZ
@given(inputs(ROLL))
def test_roll_reads_or_refuses(data: bytes) -> None:
    from mandate.service.rolls import read_roll

    classes = ("member", "registered_supporter")
    reads_or_refuses(lambda path: list(read_roll(path, voter_classes=classes)), data, "roll.csv")


# -- through the command line -------------------------------------------------------------------

DOCUMENTED_EXITS = {0, 1, 2, 3, 4, 5, 6, 7, 8}
"""0 success, 1 another error, 2 bad usage, 3-8 by kind of error (mandate.cli.app.EXIT_CODES)."""


def run_main(args: list[str]) -> tuple[int, str]:
    """``mandate ARGS`` as the console script runs it (errors translated by ``main``)."""
    from mandate.cli.app import main

    err = io.StringIO()
    out = io.StringIO()
    code = 0
    saved = sys.argv
    sys.argv = ["mandate", *args]
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            main()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    finally:
        sys.argv = saved
    return code, err.getvalue()


def exits_cleanly(args: list[str], data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        code, err = run_main([args[0], *args[1:], str(path)] if args else [str(path)])
    assert code in DOCUMENTED_EXITS, (code, err)
    assert "Traceback" not in err
    if code >= 3:
        assert err.count("\n") == 1, err
        assert err.startswith("error: "), err


@settings(FUZZ, max_examples=max(10, EXAMPLES // 3))
@given(
    st.sampled_from([("blt", BLT), ("csv", CSV), ("toi", PREFLIB), ("json", CDF)]).flatmap(
        lambda pair: st.tuples(st.just(pair[0]), inputs(pair[1]))
    )
)
def test_mandate_count_exits_with_a_documented_code_and_one_line(
    fuzzed: tuple[str, bytes],
) -> None:
    suffix, data = fuzzed
    exits_cleanly(["count"], data, f"ballots.{suffix}")


COUNT_OPTIONS = [
    ["--method", "stv", "--rules", "ers97"],
    ["--method", "stv", "--rules", "scottish"],
    ["--method", "stv", "--rules", "meek"],
    ["--method", "stv", "--rules", "wigm"],
    ["--method", "plurality"],
    ["--method", "approval"],
    ["--method", "exhaustive"],
    ["--tiebreak", "candidate-order", "--json"],
]


@settings(FUZZ, max_examples=max(10, EXAMPLES // 3))
@given(
    st.sampled_from(COUNT_OPTIONS),
    st.sampled_from([("blt", BLT), ("csv", CSV)]).flatmap(
        lambda pair: st.tuples(st.just(pair[0]), mutated(pair[1]))
    ),
)
def test_every_count_method_exits_with_a_documented_code_and_one_line(
    options: list[str], fuzzed: tuple[str, bytes]
) -> None:
    suffix, data = fuzzed
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"ballots.{suffix}"
        path.write_bytes(data)
        code, err = run_main(["count", str(path), *options])
    assert code in DOCUMENTED_EXITS, (code, err)
    assert "Traceback" not in err
    if code >= 3:
        assert err.count("\n") == 1, err


@settings(FUZZ, max_examples=max(10, EXAMPLES // 3))
@given(
    st.sampled_from([[], ["--method", "college", "--weights", "members=1/2,affiliates=1/2"]]),
    mutated(SECTIONED),
)
def test_a_count_by_section_exits_with_a_documented_code_and_one_line(
    options: list[str], data: bytes
) -> None:
    exits_cleanly(["count", *options, "--section-column", "class"], data, "ballots.csv")


@settings(FUZZ, max_examples=max(10, EXAMPLES // 3))
@given(inputs(RULEBOOK))
def test_mandate_rules_check_exits_with_a_documented_code_and_one_line(data: bytes) -> None:
    exits_cleanly(["rules", "check"], data, "rules.toml")


@settings(FUZZ, max_examples=max(10, EXAMPLES // 3))
@given(inputs("Ann\nBob\nCy\n"))
def test_mandate_count_candidates_file_exits_with_a_documented_code_and_one_line(
    data: bytes,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        ballots = Path(folder) / "ballots.csv"
        ballots.write_text(CSV, encoding="utf-8")
        exits_cleanly(["count", str(ballots), "--candidates"], data, "candidates.txt")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.toml", "a = " + "[" * 5000 + "]" * 5000 + "\n"),
        ("deep-tables.toml", "a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n"),
        ("huge.toml", "format_version = " + "9" * 5000 + "\n"),
        ("deep.json", '{"CVR": [' + "[" * 100_000 + "]" * 100_000 + "]}"),
        ("inf.json", CDF.replace('"Rank": 1', '"Rank": Infinity', 1)),
        ("huge.csv", "count,rank1\n" + "9" * 5000 + ",Ann\n"),
        ("huge.blt", "2 1\n" + "9" * 5000 + ' 1 0\n0\n"A"\n"B"\n'),
        ("huge.toi", "# ALTERNATIVE NAME 1: A\n" + "9" * 5000 + ": 1\n"),
    ],
)
def test_the_inputs_that_gave_tracebacks_are_one_line_errors(name: str, text: str) -> None:
    """The kinds the issue names, each through the command that reads it."""
    command = ["rules", "check"] if name.endswith(".toml") else ["count"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        code, err = run_main([*command, str(path)])
    assert code == 3, err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    assert str(path) in err
