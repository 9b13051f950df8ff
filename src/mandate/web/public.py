"""Public pages and API: declared results and the published records anyone can recount.

Everything here reads the published folder ``DATA_DIR/published/<contest>/`` (the files
``mandate verify`` checks), never the live database, so the public sees exactly what was
published. The Sankey chart is drawn on the server and inlined, readable without JavaScript.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel

from mandate.config import Settings
from mandate.counting.chart import display_votes, sankey_svg
from mandate.counting.model import CountResult, InactiveReason, Votes
from mandate.counting.report import result_to_json
from mandate.errors import InputError
from mandate.web.published import (
    PUBLISHED_FILES,
    ClassResult,
    PublishedContest,
    published_contest,
    published_contests,
)
from mandate.web.templating import render

__all__ = [
    "Declared",
    "RoundTable",
    "api",
    "below_quota",
    "declared",
    "pages",
    "round_table",
    "share",
    "show_votes",
]

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["public"])


show_votes = display_votes
"""Votes as the pages write them (:func:`mandate.counting.chart.display_votes`): thousands
separated, a whole number without decimals (``650``, not ``650.00``)."""


def share(part: Votes, whole: Votes) -> str:
    """``part`` as a percentage of ``whole``, one decimal place, rounded half up, exactly;
    empty when ``whole`` is zero.

    >>> share(1, 3), share(Decimal("650.00"), 1300), share(1, 0)
    ('33.3%', '50.0%', '')
    """
    if not whole:
        return ""
    tenths = math.floor(Fraction(part) * 1000 / Fraction(whole) + Fraction(1, 2))
    return f"{tenths // 10:,}.{tenths % 10}%"


def _declared_votes(text: object) -> str:
    """A vote figure as declared (a decimal string), written as the pages write votes."""
    try:
        return show_votes(Decimal(str(text)))
    except ArithmeticError:  # not a number: shown as it is
        return str(text)


@dataclass(frozen=True, slots=True, kw_only=True)
class TableRow:
    """One line of the round-by-round table: a label and a cell a round."""

    label: str
    cells: tuple[str, ...]
    elected: bool = False
    shares: tuple[str, ...] = ()
    """Each cell's share of the valid vote (empty where none is shown)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RoundTable:
    """A count as a table: candidates' votes round by round, then inactive ballots."""

    rounds: tuple[int, ...]
    candidates: tuple[TableRow, ...]
    inactive: tuple[TableRow, ...]
    threshold: TableRow | None
    notes: tuple[tuple[int, str], ...]
    valid: str
    """The valid vote the shares are of, as written on the page."""


def round_table(result: CountResult) -> RoundTable:
    """The round-by-round table of a count (``–`` where a candidate no longer continues),
    each figure with its share of the valid vote."""
    rows = []
    for candidate, name in result.candidates:
        cells, shares = [], []
        for round_ in result.rounds:
            continuing = any(c == candidate for c, _ in round_.tally)
            votes = round_.votes_of(candidate)
            text = show_votes(votes) if continuing else "–"
            if candidate in round_.elected:
                text += " (elected)"
            elif candidate in round_.eliminated:
                text += " (excluded)"
            cells.append(text)
            shares.append(share(votes, result.valid) if continuing else "")
        rows.append(
            TableRow(
                label=name,
                cells=tuple(cells),
                shares=tuple(shares),
                elected=candidate in result.elected,
            )
        )
    inactive = []
    for reason in InactiveReason:
        if any(r.inactive_of(reason) for r in result.rounds):
            inactive.append(
                TableRow(
                    label=f"Inactive: {reason.value}",
                    cells=tuple(show_votes(r.inactive_of(reason)) for r in result.rounds),
                    shares=tuple(share(r.inactive_of(reason), result.valid) for r in result.rounds),
                )
            )
    threshold = None
    if any(r.threshold is not None for r in result.rounds):
        threshold = TableRow(
            label="Votes needed to win",
            cells=tuple(
                "–" if r.threshold is None else show_votes(r.threshold) for r in result.rounds
            ),
        )
    return RoundTable(
        rounds=tuple(r.number for r in result.rounds),
        candidates=tuple(rows),
        inactive=tuple(inactive),
        threshold=threshold,
        notes=tuple((r.number, r.note) for r in result.rounds if r.note),
        valid=show_votes(result.valid),
    )


def below_quota(result: CountResult) -> tuple[str, ...]:
    """A note for each candidate elected with fewer votes than the quota (or the votes needed
    to win), as STV elects the last when the seats left can only go to them."""
    needed_word = "the quota" if result.method == "stv" else "the votes needed to win"
    notes = []
    for round_ in result.rounds:
        needed = round_.threshold if round_.threshold is not None else result.quota
        if needed is None:
            continue
        for candidate in round_.elected:
            votes = round_.votes_of(candidate)
            if votes < needed:
                notes.append(
                    f"{result.name_of(candidate)} was elected in round {round_.number} with "
                    f"{show_votes(votes)} vote{'' if votes == 1 else 's'}, fewer than "
                    f"{needed_word} of "
                    f"{show_votes(needed)}: ballots that named no one still in the count had "
                    "stopped counting, and the rules elect a candidate without the quota once "
                    "no one still in the count can overtake them or the candidates left are no "
                    "more than the seats left to fill."
                )
    return tuple(notes)


@dataclass(frozen=True, slots=True, kw_only=True)
class Declared:
    """What the declaration says about the whole contest, written for the page."""

    electorate: str
    returned: str
    spoilt: str
    turnout: str
    declared_at: str
    """ISO 8601 UTC, as declared (``2026-03-01T18:02:11Z``); empty if not declared."""
    declared_words: str
    """The same time in words (``1 March 2026, 18:02:11 UTC``)."""
    public_key: str
    """The signing key (hex) grouped in fours for reading aloud; empty if not published."""
    fingerprint: str
    """The key's fingerprint as the record publishes it; empty until it does."""


def declared(declaration: Mapping[str, Any]) -> Declared | None:
    """The declaration's contest-wide figures, time and key; ``None`` without a declaration."""
    if not declaration:
        return None
    ballots = declaration.get("ballots")
    ballots = ballots if isinstance(ballots, Mapping) else {}
    when = str(declaration.get("declared_at", ""))
    try:
        moment = dt.datetime.strptime(when, "%Y-%m-%dT%H:%M:%SZ")
        words = f"{moment.day} {moment:%B %Y, %H:%M:%S} UTC"
    except ValueError:
        words = when
    turnout = ballots.get("turnout_percent")
    key = str(declaration.get("public_key", ""))
    return Declared(
        electorate=_declared_votes(ballots.get("electorate", "–")),
        returned=_declared_votes(ballots.get("returned", "–")),
        spoilt=_declared_votes(ballots.get("spoilt", 0)),
        turnout=f"{turnout}%" if turnout is not None and ballots.get("electorate") else "–",
        declared_at=when,
        declared_words=words,
        public_key=" ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        fingerprint=str(declaration.get("public_key_fingerprint", "")),
    )


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _summary(published: PublishedContest) -> dict[str, Any]:
    result = published.result()
    return {
        "contest": published.contest,
        "title": published.title(),
        "method": result.method,
        "elected": [result.name_of(c) for c in result.elected],
    }


@pages.get("/results", response_class=HTMLResponse)
def results_index(request: Request) -> HTMLResponse:
    """Every declared contest."""
    contests = [_summary(p) for p in published_contests(_settings(request))]
    return render(request, "public/index.html", {"contests": contests})


@pages.get("/results/{contest}", response_class=HTMLResponse)
def result_page(request: Request, contest: str) -> HTMLResponse:
    """A declared result: winner, round-by-round table, chart, records, tracker look-up."""
    published = published_contest(_settings(request), contest)
    result = published.result()
    declaration = published.declaration()
    return render(
        request,
        "public/result.html",
        {
            "published": published,
            "title": published.title(),
            "result": result,
            "elected": [result.name_of(c) for c in result.elected],
            "table": round_table(result),
            "below_quota": below_quota(result),
            "chart": sankey_svg(result),
            "files": published.files(),
            "declaration": declaration,
            "declared": declared(declaration),
            "valid": show_votes(result.valid),
            "classes": [_class_view(c) for c in published.by_class()],
            "class_candidates": [name for _, name in result.candidates],
        },
    )


def _class_view(item: ClassResult) -> dict[str, Any]:
    """One class's declared figures as the by-class table writes them."""
    return {
        "title": item.title,
        "first_round": {
            name: f"{_declared_votes(votes)} ({share(Decimal(votes), item.valid)})"
            if item.valid and _is_number(votes)
            else _declared_votes(votes)
            for name, votes in item.first_round
        },
        "valid": item.valid,
        "spoilt": item.spoilt,
        "electorate": item.electorate,
        "turnout_percent": item.turnout_percent,
        "elected": item.elected,
    }


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


@pages.get("/results/{contest}/tracker", response_class=HTMLResponse)
def tracker_page(
    request: Request, contest: str, tracker: str = Query("", max_length=200)
) -> HTMLResponse:
    """Is the ballot with this tracker in the published records? And as what ranking?"""
    published = published_contest(_settings(request), contest)
    error = None
    found: tuple[str, ...] | None = None
    if tracker.strip():
        try:
            found = published.find_tracker(tracker)
        except InputError as refused:
            error = str(refused)
    return render(
        request,
        "public/tracker.html",
        {
            "published": published,
            "title": published.title(),
            "tracker": tracker.strip(),
            "found": found,
            "error": error,
        },
        status_code=422 if error else 200,
    )


@pages.get("/results/{contest}/files/{name}")
def download(request: Request, contest: str, name: str) -> FileResponse:
    """One published record, as a download."""
    path = published_contest(_settings(request), contest).file(name)
    return FileResponse(path, media_type=PUBLISHED_FILES[name], filename=f"{contest}-{name}")


class ContestSummary(BaseModel):
    """A contest with a published result."""

    contest: str
    title: str
    method: str
    elected: list[str]


class TrackerAnswer(BaseModel):
    """Whether a tracker's ballot is in the published records, and its ranking."""

    contest: str
    tracker: str
    included: bool
    ranking: list[str]


@api.get("/results", response_model=list[ContestSummary])
def api_results(request: Request) -> list[dict[str, Any]]:
    """The contests with a published result."""
    return [_summary(p) for p in published_contests(_settings(request))]


@api.get("/results/{contest}")
def api_result(request: Request, contest: str) -> dict[str, Any]:
    """A declared result in the counting engine's JSON (docs/results-format.md)."""
    return result_to_json(published_contest(_settings(request), contest).result())


@api.get("/results/{contest}/trackers/{tracker}", response_model=TrackerAnswer)
def api_tracker(request: Request, contest: str, tracker: str) -> dict[str, Any]:
    """Look a receipt tracker up in the published cast-vote records."""
    found = published_contest(_settings(request), contest).find_tracker(tracker)
    return {
        "contest": contest,
        "tracker": tracker.strip(),
        "included": found is not None,
        "ranking": list(found or ()),
    }


@api.get("/results/{contest}/files/{name}")
def api_download(request: Request, contest: str, name: str) -> FileResponse:
    """One published record: ``result.json``, ``declaration.json``, ``cvr.json``, ``cvr.csv``."""
    path = published_contest(_settings(request), contest).file(name)
    return FileResponse(path, media_type=PUBLISHED_FILES[name])
