"""The JSON API under /api/v1: parse, call one service, let the error handlers translate.

Errors are JSON ``{"detail": "one line"}``: 404 (nothing stored yet / no such session),
409 (clashes with what is stored), 422 (invalid input; validation errors add ``errors``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query, Response, status
from pydantic import ConfigDict, Field

from lumbo.domain.bounds import AsWritten, BoundedDate
from lumbo.domain.model import Decision, ItemLog, PainScore, Profile, RedFlags
from lumbo.ports import (
    ID_PATTERN,
    MAX_ITEM_POSITION,
    MAX_SESSION_INDEX,
    LoggedItem,
    ScreenRecord,
    SessionRecord,
)
from lumbo.services import records, transfer
from lumbo.services.errors import NotFound
from lumbo.services.progress import Progress
from lumbo.services.records import MAX_PLAN_DAYS, OpenedSession, ProfileSaved
from lumbo.services.shared import MAX_RECENT_WEEKS, MIN_RECENT_WEEKS, weeks_of
from lumbo.web.api_errors import ERROR_RESPONSES
from lumbo.web.deps import ClockDep, UowDep

router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERROR_RESPONSES)

SessionId = Annotated[str, Path(pattern=ID_PATTERN, description="The session's id")]
CONFIRM_WORDS = "delete everything"


class _Body(AsWritten):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SessionStart(_Body):
    date: BoundedDate | None = Field(None, description="The day of the session (default: today)")
    session_index: int = Field(0, ge=0, le=MAX_SESSION_INDEX, description="Which session of the day")


class ItemLogIn(ItemLog):
    position: int | None = Field(
        None,
        ge=0,
        le=MAX_ITEM_POSITION,
        description="The item's index in the planned session; logging it again replaces it",
    )


class SessionFinish(_Body):
    pain_before: PainScore | None = Field(
        None,
        description="Pain before the session; may be left out when it was stored at the start "
        "(PUT /sessions/{id}/pain-before), and given, it replaces that one",
    )
    pain_after: PainScore


class PainBefore(_Body):
    pain_before: PainScore


class DeleteRequest(_Body):
    confirm: Literal["delete everything"] = Field(
        description=f"Must be exactly {CONFIRM_WORDS!r}: nothing can bring the data back"
    )


class Deleted(_Body):
    deleted: bool


class Imported(_Body):
    profile_versions: int
    screens: int
    plans: int
    sessions: int
    items: int


class Unfinished(_Body):
    session: SessionRecord | None


@router.get("/profile", response_model=Profile)
def get_profile(uow: UowDep) -> Profile:
    """The latest saved profile."""
    profile = records.get_profile(uow)
    if profile is None:
        raise NotFound("there is no profile yet: PUT one first")
    return profile


@router.put("/profile", response_model=ProfileSaved)
def put_profile(profile: Profile, uow: UowDep, clock: ClockDep) -> ProfileSaved:
    """Save a new version of the profile; it is screened again (``referral`` when it must be)."""
    return records.save_profile(uow, profile, clock=clock)


@router.post("/screen", response_model=ScreenRecord)
def post_screen(red_flags: RedFlags, uow: UowDep, clock: ClockDep) -> ScreenRecord:
    """Answer the red-flag questions; the answers are kept, also when they lead to a referral."""
    return records.save_screen_answers(uow, red_flags, clock=clock)


@router.get("/plan", response_model=Decision)
def get_plan(
    uow: UowDep,
    clock: ClockDep,
    start: Annotated[BoundedDate | None, Query(description="First day (default: today)")] = None,
    days: Annotated[int, Query(ge=1, le=MAX_PLAN_DAYS)] = 7,
) -> Response:
    """Today's decision: a referral or a plan of ``days`` days."""
    decision = records.current_decision(uow, start, days, clock=clock)
    # The hottest route: the model is valid already, so skip FastAPI's second validation.
    return Response(decision.model_dump_json(), media_type="application/json")


@router.get("/sessions", response_model=list[SessionRecord])
def list_sessions(
    uow: UowDep,
    since: Annotated[BoundedDate | None, Query(description="Only sessions of this day or later")] = None,
    before: Annotated[BoundedDate | None, Query(description="Only sessions before this day")] = None,
) -> list[SessionRecord]:
    """Every session with its logged items, oldest first; ``since`` and ``before`` bound the
    days read (a client that wants the last weeks need not read years)."""
    if since is None and before is None:
        return records.list_sessions(uow)
    return records.sessions_between(uow, since, before)


@router.post(
    "/sessions",
    response_model=OpenedSession,
    responses={200: {"description": "An unfinished session was resumed"}, 201: {"description": "Started"}},
    status_code=status.HTTP_201_CREATED,
)
def post_session(
    start: SessionStart, uow: UowDep, clock: ClockDep, response: Response
) -> OpenedSession:
    """Start a session, or resume the unfinished one of that day and index."""
    opened = records.open_session(
        uow, start.date or clock.today(), start.session_index, clock=clock
    )
    if opened.resumed:
        response.status_code = status.HTTP_200_OK
    return opened


@router.get("/sessions/unfinished", response_model=Unfinished)
def get_unfinished(uow: UowDep) -> Unfinished:
    """The latest unfinished session (``null`` when there is none)."""
    return Unfinished(session=records.unfinished_session(uow))


@router.get("/sessions/{session_id}", response_model=SessionRecord)
def get_session(session_id: SessionId, uow: UowDep) -> SessionRecord:
    return records.get_session(uow, session_id)


@router.post(
    "/sessions/{session_id}/items",
    response_model=LoggedItem,
    status_code=status.HTTP_201_CREATED,
)
def post_item(session_id: SessionId, body: ItemLogIn, uow: UowDep, clock: ClockDep) -> Response:
    """Log one item; it is stored durably before the answer is sent."""
    # A plain ``def`` (run in the thread pool) on purpose: the write may wait for SQLite's
    # write lock (another process can hold it for up to the busy timeout), and that wait
    # must not stall the event loop. As ``async def`` it served ~1.9x more logs in the
    # closed-loop benchmark, but one slow writer would then hold up every request.
    item = ItemLog.model_validate(body.model_dump(exclude={"position"}))
    logged = records.log_item(uow, session_id, item, body.position, clock=clock)
    # A hot route: the model is valid already, so skip FastAPI's second validation.
    return Response(logged.model_dump_json(), status_code=201, media_type="application/json")


@router.put("/sessions/{session_id}/pain-before", response_model=SessionRecord)
def put_pain_before(session_id: SessionId, body: PainBefore, uow: UowDep) -> SessionRecord:
    """Store the pain before an unfinished session (0-10), asked when it starts, so the
    session can be finished on any device; sent again, it replaces it."""
    return records.record_pain_before(uow, session_id, body.pain_before)


@router.post("/sessions/{session_id}/finish", response_model=SessionRecord)
def post_finish(
    session_id: SessionId, body: SessionFinish, uow: UowDep, clock: ClockDep
) -> SessionRecord:
    """Close the session with pain before and after (0-10); pain before may be left out
    when it was stored at the start (422 when it was not)."""
    return records.finish_session(uow, session_id, body.pain_before, body.pain_after, clock=clock)


@router.get("/progress", response_model=Progress)
def get_progress(
    uow: UowDep,
    clock: ClockDep,
    today: Annotated[BoundedDate | None, Query(description="Up to this day (default: today)")] = None,
    weeks: Annotated[
        str,
        Query(
            max_length=12,
            description=(
                f"The weeks up to today that the pain and exercise series cover, "
                f"{MIN_RECENT_WEEKS}-{MAX_RECENT_WEEKS}, or all (default {records.RECENT_WEEKS})"
            ),
        ),
    ] = str(records.RECENT_WEEKS),
) -> Progress:
    """Pain, adherence, per-exercise and hard-activity series of the last weeks, and the
    planner's next step."""
    return records.progress(uow, today, clock=clock, weeks=weeks_of(weeks))


@router.get("/export")
def get_export(uow: UowDep, clock: ClockDep) -> dict[str, Any]:
    """Everything stored, as one versioned document (format ``lumbo-export``, version 1)."""
    return records.export_document(uow, clock=clock)


@router.post("/import", response_model=Imported)
def post_import(document: Annotated[dict[str, Any], Body()], uow: UowDep) -> Imported:
    """Load an export into an empty database (409 when data is stored already)."""
    parsed = transfer.import_document(uow, document)
    return Imported(
        profile_versions=len(parsed.profile_history),
        screens=len(parsed.screens),
        plans=len(parsed.plans),
        sessions=len(parsed.sessions),
        items=sum(len(session.items) for session in parsed.sessions),
    )


@router.delete("/data", response_model=Deleted)
def delete_data(body: DeleteRequest, uow: UowDep) -> Deleted:
    """Delete every profile, screen, plan and session (send ``{"confirm": "delete everything"}``)."""
    records.delete_everything(uow)
    return Deleted(deleted=True)
