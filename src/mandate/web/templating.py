"""The Jinja2 environment and the one function every page renders through."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from mandate.service.access import Action
from mandate.wording import plural

__all__ = ["STATIC_DIR", "TEMPLATES_DIR", "ordinal", "render", "templates"]

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"

templates = Jinja2Templates(directory=TEMPLATES_DIR)


def ordinal(number: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, … ``11th``, ``12th``, ``21st``."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _thousands(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


templates.env.globals["manage_action"] = Action.MANAGE
templates.env.globals["paper_action"] = Action.ENTER_PAPER
templates.env.filters["ordinal"] = ordinal
templates.env.filters["thousands"] = _thousands
templates.env.filters["plural"] = plural


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    no_store: bool = False,
) -> HTMLResponse:
    """Render a page; ``no_store`` keeps pages holding credentials or receipts out of caches."""
    values: dict[str, Any] = {
        "official": getattr(request.state, "official", None),
        "csrf_token": getattr(request.state, "csrf_token", None),
    }
    values.update(context or {})
    response = templates.TemplateResponse(request, name, values, status_code=status_code)
    if no_store:
        response.headers["Cache-Control"] = "no-store"
    return response
