"""Voters' pages: voting code → ballot → review in words → cast → receipt.

The credential travels only in the body of POST requests (never in a URL or a cookie), and
pages that show it or the receipt are sent ``Cache-Control: no-store``. Each step checks the
credential again. A right code is never refused by a limit; wrong codes are counted in the
database per code, per contest and per client address (:mod:`mandate.service.access`). A right
code of a contest whose ballot has closed is told so, and is not counted as a failure.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from mandate.errors import AlreadyVotedError, BallotClosedError, CredentialError, InputError
from mandate.service import ContestService, Receipt
from mandate.service.lifecycle import ContestState
from mandate.web.auth import access_of, client_address
from mandate.web.ranking import Review, ranks_from_form, review
from mandate.web.templating import render

__all__ = ["BallotPaper", "ballot_paper", "cast_checked", "pages", "service_of"]

pages = APIRouter(prefix="/vote", include_in_schema=False)

MAX_CREDENTIAL_CHARS = 100


def service_of(request: Request) -> ContestService:
    """The contest service the app was built with."""
    service: ContestService = request.app.state.service
    return service


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotPaper:
    """What a voter's ballot shows: the contest and the standing candidates in order."""

    id: str
    title: str
    method: str
    """The counting method: ``plurality`` takes one choice, ``approval`` any number
    unordered; every other method takes a ranking."""
    candidates: tuple[tuple[str, str], ...]
    """(candidate id, name) in ballot-paper order."""

    @property
    def ranked(self) -> bool:
        """True when the voter ranks candidates (not plurality or approval)."""
        return self.method not in ("plurality", "approval")

    @property
    def names(self) -> tuple[str, ...]:
        """Candidates' names in ballot-paper order."""
        return tuple(name for _, name in self.candidates)


def ballot_paper(service: ContestService, contest_id: str) -> BallotPaper:
    """The ballot paper of a contest."""
    contest = service.contest(contest_id)
    return BallotPaper(
        id=contest.id,
        title=contest.title,
        method=str(json.loads(contest.count_spec).get("method", "irv")),
        candidates=tuple((c.candidate_id, c.name) for c in service.standing(contest_id)),
    )


def open_contests(service: ContestService) -> list[dict[str, str]]:
    """Contests whose ballot is open now."""
    return [
        {"id": c.id, "title": c.title}
        for c in service.list_contests()
        if c.state == ContestState.BALLOT_OPEN.value
    ]


def _credential(form: Mapping[str, Any]) -> str:
    value = form.get("credential", "")
    if not isinstance(value, str) or not value.strip():
        raise CredentialError("enter the voting code you were sent")
    if len(value) > MAX_CREDENTIAL_CHARS:
        raise CredentialError("that is not a voting code: it is far too long")
    return value.strip()


def _count_failure(request: Request, credential: str, contest_id: str | None) -> None:
    access_of(request).credential_failed(
        credential, contest_id=contest_id, client=client_address(request)
    )


def check_credential(request: Request, credential: str, contest_id: str | None = None) -> str:
    """The open contest a credential belongs to; a wrong code is counted as a failure.

    Raises:
        TooManyAttemptsError: a wrong code, and too many wrong ones recently (for this code,
            this contest or from this client).
        CredentialError: unknown, malformed or replaced (and the failure is counted).
        BallotClosedError: a right code of a contest whose ballot is not open (not counted).
    """
    try:
        found = service_of(request).find_contest_for(credential)
        if contest_id is not None and found != contest_id:
            raise CredentialError("this voting code is for a different contest")
    except CredentialError:
        _count_failure(request, credential, contest_id)
        raise
    return found


def cast_checked(
    request: Request, credential: str, choices: list[str], contest_id: str | None
) -> Receipt:
    """Cast through the service; a wrong code is counted as a failure (a right one never)."""
    try:
        return service_of(request).cast(credential, choices, contest_id=contest_id)
    except CredentialError:
        _count_failure(request, credential, contest_id)
        raise


def choices_from_ranks(ranks: Mapping[int, int], paper: BallotPaper) -> list[str]:
    """Candidate ids in order of the ranks given (skipped ranks closed up)."""
    ordered = sorted(ranks.items(), key=lambda item: (item[1], item[0]))
    return [paper.candidates[index - 1][0] for index, _ in ordered]


def _repeated(ranks: Mapping[int, int]) -> bool:
    return len(set(ranks.values())) != len(ranks)


@pages.get("", response_class=HTMLResponse)
def start(request: Request) -> HTMLResponse:
    """Ask for the voting code."""
    return render(request, "voter/start.html", {"contests": open_contests(service_of(request))})


@pages.post("", response_class=HTMLResponse)
async def enter_code(request: Request) -> Response:
    """Check the voting code and show the ballot (or say it has been used)."""
    form = await request.form()
    try:
        credential = _credential(form)
        contest_id = check_credential(request, credential)
    except (CredentialError, BallotClosedError) as refused:
        return render(
            request,
            "voter/start.html",
            {"contests": open_contests(service_of(request)), "error": str(refused)},
            status_code=409 if isinstance(refused, BallotClosedError) else 403,
            no_store=True,
        )
    service = service_of(request)
    if service.credential_used(contest_id, credential):
        return _already_voted(request, contest_id)
    return _ballot_page(request, ballot_paper(service, contest_id), credential, {})


def _already_voted(request: Request, contest_id: str, detail: str | None = None) -> HTMLResponse:
    return render(
        request,
        "voter/already_voted.html",
        {
            "contest": {"id": contest_id},
            "detail": detail or "A ballot has already been cast with this voting code.",
        },
        status_code=409,
        no_store=True,
    )


def _ballot_page(
    request: Request,
    paper: BallotPaper,
    credential: str,
    ranks: Mapping[int, int],
    *,
    error: str | None = None,
) -> HTMLResponse:
    return render(
        request,
        "voter/ballot.html",
        {
            "contest": paper,
            "candidates": [{"id": cid, "name": name} for cid, name in paper.candidates],
            "credential": credential,
            "ranks": dict(ranks),
            "error": error,
        },
        status_code=422 if error else 200,
        no_store=True,
    )


async def _read_ballot_form(
    request: Request, contest_id: str
) -> tuple[str, BallotPaper, dict[int, int]]:
    form = await request.form()
    credential = _credential(form)
    check_credential(request, credential, contest_id)
    paper = ballot_paper(service_of(request), contest_id)
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return credential, paper, marks_from_form(fields, paper)


def marks_from_form(fields: Mapping[str, str], paper: BallotPaper) -> dict[int, int]:
    """The marks of a ballot form by candidate position: ranks, or 1 for each one chosen.

    A plurality ballot posts ``choice`` (a position), an approval ballot ``approve-<n>``; all
    of them come back from the review page as ``rank-<n>`` fields.
    """
    count = len(paper.candidates)
    if "choice" in fields:
        return ranks_from_form({f"rank-{fields['choice']}": "1"}, candidates=count)
    approved = {
        key.replace("approve-", "rank-", 1): "1" for key in fields if key.startswith("approve-")
    }
    if approved:
        return ranks_from_form(approved, candidates=count)
    return ranks_from_form(fields, candidates=count)


@pages.post("/{contest_id}/ballot", response_class=HTMLResponse)
async def change(request: Request, contest_id: str) -> Response:
    """Back to the ballot, with the ranks given so far."""
    credential, paper, ranks = await _read_ballot_form(request, contest_id)
    return _ballot_page(request, paper, credential, ranks)


@pages.post("/{contest_id}/review", response_class=HTMLResponse)
async def review_ballot(request: Request, contest_id: str) -> Response:
    """The ranking in words, with a warning for every skipped or repeated rank."""
    credential, paper, ranks = await _read_ballot_form(request, contest_id)
    if not paper.ranked:
        return _review_unranked(request, paper, credential, ranks)
    said: Review = review(ranks, paper.names)
    warnings = list(said.warnings)
    if any("but gave rank" in w for w in warnings):
        warnings.append("Skipped ranks are closed up: your later choices move up one place each.")
    can_cast = bool(ranks) and not _repeated(ranks)
    if not ranks:
        warnings.append("You have not ranked anyone. Go back and give at least one rank.")
    return render(
        request,
        "voter/review.html",
        {
            "contest": paper,
            "credential": credential,
            "ranks": ranks,
            "words": said.lines,
            "warnings": warnings,
            "unranked": said.unranked,
            "can_cast": can_cast,
        },
        no_store=True,
    )


def _review_unranked(
    request: Request, paper: BallotPaper, credential: str, marks: Mapping[int, int]
) -> HTMLResponse:
    chosen = [paper.names[i - 1] for i in sorted(marks)]
    warnings = []
    if not chosen:
        warnings.append("You have not chosen anyone. Go back and choose.")
    if paper.method == "plurality" and len(chosen) > 1:
        warnings.append("This contest takes one choice only. Go back and choose one.")
    label = "Your vote" if paper.method == "plurality" else "You approve of"
    return render(
        request,
        "voter/review.html",
        {
            "contest": paper,
            "credential": credential,
            "ranks": dict(marks),
            "words": [f"{label}: {', '.join(chosen)}"] if chosen else [],
            "warnings": warnings,
            "unranked": [n for i, n in enumerate(paper.names, start=1) if i not in marks],
            "can_cast": not warnings,
        },
        no_store=True,
    )


def _castable(paper: BallotPaper, marks: Mapping[int, int]) -> bool:
    if not marks:
        return False
    if paper.method == "plurality":
        return len(marks) == 1
    if paper.method == "approval":
        return True
    return not _repeated(marks)


@pages.post("/{contest_id}/cast", response_class=HTMLResponse)
async def cast(request: Request, contest_id: str) -> Response:
    """Cast the ballot and show the receipt."""
    credential, paper, ranks = await _read_ballot_form(request, contest_id)
    if not _castable(paper, ranks):
        raise InputError(
            "this ballot cannot be cast as marked: at least one choice is needed, and each "
            "rank (or a plurality vote) can go to one candidate only"
        )
    try:
        receipt = cast_checked(request, credential, choices_from_ranks(ranks, paper), contest_id)
    except AlreadyVotedError as refused:
        return _already_voted(request, contest_id, str(refused))
    return render(
        request,
        "voter/receipt.html",
        {"contest": paper, "tracker": receipt.tracker},
        no_store=True,
    )
