"""The progress page: what changed since the last session and why, pain before and after
each session, the adherence calendar, each exercise's holds or reps, and the scores of the
activities that were hard."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from lumbo.services import progress as progress_service
from lumbo.services import records
from lumbo.web.deps import ClockDep, UowDep
from lumbo.web.pages.common import exercise_catalogue, render

router = APIRouter(include_in_schema=False)


@router.get("/progress", response_class=HTMLResponse)
def progress_page(request: Request, uow: UowDep, clock: ClockDep, finished: str = "") -> Response:
    from lumbo.drawing import charts

    today = clock.today()
    progress = records.progress(uow, today, clock=clock)
    catalogue = exercise_catalogue()
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
