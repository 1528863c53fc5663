"""What every page module shares: the templates, rendering, form helpers, formatting
filters, the exercise figures (and their route) and the shared constants.

This module imports none of the page modules, so each of them may import it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from lumbo.domain.catalogue import Catalogue
from lumbo.domain.model import Decision, PlanItem

router = APIRouter(include_in_schema=False)

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
SWAP_COOKIE = "lumbo_swaps"
STAGE_TEXT: dict[str, str] = {
    "relief": (
        "Relief: slow, small movements that warm up the muscles around the lower back. "
        "Skip any that feel wrong."
    ),
    "activation": (
        "Activation: waking up and strengthening the hips, buttocks and trunk, with stretches "
        "and back strength work once or twice a week."
    ),
    "maintenance": ("Maintenance: keeping what you have built with harder steps and fewer, varied drills."),
}


@cache
def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.globals["stage_text"] = STAGE_TEXT
    templates.env.filters["dose"] = dose_text
    templates.env.filters["long_date"] = long_date
    templates.env.globals["has_figure"] = lambda exercise_id: figure_svg(exercise_id) is not None
    return templates


def exercise_catalogue() -> Catalogue:
    from lumbo.adapters.catalogue_files import default_catalogue

    return default_catalogue()


def render(
    request: Request, name: str, context: Mapping[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    page = {"nav": "", "errors": {}, "values": {}, "csrf_token": csrf_token(request)}
    page.update(context or {})
    return _templates().TemplateResponse(request, name, page, status_code=status)


def csrf_token(request: Request) -> str:
    """The form token the security middleware made for this browser (see web/security.py)."""
    return str(request.scope.get("state", {}).get("csrf_token", ""))


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def referral(request: Request, decision: Decision, change_href: str = "/screen") -> HTMLResponse:
    return render(
        request, "refer.html", {"decision": decision, "change_href": change_href, "has_export": True}
    )


async def form_data(request: Request) -> dict[str, list[str]]:
    form = await request.form()
    data: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            data.setdefault(key, []).append(value)
    return data


# formatting helpers (also Jinja filters)


def long_date(day: dt.date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B')}"


def _seconds(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} seconds"


def dose_text(item: PlanItem) -> str:
    """'2 sets of 10 reps, each side' or 'hold 30 seconds, each side'."""
    work = f"{item.reps} reps" if item.reps else f"hold {_seconds(item.hold_seconds or 0)}"
    text = f"{item.sets} sets of {work}" if item.sets > 1 else work
    if item.per_side:
        text += ", each side"
    return text[0].upper() + text[1:]


# figures


FigureSide = Literal["left", "right"]


@lru_cache(maxsize=512)
def figure_svg(exercise_id: str, side: FigureSide | None = None, animate: bool = True) -> str | None:
    """The exercise's figure (``side``: the side that works; None: the drawn first side)."""
    from lumbo.drawing.figures import FigureNotFound, PoseFileError, render_svg

    try:
        return render_svg(exercise_id, animate=animate, side=side)
    except (FigureNotFound, PoseFileError):
        return None


def figure_response(exercise_id: str, side: FigureSide | None = None, animate: bool = True) -> Response:
    """A catalogue exercise's figure as an SVG answer (cached an hour), or a plain 404."""
    svg = figure_svg(exercise_id, side, animate) if exercise_id in exercise_catalogue() else None
    if svg is None:
        return Response("no figure for this exercise", status_code=404, media_type="text/plain")
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=3600"})


@router.get("/figures/{exercise_id}.svg")
def figure(exercise_id: str, side: FigureSide | None = None) -> Response:
    """The moving figure; ``?side=right`` draws the mirror image, the right side working."""
    return figure_response(exercise_id, side)
