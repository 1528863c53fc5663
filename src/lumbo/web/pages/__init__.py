"""The HTML pages: welcome, screen, intake, plan, session player, progress, settings, lessons.

One module per page group, each named like its templates (templates/<name>.html): intake
(welcome, screen, intake), plan (plan page and swaps), session (the player), progress,
settings, lessons; common holds what they share (rendering, form helpers, formatting
filters, the figure route); offline serves the manifest and the service worker. Each route
parses the form (lumbo.web.forms), calls one service (lumbo.services.records) and renders a
Jinja template.

``router`` includes the modules' routers in the order the routes were always registered.
"""

from __future__ import annotations

from fastapi import APIRouter

from lumbo.web.pages import common, intake, lessons, offline, plan, progress, session, settings
from lumbo.web.pages.common import (
    STAGE_TEXT,
    SWAP_COOKIE,
    TEMPLATES_DIR,
    csrf_token,
    dose_text,
    figure_svg,
    form_data,
    long_date,
    render,
    see_other,
)
from lumbo.web.pages.lessons import add_lesson_links, lesson_links
from lumbo.web.pages.plan import MAX_SWAPS, TOKEN_SLOT, apply_swaps, read_swaps, swap_options
from lumbo.web.pages.settings import CONFIRM_DELETE

router = APIRouter(include_in_schema=False)
for _module in (common, intake, plan, session, progress, settings, lessons, offline):
    router.include_router(_module.router)

__all__ = [
    "CONFIRM_DELETE",
    "MAX_SWAPS",
    "STAGE_TEXT",
    "SWAP_COOKIE",
    "TEMPLATES_DIR",
    "TOKEN_SLOT",
    "add_lesson_links",
    "apply_swaps",
    "csrf_token",
    "dose_text",
    "figure_svg",
    "form_data",
    "lesson_links",
    "long_date",
    "read_swaps",
    "render",
    "router",
    "see_other",
    "swap_options",
]
