"""The contests' public keys and signed checkpoints, for voters and the press, before and
while the ballot runs (issue 10, items 25 and 26).

``/contests`` lists every contest past its draft with its signing key's fingerprint;
``/contests/<c>`` shows one with its full public key and its signed checkpoints so far;
``/contests/<c>/checkpoints.jsonl`` serves the published file itself, so that anyone can keep
a copy and later compare it with the audit log (``mandate audit verify``) and the declaration
(``mandate verify``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from mandate.config import Settings
from mandate.crypto import key_fingerprint
from mandate.errors import NotFoundError
from mandate.service import ContestService
from mandate.service.checkpoints import CHECKPOINTS_FILE, read_published
from mandate.service.lifecycle import ContestState
from mandate.web.templating import render

__all__ = ["PublicCheckpoint", "pages"]

pages = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class PublicCheckpoint:
    """One signed checkpoint as the page lists it."""

    n: int
    action: str
    state: str
    signed_at: str
    seq: int
    head: str


def _service(request: Request) -> ContestService:
    service: ContestService = request.app.state.service
    return service


def _checkpoints_path(request: Request, contest_id: str) -> Path:
    settings: Settings = request.app.state.settings
    if not contest_id or not all(c.isalnum() or c in "-_." for c in contest_id):
        raise NotFoundError(f"no contest {contest_id!r}")
    return settings.published_dir / contest_id / CHECKPOINTS_FILE


@pages.get("/contests", response_class=HTMLResponse)
def contests(request: Request) -> HTMLResponse:
    """Every contest past its draft, with its state and its signing key's fingerprint."""
    service = _service(request)
    rows = [
        {
            "id": c.id,
            "title": c.title,
            "state": ContestState(c.state).label,
            "fingerprint": key_fingerprint(service.public_key(c.id)),
        }
        for c in service.list_contests()
        if c.state != ContestState.DRAFT.value
    ]
    return render(request, "public/contests.html", {"contests": rows})


@pages.get("/contests/{contest_id}", response_class=HTMLResponse)
def contest(request: Request, contest_id: str) -> HTMLResponse:
    """One contest: its public key and fingerprint, and its signed checkpoints so far."""
    service = _service(request)
    record = service.contest(contest_id)
    if record.state == ContestState.DRAFT.value:
        raise NotFoundError(f"no contest {contest_id!r} open to the public yet")
    public_key = service.public_key(contest_id)
    path = _checkpoints_path(request, contest_id)
    found: list[dict[str, Any]] = read_published(path, public_key) if path.exists() else []
    checkpoints = [
        PublicCheckpoint(
            n=int(d["n"]),
            action=str(d["action"]),
            state=ContestState(d["state"]).label,
            signed_at=str(d["signed_at"]),
            seq=int(d["audit_head"]["seq"]),
            head=str(d["audit_head"]["hash"]),
        )
        for d in (signed["checkpoint"] for signed in found)
    ]
    return render(
        request,
        "public/contest.html",
        {
            "contest": record,
            "state": ContestState(record.state).label,
            "public_key": public_key,
            "fingerprint": key_fingerprint(public_key),
            "checkpoints": checkpoints,
            "declared": record.state == ContestState.DECLARED.value,
        },
    )


@pages.get("/contests/{contest_id}/checkpoints.jsonl")
def checkpoints_file(request: Request, contest_id: str) -> Response:
    """The contest's published signed checkpoints, one JSON object a line."""
    path = _checkpoints_path(request, contest_id)
    if not path.is_file():
        raise NotFoundError(f"no checkpoints published for {contest_id!r}")
    return FileResponse(path, media_type="application/jsonl; charset=utf-8")
