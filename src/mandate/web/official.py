"""Officials' pages: sign in and out, the dashboard, and each contest's administration."""

from __future__ import annotations

import datetime as dt
import enum
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from mandate.config import Settings
from mandate.crypto import Signer, key_fingerprint
from mandate.errors import (
    AccessDeniedError,
    AmbiguousCandidateError,
    BallotFormatError,
    ContestError,
    InputError,
    InvalidBallotError,
    NotFoundError,
    PaperBatchError,
    RollImportError,
    RulebookError,
    SigningKeyError,
    UnknownCandidateError,
    UnresolvedTieError,
)
from mandate.ids import check_contest_id
from mandate.rules import load_rulebook, parse_rulebook, shipped_rulebooks
from mandate.service import ContestService, RollReport
from mandate.service.access import Action
from mandate.service.contests import CREDENTIALS_ISSUED, CandidateStatus
from mandate.service.keys import new_key_file, signer_from_bytes
from mandate.service.lifecycle import Action as LifecycleAction
from mandate.service.lifecycle import transition_for
from mandate.service.nominations import NominationField, NominationProblem, nomination_problems
from mandate.service.paper import match_candidate
from mandate.service.results import count_contest, declare_contest
from mandate.web.auth import (
    access_of,
    clear_session_cookie,
    client_address,
    official_session,
    optional_session,
    require,
    set_session_cookie,
)
from mandate.web.dashboard import Threshold, contest_view, nomination_threshold, progress
from mandate.web.problems import status_for
from mandate.web.templating import render

__all__ = [
    "EnvelopeReport",
    "LotForm",
    "NominationForm",
    "PaperField",
    "PaperForm",
    "ReissueForm",
    "RollForm",
    "export_credentials",
    "import_uploaded_roll",
    "make_key_file",
    "pages",
    "parse_paper_ballots",
    "resolve_paper_ballots",
    "run_action",
    "save_rulebook",
    "uploaded_signer",
]

MAX_KEY_FILE_BYTES = 16 * 1024
"""Largest key file accepted in a form (one is under 1 kB)."""

pages = APIRouter(prefix="/official", include_in_schema=False)


@pages.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request) -> Response:
    """The sign-in form (or the dashboard, if already signed in)."""
    if optional_session(request) is not None:
        return RedirectResponse("/official", status_code=303)
    return render(request, "official/sign_in.html")


@pages.post("/sign-in", response_class=HTMLResponse)
def sign_in(
    request: Request,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
) -> Response:
    """Check the password, open a session, and go to the dashboard."""
    try:
        session = access_of(request).sign_in(
            username.strip(), password, client=client_address(request)
        )
    except AccessDeniedError as refused:
        status = 429 if getattr(refused, "retry_after", None) else 401
        return render(
            request,
            "official/sign_in.html",
            {"error": str(refused), "username": username},
            status_code=status,
        )
    response = RedirectResponse("/official", status_code=303)
    set_session_cookie(request, response, session)
    return response


@pages.post("/sign-out")
def sign_out(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    """End the session."""
    session = official_session(request)
    session.check_csrf(csrf_token)
    access_of(request).sign_out(session.token)
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(response)
    return response


# -- the dashboard -------------------------------------------------------------------------


def _service(request: Request) -> ContestService:
    service: ContestService = request.app.state.service
    return service


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _back_to(contest_id: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/official/contests/{contest_id}{anchor}", status_code=303)


@pages.get("", response_class=HTMLResponse)
def dashboard(request: Request) -> HTMLResponse:
    """Every contest, and a form to create one."""
    require(request, Action.VIEW, changes=False)
    contests = _service(request).list_contests()
    return render(
        request,
        "official/dashboard.html",
        {
            "contests": contests,
            "rulebooks": shipped_rulebooks(),
            "needs_key": _service(request).signer is None,
        },
    )


@pages.post("/contests", response_class=HTMLResponse)
async def create(
    request: Request,
    csrf_token: Annotated[str, Form(max_length=200)],
    contest_id: Annotated[str, Form(max_length=100)],
    title: Annotated[str, Form(max_length=300)] = "",
    rulebook: Annotated[str, Form(max_length=100)] = "",
    rulebook_file: UploadFile | None = None,
    key_file: UploadFile | None = None,
    key_passphrase: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Create a contest from a shipped rulebook or an uploaded one; its key is the returning
    officer's (the key file given in the form, or the one the server was started with)."""
    session = require(request, Action.MANAGE, csrf=csrf_token)
    signer = await uploaded_signer(key_file, key_passphrase)
    upload = await rulebook_file.read() if rulebook_file and rulebook_file.filename else b""
    if upload:
        ref = save_rulebook(_settings(request), contest_id.strip(), upload)
    elif rulebook:
        ref = shipped_rulebook(rulebook)
    else:
        raise InputError("choose a shipped rulebook or upload one")
    _service(request).create_contest(
        contest_id=contest_id.strip(),
        rulebook_ref=ref,
        title=title.strip() or None,
        actor=session.official.username,
        signer=signer,
    )
    return _back_to(contest_id.strip())


def shipped_rulebook(name: str) -> str:
    """A rulebook chosen on the web by name: one of those shipped, never a path on the server.

    Raises:
        NotFoundError: no shipped rulebook of that name (the names are listed).
    """
    shipped = shipped_rulebooks()
    if name not in shipped:
        raise NotFoundError(
            f"no shipped rulebook named {name[:100]!r} (shipped: {', '.join(shipped)}); "
            "to use another rulebook, upload its file"
        )
    return name


@pages.post("/keys")
async def make_key_file(
    request: Request,
    csrf_token: Annotated[str, Form(max_length=200)],
    passphrase: Annotated[str, Form(max_length=1000)],
    passphrase_again: Annotated[str, Form(max_length=1000)],
) -> Response:
    """Make a new returning officer's key file under the passphrase given and download it.

    The server keeps nothing of it; making it with ``mandate keys create`` on the officer's
    own computer keeps the key from ever passing through the server at all.
    """
    require(request, Action.MANAGE, csrf=csrf_token)
    if passphrase != passphrase_again:
        raise SigningKeyError("the two passphrases differ: type the same one twice")
    content, public_key = await run_in_threadpool(new_key_file, passphrase)
    return Response(
        content,
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="mandate-{public_key[:8]}.key"',
            "Cache-Control": "no-store",
        },
    )


async def uploaded_signer(key_file: UploadFile | None, passphrase: str) -> Signer | None:
    """The returning officer's key from a form's key file and passphrase, for this request only
    (``None`` if no file was chosen: the server's own key is used, if it holds one).

    Raises:
        SigningKeyError: a file that is not a key file, too large, or a wrong passphrase.
    """
    if key_file is None or not key_file.filename:
        return None
    data = await key_file.read(MAX_KEY_FILE_BYTES + 1)
    name = Path(key_file.filename).name
    if len(data) > MAX_KEY_FILE_BYTES:
        raise SigningKeyError("too large to be a key file", path=name)
    return await run_in_threadpool(signer_from_bytes, data, passphrase, source=name)


def save_rulebook(settings: Settings, contest_id: str, content: bytes) -> str:
    """Check an uploaded rulebook and keep it in the data folder; returns its path.

    Raises:
        RulebookError: not valid (file, line and key named); nothing is kept.
    """
    check_contest_id(contest_id)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RulebookError(f"not UTF-8 text ({error.reason})", path="uploaded rulebook") from None
    parse_rulebook(text, source="uploaded rulebook")
    folder = settings.data_dir / "rulebooks"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{contest_id}.toml"
    if path.exists():
        raise InputError(f"a rulebook for contest {contest_id!r} was already uploaded")
    path.write_text(text, encoding="utf-8")
    return str(path)


def _threshold_from(
    request: Request, contest_id: str, query: Mapping[str, str] | None = None
) -> tuple[Threshold | None, dict[str, str], str | None]:
    query = request.query_params if query is None else query
    fields = {k: query.get(k, "") for k in ("process", "body_size", "on")}
    if not fields["body_size"]:
        return None, fields, None
    try:
        threshold = nomination_threshold(
            _service(request),
            contest_id,
            process=fields["process"],
            body_size=_whole(fields["body_size"], "the nominating body's size"),
            on=_day(fields["on"]),
        )
    except (InputError, NotFoundError) as refused:
        return None, fields, str(refused)
    return threshold, fields, None


def _whole(text: str, what: str) -> int:
    if not text.strip().isdigit():
        raise InputError(f"{what} must be a whole number (got {text!r})")
    return int(text)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"a date must be YYYY-MM-DD (got {text!r})") from None


@pages.get("/contests/{contest_id}", response_class=HTMLResponse)
def contest_page(request: Request, contest_id: str) -> HTMLResponse:
    """One contest: its state, nominations, roll, turnout, paper batches, count."""
    require(request, Action.VIEW, changes=False)
    return _contest_page(request, contest_id)


def _contest_page(
    request: Request,
    contest_id: str,
    *,
    roll_report: RollReport | None = None,
    paper: PaperForm | None = None,
    lot: LotForm | None = None,
    envelopes: EnvelopeReport | None = None,
    nomination: NominationForm | None = None,
    reissue: ReissueForm | None = None,
    roll_form: RollForm | None = None,
    query: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    service = _service(request)
    view = contest_view(service, contest_id)
    threshold, threshold_fields, threshold_error = _threshold_from(request, contest_id, query)
    rulebook = load_rulebook(view.record.rulebook_ref)
    processes = [p for p in rulebook.processes if p.nomination_threshold]
    exclusions = service.exclusions(contest_id) if roll_report is None else ()
    return render(
        request,
        "official/contest.html",
        {
            "view": view,
            "threshold": threshold,
            "threshold_fields": threshold_fields,
            "threshold_error": threshold_error,
            "processes": processes,
            "nominations": progress(view.candidates, threshold),
            "roll_report": roll_report,
            "exclusions": exclusions,
            "batches": service.paper_batches(contest_id),
            "paper": paper or PaperForm(),
            "nomination": nomination or NominationForm(),
            "reissue": reissue or ReissueForm(),
            "roll_form": roll_form or RollForm(),
            "lot": lot,
            "lot_candidates": service.standing(contest_id) if lot else (),
            "envelopes": envelopes,
            "done": _done_message(request, contest_id),
            "candidate_numbers": list(enumerate(service.ballot_paper(contest_id)[1], start=1))
            if view.state.value in ("ballot_open", "ballot_closed")
            else [],
            "ledgers": service.store.paper_ledgers(contest_id)
            if view.state.value in ("ballot_open", "ballot_closed")
            else (),
            "published": (_settings(request).published_dir / contest_id / "result.json").is_file(),
            "credentials_issued": bool(view.record.params.get(CREDENTIALS_ISSUED)),
            "needs_key": service.signer is None,
            "confirm_first": [action for action, step in STEPS.items() if step.consequence],
            "key_fingerprint": key_fingerprint(service.public_key(contest_id)),
        },
        status_code=status_code,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """A lifecycle step as the officials' pages speak of it: asked before, told after."""

    heading: str
    verb: str
    consequence: str
    """What taking it does, on the page that asks to confirm it (empty: nothing to confirm)."""
    done: str
    """What happened, on the contest page afterwards."""


STEPS: dict[str, Step] = {
    LifecycleAction.OPEN_NOMINATIONS.value: Step(
        heading="Open nominations",
        verb="open nominations",
        consequence="",
        done="Nominations are open: record each candidate's nominations below.",
    ),
    LifecycleAction.CLOSE_NOMINATIONS.value: Step(
        heading="Close nominations",
        verb="close nominations",
        consequence="Candidates below the threshold become void and the others stand. No "
        "nomination or withdrawal can be recorded afterwards.",
        done="Nominations are closed: the candidates standing are fixed. Import the roll and "
        "issue the voting codes, then open the ballot.",
    ),
    LifecycleAction.OPEN_BALLOT.value: Step(
        heading="Open the ballot",
        verb="open the ballot",
        consequence="Voters can vote with their codes from now on. The candidates and the roll "
        "are fixed.",
        done="The ballot is open: voters can now vote with their codes.",
    ),
    LifecycleAction.CLOSE_BALLOT.value: Step(
        heading="Close the ballot",
        verb="close the ballot",
        consequence="No online vote and no returned postal envelope is accepted afterwards. "
        "Paper batches can still be entered until the count.",
        done="The ballot is closed: no more online votes are accepted. Enter any remaining "
        "paper batches, then count.",
    ),
    LifecycleAction.COUNT.value: Step(
        heading="Count the votes",
        verb="count the votes",
        consequence="The count is stored, and no paper batch can be entered afterwards.",
        done="The votes are counted: check the result, then declare it.",
    ),
    LifecycleAction.DECLARE.value: Step(
        heading="Declare the result",
        verb="declare the result",
        consequence="The result, the ballots and the signed declaration are published for "
        "anyone to read and check.",
        done="The result is declared, signed and published.",
    ),
}
"""Every lifecycle step by its action's name."""


def _confirm(
    request: Request,
    contest_id: str,
    action: str,
    *,
    post_to: str,
    fields: tuple[tuple[str, str], ...],
    details: tuple[str, ...] = (),
) -> HTMLResponse:
    """The page that asks to confirm a step that cannot be undone; nothing changes yet."""
    return render(
        request,
        "official/confirm.html",
        {
            "contest": _service(request).contest(contest_id),
            "step": STEPS[action],
            "post_to": post_to,
            "fields": fields,
            "details": details,
            "needs_key": _service(request).signer is None,
        },
    )


def _done(contest_id: str, action: str, anchor: str = "", **more: str) -> RedirectResponse:
    """Back to the contest page, which says what ``action`` did."""
    query = urlencode({"done": action, **more})
    return RedirectResponse(f"/official/contests/{contest_id}?{query}{anchor}", status_code=303)


def _done_message(request: Request, contest_id: str) -> str | None:
    """What the step just taken did (from the page's ``done`` query), or None."""
    done = request.query_params.get("done", "")
    if done in STEPS:
        return STEPS[done].done
    if done == "batch":
        label = request.query_params.get("batch", "")
        contest = _service(request).contest(contest_id)
        titles = dict(contest.voter_classes)
        for b in _service(request).paper_batches(contest_id):
            if b.label == label:
                return (
                    f"Batch {b.label!r} entered ({titles.get(b.voter_class, b.voter_class)}): "
                    f"{b.ballots:,} ballot{'' if b.ballots == 1 else 's'} and {b.spoilt:,} "
                    f"spoilt."
                )
    return None


@pages.post("/contests/{contest_id}/actions")
async def lifecycle_action(
    request: Request,
    contest_id: str,
    csrf_token: Annotated[str, Form(max_length=200)],
    action: Annotated[str, Form(max_length=50)],
    confirmed: Annotated[str, Form(max_length=10)] = "",
    key_file: UploadFile | None = None,
    key_passphrase: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Open nominations, open or close the ballot, count, or declare: each signed with the
    returning officer's key (from the form, or the one the server was started with).

    A step that cannot be undone is asked about first, on a page of its own (which asks for
    the key, if the server does not hold it): it is taken only when sent again with
    ``confirmed=yes``. A count stopped by a tie that only a lot can settle comes back on the
    contest page with the form for the order drawn (:func:`count_by_lot`).
    """
    session = require(request, Action.MANAGE, csrf=csrf_token)
    step = STEPS.get(action)
    if step is not None and step.consequence and confirmed != "yes":
        transition_for(LifecycleAction(action), _service(request).state(contest_id))
        return _confirm(
            request,
            contest_id,
            action,
            post_to=f"/official/contests/{contest_id}/actions",
            fields=(("action", action),),
        )
    signer = await uploaded_signer(key_file, key_passphrase)
    try:
        await run_in_threadpool(
            run_action, request, contest_id, action, actor=session.official.username, signer=signer
        )
    except UnresolvedTieError as tie:
        return _lot_needed(request, contest_id, LotForm.of(tie))
    return _done(contest_id, action)


@dataclass(frozen=True, slots=True, kw_only=True)
class LotForm:
    """The order drawn by lot that a count waits for, as sent and, if refused, why.

    ``tie`` says the tie in words; ``chosen`` is the order sent (a name a position, first
    drawn first, ``""`` for a position left empty).
    """

    tie: str
    chosen: tuple[str, ...] = ()
    error: str | None = None

    @classmethod
    def of(cls, tie: UnresolvedTieError) -> LotForm:
        """The form for a tie the count stopped at."""
        return cls(
            tie=f"Round {tie.round_number}: a tie to {tie.purpose} between "
            f"{', '.join(tie.candidates)} must be settled by lot."
        )


def _lot_needed(request: Request, contest_id: str, form: LotForm) -> HTMLResponse:
    return _contest_page(request, contest_id, lot=form, status_code=409 if not form.error else 422)


@pages.post("/contests/{contest_id}/lot", response_class=HTMLResponse)
async def count_by_lot(
    request: Request,
    contest_id: str,
    csrf_token: Annotated[str, Form(max_length=200)],
    tie: Annotated[str, Form(max_length=2000)] = "",
    lot: Annotated[list[str] | None, Form(max_length=200)] = None,
    key_file: UploadFile | None = None,
    key_passphrase: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Count with the order the returning officer drew by lot (every candidate standing,
    first drawn first); it is recorded in the audit log and published with the result.

    An order that is not every candidate once comes back on the page with the reason, and
    nothing is counted.
    """
    session = require(request, Action.MANAGE, csrf=csrf_token)
    chosen = tuple(name.strip() for name in lot or ())
    form = LotForm(tie=tie, chosen=chosen)
    drawn = [name for name in chosen if name]
    try:
        if not drawn:
            raise InputError("choose the candidate drawn at each position, first drawn first")
        signer = await uploaded_signer(key_file, key_passphrase)
        await run_in_threadpool(
            count_contest,
            _service(request),
            contest_id,
            lot=drawn,
            actor=session.official.username,
            signer=signer,
        )
    except UnresolvedTieError as still:
        return _lot_needed(request, contest_id, replace(LotForm.of(still), chosen=chosen))
    except InputError as refused:
        return _lot_needed(request, contest_id, replace(form, error=str(refused)))
    return _back_to(contest_id, "#h-actions")


def run_action(
    request: Request,
    contest_id: str,
    action: str,
    *,
    actor: str,
    lot: list[str] | None = None,
    signer: Signer | None = None,
) -> None:
    """Run a lifecycle action by its name (closing nominations has its own form), signed with
    ``signer`` or the server's own key; ``lot``, the order drawn by lot, goes to the count."""
    service = _service(request)
    if action == LifecycleAction.OPEN_NOMINATIONS.value:
        service.open_nominations(contest_id, actor=actor, signer=signer)
    elif action == LifecycleAction.OPEN_BALLOT.value:
        service.open_ballot(contest_id, actor=actor, signer=signer)
    elif action == LifecycleAction.CLOSE_BALLOT.value:
        service.close_ballot(contest_id, actor=actor, signer=signer)
    elif action == LifecycleAction.COUNT.value:
        count_contest(service, contest_id, lot=lot or None, actor=actor, signer=signer)
    elif action == LifecycleAction.DECLARE.value:
        declare_contest(
            service, contest_id, _settings(request).published_dir, actor=actor, signer=signer
        )
    else:
        raise InputError(
            f"unknown action {action!r} (one of: open nominations, open the ballot, "
            "close the ballot, count, declare; close nominations with its threshold)"
        )


@pages.post("/contests/{contest_id}/nominations")
def nominate(
    request: Request,
    contest_id: str,
    csrf_token: Annotated[str, Form(max_length=200)],
    name: Annotated[str, Form(max_length=200)],
    nominations: Annotated[str, Form(max_length=20)] = "",
    automatic: Annotated[str, Form(max_length=500)] = "",
    keep: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    """Record a candidate's nominations (or why they stand without any).

    A refused nomination records nothing and comes back on the contest page, filled in as it
    was sent, with each reason beside its field.
    """
    session = require(request, Action.MANAGE, csrf=csrf_token)
    keep = keep if "\n" not in keep else ""
    sent = NominationForm(name=name, nominations=nominations, automatic=automatic)
    service = _service(request)
    count: int | None = None
    problems: tuple[NominationProblem, ...] = ()
    if nominations.strip().isdigit():
        count = int(nominations.strip())
    elif nominations.strip():
        problems = (
            NominationProblem(
                field=NominationField.NOMINATIONS,
                message=f"nominations must be a whole number (got {nominations.strip()!r})",
            ),
        )
    if not problems:
        problems = nomination_problems(
            name,
            nominations=count,
            automatic=automatic,
            recorded=[c.name for c in service.candidates(contest_id)],
        )
    if not problems:
        try:
            service.nominate(
                contest_id,
                name,
                nominations=count,
                automatic=automatic.strip() or None,
                actor=session.official.username,
            )
        except InputError as refused:  # any other rule on names: said beside the name
            problems = (NominationProblem(field=NominationField.NAME, message=str(refused)),)
    if problems:
        return _contest_page(
            request,
            contest_id,
            nomination=replace(sent, problems=problems),
            query=dict(parse_qsl(keep)),
            status_code=422,
        )
    suffix = f"?{keep}" if keep else ""
    return RedirectResponse(f"/official/contests/{contest_id}{suffix}#nominations", status_code=303)


@dataclass(frozen=True, slots=True, kw_only=True)
class NominationForm:
    """The nomination form as it was submitted and, if it was refused, every reason why."""

    name: str = ""
    nominations: str = ""
    automatic: str = ""
    problems: tuple[NominationProblem, ...] = ()

    def error(self, field: str) -> str:
        """The reasons about one field (``name``, ``nominations``, ``automatic``), or ``""``."""
        return "; ".join(p.message for p in self.problems if p.field.value == field)


@pages.post("/contests/{contest_id}/withdrawals")
def withdraw(
    request: Request,
    contest_id: str,
    csrf_token: Annotated[str, Form(max_length=200)],
    name: Annotated[str, Form(max_length=200)],
) -> Response:
    """Record that a candidate withdrew."""
    session = require(request, Action.MANAGE, csrf=csrf_token)
    _service(request).withdraw(contest_id, name, actor=session.official.username)
    return _back_to(contest_id, "#nominations")


@pages.post("/contests/{contest_id}/reissue", response_class=HTMLResponse)
def reissue(
    request: Request,
    contest_id: str,
    csrf_token: Annotated[str, Form(max_length=200)],
    member_id: Annotated[str, Form(max_length=100)],
) -> HTMLResponse:
    """Re-issue one elector's voting code and show it, once."""
    session = require(request, Action.MANAGE, csrf=csrf_token)
    try:
        credential = _service(request).reissue_credential(
            contest_id, member_id.strip(), actor=session.official.username
        )
    except (NotFoundError, ContestError) as refused:  # said beside the member id, as typed
        status, _ = status_for(refused)
        form = ReissueForm(member_id=member_id, error=str(refused))
        return _contest_page(request, contest_id, reissue=form, status_code=status)
    return render(
        request,
        "official/reissued.html",
        {"contest_id": contest_id, "member_id": member_id.strip(), "credential": credential},
        no_store=True,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ReissueForm:
    """The re-issue form as it was submitted and, if refused, why (no such member, say)."""

    member_id: str = ""
    error: str | None = None


@pages.post("/contests/{contest_id}/close-nominations")
async def close_nominations(
    request: Request,
    contest_id: str,
    csrf_token: Annotated[str, Form(max_length=200)],
    process: Annotated[str, Form(max_length=100)],
    body_size: Annotated[str, Form(max_length=20)],
    on: Annotated[str, Form(max_length=20)],
    confirmed: Annotated[str, Form(max_length=10)] = "",
    key_file: UploadFile | None = None,
    key_passphrase: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Close nominations against the rulebook's threshold: those below it are void (a step
    signed with the returning officer's key).

    Asked about first, on a page listing who would stand and who would be void (and asking
    for the key, if the server does not hold it).
    """
    session = require(request, Action.MANAGE, csrf=csrf_token)
    threshold = nomination_threshold(
        _service(request),
        contest_id,
        process=process,
        body_size=_whole(body_size, "the nominating body's size"),
        on=_day(on),
    )
    if confirmed != "yes":
        action = LifecycleAction.CLOSE_NOMINATIONS
        transition_for(action, _service(request).state(contest_id))
        return _confirm(
            request,
            contest_id,
            action.value,
            post_to=f"/official/contests/{contest_id}/close-nominations",
            fields=(("process", process), ("body_size", body_size), ("on", on)),
            details=(
                f"Threshold: {threshold.value:,} nominations ({threshold.arithmetic})",
                *_who_stands(_service(request), contest_id, threshold.value),
            ),
        )
    signer = await uploaded_signer(key_file, key_passphrase)
    await run_in_threadpool(
        _service(request).close_nominations,
        contest_id,
        threshold=threshold.value,
        basis=threshold.basis,
        actor=session.official.username,
        signer=signer,
    )
    return _done(contest_id, LifecycleAction.CLOSE_NOMINATIONS.value, "#nominations")


def _who_stands(service: ContestService, contest_id: str, threshold: int) -> tuple[str, ...]:
    """Each candidate and what closing nominations at ``threshold`` makes of them."""
    lines: list[str] = []
    for c in service.candidates(contest_id):
        if c.status == CandidateStatus.NOMINATED.value:
            got = c.nominations or 0
            verdict = "stands" if got >= threshold else "void"
            lines.append(f"{c.name}: {got:,} nominations, {verdict}")
        elif c.status == CandidateStatus.STANDING.value:
            lines.append(f"{c.name}: stands ({c.basis})")
        else:
            lines.append(f"{c.name}: {c.status}")
    return tuple(lines)


@pages.post("/contests/{contest_id}/roll", response_class=HTMLResponse)
async def import_roll(
    request: Request,
    contest_id: str,
    csrf_token: Annotated[str, Form(max_length=200)],
    roll: UploadFile,
    on: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Import the roll from an uploaded CSV file and show the import report.

    A refused file imports nothing and comes back on the contest page with the reason (the
    file as uploaded, and its line) beside the file field, and the date as typed.
    """
    session = require(request, Action.MANAGE, csrf=csrf_token)
    try:
        report = await run_roll_import(
            request,
            contest_id,
            roll,
            on=_day(on) if on.strip() else None,
            actor=session.official.username,
        )
    except RollImportError as refused:
        status, _ = status_for(refused)
        form = RollForm(on=on, error=str(refused))
        return _contest_page(request, contest_id, roll_form=form, status_code=status)
    return _contest_page(request, contest_id, roll_report=report)


@dataclass(frozen=True, slots=True, kw_only=True)
class RollForm:
    """The roll form as it was submitted (a file cannot be sent back) and why it was refused."""

    on: str = ""
    error: str | None = None


async def run_roll_import(
    request: Request, contest_id: str, roll: UploadFile, *, on: dt.date | None, actor: str
) -> RollReport:
    """Save an uploaded roll to a private temporary file and import it."""
    with tempfile.TemporaryDirectory(prefix="mandate-roll-") as folder:
        name = Path(roll.filename or "roll.csv").name or "roll.csv"
        path = Path(folder) / name
        with path.open("wb") as handle:
            while chunk := await roll.read(1 << 20):
                handle.write(chunk)
        return import_uploaded_roll(_service(request), contest_id, path, name, on=on, actor=actor)


def import_uploaded_roll(
    service: ContestService,
    contest_id: str,
    path: Path,
    name: str,
    *,
    on: dt.date | None,
    actor: str,
) -> RollReport:
    """Import a roll saved from an upload; an error names the file as uploaded (``name``),
    never the server's temporary path.

    Raises:
        RollImportError: a bad file, named ``name`` with its line; nothing is imported.
    """
    try:
        return service.import_roll(contest_id, [path], on=on, actor=actor)
    except RollImportError as refused:
        raise RollImportError(
            refused.detail.replace(str(path), name).replace(str(path.parent), "the upload"),
            path=None if refused.path is None else name,
            line=refused.line,
            where=refused.where,
        ) from None


@pages.post("/contests/{contest_id}/credentials")
def issue_credentials(
    request: Request, contest_id: str, csrf_token: Annotated[str, Form(max_length=200)]
) -> Response:
    """Issue every elector's credential and download them, once, as CSV for mailing."""
    session = require(request, Action.MANAGE, csrf=csrf_token)
    content = export_credentials(request, contest_id, actor=session.official.username)
    return Response(
        content,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{contest_id}-credentials.csv"',
            "Cache-Control": "no-store",
        },
    )


def export_credentials(request: Request, contest_id: str, *, actor: str) -> bytes:
    """Issue the credentials into a private temporary file, read them, and delete it.

    The server keeps no copy: only the keyed hashes stay in the database.
    """
    with tempfile.TemporaryDirectory(prefix="mandate-credentials-") as folder:
        path = Path(folder) / "credentials.csv"
        _service(request).issue_credentials(contest_id, path, actor=actor)
        return path.read_bytes()


class PaperField(enum.StrEnum):
    """The paper-batch form's fields, by the id of their control on the contest page."""

    LABEL = "batch-label"
    VOTER_CLASS = "batch-class"
    BALLOTS = "batch-ballots"
    SPOILT = "batch-spoilt"


@dataclass(frozen=True, slots=True, kw_only=True)
class PaperForm:
    """The paper-batch form as it was submitted and, if the batch was refused, why.

    ``field`` is the control the refusal is about (``None``: the batch as a whole) and ``line``
    the line of the typed ballots at fault (ballot *n* is line *n*).
    """

    label: str = ""
    voter_class: str = ""
    ballots: str = ""
    spoilt: str = "0"
    error: str | None = None
    field: PaperField | None = None
    line: int | None = None

    @property
    def line_typed(self) -> str:
        """What was typed on the line at fault (empty if none is, or it is blank)."""
        lines = self.ballots.splitlines()
        if self.line is None or not 1 <= self.line <= len(lines):
            return ""
        return lines[self.line - 1].strip()


@pages.post("/contests/{contest_id}/paper-batches", response_class=HTMLResponse)
def paper_batch(
    request: Request,
    contest_id: str,
    csrf_token: Annotated[str, Form(max_length=200)],
    label: Annotated[str, Form(max_length=200)],
    voter_class: Annotated[str, Form(max_length=100)],
    ballots: Annotated[str, Form(max_length=1_000_000)] = "",
    spoilt: Annotated[str, Form(max_length=50)] = "0",
) -> Response:
    """Enter a batch of paper ballots: one ballot a line, preferences separated by '>'.

    A refused batch stores nothing and comes back on the contest page, filled in as it was
    sent, with the reason next to the field (and the line) at fault.
    """
    session = require(request, Action.ENTER_PAPER, csrf=csrf_token)
    sent = PaperForm(label=label, voter_class=voter_class, ballots=ballots, spoilt=spoilt)
    try:
        count = _whole(spoilt or "0", "spoilt ballots")
    except InputError as refused:
        wrong = replace(sent, error=str(refused), field=PaperField.SPOILT)
        return _paper_refused(request, contest_id, wrong, refused)
    service = _service(request)
    try:
        batch = service.enter_paper_batch(
            contest_id,
            label=label,
            voter_class=voter_class,
            ballots=resolve_paper_ballots(
                parse_paper_ballots(ballots), service.ballot_paper(contest_id)[1], label.strip()
            ),
            spoilt=count,
            actor=session.official.username,
        )
    except BallotFormatError as refused:
        # The form names the line itself: the message without its "ballots, line n: ".
        wrong = replace(sent, error=refused.detail, field=PaperField.BALLOTS, line=refused.line)
        return _paper_refused(request, contest_id, wrong, refused)
    except (UnknownCandidateError, AmbiguousCandidateError, InvalidBallotError) as refused:
        wrong = replace(sent, error=str(refused), field=PaperField.BALLOTS, line=refused.ballot)
        return _paper_refused(request, contest_id, wrong, refused)
    except PaperBatchError as refused:
        fields = {"label": PaperField.LABEL, "spoilt": PaperField.SPOILT}
        wrong = replace(sent, error=str(refused), field=fields.get(refused.field or ""))
        return _paper_refused(request, contest_id, wrong, refused)
    except InputError as refused:
        return _paper_refused(request, contest_id, replace(sent, error=str(refused)), refused)
    return _done(contest_id, "batch", "#paper", batch=batch.label)


@dataclass(frozen=True, slots=True, kw_only=True)
class EnvelopeReport:
    """Returned postal envelopes as recorded: how many were accepted, and why each other was
    refused (its ballot paper is set aside unopened)."""

    accepted: int
    refused: tuple[str, ...]


@pages.post("/contests/{contest_id}/envelopes", response_class=HTMLResponse)
def envelopes(
    request: Request,
    contest_id: str,
    csrf_token: Annotated[str, Form(max_length=200)],
    credentials: Annotated[str, Form(max_length=1_000_000)],
) -> Response:
    """Record returned postal envelopes by the voting codes on them, one a line: their
    electors are marked as voted, and as many paper ballots of their class may be entered."""
    session = require(request, Action.ENTER_PAPER, csrf=csrf_token)
    codes = [line.strip() for line in credentials.splitlines() if line.strip()]
    if not codes:
        raise InputError("type the voting code of each returned envelope, one a line")
    outcomes = _service(request).record_envelopes(
        contest_id, codes, actor=session.official.username
    )
    refused = tuple(o for o in outcomes if o)
    report = EnvelopeReport(accepted=len(outcomes) - len(refused), refused=refused)
    return _contest_page(request, contest_id, envelopes=report)


def _paper_refused(
    request: Request, contest_id: str, form: PaperForm, refused: InputError
) -> HTMLResponse:
    """The contest page again, the form filled in as sent and the refusal shown on it."""
    status, _ = status_for(refused)
    return _contest_page(request, contest_id, paper=form, status_code=status)


def parse_paper_ballots(text: str) -> list[list[str]]:
    r"""Ballots typed one a line, preferences in order separated by ``>``.

    Ballot *n* is line *n*, so that an error about "ballot 7" points at the seventh line the
    official typed: blank lines after the last ballot are dropped, a blank line before it is
    refused (a blank paper is spoilt and goes in the spoilt count).

    Raises:
        BallotFormatError: a blank line before the last ballot (its ``line`` named); nothing
            is entered.

    >>> parse_paper_ballots("Ann > Bob\nBob\n\n")
    [['Ann', 'Bob'], ['Bob']]
    """
    lines = text.rstrip().splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            raise BallotFormatError(
                "this line is blank: type one ballot a line with no blank lines between, and "
                "count a blank or spoilt paper under spoilt ballots",
                path="ballots",
                line=number,
            )
    return [[name.strip() for name in line.split(">")] for line in lines]


def resolve_paper_ballots(
    ballots: list[list[str]], standing: tuple[str, ...], label: str
) -> list[list[str]]:
    """Each typed choice as the candidate it means: by number or by name, accents, case and
    spacing forgiven when one candidate only matches
    (:func:`~mandate.service.paper.match_candidate`).

    Raises:
        UnknownCandidateError, AmbiguousCandidateError: naming the ballot (its line).
    """
    return [
        [match_candidate(t, standing, where=f"{label}: ballot {n}", ballot=n) for t in choices]
        for n, choices in enumerate(ballots, start=1)
    ]
