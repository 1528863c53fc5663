"""The progress page: what changed since the last session and why, pain before and after
each session, the adherence calendar, each exercise's holds or reps, and the scores of the
activities that were hard; for the results the camera coach counted, how much of the time
the person was in position and which form faults it noticed, in plain words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from lumbo.services import progress as progress_service
from lumbo.services import records
from lumbo.services.progress import ExerciseSeries
from lumbo.services.shared import weeks_of
from lumbo.web.deps import ClockDep, UowDep
from lumbo.web.pages.common import exercise_catalogue, render

router = APIRouter(include_in_schema=False)

#: How many camera-checked results the page lists (the newest).
CAMERA_CHECKS_SHOWN = 10

# The camera coach's fault ids (the catalogue's camera rules) in plain words. An id not
# listed here is shown with its dashes as spaces, so a new rule never shows a raw id.
FAULT_WORDS = {
    "back-arch": "back arching",
    "back-round": "back rounding",
    "chest-down": "chest dropping forward",
    "hips-back": "hips too far back",
    "hips-drop": "hips dropping",
    "hips-high": "hips too high",
    "hips-low": "hips too low",
    "hips-pike": "hips too high",
    "hips-sag": "hips sagging",
    "hips-turn": "hips turning",
    "hips-uneven": "hips not level",
    "hips-up": "hips lifting off the floor",
    "knees-bend": "knees bending too much",
    "knees-cave": "knees falling inwards",
    "knees-in": "knees falling inwards",
    "leg-high": "leg lifted too high",
    "trunk-lean": "leaning to the side",
}


def fault_words(fault_id: str) -> str:
    """A form fault's id in plain words: ``hips-sag`` -> "hips sagging"."""
    return FAULT_WORDS.get(fault_id) or fault_id.replace("-", " ").strip()


@dataclass(frozen=True)
class CameraCheck:
    """One camera-checked result, as the page shows it."""

    date: dt.date
    name: str
    in_position: str  # "Camera-checked: in position 86 % of the time."
    noticed: str | None  # "The camera noticed: hips sagging."


def camera_checks(
    exercises: list[ExerciseSeries], names: dict[str, str], limit: int = CAMERA_CHECKS_SHOWN
) -> list[CameraCheck]:
    """The newest ``limit`` measured results, newest first."""
    found: list[CameraCheck] = []
    for series in exercises:
        for point in series.points:
            if not point.measured:
                continue
            slug = point.variation or series.exercise
            in_position = (
                "Camera-checked."
                if point.form_score is None
                else f"Camera-checked: in position {round(point.form_score * 100)} % of the time."
            )
            seen = list(dict.fromkeys(fault_words(fault) for fault in point.faults))
            found.append(
                CameraCheck(
                    date=point.date,
                    name=names.get(slug) or names.get(series.exercise) or slug.replace("-", " "),
                    in_position=in_position,
                    noticed=f"The camera noticed: {', '.join(seen)}." if seen else None,
                )
            )
    found.sort(key=lambda check: check.date, reverse=True)  # stable: same day keeps log order
    return found[:limit]


#: The periods the page offers, by their ``?weeks=`` value: the words of the link and of the
#: sentence that says what is shown. Anything else asked for shows DEFAULT_PERIOD.
PERIODS = {
    "4": ("4 weeks", "the last 4 weeks"),
    "12": ("12 weeks", "the last 12 weeks"),
    "52": ("1 year", "the last year"),
    "all": ("Everything", "every session you have logged"),
}
DEFAULT_PERIOD = str(records.RECENT_WEEKS)
CALENDAR_WEEKS = 4
#: Points spread over more days than this are charted one per week (pain: the week's
#: average; holds and reps: the week's best): a year of daily points is a blur.
WEEKLY_AFTER_DAYS = 7 * records.RECENT_WEEKS


def _long(points: list[tuple[dt.date, float]]) -> bool:
    return bool(points) and (max(points)[0] - min(points)[0]).days > WEEKLY_AFTER_DAYS


def pain_charts(pain: list[tuple[dt.date, float, float]]) -> tuple[str, str]:
    """The charts of pain at the start and at the end of each session, or of each week's
    average when the points span more than WEEKLY_AFTER_DAYS."""
    from lumbo.drawing import charts

    before = [(day, value) for day, value, _ in pain]
    after = [(day, value) for day, _, value in pain]
    if not _long(before):
        return (
            charts.pain_chart(before, title="Pain at the start of each session"),
            charts.pain_chart(after, title="Pain at the end of each session"),
        )
    return (
        charts.pain_chart(
            charts.weekly(before), title="Pain at the start of sessions, week by week (average)",
            counted="weekly averages",
        ),
        charts.pain_chart(
            charts.weekly(after), title="Pain at the end of sessions, week by week (average)",
            counted="weekly averages",
        ),
    )


def exercise_chart(name: str, points: list[tuple[dt.date, float]], unit: str) -> str:
    """Holds or reps per session, or each week's best when they span more than WEEKLY_AFTER_DAYS."""
    from lumbo.drawing import charts

    if _long(points):
        return charts.exercise_progress_chart(name, charts.weekly(points, "max"), unit, per="week")
    return charts.exercise_progress_chart(name, points, unit)


def chosen_weeks(asked: str) -> tuple[str, int | None]:
    """The period the page shows for ``?weeks=``: its key in PERIODS and its weeks (None: all)."""
    key = asked if asked in PERIODS else DEFAULT_PERIOD
    return key, weeks_of(key)


@router.get("/progress", response_class=HTMLResponse)
def progress_page(
    request: Request, uow: UowDep, clock: ClockDep, finished: str = "", weeks: str = ""
) -> Response:
    from lumbo.drawing import charts

    today = clock.today()
    period, period_weeks = chosen_weeks(weeks)
    progress = records.progress(uow, today, clock=clock, weeks=period_weeks)
    catalogue = exercise_catalogue()
    planned_days = records.planned_days(uow, today - dt.timedelta(days=7 * CALENDAR_WEEKS - 1), today)
    done_days = [day.date for day in progress.adherence if day.sessions]
    pain_start, pain_end = pain_charts([(p.date, p.pain_before, p.pain_after) for p in progress.pain])
    exercise_charts = []
    for series in progress.exercises:
        holds = [(p.date, float(p.hold_seconds)) for p in series.points if p.completed and p.hold_seconds]
        reps = [(p.date, float(p.reps)) for p in series.points if p.completed and p.reps]
        entry = catalogue.get(series.exercise)
        name = entry.name if entry else series.exercise
        if holds:
            exercise_charts.append(exercise_chart(name, holds, "seconds"))
        elif reps:
            exercise_charts.append(exercise_chart(name, reps, "reps"))
    names = {entry.id: entry.name for entry in catalogue}
    step = progress.next_step
    decision = (
        records.current_decision(uow, today, clock=clock) if step is not None and step.status == "plan" else None
    )
    changes = progress_service.recent_changes(uow, decision, today, clock=clock) if step is not None else []
    return render(
        request,
        "progress.html",
        {
            "nav": "/progress",
            "progress": progress,
            "finished": finished == "1",
            "names": names,
            "changes": changes,
            "pain_chart": pain_start,
            "pain_after_chart": pain_end,
            "calendar": charts.adherence_calendar(done_days, planned_days, end=today, weeks=CALENDAR_WEEKS),
            "period": period,
            "periods": PERIODS,
            "exercise_charts": exercise_charts,
            "camera_checks": camera_checks(progress.exercises, names),
            "activity_chart": charts.activity_scores_chart(
                {s.name: [(p.date, float(p.score)) for p in s.points] for s in progress.hard_activities}
            ),
        },
    )
