"""The lessons: the list, one lesson, and the links from plan cards and player items to
the first open lesson that explains an exercise.

Lessons open day by day from the start of the plan (the first saved profile).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from lumbo.domain.model import Decision
from lumbo.services import records
from lumbo.web.deps import ClockDep, UowDep
from lumbo.web.pages.common import exercise_catalogue, render

router = APIRouter(include_in_schema=False)


def plan_start(uow: Any) -> dt.date | None:
    versions = records.profile_versions(uow)
    return versions[0].saved_at.date() if versions else None


def lesson_links(uow: Any, today: dt.date, decision: Decision) -> dict[str, Any]:
    """For each planned variation, the first lesson open today that explains it (the variation
    itself first, then its family). Locked lessons are not linked: their page has no text yet."""
    from lumbo.adapters.lesson_files import default_lessons
    from lumbo.domain.lessons import for_exercise, plan_day_index, unlocked

    opened = unlocked(default_lessons(), plan_day_index(plan_start(uow) or today, today))
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

    opened = unlocked(default_lessons(), plan_day_index(plan_start(uow) or today, today))
    for item in items:
        found = for_exercise(opened, item["variation"]) or for_exercise(opened, item["exercise"])
        item["lesson"] = {"href": f"/lessons/{found[0].id}", "title": found[0].title} if found else None


def newest_lesson(uow: Any, today: dt.date) -> Any:
    from lumbo.adapters.lesson_files import default_lessons
    from lumbo.domain.lessons import newest_unlocked, plan_day_index

    start = plan_start(uow)
    return newest_unlocked(default_lessons(), plan_day_index(start or today, today))


@router.get("/lessons", response_class=HTMLResponse)
def lessons_page(request: Request, uow: UowDep, clock: ClockDep) -> HTMLResponse:
    from lumbo.adapters.lesson_files import default_lessons
    from lumbo.domain.lessons import locked, plan_day_index, unlocked

    today = clock.today()
    start = plan_start(uow) or today
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
    start = plan_start(uow) or today
    if lesson.unlock_day > plan_day_index(start, today):
        opens = start + dt.timedelta(days=lesson.unlock_day)
        return render(
            request, "lesson.html", {"nav": "/lessons", "lesson": lesson, "body": None, "opens": opens}
        )
    names = {entry.id: entry.name for entry in exercise_catalogue()}
    return render(
        request,
        "lesson.html",
        {
            "nav": "/lessons",
            "lesson": lesson,
            "body": to_html(lesson.body),  # the lessons' ## sections are h2 under the page's h1
            "names": names,
        },
    )
