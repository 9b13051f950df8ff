"""Public pages and API: declared results and the published records anyone can recount.

Everything here reads the published folder ``DATA_DIR/published/<contest>/`` (the files
``mandate verify`` checks), never the live database, so the public sees exactly what was
published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from mandate.config import Settings
from mandate.errors import NotFoundError
from mandate.web.templating import render

__all__ = ["PUBLISHED_FILES", "PublishedContest", "api", "pages", "published_contest"]

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["public"])

PUBLISHED_FILES: dict[str, str] = {
    "result.json": "application/json",
    "declaration.json": "application/json",
    "cvr.json": "application/json",
    "cvr.csv": "text/csv; charset=utf-8",
}
"""The records a declared contest publishes, with their media types."""

_CONTEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishedContest:
    """One contest's published folder."""

    contest: str
    folder: Path

    def file(self, name: str) -> Path:
        """A published file by name; ``NotFoundError`` if it is not one or not there."""
        if name not in PUBLISHED_FILES:
            raise NotFoundError(
                f"{name!r} is not a published record (one of: {', '.join(PUBLISHED_FILES)})"
            )
        path = self.folder / name
        if not path.is_file():
            raise NotFoundError(f"contest {self.contest!r} has not published {name}")
        return path


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def published_contest(settings: Settings, contest: str) -> PublishedContest:
    """The published folder of a contest, refusing names that are not contest ids."""
    if not _CONTEST_ID.match(contest):
        raise NotFoundError(f"no published contest {contest!r}")
    folder = settings.published_dir / contest
    if not (folder / "result.json").is_file():
        raise NotFoundError(f"no published result for contest {contest!r}")
    return PublishedContest(contest=contest, folder=folder)


def published_contests(settings: Settings) -> tuple[PublishedContest, ...]:
    """Every contest with a published result, by name."""
    root = settings.published_dir
    if not root.is_dir():
        return ()
    return tuple(
        PublishedContest(contest=folder.name, folder=folder)
        for folder in sorted(root.iterdir())
        if folder.is_dir() and _CONTEST_ID.match(folder.name) and (folder / "result.json").is_file()
    )


@pages.get("/results", response_class=HTMLResponse)
def results_index(request: Request) -> HTMLResponse:
    """Every declared contest."""
    return render(
        request,
        "public/index.html",
        {"contests": published_contests(_settings(request))},
    )


@pages.get("/results/{contest}/{name}")
def download(request: Request, contest: str, name: str) -> FileResponse:
    """One published record, as a download."""
    path = published_contest(_settings(request), contest).file(name)
    return FileResponse(
        path,
        media_type=PUBLISHED_FILES[name],
        filename=f"{contest}-{name}",
    )


@api.get("/results")
def api_results(request: Request) -> dict[str, list[str]]:
    """The contests with a published result."""
    return {"contests": [c.contest for c in published_contests(_settings(request))]}


@api.get("/results/{contest}/{name}")
def api_download(request: Request, contest: str, name: str) -> FileResponse:
    """One published record (``result.json``, ``declaration.json``, ``cvr.json``, ``cvr.csv``)."""
    path = published_contest(_settings(request), contest).file(name)
    return FileResponse(path, media_type=PUBLISHED_FILES[name])
