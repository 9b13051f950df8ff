"""A Sankey chart of a count: one column a round, bands for the votes that stay and move.

The SVG is self-contained (no scripts, fonts or links to fetch), so it can be published with a
result and opened offline. Each column stacks the continuing candidates (in declared order)
and the inactive ballots; a band joins a candidate to itself for the votes it keeps and to
another candidate, or to inactive, for the votes it transfers. Heights are drawn in floating
point; the numbers printed are the exact vote values.

>>> from mandate.ids import CandidateId
>>> from mandate.counting.model import CountResult, Round, Transfer
>>> A, B, C = (CandidateId(x) for x in "ABC")
>>> result = CountResult(method="irv", rules=None, seats=1,
...     candidates=((A, "A"), (B, "B"), (C, "C")), elected=(A,), quota=4,
...     rounds=(Round(number=1, tally=((A, 3), (B, 2), (C, 1))),
...             Round(number=2, tally=((A, 4), (B, 2)), eliminated=(C,),
...                   transfers=(Transfer(source=C, target=A, value=1),))))
>>> svg = sankey_svg(result)
>>> svg.startswith("<svg") and "C → A: 1" in svg
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from mandate.counting.model import CountResult, Round, Votes, format_votes

__all__ = ["display_votes", "sankey_svg"]

_PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
)
_INACTIVE_COLOUR = "#b0b0b0"
_INACTIVE = "inactive"

_COLUMN = 190.0
_NODE = 14.0
_GAP = 8.0
_HEIGHT = 420.0
_TOP = 40.0
_LEFT = 20.0
_LABEL = 150.0


@dataclass(slots=True)
class _Node:
    key: str
    label: str
    votes: Votes
    x: float
    y: float
    height: float
    out_offset: float = 0.0
    in_offset: float = 0.0


def display_votes(value: Votes) -> str:
    """Votes as people read them: thousands separated, a whole number without decimals
    (``650``, not ``650.00``), any other value with the places the count gave it.

    >>> from decimal import Decimal
    >>> display_votes(Decimal("1650.00")), display_votes(Decimal("433.34")), display_votes(12345)
    ('1,650', '433.34', '12,345')
    """
    if not isinstance(value, int) and value == int(value):
        value = int(value)
    whole, dot, places = format_votes(value).partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}{dot}{places}"


def _column(
    round_: Round,
    result: CountResult,
    x: float,
    scale: float,
) -> dict[str, _Node]:
    nodes: dict[str, _Node] = {}
    y = _TOP
    for candidate, votes in round_.tally:
        height = float(votes) * scale
        nodes[str(candidate)] = _Node(
            key=str(candidate),
            label=result.name_of(candidate),
            votes=votes,
            x=x,
            y=y,
            height=height,
        )
        y += height + _GAP
    inactive: Votes = sum((v for _, v in round_.inactive), start=0)
    if inactive:
        height = float(inactive) * scale
        nodes[_INACTIVE] = _Node(
            key=_INACTIVE,
            label="Inactive",
            votes=inactive,
            x=x,
            y=y,
            height=height,
        )
    return nodes


def _colour(key: str, order: Sequence[str]) -> str:
    if key == _INACTIVE or key not in order:
        return _INACTIVE_COLOUR
    return _PALETTE[order.index(key) % len(_PALETTE)]


def _band(source: _Node, target: _Node, value: float, colour: str, title: str) -> str:
    if value <= 0:
        return ""
    x0 = source.x + _NODE
    x1 = target.x
    y0 = source.y + source.out_offset
    y1 = target.y + target.in_offset
    source.out_offset += value
    target.in_offset += value
    middle = (x0 + x1) / 2
    path = (
        f"M{x0:.2f},{y0:.2f} C{middle:.2f},{y0:.2f} {middle:.2f},{y1:.2f} {x1:.2f},{y1:.2f} "
        f"L{x1:.2f},{y1 + value:.2f} C{middle:.2f},{y1 + value:.2f} {middle:.2f},"
        f"{y0 + value:.2f} {x0:.2f},{y0 + value:.2f} Z"
    )
    return (
        f'<path d="{path}" fill="{colour}" fill-opacity="0.35">'
        f"<title>{escape(title)}</title></path>"
    )


def sankey_svg(result: CountResult) -> str:
    """The count as a Sankey chart in a self-contained SVG document."""
    order = [str(c) for c, _ in result.candidates]
    totals = [
        sum(float(v) for _, v in r.tally) + sum(float(v) for _, v in r.inactive)
        for r in result.rounds
    ]
    count_rounds = len(result.rounds)
    space = _HEIGHT - _GAP * (len(order) + 1)
    scale = space / max(max(totals, default=1.0), 1.0)
    columns = [_column(r, result, _LEFT + i * _COLUMN, scale) for i, r in enumerate(result.rounds)]
    width = _LEFT + (count_rounds - 1) * _COLUMN + _NODE + _LABEL
    height = _TOP + _HEIGHT + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'font-family="sans-serif" font-size="11">',
        f"<title>{escape(_title(result))}</title>",
    ]
    for i in range(1, count_rounds):
        before, after = columns[i - 1], columns[i]
        round_ = result.rounds[i]
        moved: dict[str, float] = {}
        for transfer in round_.transfers:
            if transfer.source is not None:
                key = str(transfer.source)
                moved[key] = moved.get(key, 0.0) + float(transfer.value) * scale
        for key, node in before.items():  # the votes each candidate keeps, drawn first
            kept_node = after.get(key)
            if kept_node is not None:
                kept = min(node.height - moved.get(key, 0.0), kept_node.height)
                parts.append(
                    _band(
                        node, kept_node, kept, _colour(key, order), f"{node.label} keeps its votes"
                    )
                )
        for transfer in round_.transfers:
            if transfer.source is None:
                continue
            source = before.get(str(transfer.source))
            key = str(transfer.target) if transfer.target is not None else _INACTIVE
            target = after.get(key)
            if source is None or target is None:
                continue
            target_name = (
                result.name_of(transfer.target) if transfer.target is not None else "inactive"
            )
            parts.append(
                _band(
                    source,
                    target,
                    float(transfer.value) * scale,
                    _colour(source.key, order),
                    f"{source.label} → {target_name}: {display_votes(transfer.value)}",
                )
            )
    for i, column in enumerate(columns):
        x = _LEFT + i * _COLUMN
        parts.append(
            f'<text x="{x:.2f}" y="{_TOP - 16:.2f}" font-weight="bold">Round {i + 1}</text>'
        )
        for node in column.values():
            elected = any(str(c) == node.key for c in result.rounds[i].elected)
            parts.append(
                f'<rect x="{node.x:.2f}" y="{node.y:.2f}" width="{_NODE:.0f}" '
                f'height="{max(node.height, 0.5):.2f}" fill="{_colour(node.key, order)}"'
                + (' stroke="#000" stroke-width="1.5"' if elected else "")
                + f"><title>{escape(node.label)}: {display_votes(node.votes)}</title></rect>"
            )
            parts.append(
                f'<text x="{node.x + _NODE + 3:.2f}" '
                f'y="{node.y + min(node.height, 20) / 2 + 4:.2f}"'
                f">{escape(node.label)} {escape(display_votes(node.votes))}"
                + (" ✓" if elected else "")
                + "</text>"
            )
    parts.append("</svg>")
    return "\n".join(p for p in parts if p) + "\n"


def _title(result: CountResult) -> str:
    elected = ", ".join(result.name_of(c) for c in result.elected) or "nobody"
    rounds = f"{len(result.rounds)} round{'' if len(result.rounds) == 1 else 's'}"
    return f"{result.method.upper()} count: {rounds}; elected {elected}"
