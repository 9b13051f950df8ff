"""``mandate count FILE``: count a ballot file and print the result round by round.

A thin shell around :func:`mandate.ballots.formats.read_ballots` and
:func:`mandate.counting.registry.count`: it reads the options, shows a progress bar while a
large file is read, and writes the text or JSON result and the Sankey chart.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from mandate.ballots.formats import BallotFormat, detect_format, read_ballots
from mandate.ballots.formats.cdf import read_cdf_sections
from mandate.ballots.formats.section_files import read_section_files
from mandate.ballots.formats.sectioned_csv import read_sectioned_csv
from mandate.ballots.model import Profile
from mandate.ballots.sections import SectionedProfile
from mandate.counting.chart import sankey_svg
from mandate.counting.college import parse_weights
from mandate.counting.exhaustive import ExhaustiveOptions, count_exhaustive
from mandate.counting.irv import Duplicates, IrvOptions, Overvote
from mandate.counting.model import CountResult
from mandate.counting.registry import CountSpec, Method, count
from mandate.counting.report import render_text, result_to_json
from mandate.counting.sectioned import SectionedResult, count_sections
from mandate.counting.stv import StvRules
from mandate.counting.tiebreak import TieBreak
from mandate.errors import InputError, UnresolvedTieError

CDF_SECTION_FIELD = "BallotStyleId"
"""The field of a CDF cast-vote record that ``--section-column`` names for a CDF report (the
published records of a college contest carry each ballot's voter class there)."""

__all__ = ["count_command"]

LARGE_FILE = 8 * 1024 * 1024
"""Files larger than this (in bytes) get a progress bar while they are read."""


def _limit(value: str, flag: str) -> int | None:
    if value.strip().lower() == "unlimited":
        return None
    if not value.strip().isdigit():
        raise typer.BadParameter(
            f"expected a whole number or 'unlimited' (got {value!r})", param_hint=flag
        )
    return int(value)


def _read_candidates(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputError(f"{path}: cannot read the candidates file ({error.strerror})") from None
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}: the candidates file is not UTF-8 text ({error.reason})"
        ) from None
    names = [line.strip() for line in text.splitlines() if line.strip()]
    if not names:
        raise InputError(f"{path}: the candidates file names nobody")
    return names


def _load(path: Path, fmt: BallotFormat, candidates: list[str] | None) -> Profile:
    size = path.stat().st_size if path.is_file() else 0
    if size < LARGE_FILE:
        return read_ballots(path, format=fmt, candidates=candidates)
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("reading {task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(path.name, total=size)
        profile = read_ballots(
            path,
            format=fmt,
            candidates=candidates,
            progress=lambda done: bar.update(task, completed=min(done, size)),
        )
        bar.update(task, completed=size)
    return profile


def _interactive() -> bool:
    """Whether an officer is at a terminal to answer a question."""
    return sys.stdin.isatty()


def _count_with_lot(profile: Profile, spec: CountSpec) -> CountResult:
    """Count; when a tie needs the lot (``lot``, or ``previous-round`` with no earlier round
    to decide and no seed) and none was given, ask the officer for the order drawn."""
    try:
        return count(profile, spec)
    except UnresolvedTieError as error:
        by_lot = spec.irv.tiebreak in (TieBreak.LOT, TieBreak.PREVIOUS_ROUND)
        if not by_lot or spec.irv.lot or not _interactive():
            raise
        names = ", ".join(profile.name_of(c) for c in profile.candidate_ids)
        typer.echo(
            f"Round {error.round_number}: a tie to {error.purpose} between "
            f"{', '.join(error.candidates)} must be settled by lot.\n"
            f"Draw lots for every candidate ({names}) and enter the order drawn, "
            "first drawn first, separated by commas.",
            err=True,
        )
        answer = typer.prompt("Order drawn by lot", err=True)
        order = tuple(name.strip() for name in answer.split(",") if name.strip())
        from dataclasses import replace

        return count(profile, replace(spec, irv=replace(spec.irv, lot=order)))


def _ballot_file(file: Path, profile: Profile, method: Method) -> dict[str, Any] | None:
    """What the reader took from the file besides its ballots (BLT options, a note after the
    title), for the report; ``None`` when it took nothing else."""
    remarks = list(profile.remarks)
    if profile.tie_order and method is not Method.STV:
        remarks.append(
            "the [tie] order settles STV ties left to lot; this count settles ties by --tiebreak"
        )
    if not remarks:
        return None
    return {
        "file": str(file),
        "remarks": remarks,
        "withdrawn": [c.name for c in profile.candidates if c.id in profile.withdrawn],
        "tie_order": [profile.name_of(c) for c in profile.tie_order],
        "note": profile.note,
    }


def _print_sections(outcome: SectionedResult, *, as_json: bool, chart: Path | None) -> None:
    """The deciding result, then each section's (JSON: ``by_section`` beside the result)."""
    if chart is not None:
        try:
            chart.write_text(sankey_svg(outcome.pooled), encoding="utf-8")
        except OSError as error:
            raise InputError(f"{chart}: cannot write the chart ({error.strerror})") from None
    if as_json:
        data = result_to_json(outcome.pooled)
        data["by_section"] = [
            {"section": name, "result": result_to_json(result)} for name, result in outcome.sections
        ]
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    typer.echo(render_text(outcome.pooled), nl=False)
    for name, result in outcome.sections:
        typer.echo(f"\n=== Section {name} ===")
        typer.echo(render_text(result), nl=False)


def _section_files(values: list[str]) -> list[tuple[str, Path]]:
    """``--section NAME=FILE`` values as (name, path) pairs, in the order given."""
    pairs: list[tuple[str, Path]] = []
    for value in values:
        name, equals, path = value.partition("=")
        if not equals or not name.strip() or not path.strip():
            raise typer.BadParameter(
                f"expected NAME=FILE, e.g. mps=mps.soi (got {value!r})", param_hint="--section"
            )
        pairs.append((name.strip(), Path(path.strip())))
    return pairs


def _sections(
    file: Path | None,
    format: BallotFormat,
    section_column: str | None,
    section_files: list[str] | None,
    names: list[str] | None,
) -> SectionedProfile | None:
    """The ballots by section, from a CSV column or one file a section; None when unsectioned.

    Raises:
        typer.BadParameter: FILE and ``--section`` both or neither, ``--section`` with
            ``--section-column``, ``--format`` with ``--section``, or a section column in a
            file that is not CSV.
    """
    if section_files:
        if section_column is not None:
            raise typer.BadParameter(
                "--section and --section-column both give the ballots by section: use one",
                param_hint="--section",
            )
        if file is not None:
            raise typer.BadParameter(
                f"give the ballots either as FILE ({file}) or by section with --section, not both",
                param_hint="--section",
            )
        if format is not BallotFormat.AUTO:
            raise typer.BadParameter(
                "each --section file is read in the format its name or first lines show",
                param_hint="--format",
            )
        return read_section_files(_section_files(section_files), candidates=names)
    if file is None:
        raise typer.BadParameter(
            "give a ballot FILE, or each section's ballots with --section NAME=FILE",
            param_hint="FILE",
        )
    if section_column is None:
        return None
    told = detect_format(file) if format is BallotFormat.AUTO else format
    if told is BallotFormat.CDF:
        if section_column != CDF_SECTION_FIELD:
            raise typer.BadParameter(
                f"a NIST CDF report names each ballot's section in its {CDF_SECTION_FIELD}: "
                f"--section-column {CDF_SECTION_FIELD}",
                param_hint="--section-column",
            )
        return read_cdf_sections(file, candidates=names)
    if told is not BallotFormat.CSV:
        raise typer.BadParameter(
            f"a section column is read from CSV (or {CDF_SECTION_FIELD} from a NIST CDF report)",
            param_hint="--format",
        )
    return read_sectioned_csv(file, column=section_column, candidates=names)


def count_command(
    file: Annotated[
        Path | None,
        typer.Argument(
            metavar="FILE",
            help="The ballot file (not with --section, which gives one file a section).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        BallotFormat, typer.Option("--format", help="The file's format.")
    ] = BallotFormat.AUTO,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the result as JSON (docs/results-format.md).")
    ] = False,
    chart: Annotated[
        Path | None,
        typer.Option("--chart", help="Write a Sankey chart of the rounds to this SVG file."),
    ] = None,
    method: Annotated[Method, typer.Option("--method", help="The counting method.")] = Method.IRV,
    seats: Annotated[
        int | None,
        typer.Option("--seats", min=1, help="Seats to fill (default: 1, or the BLT file's)."),
    ] = None,
    rules: Annotated[StvRules | None, typer.Option("--rules", help="The STV rules.")] = None,
    overvote: Annotated[
        Overvote, typer.Option("--overvote", help="What an overvoted rank does.")
    ] = Overvote.EXHAUST,
    max_skipped: Annotated[
        str,
        typer.Option(
            "--max-skipped",
            metavar="N|unlimited",
            help="Consecutive skipped ranks allowed before a ballot is inactive.",
        ),
    ] = "unlimited",
    max_rankings: Annotated[
        str,
        typer.Option("--max-rankings", metavar="N|unlimited", help="Ranks read from each ballot."),
    ] = "unlimited",
    duplicates: Annotated[
        Duplicates,
        typer.Option("--duplicates", help="What a candidate ranked twice does."),
    ] = Duplicates.SKIP,
    batch_elimination: Annotated[
        bool,
        typer.Option(
            "--batch-elimination", help="Eliminate every candidate who cannot catch up at once."
        ),
    ] = False,
    continue_until_two: Annotated[
        bool,
        typer.Option(
            "--continue-until-two", help="Go on after the election until two candidates remain."
        ),
    ] = False,
    tiebreak: Annotated[
        TieBreak, typer.Option("--tiebreak", help="How ties are settled.")
    ] = TieBreak.PREVIOUS_ROUND,
    seed: Annotated[
        str | None, typer.Option("--seed", help="The published seed for random tie-breaks.")
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", metavar="NAME", help="Leave a candidate out (repeatable)."),
    ] = None,
    undeclared_write_in: Annotated[
        str | None,
        typer.Option(
            "--undeclared-write-in",
            metavar="NAME",
            help="The candidate standing for undeclared write-ins (eliminated first).",
        ),
    ] = None,
    candidates: Annotated[
        Path | None,
        typer.Option(
            "--candidates",
            metavar="FILE",
            help="Candidates, one name a line, in ballot-paper order; others are an error.",
        ),
    ] = None,
    section_column: Annotated[
        str | None,
        typer.Option(
            "--section-column",
            metavar="NAME",
            help="A CSV column naming each row's section (for a NIST CDF report: "
            "BallotStyleId): count the pool and each section.",
        ),
    ] = None,
    section_files: Annotated[
        list[str] | None,
        typer.Option(
            "--section",
            metavar="NAME=FILE",
            help="A section's ballots in a file of their own, in any format (repeatable): "
            "count the pool and each section, or a college.",
        ),
    ] = None,
    weights: Annotated[
        str | None,
        typer.Option(
            "--weights",
            metavar="SECTION=W,...",
            help="College: each section's weight, e.g. mps=1/3,members=1/3,affiliates=1/3.",
        ),
    ] = None,
    district_points: Annotated[
        int | None,
        typer.Option(
            "--district-points",
            min=1,
            metavar="N",
            help="College by points per district: every section (district) is worth N points.",
        ),
    ] = None,
    full_points_minimum: Annotated[
        int | None,
        typer.Option(
            "--full-points-minimum",
            min=1,
            metavar="N",
            help="With --district-points: a district with fewer marked ballots is worth less.",
        ),
    ] = None,
    first_round_floor: Annotated[
        int | None,
        typer.Option(
            "--first-round-floor",
            min=0,
            metavar="N",
            help="Exhaustive: votes needed on the first ballot to stay in.",
        ),
    ] = None,
    stop_at: Annotated[
        int,
        typer.Option(
            "--stop-at", min=1, metavar="N", help="Exhaustive: stop when N candidates remain."
        ),
    ] = 1,
    majority: Annotated[
        bool,
        typer.Option(
            "--majority/--no-majority",
            help="Exhaustive: stop when a candidate has more than half of a ballot's votes.",
        ),
    ] = True,
    later_rounds: Annotated[
        list[Path] | None,
        typer.Option(
            "--round",
            metavar="FILE",
            help="Exhaustive: the ballots of the next round (repeatable; FILE is round 1).",
        ),
    ] = None,
    separate_rounds: Annotated[
        bool,
        typer.Option(
            "--separate-rounds",
            help="Exhaustive: FILE (and each --round) is a ballot of its own, not ranked "
            "ballots to simulate rounds from (implied by --round).",
        ),
    ] = False,
) -> None:
    """Count a ballot file (BLT, PrefLib, NIST CDF JSON or CSV) and print every round."""
    if rules is not None and method is not Method.STV:
        raise typer.BadParameter("--rules applies to --method stv", param_hint="--rules")
    names = _read_candidates(candidates) if candidates is not None else None
    by_section = section_column is not None or bool(section_files)
    if method is Method.COLLEGE and not by_section:
        raise typer.BadParameter(
            "a college count needs the ballots by section: name the CSV column that holds "
            "each row's section, or give each section's file with --section NAME=FILE",
            param_hint="--section-column",
        )
    if later_rounds and (method is not Method.EXHAUSTIVE or by_section):
        raise typer.BadParameter(
            "--round gives an exhaustive ballot's later rounds (--method exhaustive)",
            param_hint="--round",
        )
    if separate_rounds and by_section:
        raise typer.BadParameter(
            "separate rounds are read one file a round, not by section: leave out "
            "--section-column and --section",
            param_hint="--separate-rounds",
        )
    sections = _sections(file, format, section_column, section_files, names)
    if sections is not None:
        profile = sections.pooled()
    else:
        assert file is not None  # _sections refuses neither FILE nor --section
        profile = _load(file, format, names)
    options = IrvOptions(
        overvote=overvote,
        max_skipped=_limit(max_skipped, "--max-skipped"),
        max_rankings=_limit(max_rankings, "--max-rankings"),
        duplicates=duplicates,
        batch_elimination=batch_elimination,
        continue_until_two=continue_until_two,
        tiebreak=tiebreak,
        seed=seed,
        exclude=frozenset(exclude or ()),
        undeclared_write_in=undeclared_write_in,
    )
    default_seats = (profile.seats or 1) if method is Method.STV else 1
    spec = CountSpec(
        method=method,
        seats=seats if seats is not None else default_seats,
        stv_rules=rules,
        irv=options,
        weights=parse_weights(weights) if weights is not None else (),
        district_points=district_points,
        full_points_minimum=full_points_minimum,
        exhaustive=ExhaustiveOptions(
            first_round_floor=first_round_floor, stop_at=stop_at, majority=majority
        ),
    )
    read = _ballot_file(file, profile, method) if file is not None and sections is None else None
    if read is not None and not as_json:  # told first, so that it is seen even if the count stops
        typer.echo(f"Read from {file} besides the ballots:")
        for remark in read["remarks"]:
            typer.echo(f"  {remark}")
        typer.echo()
    if sections is not None:
        _print_sections(count_sections(sections, spec), as_json=as_json, chart=chart)
        return
    if later_rounds or separate_rounds:
        if method is not Method.EXHAUSTIVE:
            raise typer.BadParameter(
                "separate rounds are an exhaustive ballot's (--method exhaustive)",
                param_hint="--separate-rounds",
            )
        rounds = [profile, *(_load(path, format, names) for path in later_rounds or ())]
        result = count_exhaustive(rounds, spec.exhaustive, spec.irv, separate=True)
    else:
        result = _count_with_lot(profile, spec)
    if chart is not None:
        try:
            chart.write_text(sankey_svg(result), encoding="utf-8")
        except OSError as error:
            raise InputError(f"{chart}: cannot write the chart ({error.strerror})") from None
    if as_json:
        data = result_to_json(result)
        if read is not None:
            data["ballot_file"] = read
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        typer.echo(render_text(result), nl=False)
