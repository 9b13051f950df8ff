"""Properties of thresholds and eligibility that must hold for any input."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mandate.errors import RulebookError
from mandate.ids import BodyId, MemberId
from mandate.rules import RollEntry, decide_eligibility, load_rulebook, parse_rulebook
from mandate.rules.evaluate import threshold_on
from mandate.rules.events import BodySize, Events
from mandate.rules.model import Rounding, apply_rounding

ON = date(2016, 7, 20)


def rulebook_with(share: Fraction, rounding: Rounding) -> str:
    return f"""
format_version = 1
id = "p"
title = "P"
organisation = "P"
[bodies.mps]
title = "MPs"
unit = "MPs"
clause = "R1"
[thresholds.t]
title = "T"
share = "{share.numerator}/{share.denominator}"
of = "mps"
rounding = "{rounding.value}"
clause = "R2"
[voter_classes.member]
title = "Members"
clause = "R3"
[electorate]
precedence = ["member"]
clause = "R4"
[ballots.b]
title = "B"
method = "irv"
seats = 1
tiebreak = "lot"
clause = "R5"
"""


shares = st.fractions(min_value=Fraction(1, 1000), max_value=1, max_denominator=1000)


def sized(size: int) -> Events:
    return Events(body_sizes=(BodySize(body=BodyId("mps"), on=ON, size=size),))


@settings(max_examples=60, deadline=None)
@given(
    share=shares,
    rounding=st.sampled_from(Rounding),
    sizes=st.lists(st.integers(min_value=0, max_value=2000), min_size=2, max_size=6),
)
def test_thresholds_are_monotone_in_body_size(
    share: Fraction, rounding: Rounding, sizes: list[int]
) -> None:
    rulebook = parse_rulebook(rulebook_with(share, rounding), source="p.toml")
    values = [threshold_on(rulebook, sized(n), "t", on=ON).value for n in sorted(sizes)]
    assert values == sorted(values)


@given(exact=st.fractions(min_value=0, max_value=10_000), rounding=st.sampled_from(Rounding))
def test_rounding_stays_within_one_of_the_exact_figure(exact: Fraction, rounding: Rounding) -> None:
    value = apply_rounding(exact, rounding)
    assert abs(value - exact) <= 1
    if rounding is Rounding.MORE_THAN:
        assert value > exact
    elif rounding is Rounding.CEIL:
        assert value >= exact


CLASSES = ("member", "registered_supporter", "affiliated_supporter", "councillor")

entries = st.builds(
    RollEntry,
    person_key=st.sampled_from([f"p{i}" for i in range(12)]),
    member_id=st.integers(min_value=1, max_value=10**6).map(lambda n: MemberId(str(n))),
    voter_class=st.sampled_from(CLASSES),
    joined=st.dates(min_value=date(2015, 1, 1), max_value=date(2016, 9, 1)),
    in_arrears=st.booleans(),
    birth_date=st.none() | st.dates(min_value=date(1930, 1, 1), max_value=date(2010, 1, 1)),
)

LABOUR = load_rulebook("labour-2016")


@settings(max_examples=200, deadline=None)
@given(
    roll=st.lists(entries, max_size=40),
    freeze=st.sampled_from(["2016-01-12", "none"]),
    offset=st.integers(min_value=0, max_value=120),
)
def test_eligibility_never_gives_one_person_two_votes(
    roll: list[RollEntry], freeze: str, offset: int
) -> None:
    report = decide_eligibility(
        LABOUR,
        roll,
        on=date(2016, 7, 1) + timedelta(days=offset),
        params={"member_freeze_date": freeze},
    )
    keys = [elector.person_key for elector in report.eligible]
    assert len(keys) == len(set(keys))
    assert len(report.eligible) + len(report.excluded) == len(roll)
    precedence = LABOUR.electorate.precedence
    for elector in report.eligible:
        others = [x for x in report.excluded if x.entry.person_key == elector.person_key]
        for other in others:
            if "one vote per person" in other.reason and other.entry.voter_class in precedence:
                assert precedence.index(elector.voter_class) <= precedence.index(
                    other.entry.voter_class
                )


SHIPPED_TEXT = (
    Path(__file__).resolve().parents[2] / "src/mandate/rules/shipped/labour-2016.toml"
).read_text(encoding="utf-8")

scalars = st.sampled_from(
    [
        '"x"',
        '""',
        "0",
        "-1",
        "3",
        "true",
        "0.5",
        '"120%"',
        '"1/0"',
        "2016-01-12",
        "[]",
        '["plp_eplp"]',
        '{ param = "rounding" }',
        '{ param = "nope" }',
        "{}",
        '"none"',
    ]
)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_damaged_rulebook_gives_a_rulebook_error_or_loads(data: st.DataObject) -> None:
    lines = SHIPPED_TEXT.splitlines()
    candidates = [i for i, line in enumerate(lines) if " = " in line and not line.startswith("#")]
    index = data.draw(st.sampled_from(candidates))
    key = lines[index].split(" = ", 1)[0]
    if data.draw(st.booleans()):
        lines[index] = f"{key} = {data.draw(scalars)}"
    else:
        del lines[index]
    failure: RulebookError | None = None
    try:
        parse_rulebook("\n".join(lines), source="damaged.toml")
    except RulebookError as error:
        failure = error
    if failure is not None:
        assert failure.path == "damaged.toml"
        assert failure.detail
