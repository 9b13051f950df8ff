"""Public pages and API: declared results and the published records anyone can recount.

Everything here reads the published folder ``DATA_DIR/published/<contest>/`` (the files
``mandate verify`` checks), never the live ballots, so the public sees exactly what was
published; and only once the record's signature and hashes check out against the key recorded
for the contest in the store (not the key inside the files): a record that fails is refused
with a page or problem saying so. The Sankey chart is drawn on the server and inlined,
readable without JavaScript.

A tracker look-up says only whether the ballot is in the count, and travels in the request's
body (a form or JSON posted), never in the address, so that no access log holds it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi import Path as InPath
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel, Field

from mandate.config import Settings
from mandate.counting.chart import display_votes, sankey_svg
from mandate.counting.model import CountResult, InactiveReason, Votes
from mandate.counting.report import result_to_json
from mandate.crypto import parse_tracker
from mandate.crypto.credentials import TRACKER_PATTERN
from mandate.errors import InputError, NotFoundError, VerificationError
from mandate.ids import CONTEST_ID_PATTERN
from mandate.service import ContestService
from mandate.web.problems import problem_responses
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
    """What the declaration says about the whole contest, written for the page (the signing
    key's fingerprint comes from the verification of the record)."""

    electorate: str
    returned: str
    spoilt: str
    turnout: str
    declared_at: str
    """ISO 8601 UTC, as declared (``2026-03-01T18:02:11Z``); empty if not declared."""
    declared_words: str
    """The same time in words (``1 March 2026, 18:02:11 UTC``)."""


def declared(declaration: Mapping[str, Any]) -> Declared | None:
    """The declaration's contest-wide figures and time; ``None`` without a declaration."""
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
    return Declared(
        electorate=_declared_votes(ballots.get("electorate", "–")),
        returned=_declared_votes(ballots.get("returned", "–")),
        spoilt=_declared_votes(ballots.get("spoilt", 0)),
        turnout=f"{turnout}%" if turnout is not None and ballots.get("electorate") else "–",
        declared_at=when,
        declared_words=words,
    )


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _verified(request: Request, contest: str) -> tuple[PublishedContest, str]:
    """The published record of a contest, checked against the key recorded for the contest;
    with that key's fingerprint.

    Raises:
        NotFoundError: nothing published under that name.
        VerificationError: no key recorded for the contest, or the record fails its check.
    """
    published = published_contest(_settings(request), contest)
    service: ContestService = request.app.state.service
    try:
        key = service.public_key(published.contest)
    except NotFoundError:
        raise VerificationError(
            f"the published record of contest {contest!r} cannot be verified: this "
            "installation holds no key for that contest, so it is not shown"
        ) from None
    return published, published.check(key)


def _summary(request: Request, published: PublishedContest) -> dict[str, Any]:
    try:
        _verified(request, published.contest)
    except VerificationError:
        return {
            "contest": published.contest,
            "title": published.contest,
            "method": "",
            "elected": [],
            "verified": False,
        }
    result = published.result()
    return {
        "contest": published.contest,
        "title": published.title(),
        "method": result.method,
        "elected": [result.name_of(c) for c in result.elected],
        "verified": True,
    }


@pages.get("/results", response_class=HTMLResponse)
def results_index(request: Request) -> HTMLResponse:
    """Every declared contest (one whose record fails verification says so, and no more)."""
    contests = [_summary(request, p) for p in published_contests(_settings(request))]
    return render(request, "public/index.html", {"contests": contests})


@pages.get("/results/{contest}", response_class=HTMLResponse)
def result_page(request: Request, contest: str) -> HTMLResponse:
    """A declared result: winner, round-by-round table, chart, records, tracker look-up."""
    published, fingerprint = _verified(request, contest)
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
            "fingerprint": fingerprint,
            "class_candidates": [name for _, name in result.candidates],
            "lot": dict(result.options).get("lot"),
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


def _tracker_page(request: Request, contest: str, tracker: str | None) -> HTMLResponse:
    """The look-up page; with a tracker (posted), whether its ballot is in the count."""
    published, _ = _verified(request, contest)
    error = None
    found: bool | None = None
    if tracker is not None and tracker.strip():
        try:
            found = published.has_tracker(tracker)
        except InputError as refused:
            error = str(refused)
    return render(
        request,
        "public/tracker.html",
        {
            "published": published,
            "title": published.title(),
            "tracker": (tracker or "").strip(),
            "found": found,
            "error": error,
        },
        status_code=422 if error else 200,
    )


@pages.get("/results/{contest}/tracker", response_class=HTMLResponse)
def tracker_form(request: Request, contest: str) -> HTMLResponse:
    """The tracker look-up form. A tracker in the address is not looked up: it would be in
    every access log beside the client's address."""
    return _tracker_page(request, contest, None)


@pages.post("/results/{contest}/tracker", response_class=HTMLResponse)
def tracker_page(
    request: Request, contest: str, tracker: Annotated[str, Form(max_length=200)] = ""
) -> HTMLResponse:
    """Is the ballot with this tracker in the count? (Nothing about what it says.)"""
    return _tracker_page(request, contest, tracker)


@pages.get("/results/{contest}/files/{name}")
def download(request: Request, contest: str, name: str) -> FileResponse:
    """One published record, as a download (once the record has been checked)."""
    published, _ = _verified(request, contest)
    path = published.file(name)
    return FileResponse(path, media_type=PUBLISHED_FILES[name], filename=f"{contest}-{name}")


class ContestSummary(BaseModel):
    """A contest with a published result."""

    contest: str
    title: str
    method: str
    elected: list[str]
    verified: bool = True
    """False when the published record fails verification: then nothing else of it is given."""


class TrackerQuery(BaseModel):
    """A tracker to look up, as on the receipt (case, spaces and dashes are forgiven)."""

    tracker: str = Field(max_length=200, pattern=TRACKER_PATTERN)


class TrackerAnswer(BaseModel):
    """Whether a tracker's ballot is in the count. Never what the ballot says: the published
    records do not link a tracker to a ranking."""

    contest: str
    tracker: str
    included: bool


PublishedContestId = Annotated[
    str, InPath(pattern=f"^{CONTEST_ID_PATTERN.pattern}$", description="The contest's id.")
]
"""A contest id in the address, as the store's pattern allows it (422 otherwise)."""

PublishedName = Annotated[
    str, InPath(json_schema_extra={"enum": list(PUBLISHED_FILES)}, description="The record.")
]
"""The name of a published record (404 for any other)."""

# A published record is shown only once it is checked against the contest's key: 500 if not.
RECORD_REFUSALS = problem_responses(404, 422, 500)


@api.get("/results", response_model=list[ContestSummary])
def api_results(request: Request) -> list[dict[str, Any]]:
    """The contests with a published result."""
    return [_summary(request, p) for p in published_contests(_settings(request))]


@api.get("/results/{contest}", responses=RECORD_REFUSALS)
def api_result(request: Request, contest: PublishedContestId) -> dict[str, Any]:
    """A declared result in the counting engine's JSON (docs/results-format.md), once its
    record has been checked against the contest's key."""
    published, _ = _verified(request, contest)
    return result_to_json(published.result())


def _tracker_answer(request: Request, contest: str, tracker: str) -> dict[str, Any]:
    published, _ = _verified(request, contest)
    included = published.has_tracker(tracker)
    return {"contest": contest, "tracker": parse_tracker(tracker), "included": included}


@api.post(
    "/results/{contest}/trackers",
    response_model=TrackerAnswer,
    responses=problem_responses(400, 404, 413, 422, 500),
)
def api_tracker_lookup(
    request: Request, contest: PublishedContestId, query: TrackerQuery
) -> dict[str, Any]:
    """Is the ballot with this receipt tracker in the count? The tracker travels in the body,
    never in the address (which access logs keep)."""
    return _tracker_answer(request, contest, query.tracker)


@api.get(
    "/results/{contest}/trackers/{tracker}", response_model=TrackerAnswer, responses=RECORD_REFUSALS
)
def api_tracker(
    request: Request,
    contest: PublishedContestId,
    tracker: Annotated[str, InPath(max_length=200, pattern=TRACKER_PATTERN)],
) -> dict[str, Any]:
    """Kept for scripts written against it; prefer ``POST /api/results/{contest}/trackers``,
    which keeps the tracker out of the address. Says only whether the ballot is counted."""
    return _tracker_answer(request, contest, tracker)


@api.get(
    "/results/{contest}/files/{name}",
    responses={
        200: {
            "description": "The record, as published.",
            "content": {media: {} for media in dict.fromkeys(PUBLISHED_FILES.values())},
        },
        **RECORD_REFUSALS,
    },
)
def api_download(
    request: Request, contest: PublishedContestId, name: PublishedName
) -> FileResponse:
    """One published record: ``result.json``, ``declaration.json``, ``cvr.json``, ``cvr.csv``,
    ``trackers.txt`` (once the record has been checked)."""
    published, _ = _verified(request, contest)
    return FileResponse(published.file(name), media_type=PUBLISHED_FILES[name])
