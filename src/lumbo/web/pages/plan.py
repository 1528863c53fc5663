"""Today's plan, and swaps: an easier step or an alternative instead of a planned exercise.

Swaps are kept in a cookie, ``lumbo_swaps``, as ``{planned variation: chosen variation}``;
the plan page and the session player both apply them, so the log records what was really
done. The rendered plan page is cached (lumbo.web.page_cache) with a slot for the form
token, TOKEN_SLOT. Without a profile the plan sends you to the screen.

Phone first: today's session and its Start button come first, then what changed since the
last session, then the rest of the week folded by day. Each exercise's figure appears once
(its first time in the week), as a still drawing (``/figures/still/{id}.svg``) that
``static/plan.js`` swaps for the moving one (``/figures/{id}.svg``) while it is on screen.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import cookie_parser

from lumbo.domain.bounds import loads_strict
from lumbo.domain.catalogue import Catalogue, Exercise
from lumbo.domain.model import Decision
from lumbo.domain.planning import swapped_item, with_items
from lumbo.domain.words import plural
from lumbo.services import progress as progress_service
from lumbo.services import records
from lumbo.single_flight import SingleFlight
from lumbo.web.deps import ClockDep, UowDep
from lumbo.web.page_cache import MAX_KEY_TEXT, PageCache
from lumbo.web.pages.common import (
    SWAP_COOKIE,
    csrf_token,
    exercise_catalogue,
    figure_response,
    form_data,
    referral,
    render,
    see_other,
)
from lumbo.web.pages.lessons import lesson_links, newest_lesson

router = APIRouter(include_in_schema=False)

# swaps


def read_swaps(request: Request) -> dict[str, str]:
    """The swap cookie, or nothing when it does not parse (any local program can plant a
    cookie for 127.0.0.1, so a broken one is ignored, never an error)."""
    raw = request.cookies.get(SWAP_COOKIE, "")
    if not raw or len(raw) > MAX_KEY_TEXT:
        return {}
    try:
        data = loads_strict(raw)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


MAX_SWAPS = 3


def swap_options(
    entry: Exercise, catalogue: Catalogue, equipment: Sequence[str], level: str = "beginner"
) -> list[Exercise]:
    """What may replace ``entry`` today, easiest choices first.

    The ladder's easier step, then the entry's listed alternatives, then (to fill up to
    MAX_SWAPS) other entries of the same category that work the same areas, in the same
    stages, at the person's level. Each must suit the person's equipment.
    """
    ids = ([entry.easier] if entry.easier else []) + list(entry.alternatives)
    related = sorted(
        (
            other
            for other in catalogue
            if other.family_id != entry.family_id
            and other.category == entry.category
            and set(other.targets) & set(entry.targets)
            and set(other.stages) & set(entry.stages)
            and other.suits_level(level)
        ),
        key=lambda other: (other.level != "beginner", other.name),
    )
    ids += [other.id for other in related]
    options: list[Exercise] = []
    for slug in dict.fromkeys(ids):
        candidate = catalogue.get(slug)
        if candidate is not None and candidate.equipment_for(equipment) is not None:
            options.append(candidate)
        if len(options) == MAX_SWAPS:
            break
    return options


def apply_swaps(
    decision: Decision,
    swaps: Mapping[str, str],
    catalogue: Catalogue,
    equipment: Sequence[str],
    level: str = "beginner",
) -> Decision:
    """The decision with each swapped item replaced by the chosen catalogue entry."""
    if not swaps or decision.status != "plan":
        return decision
    days = []
    for day in decision.days:
        sessions = []
        for session in day.sessions:
            items = []
            for item in session.items:
                chosen = catalogue.get(swaps.get(item.variation, ""))
                items.append(swapped_item(chosen, item, level, equipment) if chosen else item)
            sessions.append(with_items(session, items))
        days.append(day.model_copy(update={"sessions": sessions}))
    return decision.model_copy(update={"days": days})


# plan


def session_summary(exercises: int, minutes: int) -> str:
    """'1 exercise, about 1 minute' / '5 exercises, about 15 minutes'."""
    return f"{plural(exercises, 'exercise')}, about {plural(minutes, 'minute')}"


def figure_places(decision: Decision, today: dt.date) -> dict[tuple[dt.date, int, int], str]:
    """Where each exercise's figure is drawn: its first place in the page (today's
    session first, then the other days in order), so every figure appears once.
    Maps (day, session index, item index) to the variation."""
    days = sorted(decision.days, key=lambda day: (day.date != today, day.date))
    places: dict[tuple[dt.date, int, int], str] = {}
    drawn: set[str] = set()
    for day in days:
        for s_index, session in enumerate(day.sessions):
            for i_index, item in enumerate(session.items):
                if item.variation not in drawn:
                    drawn.add(item.variation)
                    places[(day.date, s_index, i_index)] = item.variation
    return places


@router.get("/figures/still/{exercise_id}.svg")
def still_figure(exercise_id: str) -> Response:
    """The figure without its movement: what the plan page shows until a figure is on
    screen (and always, for people who ask for reduced motion)."""
    return figure_response(exercise_id, animate=False)


@router.get("/plan", response_class=HTMLResponse)
async def plan_page(request: Request, uow: UowDep, clock: ClockDep) -> Response:
    """Today's plan. The rendered page is cached by everything it depends on: the plan
    revision (profile, finished sessions, sessions started: any commit that may change the
    plan moves it; a plain item log does not), the day and the swap cookie.

    A hit is normally served before routing (PlanPageHits); this route serves the misses.
    Its revision read runs on the event loop: reads never wait for writers (SQLite WAL).
    Rendering goes to the thread pool, once per key: requests that come while it runs wait
    for that render (single flight) instead of rendering the same page again.
    """
    state = request.app.state
    cache: PageCache = state.page_cache
    today = clock.today()
    key = plan_key(state.database.plan_revision(), today, request.cookies.get(SWAP_COOKIE, ""))
    # The page's forms carry this browser's token; the cached copy holds a slot for it
    # instead, so one cached page serves every browser (and a client without cookies,
    # which gets a new token each time, cannot force a render per request).
    token = csrf_token(request).encode()
    body = cache.get(key) if key is not None else None
    if body is not None:
        return HTMLResponse(body.replace(TOKEN_SLOT, token))
    if key is None:
        response = await _render_with_slot(request, uow, clock, today, token)
    else:
        mine: list[Response] = []

        async def render_once() -> bytes | None:
            rendered = await _render_with_slot(request, uow, clock, today, token)
            mine.append(rendered)
            if isinstance(rendered, HTMLResponse) and rendered.status_code == 200:
                page = bytes(rendered.body)
                # Keyed by the revision read before rendering: the page shows that data or newer.
                cache.put(key, page)
                return page
            return None

        flights: SingleFlight = state.plan_flights
        body = await flights.run_async(key, render_once)
        if not mine and body is not None:  # another request rendered it
            return HTMLResponse(body.replace(TOKEN_SLOT, token))
        # A page that is not cached (a redirect, a referral): render our own.
        response = mine[0] if mine else await _render_with_slot(request, uow, clock, today, token)
    if not isinstance(response, HTMLResponse):
        return response
    return HTMLResponse(bytes(response.body).replace(TOKEN_SLOT, token), status_code=response.status_code)


def plan_key(revision: int, today: dt.date, swaps_raw: str) -> tuple[object, ...] | None:
    """The plan page's cache key, or None when the swap cookie is too long to be a key."""
    if len(swaps_raw) > MAX_KEY_TEXT:
        return None
    return ("plan", revision, today, swaps_raw)


async def _render_with_slot(
    request: Request, uow: Any, clock: Any, today: dt.date, token: bytes
) -> Response:
    """Render the page in the thread pool, with TOKEN_SLOT where the form token goes."""
    state = request.scope.setdefault("state", {})
    state["csrf_token"] = TOKEN_SLOT.decode()
    try:
        return await run_in_threadpool(_plan_response, request, uow, clock, today=today)
    finally:
        state["csrf_token"] = token.decode()


class PlanHitAnswers:
    """A cached plan page for one request, or None: what a hit costs is the revision read,
    the key and the bytes, not FastAPI's routing and dependencies. Used twice: by the
    security middleware's fast path (web/security.py ``FastAnswers``: a browser that
    already has its form-token cookie) and by PlanPageHits (inside the security
    middleware: every other GET /plan)."""

    def __init__(self, state: Any) -> None:
        self.state = state
        # The filled page for (body, token): a browser that views the page again gets the
        # same bytes object, with no copy at all (a fresh copy of a page this size costs
        # more than the rest of a hit: new memory, page faults). Bounded: a few browsers.
        self._filled: dict[tuple[int, bytes], tuple[bytes, bytes]] = {}

    def __call__(self, cookie: bytes, token: bytes) -> bytes | None:
        """The page for a request with this Cookie header (b"" for none) and form token."""
        cached = self._cached(cookie)
        if cached is None:
            return None
        key = (id(cached), token)
        found = self._filled.get(key)
        if found is not None and found[0] is cached:
            return found[1]
        filled = cached.replace(TOKEN_SLOT, token)
        if len(self._filled) >= FILLED_PAGES:
            self._filled.clear()
        self._filled[key] = (cached, filled)
        return filled

    def _cached(self, cookie: bytes) -> bytes | None:
        # The same parser as Request.cookies, so the key is the route's (a cookie header
        # without the swap cookie's name cannot hold it: no need to parse it).
        swaps_raw = (
            cookie_parser(cookie.decode("latin-1")).get(SWAP_COOKIE, "")
            if _SWAP_NAME in cookie
            else ""
        )
        state = self.state
        key = plan_key(state.database.plan_revision(), state.clock.today(), swaps_raw)
        if key is None:
            return None
        cache: PageCache = state.page_cache
        return cache.get(key, count_miss=False)  # the route looks again, and counts a miss


class PlanPageHits:
    """Serves ``GET /plan`` from the page cache before routing (PlanHitAnswers). Misses
    (and everything else) go on to the app. Installed inside the security middleware
    (web/security.py), which applies to these answers as to every other."""

    def __init__(self, app: Any, answers: PlanHitAnswers) -> None:
        self.app = app
        self.answers = answers

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == "/plan" and scope["method"] == "GET":
            token = scope.get("state", {}).get("csrf_token")
            if token:
                cookie = b""
                for name, value in scope["headers"]:
                    if name == b"cookie":
                        cookie = value
                        break
                body = self.answers(cookie, token.encode())
                if body is not None:
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 200,
                            "headers": [
                                (b"content-length", str(len(body)).encode()),
                                (b"content-type", b"text/html; charset=utf-8"),
                            ],
                        }
                    )
                    await send({"type": "http.response.body", "body": body})
                    return
        await self.app(scope, receive, send)


_SWAP_NAME = SWAP_COOKIE.encode()

#: How many filled pages (one per browser's form token) PlanHitAnswers keeps.
FILLED_PAGES = 8

#: Stands for the form token in cached pages (see plan_page).
TOKEN_SLOT = b"lumbo-form-token-slot"


def _plan_response(
    request: Request,
    uow: Any,
    clock: Any,
    swap_error: str = "",
    status: int = 200,
    today: dt.date | None = None,
) -> Response:
    from lumbo.domain.lifestyle import audit

    profile = records.get_profile(uow)
    if profile is None:
        return see_other("/screen")
    today = today or clock.today()
    decision = records.current_decision(uow, today, clock=clock)
    if decision.status == "refer":
        return referral(request, decision, change_href="/intake")
    catalogue = exercise_catalogue()
    swaps = read_swaps(request)
    shown = apply_swaps(decision, swaps, catalogue, profile.equipment, profile.level)
    options: dict[str, list[Exercise]] = {}
    for day in decision.days:
        for session in day.sessions:
            for item in session.items:
                entry = catalogue.get(item.variation)
                if entry is not None and item.variation not in options:
                    options[item.variation] = swap_options(entry, catalogue, profile.equipment, profile.level)
    originals = {
        (day.date, s_index, i_index): item
        for day in decision.days
        for s_index, session in enumerate(day.sessions)
        for i_index, item in enumerate(session.items)
    }
    unfinished = records.unfinished_session(uow)
    changes = progress_service.recent_changes(uow, decision, today, clock=clock)
    # The notes repeat the progression's changes without their dates: the page lists them
    # once, dated, under "Since your last session".
    changed = set(changes)
    notes = [
        note
        for note in shown.notes
        if not any((day, progress_service.change_text(day, note)) in changed for day, _ in changes)
    ]
    today_days = [day for day in shown.days if day.date == today]
    return render(
        request,
        "plan.html",
        {
            "nav": "/plan",
            "decision": shown,
            "today_day": today_days[0] if today_days else None,
            "other_days": [day for day in shown.days if day.date != today],
            "notes": notes,
            "changes": changes,
            "figures": figure_places(shown, today),
            "summary": session_summary,
            "plural": plural,
            "today": today,
            "originals": originals,
            "swaps": swaps,
            "options": options,
            "suggestions": audit(profile),
            "lesson": newest_lesson(uow, today),
            "lesson_links": lesson_links(uow, today, shown),
            "unfinished": unfinished,
            "swap_error": swap_error,
        },
        status,
    )


@router.post("/plan/swap")
async def plan_swap(request: Request, uow: UowDep, clock: ClockDep) -> Response:
    data = await form_data(request)
    planned = (data.get("planned") or [""])[0]
    chosen = (data.get("chosen") or [""])[0]
    profile = records.get_profile(uow)
    catalogue = exercise_catalogue()
    entry = catalogue.get(planned)
    allowed = (
        []
        if entry is None or profile is None
        else swap_options(entry, catalogue, profile.equipment, profile.level)
    )
    if chosen not in {option.id for option in allowed}:
        message = "That swap is not available: pick one of the options listed under the exercise."
        return _plan_response(request, uow, clock, message, 422)
    swaps = read_swaps(request)
    swaps[planned] = chosen
    response = see_other(f"/plan#item-{chosen}")
    response.set_cookie(
        SWAP_COOKIE, json.dumps(swaps), max_age=60 * 60 * 24 * 60, samesite="strict", httponly=True
    )
    return response


@router.post("/plan/unswap")
async def plan_unswap(request: Request) -> Response:
    data = await form_data(request)
    planned = (data.get("planned") or [""])[0]
    swaps = read_swaps(request)
    swaps.pop(planned, None)
    response = see_other(f"/plan#item-{planned}")
    response.set_cookie(
        SWAP_COOKIE, json.dumps(swaps), max_age=60 * 60 * 24 * 60, samesite="strict", httponly=True
    )
    return response
