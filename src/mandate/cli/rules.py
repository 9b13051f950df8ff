"""``mandate rules``: check a rulebook, explain it, and compare readings of disputed clauses.

RULEBOOK is a shipped name (``labour-2016``, ``labour-2021``, ``conservative-1922``,
``society``) or the path of a rulebook TOML file. Each command takes ``--json``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from mandate.errors import RulebookError
from mandate.rules.checks import check_rulebook
from mandate.rules.evaluate import evaluate
from mandate.rules.events import Events, load_events
from mandate.rules.explain import (
    evaluation_to_json,
    explain_rulebook,
    render_sections,
    render_whatif,
    sections_to_json,
    whatif_to_json,
)
from mandate.rules.load import load_rulebook
from mandate.rules.whatif import Mode, whatif

__all__ = ["rules_app"]

rules_app = typer.Typer(
    name="rules",
    help="Check a rulebook, explain it, and compare readings of its disputed clauses.",
    no_args_is_help=True,
)

RulebookArg = Annotated[
    str, typer.Argument(help="A shipped rulebook name (e.g. labour-2016) or a TOML file.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _on(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected a date such as 2016-07-20, got {value!r}") from None


def _params(values: list[str] | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values or []:
        name, sep, value = item.partition("=")
        if not sep or not name or not value:
            raise typer.BadParameter(f"expected NAME=VALUE, got {item!r}")
        params[name.strip()] = value.strip()
    return params


def _events(path: Path | None) -> Events | None:
    return None if path is None else load_events(path)


@rules_app.command("check")
def check(rulebook: RulebookArg, as_json: JsonOpt = False) -> None:
    """Validate a rulebook; list anything worth improving. Exit code 3 if it is not valid."""
    try:
        loaded = load_rulebook(rulebook)
    except RulebookError as error:
        if as_json:
            _echo_json(
                {
                    "rulebook": rulebook,
                    "valid": False,
                    "error": {
                        "message": error.detail,
                        "path": error.path,
                        "line": error.line,
                        "where": error.where,
                    },
                }
            )
        else:
            typer.echo(f"error: {error}", err=True)
        raise typer.Exit(3) from None
    issues = check_rulebook(loaded)
    counts = {
        "params": len(loaded.params),
        "bodies": len(loaded.bodies),
        "thresholds": len(loaded.thresholds),
        "motions": len(loaded.motions),
        "processes": len(loaded.processes),
        "voter_classes": len(loaded.voter_classes),
        "ballots": len(loaded.ballots),
    }
    if as_json:
        _echo_json(
            {
                "rulebook": loaded.id,
                "valid": True,
                "format_version": loaded.format_version,
                "path": loaded.path,
                "counts": counts,
                "issues": [
                    {
                        "severity": i.severity.value,
                        "where": i.where,
                        "message": i.message,
                        "fix": i.fix,
                    }
                    for i in issues
                ],
            }
        )
        return
    summary = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items())
    typer.echo(f"{loaded.id}: valid (format_version {loaded.format_version}): {summary}")
    for issue in issues:
        typer.echo(f"{issue.severity.value}: {issue.where}: {issue.message} — {issue.fix}")


@rules_app.command("explain")
def explain(
    rulebook: RulebookArg,
    on: Annotated[
        str | None, typer.Option("--on", help="Apply the voter tests (and measure bodies) on DATE.")
    ] = None,
    events: Annotated[
        Path | None, typer.Option("--events", help="An events TOML file to evaluate.")
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", help="Read a disputed clause as NAME=VALUE (repeatable)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Every rule with its clause; with --events, every answer with its arithmetic."""
    loaded = load_rulebook(rulebook)
    day = _on(on)
    happened = _events(events)
    readings = _params(param)
    sections = explain_rulebook(loaded, on=day, events=happened, params=readings)
    if as_json:
        _echo_json(
            {
                "rulebook": loaded.id,
                "on": None if day is None else day.isoformat(),
                "params": loaded.resolve_params(readings),
                "sections": sections_to_json(sections),
                "evaluation": None
                if happened is None
                else evaluation_to_json(evaluate(loaded, happened, readings)),
            }
        )
    else:
        typer.echo(render_sections(sections), nl=False)


@rules_app.command("whatif")
def what_if(
    rulebook: RulebookArg,
    events: Annotated[Path, typer.Option("--events", help="An events TOML file to evaluate.")],
    cross: Annotated[
        bool,
        typer.Option(
            "--cross",
            help="Every combination of readings, instead of each disputed clause varied alone.",
        ),
    ] = False,
    vary: Annotated[
        list[str] | None,
        typer.Option("--vary", help="Vary only this disputed clause (repeatable)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The same events under each reading of the disputed clauses, and where outcomes differ."""
    result = whatif(
        load_rulebook(rulebook),
        load_events(events),
        mode=Mode.CROSS if cross else Mode.EACH,
        vary=vary,
    )
    if as_json:
        _echo_json(whatif_to_json(result))
    else:
        typer.echo(render_whatif(result), nl=False)
