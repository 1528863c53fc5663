"""The session player: the start page, opening a session, the player and finishing.

The player applies the swaps (see plan.py) to today's planned session, so the log records
what was really done; each item links the first open lesson that explains it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from functools import cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from lumbo.domain.bounds import check_date
from lumbo.domain.model import Decision, ItemLog, PlanSession
from lumbo.ports import ID_PATTERN, MAX_SESSION_INDEX, SessionRecord
from lumbo.services import records
from lumbo.services.errors import NotFound, RecordsError
from lumbo.web.deps import ClockDep, SettingsDep, UowDep
from lumbo.web.pages.common import (
    dose_text,
    exercise_catalogue,
    figure_svg,
    form_data,
    referral,
    render,
    see_other,
)
from lumbo.web.pages.lessons import add_lesson_links
from lumbo.web.pages.plan import apply_swaps, read_swaps

router = APIRouter(include_in_schema=False)
logger = logging.getLogger(__name__)


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
    decision = apply_swaps(
        decision, read_swaps(request), exercise_catalogue(), profile.equipment, profile.level
    )
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
        return referral(request, decision, change_href="/intake")
    decision = apply_swaps(
        decision, read_swaps(request), exercise_catalogue(), profile.equipment, profile.level
    )
    todays = next((day for day in decision.days if day.date == today), None)
    upcoming = next((day for day in decision.days if day.date > today and day.sessions), None)
    done_today = [s for s in records.sessions_on(uow, today) if s.finished]
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


@cache
def camera_rules() -> Mapping[str, Any]:
    """The camera coach's rule (the JSON the page's coach reads) per exercise id, compiled
    once per process.

    The rules are compiled from the catalogue's ``camera`` sections and the figures' key
    frames (``lumbo.domain.camera``); an exercise without a section has none, and the player
    then works as it always did.
    """
    from lumbo.domain.camera import camera_rules as compile_rules
    from lumbo.drawing.figures import load_pose

    try:
        return compile_rules(exercise_catalogue(), load_pose)
    except Exception:  # a broken rule must not break the player: it plays without the camera
        logger.exception("the camera rules could not be compiled; the player goes on without them")
        return {}


def _player_items(session: PlanSession, record: SessionRecord) -> list[dict[str, Any]]:
    catalogue = exercise_catalogue()
    rules = camera_rules()
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
                "camera": rules.get(item.variation),
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
        return referral(request, decision, change_href="/intake")
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


#: The submit button of the end screen's one question: "Yes, finish" keeps every rating
#: as logged (the rating controls are then not read at all).
EVERYTHING_RIGHT = "right"
RATINGS = ("easy", "right", "hard", "pain")


def _pain(values: Mapping[str, str], name: str, label: str, errors: dict[str, str]) -> int | None:
    raw = values.get(name, "").strip()
    if not raw.isdigit() or not 0 <= int(raw) <= 10:
        errors[name] = f"Enter {label} as a whole number from 0 to 10."
        return None
    return int(raw)


def _new_ratings(
    record: SessionRecord, values: Mapping[str, str], errors: dict[str, str]
) -> dict[int, str]:
    """The changed ratings by position, from the end screen's rating controls. A skipped
    item is never rated, whatever the form holds: it was not done."""
    changed: dict[int, str] = {}
    for logged in record.items:
        if logged.item.skipped:
            continue
        name = f"rating_{logged.position}"
        rating = values.get(name, logged.item.rating)
        if rating not in RATINGS:
            errors[name] = "Choose easy, about right, hard or painful."
        elif rating != logged.item.rating:
            changed[logged.position] = rating
    return changed


@router.post("/session/{session_id}/finish", response_class=HTMLResponse)
async def session_finish(
    request: Request, session_id: str, uow: UowDep, clock: ClockDep, settings: SettingsDep
) -> Response:
    """The end screen: pain now, pain before unless stored at the start, and either "Yes,
    finish" (``everything=right``: ratings as logged) or the changed ratings."""
    import re

    if not re.fullmatch(ID_PATTERN, session_id):
        return render(request, "not_found.html", {"what": "session"}, 404)
    data = await form_data(request)
    values = {name: items[0] for name, items in data.items() if items}
    try:
        record = records.get_session(uow, session_id)
    except NotFound:
        return render(request, "not_found.html", {"what": "session"}, 404)
    if record.finished:
        # Sent twice (a second tab, Back then Send): the first one counted; nothing changes.
        return see_other("/progress?finished=1")
    errors: dict[str, str] = {}
    pain_before: int | None = None
    if values.get("pain_before", "").strip() or record.pain_before is None:
        pain_before = _pain(values, "pain_before", "pain before the session", errors)
    pain_after = _pain(values, "pain_after", "pain now", errors)
    everything_right = values.get("everything") == EVERYTHING_RIGHT
    changed = {} if everything_right else _new_ratings(record, values, errors)
    if errors or pain_after is None:
        return _player_page(request, uow, clock, settings, session_id, values, errors, 422)
    for logged in record.items:
        if logged.position in changed:
            item = ItemLog.model_validate({**logged.item.model_dump(), "rating": changed[logged.position]})
            records.log_item(uow, session_id, item, logged.position, clock=clock)
    try:
        # pain_before None: the one stored when the session started.
        records.finish_session(uow, session_id, pain_before, pain_after, clock=clock)
    except RecordsError:
        return see_other("/progress")
    return see_other("/progress?finished=1")
