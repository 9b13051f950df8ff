"""Public pages and API: declared results and the published records anyone can recount.

Everything here reads the published folder ``DATA_DIR/published/<contest>/`` (the files
``mandate verify`` checks), never the live database, so the public sees exactly what was
published. The Sankey chart is drawn on the server and inlined, readable without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel

from mandate.config import Settings
from mandate.counting.chart import sankey_svg
from mandate.counting.model import CountResult, InactiveReason, format_votes
from mandate.counting.report import result_to_json
from mandate.errors import InputError
from mandate.web.published import (
    PUBLISHED_FILES,
    PublishedContest,
    published_contest,
    published_contests,
)
from mandate.web.templating import render

__all__ = ["RoundTable", "api", "pages", "round_table"]

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["public"])


@dataclass(frozen=True, slots=True, kw_only=True)
class TableRow:
    """One line of the round-by-round table: a label and a cell a round."""

    label: str
    cells: tuple[str, ...]
    elected: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class RoundTable:
    """A count as a table: candidates' votes round by round, then inactive ballots."""

    rounds: tuple[int, ...]
    candidates: tuple[TableRow, ...]
    inactive: tuple[TableRow, ...]
    threshold: TableRow | None
    notes: tuple[tuple[int, str], ...]


def round_table(result: CountResult) -> RoundTable:
    """The round-by-round table of a count (``–`` where a candidate no longer continues)."""
    rows = []
    for candidate, name in result.candidates:
        cells = []
        for round_ in result.rounds:
            continuing = any(c == candidate for c, _ in round_.tally)
            text = format_votes(round_.votes_of(candidate)) if continuing else "–"
            if candidate in round_.elected:
                text += " (elected)"
            elif candidate in round_.eliminated:
                text += " (excluded)"
            cells.append(text)
        rows.append(TableRow(label=name, cells=tuple(cells), elected=candidate in result.elected))
    inactive = []
    for reason in InactiveReason:
        if any(r.inactive_of(reason) for r in result.rounds):
            inactive.append(
                TableRow(
                    label=f"Inactive: {reason.value}",
                    cells=tuple(format_votes(r.inactive_of(reason)) for r in result.rounds),
                )
            )
    threshold = None
    if any(r.threshold is not None for r in result.rounds):
        threshold = TableRow(
            label="Votes needed to win",
            cells=tuple(
                "–" if r.threshold is None else format_votes(r.threshold) for r in result.rounds
            ),
        )
    return RoundTable(
        rounds=tuple(r.number for r in result.rounds),
        candidates=tuple(rows),
        inactive=tuple(inactive),
        threshold=threshold,
        notes=tuple((r.number, r.note) for r in result.rounds if r.note),
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
    return render(
        request,
        "public/result.html",
        {
            "published": published,
            "title": published.title(),
            "result": result,
            "elected": [result.name_of(c) for c in result.elected],
            "table": round_table(result),
            "chart": sankey_svg(result),
            "files": published.files(),
            "declaration": published.declaration(),
            "valid": format_votes(result.valid),
            "classes": published.by_class(),
            "class_candidates": [name for _, name in result.candidates],
            "lot": dict(result.options).get("lot"),
        },
    )


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
