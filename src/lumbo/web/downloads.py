"""Downloads for the stored profile: the handout PDF, the calendar, the FHIR bundle, the export.

    GET /download/handout.pdf?paper=a4|letter&start=YYYY-MM-DD&days=7
    GET /download/plan.ics?at=07:30&start=...&days=7
    GET /download/fhir.json?start=...&days=7
    GET /download/export.json

Each route is thin: read the stored data through lumbo.services.records, call one report
function, return the file. No profile yet -> 404 JSON (the app's RecordsError handler); a bad
query value -> 422 JSON; a calendar for a referral -> 409 JSON. The routes are left out of
the OpenAPI schema: they return files, not JSON shapes (the API has /api/v1/export).
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Response

from lumbo.domain.bounds import BoundedDate
from lumbo.web.deps import ClockDep, UowDep

router = APIRouter(prefix="/download", include_in_schema=False)

#: Calendar UIDs and FHIR ids use this key for the one local profile (same as the CLI default).
LOCAL_PROFILE_KEY = "lumbo"

StartQuery = Annotated[BoundedDate | None, Query(description="First day of the plan (default: today).")]
DaysQuery = Annotated[int, Query(ge=1, le=90, description="How many days to plan.")]


def _attachment(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/handout.pdf")
def handout_pdf(
    uow: UowDep,
    clock: ClockDep,
    paper: Literal["a4", "letter"] = "a4",
    start: StartQuery = None,
    days: DaysQuery = 7,
) -> Response:
    from lumbo.reports.handout import handout_pdf as render
    from lumbo.services import records

    today = clock.today()
    decision = records.current_decision(uow, start or today, days, clock=clock)
    # Only the weeks the progress section shows: the cost does not grow with years of logs.
    recent = records.recent_history(uow, today, weeks=records.RECENT_WEEKS)
    profile = records.get_profile(uow)
    pdf = render(decision, history=recent, paper=paper, today=today, profile=profile)
    name = "lumbo-plan.pdf" if decision.status == "plan" else "lumbo-see-a-clinician.pdf"
    return _attachment(pdf, "application/pdf", name)


@router.get("/plan.ics")
def plan_ics(
    uow: UowDep,
    clock: ClockDep,
    at: Annotated[str, Query(max_length=5, description="Start time, HH:MM.")] = "07:30",
    start: StartQuery = None,
    days: DaysQuery = 7,
) -> Response:
    from lumbo.reports.calendar import NoPlanError, build_calendar, parse_time
    from lumbo.services import records

    try:
        time_of_day = parse_time(at)
    except ValueError as error:
        raise HTTPException(status_code=422, detail=f"at: {error}") from None
    decision = records.current_decision(uow, start or clock.today(), days, clock=clock)
    try:
        data = build_calendar(decision, at=time_of_day, profile_key=LOCAL_PROFILE_KEY, now=clock.now())
    except NoPlanError as error:
        raise HTTPException(status_code=409, detail=str(error)) from None
    return _attachment(data, "text/calendar; charset=utf-8", "lumbo-plan.ics")


@router.get("/fhir.json")
def fhir_json(uow: UowDep, clock: ClockDep, start: StartQuery = None, days: DaysQuery = 7) -> Response:
    from lumbo.reports.fhir import build_bundle, validate_bundle
    from lumbo.services import records

    decision = records.current_decision(uow, start or clock.today(), days, clock=clock)
    bundle = build_bundle(decision, records.history(uow), profile_key=LOCAL_PROFILE_KEY, now=clock.now())
    validate_bundle(bundle)
    text = json.dumps(bundle, indent=2, ensure_ascii=False)
    return _attachment(text.encode("utf-8"), "application/fhir+json", "lumbo-fhir-bundle.json")


@router.get("/export.json")
def export_json(uow: UowDep, clock: ClockDep) -> Response:
    from lumbo.services import records

    document = records.export_document(uow, clock=clock)
    text = json.dumps(document, indent=2, ensure_ascii=False)
    name = f"lumbo-export-{clock.today().isoformat()}.json"
    return _attachment(text.encode("utf-8"), "application/json", name)
