"""Officials' pages: sign in and out, the dashboard, and each contest's administration."""

from __future__ import annotations

import datetime as dt
import enum
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from mandate.config import Settings
from mandate.crypto import Signer, key_fingerprint
from mandate.errors import (
    AccessDeniedError,
    BallotFormatError,
    InputError,
    InvalidBallotError,
    NotFoundError,
    RulebookError,
    SigningKeyError,
    UnknownCandidateError,
)
from mandate.rules import load_rulebook, parse_rulebook, shipped_rulebooks
from mandate.service import ContestService, RollReport
from mandate.service.access import Action
from mandate.service.contests import CREDENTIALS_ISSUED
from mandate.service.keys import new_key_file, signer_from_bytes
from mandate.service.lifecycle import Action as LifecycleAction
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
    "PaperField",
    "PaperForm",
    "export_credentials",
    "make_key_file",
    "pages",
    "parse_paper_ballots",
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
    ref = save_rulebook(_settings(request), contest_id.strip(), upload) if upload else rulebook
    if not ref:
        raise InputError("choose a shipped rulebook or upload one")
    _service(request).create_contest(
        contest_id=contest_id.strip(),
        rulebook_ref=ref,
        title=title.strip() or None,
        actor=session.official.username,
        signer=signer,
    )
    return _back_to(contest_id.strip())


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
    if not contest_id or not all(c.isalnum() or c in "-_." for c in contest_id):
        raise InputError(
            f"contest id must be letters, digits, '-', '_' or '.' (got {contest_id!r})"
        )
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
    request: Request, contest_id: str
) -> tuple[Threshold | None, dict[str, str], str | None]:
    query = request.query_params
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
    status_code: int = 200,
) -> HTMLResponse:
    service = _service(request)
    view = contest_view(service, contest_id)
    threshold, threshold_fields, threshold_error = _threshold_from(request, contest_id)
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
            "published": (_settings(request).published_dir / contest_id / "result.json").is_file(),
            "credentials_issued": bool(view.record.params.get(CREDENTIALS_ISSUED)),
            "needs_key": service.signer is None,
            "key_fingerprint": key_fingerprint(service.public_key(contest_id)),
        },
        status_code=status_code,
    )


@pages.post("/contests/{contest_id}/actions")
async def lifecycle_action(
    request: Request,
    contest_id: str,
    csrf_token: Annotated[str, Form(max_length=200)],
    action: Annotated[str, Form(max_length=50)],
    key_file: UploadFile | None = None,
    key_passphrase: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Open nominations, open or close the ballot, count, or declare: each signed with the
    returning officer's key (from the form, or the one the server was started with)."""
    session = require(request, Action.MANAGE, csrf=csrf_token)
    signer = await uploaded_signer(key_file, key_passphrase)
    await run_in_threadpool(
        run_action, request, contest_id, action, actor=session.official.username, signer=signer
    )
    return _back_to(contest_id)


def run_action(
    request: Request, contest_id: str, action: str, *, actor: str, signer: Signer | None = None
) -> None:
    """Run a lifecycle action by its name (closing nominations has its own form), signed with
    ``signer`` or the server's own key."""
    service = _service(request)
    if action == LifecycleAction.OPEN_NOMINATIONS.value:
        service.open_nominations(contest_id, actor=actor, signer=signer)
    elif action == LifecycleAction.OPEN_BALLOT.value:
        service.open_ballot(contest_id, actor=actor, signer=signer)
    elif action == LifecycleAction.CLOSE_BALLOT.value:
        service.close_ballot(contest_id, actor=actor, signer=signer)
    elif action == LifecycleAction.COUNT.value:
        count_contest(service, contest_id, actor=actor, signer=signer)
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
    """Record a candidate's nominations (or why they stand without any)."""
    session = require(request, Action.MANAGE, csrf=csrf_token)
    count = _whole(nominations, "nominations") if nominations.strip() else None
    _service(request).nominate(
        contest_id,
        name,
        nominations=count,
        automatic=automatic.strip() or None,
        actor=session.official.username,
    )
    suffix = f"?{keep}" if keep and "\n" not in keep else ""
    return RedirectResponse(f"/official/contests/{contest_id}{suffix}#nominations", status_code=303)


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
    credential = _service(request).reissue_credential(
        contest_id, member_id.strip(), actor=session.official.username
    )
    return render(
        request,
        "official/reissued.html",
        {"contest_id": contest_id, "member_id": member_id.strip(), "credential": credential},
        no_store=True,
    )


@pages.post("/contests/{contest_id}/close-nominations")
async def close_nominations(
    request: Request,
    contest_id: str,
    csrf_token: Annotated[str, Form(max_length=200)],
    process: Annotated[str, Form(max_length=100)],
    body_size: Annotated[str, Form(max_length=20)],
    on: Annotated[str, Form(max_length=20)],
    key_file: UploadFile | None = None,
    key_passphrase: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Close nominations against the rulebook's threshold: those below it are void (a step
    signed with the returning officer's key)."""
    session = require(request, Action.MANAGE, csrf=csrf_token)
    signer = await uploaded_signer(key_file, key_passphrase)
    threshold = nomination_threshold(
        _service(request),
        contest_id,
        process=process,
        body_size=_whole(body_size, "the nominating body's size"),
        on=_day(on),
    )
    await run_in_threadpool(
        _service(request).close_nominations,
        contest_id,
        threshold=threshold.value,
        basis=threshold.basis,
        actor=session.official.username,
        signer=signer,
    )
    return _back_to(contest_id, "#nominations")


@pages.post("/contests/{contest_id}/roll", response_class=HTMLResponse)
async def import_roll(
    request: Request,
    contest_id: str,
    csrf_token: Annotated[str, Form(max_length=200)],
    roll: UploadFile,
    on: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Import the roll from an uploaded CSV file and show the import report."""
    session = require(request, Action.MANAGE, csrf=csrf_token)
    report = await run_roll_import(
        request,
        contest_id,
        roll,
        on=_day(on) if on.strip() else None,
        actor=session.official.username,
    )
    return _contest_page(request, contest_id, roll_report=report)


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
        return _service(request).import_roll(contest_id, [path], on=on, actor=actor)


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
    spoilt: Annotated[str, Form(max_length=20)] = "0",
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
    try:
        _service(request).enter_paper_batch(
            contest_id,
            label=label,
            voter_class=voter_class,
            ballots=parse_paper_ballots(ballots),
            spoilt=count,
            actor=session.official.username,
        )
    except BallotFormatError as refused:
        # The form names the line itself: the message without its "ballots, line n: ".
        wrong = replace(sent, error=refused.detail, field=PaperField.BALLOTS, line=refused.line)
        return _paper_refused(request, contest_id, wrong, refused)
    except (UnknownCandidateError, InvalidBallotError) as refused:
        wrong = replace(sent, error=str(refused), field=PaperField.BALLOTS, line=refused.ballot)
        return _paper_refused(request, contest_id, wrong, refused)
    except InputError as refused:
        return _paper_refused(request, contest_id, replace(sent, error=str(refused)), refused)
    return _back_to(contest_id, "#paper")


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
