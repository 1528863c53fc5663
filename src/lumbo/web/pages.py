"""The HTML pages: welcome, screen, intake, plan, session player, progress, settings, lessons.

Each route parses the form (lumbo.web.forms), calls one service (lumbo.services.records)
and renders a Jinja template. Bad input re-renders the same form with status 422, the
problem named next to its field and everything typed kept. The screen cannot be skipped:
without a passed screen the intake sends you to it, and without a profile the plan does.

Swaps (an easier step or an alternative instead of a planned exercise) are kept in a
cookie, ``lumbo_swaps``, as ``{planned variation: chosen variation}``; the plan page and
the session player both apply them, so the log records what was really done.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from lumbo.domain.bounds import check_date, loads_strict
from lumbo.domain.catalogue import Catalogue, Exercise
from lumbo.domain.model import Decision, ItemLog, PlanItem, PlanSession
from lumbo.domain.planning import swapped_item, with_items
from lumbo.ports import ID_PATTERN, MAX_SESSION_INDEX, SessionRecord
from lumbo.services import records
from lumbo.services.errors import NotFound, RecordsError
from lumbo.web import forms
from lumbo.web.deps import ClockDep, SettingsDep, UowDep
from lumbo.web.page_cache import MAX_KEY_TEXT, PageCache

router = APIRouter(include_in_schema=False)

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
SWAP_COOKIE = "lumbo_swaps"
CONFIRM_DELETE = "delete everything"
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


def _catalogue() -> Catalogue:
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


# figures


@lru_cache(maxsize=256)
def figure_svg(exercise_id: str) -> str | None:
    from lumbo.reports.figures import FigureNotFound, PoseFileError, render_svg

    try:
        svg = render_svg(exercise_id, animate=True)
    except (FigureNotFound, PoseFileError):
        return None
    if svg.startswith("<?xml"):
        svg = svg[svg.index("?>") + 2 :].lstrip()
    return svg


@router.get("/figures/{exercise_id}.svg")
def figure(exercise_id: str) -> Response:
    svg = figure_svg(exercise_id) if exercise_id in _catalogue() else None
    if svg is None:
        return Response("no figure for this exercise", status_code=404, media_type="text/plain")
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=3600"})


# welcome, screen, intake


@router.get("/", response_class=HTMLResponse)
def welcome(request: Request, uow: UowDep) -> HTMLResponse:
    return render(request, "welcome.html", {"has_profile": records.get_profile(uow) is not None})


def _screen_page(
    request: Request, values: Mapping[str, Any], errors: Mapping[str, str], status: int = 200
) -> HTMLResponse:
    return render(
        request,
        "screen.html",
        {"questions": forms.RED_FLAG_QUESTIONS, "values": values, "errors": errors},
        status,
    )


@router.get("/screen", response_class=HTMLResponse)
def screen_form(request: Request, uow: UowDep) -> HTMLResponse:
    latest = records.latest_screen(uow)
    values = forms.screen_values(latest.red_flags) if latest is not None else {}
    return _screen_page(request, values, {})


def _referral(request: Request, decision: Decision, change_href: str = "/screen") -> HTMLResponse:
    return render(
        request, "refer.html", {"decision": decision, "change_href": change_href, "has_export": True}
    )


@router.post("/screen", response_class=HTMLResponse)
async def screen_submit(request: Request, uow: UowDep, clock: ClockDep) -> Response:
    parsed = forms.parse_screen(await form_data(request))
    if parsed.model is None:
        return _screen_page(request, parsed.values, parsed.errors, 422)
    record = records.save_screen_answers(uow, parsed.model, clock=clock)
    if record.decision is not None:
        return _referral(request, record.decision)
    return see_other("/intake")


def _intake_page(
    request: Request, values: Mapping[str, Any], errors: Mapping[str, str], status: int = 200
) -> HTMLResponse:
    return render(
        request,
        "intake.html",
        {
            "values": values,
            "errors": errors,
            "trend_options": forms.TREND_OPTIONS,
            "yes_no": forms.YES_NO,
            "level_options": forms.LEVEL_OPTIONS,
            "sleep_options": forms.SLEEP_OPTIONS,
            "condition_labels": forms.CONDITION_LABELS,
            "equipment_labels": forms.EQUIPMENT_LABELS,
            "area_names": forms.AREA_NAMES,
            "area_checks": forms.AREA_CHECKS,
        },
        status,
    )


@router.get("/intake", response_class=HTMLResponse)
def intake_form(request: Request, uow: UowDep) -> Response:
    screen = records.latest_screen(uow)
    if screen is None:
        return see_other("/screen")
    if screen.decision is not None and any(screen.red_flags.model_dump().values()):
        # A red flag blocks the intake; a referral from intake answers (leg pain, a condition)
        # does not, so that a wrong answer can be corrected here.
        return _referral(request, screen.decision)
    profile = records.get_profile(uow)
    values = forms.profile_values(profile) if profile is not None else dict(forms.DEFAULT_INTAKE)
    return _intake_page(request, values, {})


@router.post("/intake", response_class=HTMLResponse)
async def intake_submit(request: Request, uow: UowDep, clock: ClockDep) -> Response:
    screen = records.latest_screen(uow)
    if screen is None:
        return see_other("/screen")
    parsed = forms.parse_profile(await form_data(request), screen.red_flags)
    if parsed.model is None or parsed.errors:
        return _intake_page(request, parsed.values, parsed.errors, 422)
    saved = records.save_profile(uow, parsed.model, clock=clock)
    if saved.referral is not None:
        return _referral(request, saved.referral, change_href="/intake")
    return see_other("/plan")


# plan


def _plan_start(uow: Any) -> dt.date | None:
    versions = records.profile_versions(uow)
    return versions[0].saved_at.date() if versions else None


@router.get("/plan", response_class=HTMLResponse)
async def plan_page(request: Request, uow: UowDep, clock: ClockDep) -> Response:
    """Today's plan. The rendered page is cached by everything it depends on: the store
    revision (profile, plans, sessions: any commit moves it), the day and the swap cookie.

    A cache hit runs on the event loop: its one query reads the revision, and reads never
    wait for writers (SQLite WAL). That saves the thread-pool hand-off and about doubles
    the pages served per second. Rendering (a miss) goes to the thread pool.
    """
    cache: PageCache = request.app.state.page_cache
    today = clock.today()
    swaps_raw = request.cookies.get(SWAP_COOKIE, "")
    key = ("plan", records.store_revision(uow), today, swaps_raw)
    cacheable = len(swaps_raw) <= MAX_KEY_TEXT
    # The page's forms carry this browser's token; the cached copy holds a slot for it
    # instead, so one cached page serves every browser (and a client without cookies,
    # which gets a new token each time, cannot force a render per request).
    token = csrf_token(request).encode()
    body = cache.get(key) if cacheable else None
    if body is not None:
        return HTMLResponse(body.replace(TOKEN_SLOT, token))
    state = request.scope.setdefault("state", {})
    state["csrf_token"] = TOKEN_SLOT.decode()
    try:
        response = await run_in_threadpool(_plan_response, request, uow, clock, today=today)
    finally:
        state["csrf_token"] = token.decode()
    if not isinstance(response, HTMLResponse):
        return response
    body = bytes(response.body)
    if cacheable and response.status_code == 200:
        # Keyed by the revision read before rendering: the page shows that data or newer.
        cache.put(key, body)
    return HTMLResponse(body.replace(TOKEN_SLOT, token), status_code=response.status_code)


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
        return _referral(request, decision, change_href="/intake")
    catalogue = _catalogue()
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
    return render(
        request,
        "plan.html",
        {
            "nav": "/plan",
            "decision": shown,
            "today": today,
            "originals": originals,
            "swaps": swaps,
            "options": options,
            "suggestions": audit(profile),
            "lesson": _newest_lesson(uow, today),
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
    catalogue = _catalogue()
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


# session player


def _planned_session(
    request: Request, uow: Any, clock: Any, date: dt.date, index: int
) -> tuple[Decision, PlanSession | None]:
    """The planned session for ``date`` and ``index`` (swaps applied), from today's plan."""
    profile = records.get_profile(uow)
    if profile is None:
        raise NotFound("there is no profile yet: answer the screen and the intake first")
    today = clock.today()
    decision = records.current_decision(uow, today, clock=clock)
    if decision.status == "plan" and not any(day.date == date for day in decision.days):
        decision = records.current_decision(uow, date, 1, clock=clock)
    if decision.status != "plan":
        return decision, None
    decision = apply_swaps(decision, read_swaps(request), _catalogue(), profile.equipment, profile.level)
    for day in decision.days:
        if day.date == date and 0 <= index < len(day.sessions):
            return decision, day.sessions[index]
    return decision, None


@router.get("/session", response_class=HTMLResponse)
def session_start_page(request: Request, uow: UowDep, clock: ClockDep) -> Response:
    profile = records.get_profile(uow)
    if profile is None:
        return see_other("/screen")
    today = clock.today()
    decision = records.current_decision(uow, today, clock=clock)
    if decision.status == "refer":
        return _referral(request, decision, change_href="/intake")
    decision = apply_swaps(decision, read_swaps(request), _catalogue(), profile.equipment, profile.level)
    todays = next((day for day in decision.days if day.date == today), None)
    upcoming = next((day for day in decision.days if day.date > today and day.sessions), None)
    done_today = [s for s in records.list_sessions(uow) if s.date == today and s.finished]
    return render(
        request,
        "session_start.html",
        {
            "nav": "/session",
            "today": today,
            "todays": todays,
            "upcoming": upcoming,
            "unfinished": records.unfinished_session(uow),
            "done_today": done_today,
        },
    )


@router.post("/session/start")
async def session_start(request: Request, uow: UowDep, clock: ClockDep) -> Response:
    data = await form_data(request)
    try:
        date = check_date(dt.date.fromisoformat((data.get("date") or [""])[0]))
        index = int((data.get("index") or ["0"])[0])
        if not 0 <= index <= MAX_SESSION_INDEX:
            raise ValueError("no such session of the day")
    except ValueError:
        return see_other("/session")
    try:
        opened = records.open_session(uow, date, index, clock=clock)
    except RecordsError:
        return see_other("/session")
    return see_other(f"/session/{opened.session.id}")


def _player_items(session: PlanSession, record: SessionRecord) -> list[dict[str, Any]]:
    catalogue = _catalogue()
    logged = {item.position: item.item for item in record.items}
    items: list[dict[str, Any]] = []
    for position, item in enumerate(session.items):
        entry = catalogue.get(item.variation)
        done = logged.get(position)
        items.append(
            {
                "position": position,
                "exercise": item.exercise,
                "variation": item.variation,
                "name": item.name,
                "sets": item.sets,
                "reps": item.reps,
                "hold_seconds": item.hold_seconds,
                "per_side": item.per_side,
                "rest_seconds": item.rest_seconds,
                "seconds_per_rep": entry.dose.seconds_per_rep if entry else 3.0,
                "cues": list(entry.cues) if entry else [],
                "safety": entry.safety[0] if entry and entry.safety else "",
                "dose": dose_text(item),
                "figure": f"/figures/{item.variation}.svg" if figure_svg(item.variation) else None,
                "logged": done.model_dump() if done is not None else None,
            }
        )
    return items


def _player_page(
    request: Request,
    uow: Any,
    clock: Any,
    settings: Any,
    session_id: str,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    status: int = 200,
) -> Response:
    try:
        record = records.get_session(uow, session_id)
        decision, planned = _planned_session(request, uow, clock, record.date, record.session_index)
    except NotFound:
        return render(request, "not_found.html", {"what": "session"}, 404)
    if decision.status == "refer":
        return _referral(request, decision, change_href="/intake")
    if record.finished:
        return see_other("/progress")
    items = _player_items(planned, record) if planned is not None else []
    add_lesson_links(items, uow, clock.today())
    data = {
        "sessionId": record.id,
        "itemUrl": f"/api/v1/sessions/{record.id}/items",
        "timerScale": settings.timer_scale,
        "items": items,
        "finishing": bool(errors),
    }
    return render(
        request,
        "session.html",
        {
            "nav": "/session",
            "record": record,
            "planned": planned,
            "items": items,
            "data_json": json.dumps(data).replace("<", "\\u003c"),
            "values": values or {},
            "errors": errors or {},
        },
        status,
    )


@router.get("/session/{session_id}", response_class=HTMLResponse)
def session_page(
    request: Request, session_id: str, uow: UowDep, clock: ClockDep, settings: SettingsDep
) -> Response:
    return _player_page(request, uow, clock, settings, session_id)


@router.post("/session/{session_id}/finish", response_class=HTMLResponse)
async def session_finish(
    request: Request, session_id: str, uow: UowDep, clock: ClockDep, settings: SettingsDep
) -> Response:
    import re

    if not re.fullmatch(ID_PATTERN, session_id):
        return render(request, "not_found.html", {"what": "session"}, 404)
    data = await form_data(request)
    values = {name: items[0] for name, items in data.items() if items}
    errors: dict[str, str] = {}
    pains: dict[str, int] = {}
    for name, label in (("pain_before", "pain before the session"), ("pain_after", "pain now")):
        raw = values.get(name, "").strip()
        if not raw.isdigit() or not 0 <= int(raw) <= 10:
            errors[name] = f"Enter {label} as a whole number from 0 to 10."
        else:
            pains[name] = int(raw)
    try:
        record = records.get_session(uow, session_id)
    except NotFound:
        return render(request, "not_found.html", {"what": "session"}, 404)
    if record.finished:
        # Sent twice (a second tab, Back then Send): the first one counted; nothing changes.
        return see_other("/progress?finished=1")
    ratings: dict[int, str] = {}
    for logged in record.items:
        rating = values.get(f"rating_{logged.position}", logged.item.rating)
        if rating not in ("easy", "right", "hard", "pain"):
            errors[f"rating_{logged.position}"] = "Choose easy, about right, hard or painful."
        else:
            ratings[logged.position] = rating
    if errors:
        return _player_page(request, uow, clock, settings, session_id, values, errors, 422)
    for logged in record.items:
        new_rating = ratings[logged.position]
        if new_rating != logged.item.rating:
            changed = ItemLog.model_validate({**logged.item.model_dump(), "rating": new_rating})
            records.log_item(uow, session_id, changed, logged.position, clock=clock)
    try:
        records.finish_session(uow, session_id, pains["pain_before"], pains["pain_after"], clock=clock)
    except RecordsError:
        return see_other("/progress")
    return see_other("/progress?finished=1")


# progress


@router.get("/progress", response_class=HTMLResponse)
def progress_page(request: Request, uow: UowDep, clock: ClockDep, finished: str = "") -> Response:
    from lumbo.reports import charts

    today = clock.today()
    progress = records.progress(uow, today, clock=clock)
    catalogue = _catalogue()
    planned_days = {
        day.date
        for plan in records.plans(uow)
        if plan.decision.status == "plan"
        for day in plan.decision.days
        if day.sessions and day.date < today
    }
    done_days = [day.date for day in progress.adherence if day.sessions]
    exercise_charts = []
    for series in progress.exercises:
        holds = [(p.date, float(p.hold_seconds)) for p in series.points if p.completed and p.hold_seconds]
        reps = [(p.date, float(p.reps)) for p in series.points if p.completed and p.reps]
        entry = catalogue.get(series.exercise)
        name = entry.name if entry else series.exercise
        if holds:
            exercise_charts.append(charts.exercise_progress_chart(name, holds, "seconds"))
        elif reps:
            exercise_charts.append(charts.exercise_progress_chart(name, reps, "reps"))
    names = {entry.id: entry.name for entry in catalogue}
    return render(
        request,
        "progress.html",
        {
            "nav": "/progress",
            "progress": progress,
            "finished": finished == "1",
            "names": names,
            "pain_chart": charts.pain_chart(
                [(p.date, p.pain_before) for p in progress.pain], title="Pain at the start of each session"
            ),
            "pain_after_chart": charts.pain_chart(
                [(p.date, p.pain_after) for p in progress.pain], title="Pain at the end of each session"
            ),
            "calendar": charts.adherence_calendar(done_days, planned_days, end=today, weeks=4),
            "exercise_charts": exercise_charts,
            "activity_chart": charts.activity_scores_chart(
                {s.name: [(p.date, float(p.score)) for p in s.points] for s in progress.hard_activities}
            ),
        },
    )


# settings


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, uow: UowDep, deleted: str = "") -> HTMLResponse:
    return render(
        request,
        "settings.html",
        {
            "nav": "/settings",
            "profile": records.get_profile(uow),
            "deleted": deleted == "1",
            "confirm_words": CONFIRM_DELETE,
        },
    )


@router.get("/settings/export")
def settings_export(uow: UowDep, clock: ClockDep) -> Response:
    document = records.export_document(uow, clock=clock)
    stamp = clock.today().isoformat()
    return JSONResponse(
        document,
        headers={"Content-Disposition": f'attachment; filename="lumbo-export-{stamp}.json"'},
    )


@router.post("/settings/delete", response_class=HTMLResponse)
async def settings_delete(request: Request, uow: UowDep) -> Response:
    data = await form_data(request)
    typed = (data.get("confirm") or [""])[0]
    if typed.strip().lower() != CONFIRM_DELETE:
        return render(
            request,
            "settings.html",
            {
                "nav": "/settings",
                "profile": records.get_profile(uow),
                "deleted": 0,
                "confirm_words": CONFIRM_DELETE,
                "values": {"confirm": typed},
                "errors": {"confirm": f"Type the words '{CONFIRM_DELETE}' to confirm; nothing was deleted."},
            },
            422,
        )
    records.delete_everything(uow)
    response = see_other("/settings?deleted=1")
    response.delete_cookie(SWAP_COOKIE)
    return response


# lessons


def lesson_links(uow: Any, today: dt.date, decision: Decision) -> dict[str, Any]:
    """For each planned variation, the first lesson open today that explains it (the variation
    itself first, then its family). Locked lessons are not linked: their page has no text yet."""
    from lumbo.adapters.lesson_files import default_lessons
    from lumbo.domain.lessons import for_exercise, plan_day_index, unlocked

    opened = unlocked(default_lessons(), plan_day_index(_plan_start(uow) or today, today))
    links: dict[str, Any] = {}
    for day in decision.days:
        for session in day.sessions:
            for item in session.items:
                if item.variation not in links:
                    found = for_exercise(opened, item.variation) or for_exercise(opened, item.exercise)
                    links[item.variation] = found[0] if found else None
    return {variation: lesson for variation, lesson in links.items() if lesson is not None}


def add_lesson_links(items: list[dict[str, Any]], uow: Any, today: dt.date) -> None:
    """Give each player item a ``lesson`` ({"href", "title"}) or None."""
    from lumbo.adapters.lesson_files import default_lessons
    from lumbo.domain.lessons import for_exercise, plan_day_index, unlocked

    opened = unlocked(default_lessons(), plan_day_index(_plan_start(uow) or today, today))
    for item in items:
        found = for_exercise(opened, item["variation"]) or for_exercise(opened, item["exercise"])
        item["lesson"] = {"href": f"/lessons/{found[0].id}", "title": found[0].title} if found else None


def _newest_lesson(uow: Any, today: dt.date) -> Any:
    from lumbo.adapters.lesson_files import default_lessons
    from lumbo.domain.lessons import newest_unlocked, plan_day_index

    start = _plan_start(uow)
    return newest_unlocked(default_lessons(), plan_day_index(start or today, today))


@router.get("/lessons", response_class=HTMLResponse)
def lessons_page(request: Request, uow: UowDep, clock: ClockDep) -> HTMLResponse:
    from lumbo.adapters.lesson_files import default_lessons
    from lumbo.domain.lessons import locked, plan_day_index, unlocked

    today = clock.today()
    start = _plan_start(uow) or today
    day_index = plan_day_index(start, today)
    lessons = default_lessons()
    return render(
        request,
        "lessons.html",
        {
            "nav": "/lessons",
            "open": unlocked(lessons, day_index),
            "closed": locked(lessons, day_index),
            "start": start,
            "timedelta": dt.timedelta,
        },
    )


@router.get("/lessons/{lesson_id}", response_class=HTMLResponse)
def lesson_page(request: Request, lesson_id: str, uow: UowDep, clock: ClockDep) -> HTMLResponse:
    from lumbo.adapters.lesson_files import default_lessons
    from lumbo.domain.lessons import find, plan_day_index
    from lumbo.reports.markdown import to_html

    lesson = find(default_lessons(), lesson_id)
    if lesson is None:
        return render(request, "not_found.html", {"what": "lesson"}, 404)
    today = clock.today()
    start = _plan_start(uow) or today
    if lesson.unlock_day > plan_day_index(start, today):
        opens = start + dt.timedelta(days=lesson.unlock_day)
        return render(
            request, "lesson.html", {"nav": "/lessons", "lesson": lesson, "body": None, "opens": opens}
        )
    names = {entry.id: entry.name for entry in _catalogue()}
    return render(
        request,
        "lesson.html",
        {
            "nav": "/lessons",
            "lesson": lesson,
            "body": to_html(lesson.body, heading_offset=1),
            "names": names,
        },
    )
