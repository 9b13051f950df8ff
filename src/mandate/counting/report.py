"""A count's result as JSON (the stable schema of docs/results-format.md) and as text.

>>> from mandate.ids import CandidateId
>>> from mandate.counting.model import CountResult, Round
>>> A = CandidateId("A")
>>> result = CountResult(method="plurality", rules=None, seats=1, candidates=((A, "Ann"),),
...                      elected=(A,), quota=None, rounds=(Round(number=1, tally=((A, 3),)),))
>>> data = result_to_json(result)
>>> data["elected"], data["rounds"][0]["tally"]
(['Ann'], {'Ann': '3'})
>>> result_to_json(result_from_json(data)) == data
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from mandate.counting.model import (
    CountResult,
    InactiveReason,
    Round,
    SectionTally,
    TieBreakRecord,
    Transfer,
    Votes,
    format_votes,
)
from mandate.errors import InputError
from mandate.ids import CandidateId

__all__ = ["SCHEMA_VERSION", "render_text", "result_from_json", "result_to_json"]

SCHEMA_VERSION = 1
"""Version of the JSON schema; a reader refuses a newer one."""

_FORMAT = "mandate-result"

_THRESHOLD_METHODS = frozenset({"irv", "college", "exhaustive"})
"""Methods whose final figure is a majority threshold rather than a quota."""


def result_to_json(result: CountResult) -> dict[str, Any]:
    """The result as JSON-ready data (see docs/results-format.md)."""
    name = result.name_of
    irv_like = result.method in _THRESHOLD_METHODS
    final = format_votes(result.quota) if result.quota is not None else None
    return {
        "format": _FORMAT,
        "version": SCHEMA_VERSION,
        "method": result.method,
        "rules": result.rules,
        "seats": result.seats,
        "candidates": [{"id": str(c), "name": n} for c, n in result.candidates],
        "elected": [name(c) for c in result.elected],
        "quota": None if irv_like else final,
        "threshold": final if irv_like else None,
        "valid": format_votes(result.valid),
        "undervotes": result.undervotes,
        "options": dict(result.options),
        "rounds": [_round_to_json(r, result) for r in result.rounds],
    }


def _weight_text(value: Votes) -> str:
    """A section's weight exactly: a decimal where it has one, else ``n/d``."""
    if isinstance(value, Fraction) and Decimal(format_votes(value)) != value:
        return str(value)
    return format_votes(value)


def _transfers_to_json(transfers: tuple[Transfer, ...], result: CountResult) -> list[Any]:
    name = result.name_of
    return [
        {
            "from": name(t.source) if t.source is not None else None,
            "to": name(t.target) if t.target is not None else None,
            "inactive": t.inactive_reason.value if t.inactive_reason is not None else None,
            "votes": format_votes(t.value),
        }
        for t in transfers
    ]


def _section_to_json(section: SectionTally, result: CountResult) -> dict[str, Any]:
    name = result.name_of
    inactive = {reason.value: "0" for reason in InactiveReason}
    inactive.update({reason.value: format_votes(v) for reason, v in section.inactive})
    return {
        "section": section.section,
        "weight": _weight_text(section.weight),
        "valid": format_votes(section.valid),
        "tally": {name(c): format_votes(v) for c, v in section.tally},
        "weighted": {name(c): format_votes(v) for c, v in section.weighted},
        "inactive": inactive,
        "transfers": _transfers_to_json(section.transfers, result),
    }


def _round_to_json(round_: Round, result: CountResult) -> dict[str, Any]:
    data = _plain_round_to_json(round_, result)
    if round_.sections:
        data["sections"] = [_section_to_json(s, result) for s in round_.sections]
    return data


def _plain_round_to_json(round_: Round, result: CountResult) -> dict[str, Any]:
    name = result.name_of
    inactive = {reason.value: "0" for reason in InactiveReason}
    inactive.update({reason.value: format_votes(v) for reason, v in round_.inactive})
    return {
        "round": round_.number,
        "tally": {name(c): format_votes(v) for c, v in round_.tally},
        "threshold": format_votes(round_.threshold) if round_.threshold is not None else None,
        "inactive": inactive,
        "eliminated": [name(c) for c in round_.eliminated],
        "elected": [name(c) for c in round_.elected],
        "transfers": [
            {
                "from": name(t.source) if t.source is not None else None,
                "to": name(t.target) if t.target is not None else None,
                "inactive": t.inactive_reason.value if t.inactive_reason is not None else None,
                "votes": format_votes(t.value),
            }
            for t in round_.transfers
        ],
        "tiebreaks": [
            {
                "purpose": t.purpose,
                "tied": [name(c) for c in t.tied],
                "chosen": name(t.chosen),
                "method": t.method,
            }
            for t in round_.tiebreaks
        ],
        "rounding_loss": format_votes(round_.rounding_loss),
        "note": round_.note,
    }


def _votes(text: Any, where: str) -> Votes:
    if not isinstance(text, str):
        raise InputError(f"{where}: expected votes as a decimal string (got {text!r})")
    if "/" in text:
        try:
            return Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise InputError(f"{where}: not a fraction ({text!r})") from None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InputError(f"{where}: not a decimal number ({text!r})") from None
    if "." not in text and "e" not in text.lower():
        return int(value)
    return value


def _transfers_from_json(
    items: Any, cid: Callable[[str], CandidateId], where: str
) -> tuple[Transfer, ...]:
    return tuple(
        Transfer(
            source=cid(t["from"]) if t["from"] is not None else None,
            target=cid(t["to"]) if t["to"] is not None else None,
            value=_votes(t["votes"], where),
            inactive_reason=InactiveReason(t["inactive"]) if t["inactive"] is not None else None,
        )
        for t in items
    )


def _section_from_json(
    data: Mapping[str, Any], cid: Callable[[str], CandidateId], where: str
) -> SectionTally:
    at = f"{where}, section {data['section']!r}"
    return SectionTally(
        section=str(data["section"]),
        weight=_votes(data["weight"], at),
        valid=_votes(data["valid"], at),
        tally=tuple((cid(n), _votes(v, at)) for n, v in data["tally"].items()),
        weighted=tuple((cid(n), _votes(v, at)) for n, v in data["weighted"].items()),
        inactive=tuple((InactiveReason(k), _votes(v, at)) for k, v in data["inactive"].items()),
        transfers=_transfers_from_json(data.get("transfers", ()), cid, at),
    )


def result_from_json(data: Mapping[str, Any]) -> CountResult:
    """Read a result written by :func:`result_to_json` (vote values come back as ``int`` or
    ``Decimal``, exactly as written).

    Raises:
        InputError: data that does not follow the schema, or a newer schema version.
    """
    try:
        if data.get("format") != _FORMAT:
            raise InputError(f"not a mandate result (format {data.get('format')!r})")
        if int(data["version"]) > SCHEMA_VERSION:
            raise InputError(
                f"result schema version {data['version']} is newer than this mandate reads "
                f"({SCHEMA_VERSION})"
            )
        by_name = {c["name"]: CandidateId(c["id"]) for c in data["candidates"]}

        def cid(name: str) -> CandidateId:
            if name not in by_name:
                raise InputError(f"the result names {name!r}, not among its candidates")
            return by_name[name]

        final = data.get("threshold") if data["method"] in _THRESHOLD_METHODS else data.get("quota")
        rounds = []
        for r in data["rounds"]:
            where = f"round {r['round']}"
            rounds.append(
                Round(
                    number=int(r["round"]),
                    tally=tuple((cid(n), _votes(v, where)) for n, v in r["tally"].items()),
                    threshold=_votes(r["threshold"], where) if r["threshold"] is not None else None,
                    inactive=tuple(
                        (InactiveReason(k), _votes(v, where)) for k, v in r["inactive"].items()
                    ),
                    elected=tuple(cid(n) for n in r["elected"]),
                    eliminated=tuple(cid(n) for n in r["eliminated"]),
                    transfers=tuple(
                        Transfer(
                            source=cid(t["from"]) if t["from"] is not None else None,
                            target=cid(t["to"]) if t["to"] is not None else None,
                            value=_votes(t["votes"], where),
                            inactive_reason=InactiveReason(t["inactive"])
                            if t["inactive"] is not None
                            else None,
                        )
                        for t in r["transfers"]
                    ),
                    tiebreaks=tuple(
                        TieBreakRecord(
                            purpose=t["purpose"],
                            tied=tuple(cid(n) for n in t["tied"]),
                            chosen=cid(t["chosen"]),
                            method=t["method"],
                        )
                        for t in r.get("tiebreaks", ())
                    ),
                    note=r.get("note", ""),
                    rounding_loss=_votes(r.get("rounding_loss", "0"), where),
                    sections=tuple(
                        _section_from_json(s, cid, where) for s in r.get("sections", ())
                    ),
                )
            )
        return CountResult(
            method=data["method"],
            rules=data.get("rules"),
            seats=int(data["seats"]),
            candidates=tuple((CandidateId(c["id"]), c["name"]) for c in data["candidates"]),
            elected=tuple(cid(n) for n in data["elected"]),
            quota=_votes(final, "quota") if final is not None else None,
            rounds=tuple(rounds),
            undervotes=int(data.get("undervotes", 0)),
            valid=_votes(data.get("valid", "0"), "valid"),
            options=tuple((str(k), str(v)) for k, v in data.get("options", {}).items()),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        if isinstance(error, InputError):
            raise
        raise InputError(f"not a valid mandate result: {error!r}") from None


def _share(votes: Votes, total: Votes) -> str:
    if not total:
        return ""
    return f"{Decimal(format_votes(votes)) * 100 / Decimal(format_votes(total)):.1f}%"


def _points(value: Votes) -> str:
    """A weighted share to 4 places (the JSON holds it exactly)."""
    return f"{Decimal(format_votes(value)):.4f}"


def _transfer_text(transfer: Transfer, name: Callable[[CandidateId], str]) -> str:
    """One transfer in words: ``source → target: votes``."""
    source = name(transfer.source) if transfer.source is not None else "—"
    if transfer.target is not None:
        target = name(transfer.target)
    elif transfer.inactive_reason is not None:
        target = f"inactive ({transfer.inactive_reason.value})"
    else:
        target = "inactive"
    return f"{source} → {target}: {format_votes(transfer.value)}"


def render_text(result: CountResult) -> str:
    """The result in words and tables, round by round, for a terminal or a notice board."""
    name = result.name_of
    title = result.method.upper() + (f" ({result.rules})" if result.rules else "")
    seats = f"{result.seats} seat" + ("s" if result.seats != 1 else "")
    lines = [f"{title} count, {seats}"]
    lines.append(
        f"Valid votes: {format_votes(result.valid)}    Undervotes (blank): {result.undervotes}"
    )
    if result.options:
        lines.append("Rules: " + "; ".join(f"{k} {v}" for k, v in result.options))
    width = max((len(n) for _, n in result.candidates), default=10)
    width = max(width, len("Inactive"))
    for round_ in result.rounds:
        lines.append("")
        header = f"Round {round_.number}"
        if round_.threshold is not None:
            label = "threshold" if result.method in _THRESHOLD_METHODS else "quota"
            header += f"    {label} {format_votes(round_.threshold)}"
        lines.append(header)
        lines += [f"  {_transfer_text(t, name)}" for t in round_.transfers]
        active = sum((v for _, v in round_.tally), start=0)
        ordered = sorted(round_.tally, key=lambda item: item[1], reverse=True)
        for candidate, votes in ordered:
            mark = "  elected" if candidate in round_.elected else ""
            lines.append(
                f"  {name(candidate):<{width}}  {format_votes(votes):>12}  "
                f"{_share(votes, active):>6}{mark}"
            )
        for section in round_.sections:
            lines.append(
                f"  Section {section.section} (weight {_weight_text(section.weight)}, "
                f"valid {format_votes(section.valid)}):"
            )
            weighted = dict(section.weighted)
            for candidate, votes in section.tally:
                part = weighted.get(candidate)
                shown = f"  → {_points(part)}" if part is not None else ""
                lines.append(
                    f"    {name(candidate):<{width}}  {format_votes(votes):>12}  "
                    f"{_share(votes, section.valid):>6}{shown}"
                )
            lines += [f"    {_transfer_text(t, name)}" for t in section.transfers]
        inactive = dict(round_.inactive)
        if any(inactive.values()):
            parts = ", ".join(
                f"{reason.value} {format_votes(inactive.get(reason, 0))}"
                for reason in InactiveReason
                if inactive.get(reason, 0)
            )
            lines.append(f"  {'Inactive':<{width}}  {parts}")
        if round_.eliminated:
            lines.append("  Eliminated: " + ", ".join(name(c) for c in round_.eliminated))
        for record in round_.tiebreaks:
            lines.append(
                f"  Tie to {record.purpose} between {', '.join(name(c) for c in record.tied)}: "
                f"{name(record.chosen)} chosen by {record.method}"
            )
        if round_.note:
            lines.append(f"  ({round_.note})")
    lines.append("")
    elected = ", ".join(name(c) for c in result.elected) or "nobody"
    lines.append(f"Elected: {elected}")
    return "\n".join(lines) + "\n"
