"""The REST API under ``/api``: the same operations as the pages, errors as RFC 9457 problems.

Officials sign in with ``POST /api/session`` (a session cookie, and a CSRF token to send back
as ``X-CSRF-Token`` on every request that changes something); voters cast with
``POST /api/ballots`` and their voting code, no session needed.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi import Path as InPath
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from mandate.ballots.names import CANDIDATE_NAME_PATTERN, MAX_NAME_LENGTH
from mandate.crypto import Signer
from mandate.errors import InputError
from mandate.ids import CONTEST_ID_PATTERN
from mandate.rules.load import shipped_rulebooks
from mandate.service import ContestService
from mandate.service.access import Action
from mandate.service.contests import CREDENTIALS_ISSUED
from mandate.service.keys import signer_from_bytes
from mandate.service.lifecycle import Action as LifecycleAction
from mandate.service.nominations import MAX_NOMINATIONS
from mandate.service.paper import MAX_SPOILT
from mandate.web import apidocs
from mandate.web.auth import (
    CHANGES,
    CSRF_HEADER,
    SIGNED_IN,
    access_of,
    clear_session_cookie,
    client_address,
    official_session,
    require,
    set_session_cookie,
)
from mandate.web.dashboard import contest_view, nomination_threshold, progress
from mandate.web.official import (
    export_credentials,
    import_uploaded_roll,
    run_action,
    save_rulebook,
    shipped_rulebook,
)
from mandate.web.problems import problem_responses
from mandate.web.voter import ballot_paper, cast_checked, open_contests, service_of

__all__ = ["api"]

api = APIRouter(prefix="/api")
api.include_router(apidocs.pages)  # GET /api/docs: this API, documented for people

CONTEST_ID = f"^{CONTEST_ID_PATTERN.pattern}$"
"""A contest id as the schema declares it: the pattern the store checks, anchored."""

ContestIdIn = Annotated[
    str,
    InPath(
        pattern=CONTEST_ID,
        max_length=100,
        description="The contest's id: a letter or digit, then letters, digits, '.', '_', '-'.",
    ),
]
"""A contest id in the address (refused with 422, like the store refuses it, if malformed)."""

CandidateName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_NAME_LENGTH,
        json_schema_extra={"pattern": CANDIDATE_NAME_PATTERN},
    ),
]
"""A candidate's name, as :func:`mandate.ballots.names.check_candidate_name` accepts it. The
schema carries the pattern; the server checks it with ``check_candidate_name`` itself, whose
refusal says in words which character and why (a regular expression would not)."""


def _whole(value: object) -> object:
    """JSON has one kind of number: ``3.0`` is the integer 3 (as JSON Schema says); ``3.5``,
    ``true`` and ``"3"`` are not integers and are refused."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Whole = Annotated[int, BeforeValidator(_whole), Field(strict=True)]
"""An integer field: a whole number, never a boolean or a string of digits."""

RUNNABLE_ACTIONS = tuple(
    a.value for a in LifecycleAction if a is not LifecycleAction.CLOSE_NOMINATIONS
)
"""The lifecycle actions ``POST …/actions`` takes (closing nominations has its own address,
with its threshold)."""

# Who may be refused with what (the problem body is the same for all: problems.Problem).
OFFICIAL_READ = problem_responses(401, 403, 404, 422)
OFFICIAL_CHANGE = problem_responses(400, 401, 403, 404, 409, 413, 422)


def _contest_links() -> dict[str, dict[str, Any]]:
    """OpenAPI links from a contest just created to what can be done with it next."""
    targets = {
        "GetContest": ("/contests/{contest_id}", "get"),
        "TakeAction": ("/contests/{contest_id}/actions", "post"),
        "Nominate": ("/contests/{contest_id}/nominations", "post"),
        "Withdraw": ("/contests/{contest_id}/withdrawals", "post"),
        "Threshold": ("/contests/{contest_id}/threshold", "post"),
        "CloseNominations": ("/contests/{contest_id}/close-nominations", "post"),
        "ImportRoll": ("/contests/{contest_id}/roll", "put"),
        "IssueCredentials": ("/contests/{contest_id}/credentials", "post"),
        "Turnout": ("/contests/{contest_id}/turnout", "get"),
        "EnterPaperBatch": ("/contests/{contest_id}/paper-batches", "post"),
        "RecordEnvelopes": ("/contests/{contest_id}/envelopes", "post"),
    }
    return {
        name: {
            "operationRef": "#/paths/" + ("/api" + path).replace("/", "~1") + "/" + method,
            "parameters": {"contest_id": "$response.body#/id"},
        }
        for name, (path, method) in targets.items()
    }


CONTEST_LINKS = _contest_links()
"""Where a client goes next with a contest's ``id`` (Schemathesis follows these too)."""


class SignIn(BaseModel):
    """An official's username and password."""

    username: str = Field(max_length=100)
    password: str = Field(max_length=1000)


class SessionInfo(BaseModel):
    """The signed-in official, and the CSRF token to send as ``X-CSRF-Token``."""

    username: str
    role: str
    csrf_token: str
    expires_at: int


@api.post(
    "/session",
    response_model=SessionInfo,
    tags=["officials"],
    responses=problem_responses(400, 401, 413, 422, 429),
)
def api_sign_in(request: Request, response: Response, body: SignIn) -> dict[str, Any]:
    """Sign in as an official: sets the session cookie and returns the CSRF token."""
    session = access_of(request).sign_in(
        body.username.strip(), body.password, client=client_address(request)
    )
    set_session_cookie(request, response, session)
    return {
        "username": session.official.username,
        "role": session.official.role.value,
        "csrf_token": session.csrf_token,
        "expires_at": session.expires_at,
    }


@api.get(
    "/session",
    response_model=SessionInfo,
    tags=["officials"],
    responses=problem_responses(401),
    openapi_extra=SIGNED_IN,
)
def api_session(request: Request) -> dict[str, Any]:
    """The signed-in official (401 if none)."""
    session = official_session(request)
    return {
        "username": session.official.username,
        "role": session.official.role.value,
        "csrf_token": session.csrf_token,
        "expires_at": session.expires_at,
    }


@api.delete(
    "/session",
    status_code=204,
    tags=["officials"],
    responses=problem_responses(401, 403, 413),
    openapi_extra=CHANGES,
)
def api_sign_out(request: Request) -> Response:
    """Sign out (needs the CSRF token)."""
    session = official_session(request)
    session.check_csrf(request.headers.get(CSRF_HEADER))
    access_of(request).sign_out(session.token)
    response = Response(status_code=204)
    clear_session_cookie(response)
    return response


# -- voters ------------------------------------------------------------------------------------


class BallotIn(BaseModel):
    """A ballot: the voting code and the candidates in order of preference."""

    credential: str = Field(max_length=100, description="The voting code the voter was sent.")
    ranking: list[str] = Field(
        max_length=200,
        description="Candidates (as named on the ballot) in order of preference, first first.",
    )
    contest: str | None = Field(
        default=None,
        pattern=CONTEST_ID,
        max_length=100,
        description="The contest (found from the code if omitted).",
    )


class ReceiptOut(BaseModel):
    """The receipt: the tracker to look the ballot up in the published records."""

    contest: str
    tracker: str
    cast_on: str


@api.post(
    "/ballots",
    status_code=201,
    response_model=ReceiptOut,
    tags=["voters"],
    responses=problem_responses(400, 403, 404, 409, 413, 422, 429),
)
def api_cast(request: Request, body: BallotIn) -> dict[str, Any]:
    """Cast a ballot (refused: 403 bad code, 409 already voted or ballot closed, 422 invalid)."""
    receipt = cast_checked(request, body.credential.strip(), body.ranking, body.contest)
    return {
        "contest": receipt.contest_id,
        "tracker": receipt.tracker,
        "cast_on": receipt.cast_on.isoformat(),
    }


@api.get("/ballot", tags=["voters"])
def api_open_ballots(request: Request) -> dict[str, Any]:
    """The contests open for voting, each with its candidates in ballot-paper order."""
    service = service_of(request)
    return {
        "contests": [
            {
                "id": paper.id,
                "title": paper.title,
                "candidates": list(paper.names),
            }
            for paper in (ballot_paper(service, c["id"]) for c in open_contests(service))
        ]
    }


# -- officials: contests -----------------------------------------------------------------------


class SignedIn(BaseModel):
    """A step signed with the returning officer's key: the key file's text and passphrase,
    used for this request only, unless the server was started with the key."""

    key_file: str | None = Field(
        default=None, max_length=16_384, description="The key file's content (mandate-key/1)."
    )
    key_passphrase: str | None = Field(default=None, max_length=1000)

    def signer(self) -> Signer | None:
        """The key of this request, if one was given."""
        if self.key_file is None:
            return None
        return signer_from_bytes(
            self.key_file.encode("utf-8"), self.key_passphrase or "", source="key_file"
        )


def _given(name: str, kind: str) -> dict[str, Any]:
    """The JSON schema of "``name`` is given, as a ``kind``" (``null`` counts as not given,
    as the server reads it), for saying in a ``oneOf`` branch that the other field is not."""
    return {"required": [name], "properties": {name: {"type": kind}}}


class ContestIn(SignedIn):
    """A new contest: its id, and a shipped rulebook's name or a rulebook's TOML text."""

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {
                    "required": ["rulebook"],
                    "properties": {
                        "rulebook": {"type": "string", "enum": list(shipped_rulebooks())}
                    },
                    "not": _given("rulebook_text", "string"),
                },
                {
                    "required": ["rulebook_text"],
                    "properties": {"rulebook_text": {"type": "string"}},
                    "not": _given("rulebook", "string"),
                },
            ]
        }
    )

    contest_id: str = Field(pattern=CONTEST_ID, max_length=100)
    title: str | None = Field(default=None, max_length=300)
    rulebook: str | None = Field(default=None, max_length=100, description="A shipped rulebook.")
    rulebook_text: str | None = Field(
        default=None, max_length=1_000_000, description="Or the TOML of a rulebook to upload."
    )
    params: dict[str, str] | None = None


class ActionIn(SignedIn):
    """A lifecycle action: ``open nominations``, ``open the ballot``, ``close the ballot``,
    ``count`` or ``declare`` (close nominations with ``POST …/close-nominations``)."""

    action: str = Field(max_length=50, json_schema_extra={"enum": list(RUNNABLE_ACTIONS)})
    lot: list[CandidateName] | None = Field(
        default=None,
        max_length=1000,
        description="For `count`: the order drawn by lot, every candidate standing once, "
        "first drawn first (a count stopped by a tie to settle by lot answers 409).",
    )


class NominationIn(BaseModel):
    """A candidate's valid nominations, or why they stand without any (one of the two)."""

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {
                    "required": ["nominations"],
                    "properties": {"nominations": {"type": "integer"}},
                    "not": _given("automatic", "string"),
                },
                {
                    "required": ["automatic"],
                    "properties": {"automatic": {"type": "string", "pattern": r"\S"}},
                    "not": _given("nominations", "integer"),
                },
            ]
        }
    )

    name: CandidateName
    nominations: (
        Annotated[int, Field(strict=True, ge=0, le=MAX_NOMINATIONS), BeforeValidator(_whole)] | None
    ) = None
    automatic: str | None = Field(default=None, max_length=500)


class ThresholdIn(BaseModel):
    """The process and the nominating body's size on a date, to work out the threshold."""

    process: str = Field(max_length=100)
    body_size: Whole = Field(ge=1)
    on: dt.date


class CloseNominationsIn(ThresholdIn, SignedIn):
    """The threshold's process, body size and date, and the key to sign the close with."""


class PaperBatchIn(BaseModel):
    """A batch of paper ballots of one class of voter."""

    label: str = Field(max_length=200)
    voter_class: str = Field(max_length=100)
    ballots: list[list[str]] = Field(max_length=100_000)
    spoilt: Whole = Field(default=0, ge=0, le=MAX_SPOILT)


class EnvelopesIn(BaseModel):
    """The voting codes printed on returned postal envelopes."""

    credentials: list[Annotated[str, Field(max_length=100)]] = Field(
        min_length=1, max_length=100_000
    )


def _contest_json(service: ContestService, contest_id: str) -> dict[str, Any]:
    view = contest_view(service, contest_id)
    return {
        "id": view.record.id,
        "title": view.record.title,
        "rulebook": view.record.rulebook_id,
        "state": view.state.value,
        "allowed_actions": list(view.actions),
        "voter_classes": [{"id": i, "title": t} for i, t in view.record.voter_classes],
        "candidates": [
            {
                "name": c.name,
                "status": c.status,
                "nominations": c.nominations,
                "basis": c.basis,
            }
            for c in view.candidates
        ],
        "electors": view.electors,
        "voted": view.voted,
        "credentials_issued": bool(view.record.params.get(CREDENTIALS_ISSUED)),
    }


@api.get(
    "/contests", tags=["officials"], responses=problem_responses(401, 403), openapi_extra=SIGNED_IN
)
def api_contests(request: Request) -> list[dict[str, Any]]:
    """Every contest with its state (any official)."""
    require(request, Action.VIEW, changes=False)
    return [
        {"id": c.id, "title": c.title, "rulebook": c.rulebook_id, "state": c.state}
        for c in service_of(request).list_contests()
    ]


@api.post(
    "/contests",
    status_code=201,
    tags=["officials"],
    responses={
        201: {"description": "The contest, in draft.", "links": CONTEST_LINKS},
        **OFFICIAL_CHANGE,
    },
    openapi_extra=CHANGES,
)
def api_create_contest(request: Request, body: ContestIn) -> dict[str, Any]:
    """Create a contest in draft from a shipped rulebook or uploaded rulebook text."""
    session = require(request, Action.MANAGE)
    if (body.rulebook is None) == (body.rulebook_text is None):
        raise InputError("give exactly one of 'rulebook' (a shipped name) and 'rulebook_text'")
    ref = (
        shipped_rulebook(body.rulebook)
        if body.rulebook is not None
        else save_rulebook(
            request.app.state.settings, body.contest_id, (body.rulebook_text or "").encode()
        )
    )
    service = service_of(request)
    service.create_contest(
        contest_id=body.contest_id,
        rulebook_ref=ref,
        title=body.title,
        params=body.params,
        actor=session.official.username,
        signer=body.signer(),
    )
    return _contest_json(service, body.contest_id)


@api.get(
    "/contests/{contest_id}", tags=["officials"], responses=OFFICIAL_READ, openapi_extra=SIGNED_IN
)
def api_contest(request: Request, contest_id: ContestIdIn) -> dict[str, Any]:
    """A contest: state, allowed actions, candidates, electors and votes so far."""
    require(request, Action.VIEW, changes=False)
    return _contest_json(service_of(request), contest_id)


@api.post(
    "/contests/{contest_id}/actions",
    tags=["officials"],
    responses=OFFICIAL_CHANGE,
    openapi_extra=CHANGES,
)
def api_action(request: Request, contest_id: ContestIdIn, body: ActionIn) -> dict[str, Any]:
    """Take a lifecycle step (refused with 409 and the rule when the state does not allow it)."""
    session = require(request, Action.MANAGE)
    run_action(
        request,
        contest_id,
        body.action,
        actor=session.official.username,
        lot=body.lot,
        signer=body.signer(),
    )
    return _contest_json(service_of(request), contest_id)


@api.post(
    "/contests/{contest_id}/nominations",
    status_code=201,
    tags=["officials"],
    responses=OFFICIAL_CHANGE,
    openapi_extra=CHANGES,
)
def api_nominate(request: Request, contest_id: ContestIdIn, body: NominationIn) -> dict[str, Any]:
    """Record a candidate's nominations (while nominations are open)."""
    session = require(request, Action.MANAGE)
    record = service_of(request).nominate(
        contest_id,
        body.name,
        nominations=body.nominations,
        automatic=body.automatic,
        actor=session.official.username,
    )
    return {"name": record.name, "status": record.status, "nominations": record.nominations}


class WithdrawalIn(BaseModel):
    """A candidate who withdrew while nominations were open."""

    name: CandidateName


@api.post(
    "/contests/{contest_id}/withdrawals",
    tags=["officials"],
    responses=OFFICIAL_CHANGE,
    openapi_extra=CHANGES,
)
def api_withdraw(request: Request, contest_id: ContestIdIn, body: WithdrawalIn) -> dict[str, Any]:
    """Record a withdrawal (while nominations are open)."""
    session = require(request, Action.MANAGE)
    service = service_of(request)
    service.withdraw(contest_id, body.name, actor=session.official.username)
    return _contest_json(service, contest_id)


@api.post(
    "/contests/{contest_id}/threshold",
    tags=["officials"],
    responses=problem_responses(400, 401, 403, 404, 413, 422),
    openapi_extra=SIGNED_IN,
)
def api_threshold(request: Request, contest_id: ContestIdIn, body: ThresholdIn) -> dict[str, Any]:
    """The nomination threshold by the rulebook, and each candidate's progress towards it."""
    require(request, Action.VIEW, changes=False)
    service = service_of(request)
    threshold = nomination_threshold(
        service, contest_id, process=body.process, body_size=body.body_size, on=body.on
    )
    return {
        "threshold": threshold.value,
        "arithmetic": threshold.arithmetic,
        "clauses": threshold.clauses,
        "candidates": [
            {"name": p.candidate.name, "nominations": p.got, "needed": p.needed, "words": p.words}
            for p in progress(service.candidates(contest_id), threshold)
        ],
    }


@api.post(
    "/contests/{contest_id}/close-nominations",
    tags=["officials"],
    responses=OFFICIAL_CHANGE,
    openapi_extra=CHANGES,
)
def api_close_nominations(
    request: Request, contest_id: ContestIdIn, body: CloseNominationsIn
) -> dict[str, Any]:
    """Close nominations against the rulebook's threshold: those below it are void."""
    session = require(request, Action.MANAGE)
    service = service_of(request)
    threshold = nomination_threshold(
        service, contest_id, process=body.process, body_size=body.body_size, on=body.on
    )
    service.close_nominations(
        contest_id,
        threshold=threshold.value,
        basis=threshold.basis,
        actor=session.official.username,
        signer=body.signer(),
    )
    return _contest_json(service, contest_id)


@api.put(
    "/contests/{contest_id}/roll",
    tags=["officials"],
    responses=OFFICIAL_CHANGE,
    openapi_extra=CHANGES
    | {
        "requestBody": {
            "required": True,
            "description": "The roll as CSV (docs/contests.md): member_id, voter_class, joined, "
            "and any other columns.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
async def api_import_roll(
    request: Request, contest_id: ContestIdIn, on: dt.date | None = None
) -> dict[str, Any]:
    """Import the roll: the request body is the CSV file. Returns the import report."""
    session = require(request, Action.MANAGE)
    with tempfile.TemporaryDirectory(prefix="mandate-roll-") as folder:
        path = Path(folder) / "roll.csv"
        with path.open("wb") as handle:
            async for chunk in request.stream():
                handle.write(chunk)
        report = import_uploaded_roll(
            service_of(request),
            contest_id,
            path,
            "the roll sent",
            on=on,
            actor=session.official.username,
        )
    return {
        "read": report.read,
        "eligible": report.eligible,
        "eligible_by_class": dict(report.eligible_by_class),
        "excluded": [
            {
                "member_id": x.member_id,
                "voter_class": x.voter_class,
                "reason": x.reason,
                "clause": x.clause,
            }
            for x in report.excluded
        ],
    }


@api.post(
    "/contests/{contest_id}/credentials",
    tags=["officials"],
    responses=OFFICIAL_CHANGE,
    openapi_extra=CHANGES,
)
def api_issue_credentials(request: Request, contest_id: ContestIdIn) -> Response:
    """Issue every elector's credential; the CSV comes back once and is kept nowhere."""
    session = require(request, Action.MANAGE)
    return Response(
        export_credentials(request, contest_id, actor=session.official.username),
        media_type="text/csv; charset=utf-8",
        headers={"Cache-Control": "no-store"},
    )


@api.post(
    "/contests/{contest_id}/credentials/{member_id}",
    tags=["officials"],
    responses=OFFICIAL_CHANGE,
    openapi_extra=CHANGES,
)
def api_reissue_credential(
    request: Request, contest_id: ContestIdIn, member_id: str
) -> dict[str, str]:
    """Re-issue one elector's credential: the old one stops working at once.

    The new credential is in the answer only; it is not stored (only its keyed hash).
    """
    session = require(request, Action.MANAGE)
    credential = service_of(request).reissue_credential(
        contest_id, member_id, actor=session.official.username
    )
    return {"member_id": member_id, "credential": credential}


@api.get(
    "/contests/{contest_id}/turnout",
    tags=["officials"],
    responses=OFFICIAL_READ,
    openapi_extra=SIGNED_IN,
)
def api_turnout(request: Request, contest_id: ContestIdIn) -> dict[str, Any]:
    """Electors and those who have voted so far (online, or by a returned postal envelope),
    by class and in all, with the share as a percentage (live while the ballot is open)."""
    require(request, Action.VIEW, changes=False)
    view = contest_view(service_of(request), contest_id)
    return {
        "contest": contest_id,
        "state": view.state.value,
        "electors": view.electors,
        "voted": view.voted,
        "percent": view.percent,
        "classes": [
            {
                "voter_class": t.voter_class,
                "title": t.title,
                "electors": t.electors,
                "voted": t.voted,
                "percent": t.percent,
            }
            for t in view.turnout
        ],
    }


@api.post(
    "/contests/{contest_id}/paper-batches",
    status_code=201,
    tags=["officials"],
    responses=OFFICIAL_CHANGE,
    openapi_extra=CHANGES,
)
def api_paper_batch(
    request: Request, contest_id: ContestIdIn, body: PaperBatchIn
) -> dict[str, Any]:
    """Enter a batch of paper ballots (returning officers and scrutineers)."""
    session = require(request, Action.ENTER_PAPER)
    batch = service_of(request).enter_paper_batch(
        contest_id,
        label=body.label,
        voter_class=body.voter_class,
        ballots=body.ballots,
        spoilt=body.spoilt,
        actor=session.official.username,
    )
    return {
        "id": batch.id,
        "label": batch.label,
        "voter_class": batch.voter_class,
        "ballots": batch.ballots,
        "spoilt": batch.spoilt,
    }


@api.post(
    "/contests/{contest_id}/envelopes",
    tags=["officials"],
    responses=OFFICIAL_CHANGE,
    openapi_extra=CHANGES,
)
def api_envelopes(request: Request, contest_id: ContestIdIn, body: EnvelopesIn) -> dict[str, Any]:
    """Record returned postal envelopes by the voting code on each: their electors are marked
    as voted, and as many paper ballots of their class may then be entered. Each refused
    envelope is listed with why (set its ballot paper aside unopened)."""
    session = require(request, Action.ENTER_PAPER)
    outcomes = service_of(request).record_envelopes(
        contest_id, [c.strip() for c in body.credentials], actor=session.official.username
    )
    refused = [o for o in outcomes if o]
    return {"accepted": len(outcomes) - len(refused), "refused": refused}
