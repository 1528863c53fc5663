"""Use cases over a unit of work: screen answers, profile, today's decision, sessions.

Every function takes an (un-entered) unit of work and opens its own transaction, so the
same functions serve the web app, the API and the CLI. Each logged item is committed on
its own: an acknowledged log survives a closed tab or a killed server.

Example::

    uow = open_database(url).unit_of_work()
    save_profile(uow, profile)
    decision = current_decision(uow, dt.date(2026, 11, 23))
    session_id = start_session(uow, dt.date(2026, 11, 23), 0)
    record_pain_before(uow, session_id, 4)
    log_item(uow, session_id, ItemLog(exercise="glute-bridge", hold_seconds=20, rating="right"))
    log_item(uow, session_id, ItemLog(exercise="bird-dog", skipped=True, completed=False))
    finish_session(uow, session_id, pain_before=None, pain_after=3)  # the stored 4

Progress and export/import live in lumbo.services.progress and lumbo.services.transfer;
``progress``, ``export_document`` and ``import_document`` here are shortcuts to them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from lumbo.domain.model import Decision, History, ItemLog, Profile, RedFlags
from lumbo.ports import (
    MAX_ITEM_POSITION,
    MAX_PROFILE_VERSION,
    MAX_SESSION_INDEX,
    Clock,
    LoggedItem,
    Moment,
    PlanRecord,
    ProfileVersion,
    ScreenRecord,
    SessionRecord,
    SessionStatus,
    StoreBusy,
    UnitOfWork,
)
from lumbo.services import folded
from lumbo.services.errors import Conflict, InvalidInput, NotFound
from lumbo.services.shared import (
    RECENT_WEEKS as RECENT_WEEKS,  # re-exported: the pages and reports read it here
)
from lumbo.services.shared import (
    check_date,
    check_window,
    clock_or_system,
    first_recent_day,
    history_of,
    new_id,
)
from lumbo.single_flight import SingleFlight

if TYPE_CHECKING:
    from lumbo.domain.catalogue import Catalogue
    from lumbo.services.progress import Progress

MAX_PLAN_DAYS = 28
MEMO_LIMIT = 64


class ProfileSaved(BaseModel):
    """The outcome of saving a profile: its version and the screen's referral, if any."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = Field(ge=1, le=MAX_PROFILE_VERSION)
    saved_at: Moment
    referral: Decision | None = None


class OpenedSession(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    session: SessionRecord
    resumed: bool


# screen and profile


def _next_version(latest: ProfileVersion | None) -> int:
    if latest is None:
        return 1
    if latest.version >= MAX_PROFILE_VERSION:
        raise Conflict(
            f"the profile has been saved {MAX_PROFILE_VERSION} times, the most lumbo counts: "
            "export your data, delete everything, number profile_history from 1 in the "
            "export file and import it again"
        )
    return latest.version + 1


def _screen_only(red_flags: RedFlags) -> Decision | None:
    """Screen the red-flag answers alone (a neutral profile around them)."""
    from lumbo.domain.screening import screen

    neutral = Profile(pain_now=0, pain_worst_week=0, duration_weeks=0, red_flags=red_flags)
    return screen(neutral)


def save_screen_answers(
    uow: UnitOfWork, red_flags: RedFlags, *, clock: Clock | None = None
) -> ScreenRecord:
    """Keep the answers (also when they lead to a referral) and return the outcome.

    When a profile is stored already, it is saved again with these answers, so the
    profile and the latest screen never disagree.
    """
    now = clock_or_system(clock).now()
    referral = _screen_only(red_flags)
    record = ScreenRecord(
        id=new_id(),
        saved_at=now,
        red_flags=red_flags,
        referred=referral is not None,
        decision=referral,
    )
    with uow.writing():
        uow.records.add_screen(record)
        latest = uow.records.latest_profile()
        if latest is not None and latest.profile.red_flags != red_flags:
            updated = latest.profile.model_copy(update={"red_flags": red_flags})
            uow.records.add_profile_version(
                ProfileVersion(version=_next_version(latest), saved_at=now, profile=updated)
            )
        uow.commit()
    return record


def save_profile(uow: UnitOfWork, profile: Profile, *, clock: Clock | None = None) -> ProfileSaved:
    """Store a new version of the profile and screen it again (its red flags included)."""
    from lumbo.domain.screening import screen

    now = clock_or_system(clock).now()
    # Validate again: a model built with model_construct would skip the checks.
    profile = Profile.model_validate(profile.model_dump())
    referral = screen(profile)
    with uow.writing():
        version = _next_version(uow.records.latest_profile())
        uow.records.add_profile_version(
            ProfileVersion(version=version, saved_at=now, profile=profile)
        )
        folded.profile_saved(uow.records, profile)
        uow.records.add_screen(
            ScreenRecord(
                id=new_id(),
                saved_at=now,
                red_flags=profile.red_flags,
                referred=referral is not None,
                decision=referral,
            )
        )
        uow.commit()
    return ProfileSaved(version=version, saved_at=now, referral=referral)


def get_profile(uow: UnitOfWork) -> Profile | None:
    with uow:
        latest = uow.records.latest_profile()
    return None if latest is None else latest.profile


def profile_versions(uow: UnitOfWork) -> list[ProfileVersion]:
    with uow:
        return uow.records.profile_versions()


def latest_screen(uow: UnitOfWork) -> ScreenRecord | None:
    with uow:
        return uow.records.latest_screen()


def store_revision(uow: UnitOfWork) -> int:
    """The store's revision: every commit raises it, so results keyed by it cannot go stale."""
    with uow:
        return uow.records.revision()


def plan_revision(uow: UnitOfWork) -> int:
    """The plan revision: every commit raises it except plain item logs (``plain_outcome``)
    and storing the plan shown, so what depends only on a plan's inputs is keyed by it."""
    with uow:
        return uow.records.plan_revision()


# today's decision


def _check_plan_window(start: dt.date, days: int) -> None:
    if not 1 <= days <= MAX_PLAN_DAYS:
        raise InvalidInput(f"days must be between 1 and {MAX_PLAN_DAYS}, not {days}")
    check_window(start, days)


#: Concurrent callers wanting the same decision wait for one planner run (single flight).
_DECISIONS = SingleFlight()


def current_decision(
    uow: UnitOfWork,
    today: dt.date | None = None,
    days: int = 7,
    *,
    clock: Clock | None = None,
    catalogue: Catalogue | None = None,
) -> Decision:
    """The decision for ``days`` days from ``today``: a referral or a plan.

    With no profile yet, the latest screen's referral is returned if there was one;
    otherwise NotFound asks for the intake first. A decision that differs from the last
    one stored is kept (export lists every plan shown). Planning is deterministic, so a
    decision is reused while the plan revision has not moved, and threads asking for the
    same decision at once wait for one planner run.
    """
    clock = clock_or_system(clock)
    start = today or clock.today()
    _check_plan_window(start, days)
    with uow:
        revision = uow.records.plan_revision()
    key = ("decision", revision, start, days, None if catalogue is None else id(catalogue))
    cached = uow.memo.get(key)
    if cached is not None:
        decision: Decision = cached
        return decision
    return _DECISIONS.run(
        (id(uow.memo), *key),
        lambda: _current_decision(uow, start, days, clock, catalogue),
    )


def _current_decision(
    uow: UnitOfWork, start: dt.date, days: int, clock: Clock, catalogue: Catalogue | None
) -> Decision:
    """current_decision without the single flight (its arguments already checked)."""
    from lumbo.adapters.catalogue_files import default_catalogue
    from lumbo.services import decide

    catalogue_key = None if catalogue is None else id(catalogue)
    book = catalogue or default_catalogue()
    with uow:
        revision = uow.records.plan_revision()
        cached = uow.memo.get(("decision", revision, start, days, catalogue_key))
        if cached is not None:
            decision: Decision = cached
            return decision
        latest = uow.records.latest_profile()
        if latest is None:
            screen = uow.records.latest_screen()
            if screen is not None and screen.decision is not None:
                return screen.decision
            raise NotFound("there is no profile yet: answer the screen and the intake first")
        # The stored folded state and the last weeks of logs, not every log (services.folded).
        history, settled = folded.planning_history(uow.records, latest.profile, book, start)
    decision = decide(latest.profile, history, start, days, catalogue=book, settled=settled)
    with uow.writing():
        if uow.records.plan_revision() != revision:
            return decision  # something changed meanwhile: show it, but neither keep nor memo it
        last = uow.records.latest_plan()
        if not (
            last is not None
            and last.start == start
            and last.days == days
            and last.profile_version == latest.version
            and last.decision == decision
        ):
            uow.records.add_plan(
                PlanRecord(
                    id=new_id(),
                    created_at=clock.now(),
                    start=start,
                    days=days,
                    profile_version=latest.version,
                    decision=decision,
                )
            )
            uow.commit(plain=True)  # the plan shown is no input of any plan
        revision = uow.records.plan_revision()
    if len(uow.memo) > MEMO_LIMIT:
        uow.memo.clear()
    uow.memo[("decision", revision, start, days, catalogue_key)] = decision
    return decision


def stored_plan(uow: UnitOfWork, start: dt.date, days: int, *, catalogue: Catalogue | None = None) -> Decision:
    """The decision for the stored profile, planned as ``current_decision`` plans (the folded
    progression state and the last weeks of logs), but only read: nothing is kept, and
    ``days`` may exceed MAX_PLAN_DAYS (the CLI's reports plan up to 90 days). NotFound
    without a stored profile."""
    from lumbo.adapters.catalogue_files import default_catalogue
    from lumbo.services import decide

    check_window(start, days)
    book = catalogue or default_catalogue()
    with uow:
        latest = uow.records.latest_profile()
        if latest is None:
            raise NotFound("there is no profile yet: answer the screen and the intake first")
        history, settled = folded.planning_history(uow.records, latest.profile, book, start)
    return decide(latest.profile, history, start, days, catalogue=book, settled=settled)


def plans(uow: UnitOfWork) -> list[PlanRecord]:
    with uow:
        return uow.records.plans()


def planned_days(uow: UnitOfWork, first: dt.date, before: dt.date) -> set[dt.date]:
    """The days in [first, before) that a plan shown had sessions on. Only the plans that
    reach those days are read."""
    with uow:
        shown = uow.records.plans_reaching(first, before)
    return {
        day.date
        for plan in shown
        if plan.decision.status == "plan"
        for day in plan.decision.days
        if day.sessions and first <= day.date < before
    }


# sessions


def _check_session_index(session_index: int) -> None:
    if not 0 <= session_index <= MAX_SESSION_INDEX:
        raise InvalidInput(
            f"session_index must be between 0 and {MAX_SESSION_INDEX}, not {session_index}"
        )


def open_session(
    uow: UnitOfWork, date: dt.date, session_index: int = 0, *, clock: Clock | None = None
) -> OpenedSession:
    """Resume the unfinished session of that date and index, or start a new one."""
    _check_session_index(session_index)
    check_date(date, "date")
    with uow.writing():
        found = uow.records.find_unfinished(date, session_index)
        if found is not None:
            return OpenedSession(session=found, resumed=True)
        record = SessionRecord(
            id=new_id(), date=date, session_index=session_index, started_at=clock_or_system(clock).now()
        )
        uow.records.add_session(record)
        uow.commit()
    return OpenedSession(session=record, resumed=False)


def start_session(
    uow: UnitOfWork, date: dt.date, session_index: int = 0, *, clock: Clock | None = None
) -> str:
    """The id of the session to play (an unfinished one for that date and index is resumed)."""
    return open_session(uow, date, session_index, clock=clock).session.id


_SLUGS: dict[int, tuple[Catalogue, frozenset[str], frozenset[str]]] = {}


def _known_slugs(catalogue: Catalogue | None) -> tuple[frozenset[str], frozenset[str]]:
    """(exercise slugs incl. families, step slugs) of a catalogue, computed once."""
    if catalogue is None:
        from lumbo.adapters.catalogue_files import default_catalogue

        catalogue = default_catalogue()
    known = _SLUGS.get(id(catalogue))
    if known is None or known[0] is not catalogue:
        steps = frozenset(catalogue.ids)
        known = (catalogue, frozenset(entry.family_id for entry in catalogue) | steps, steps)
        _SLUGS[id(catalogue)] = known
    return known[1], known[2]


def _check_item(item: ItemLog, catalogue: Catalogue | None) -> None:
    exercises, steps = _known_slugs(catalogue)
    if item.exercise not in exercises:
        raise InvalidInput(f"unknown exercise {item.exercise!r}: use a catalogue slug")
    if item.variation is not None and item.variation not in steps:
        raise InvalidInput(f"unknown variation {item.variation!r}: use a catalogue slug")


def log_item(
    uow: UnitOfWork,
    session_id: str,
    item: ItemLog,
    position: int | None = None,
    *,
    clock: Clock | None = None,
    catalogue: Catalogue | None = None,
) -> LoggedItem:
    """Save one item's result at once (its own commit).

    ``position`` is the item's index in the planned session; logging the same position
    again replaces it (a retry or a changed rating). Without it, the item goes last.
    """
    item = ItemLog.model_validate(item.model_dump())
    _check_item(item, catalogue)
    if position is not None and not 0 <= position <= MAX_ITEM_POSITION:
        raise InvalidInput(f"position must be between 0 and {MAX_ITEM_POSITION}, not {position}")
    with uow.writing():
        status = _open_session_status(
            uow, session_id, "its results are kept as they were; start a new session to log more"
        )
        appended = position is None
        if position is None:
            position = (-1 if status.highest_position is None else status.highest_position) + 1
            if position > MAX_ITEM_POSITION:
                raise Conflict("this session already holds the most items it can")
        # A plain item (replacing nothing, or another plain one) changes no plan: the cached
        # plans stay valid. Anything else moves the plan revision (see plain_outcome).
        plain = plain_outcome(item.completed, item.rating, item.skipped) and (
            appended or _replaces_only_plain(uow, session_id, position)
        )
        logged = LoggedItem(position=position, logged_at=clock_or_system(clock).now(), item=item)
        uow.records.put_item(session_id, logged)
        uow.commit(plain=plain)
    return logged


#: The rating of an exercise that went as planned.
PLAIN_RATINGS = frozenset({"right"})


def plain_outcome(completed: bool, rating: str | None, skipped: bool) -> bool:
    """Whether logging this outcome into an open session leaves every plan as it was.

    The planner reads finished sessions only, so no item of an open session changes a plan
    until the session is finished (which moves the plan revision). Conservatively, only an
    item done and rated "right" counts as plain: "easy" counts towards a step up, "hard",
    "pain", stopped or skipped towards a step down, a replacement or a reset, so those move
    the plan revision at once, as finishing, a profile change, an import or a delete do.
    """
    return completed and not skipped and rating in PLAIN_RATINGS


def _replaces_only_plain(uow: UnitOfWork, session_id: str, position: int) -> bool:
    replaced = uow.records.outcome_at(session_id, position)
    return replaced is None or plain_outcome(replaced.completed, replaced.rating, replaced.skipped)


def _open_session_status(uow: UnitOfWork, session_id: str, what_then: str) -> SessionStatus:
    """The status of a session that may still change: NotFound when there is none, Conflict
    (saying ``what_then``) when it is finished. Call inside the write transaction."""
    status = uow.records.session_status(session_id)
    if status is None:
        raise NotFound(f"no session with id {session_id!r}: start one first")
    if status.finished:
        raise Conflict(f"this session is finished: {what_then}")
    return status


def _check_pain(name: str, value: int) -> None:
    if not 0 <= value <= 10:
        raise InvalidInput(f"{name} must be between 0 and 10, not {value}")


def record_pain_before(uow: UnitOfWork, session_id: str, pain_before: int) -> SessionRecord:
    """Store the pain before an unfinished session (asked on its first screen), so the
    session can be finished later without it, on any device. Sent again, it replaces it."""
    _check_pain("pain_before", pain_before)
    with uow.writing():
        _open_session_status(
            uow, session_id, "its pain scores are kept as they were; start a new session"
        )
        uow.records.set_pain_before(session_id, pain_before)
        uow.commit()
        stored = uow.records.get_session(session_id)
    assert stored is not None
    return stored


def finish_session(
    uow: UnitOfWork,
    session_id: str,
    pain_before: int | None,
    pain_after: int,
    *,
    clock: Clock | None = None,
) -> SessionRecord:
    """Close a session with the pain before and after (0-10). ``pain_before`` None uses
    the one stored when the session started (``record_pain_before``); given, it wins."""
    if pain_before is not None:
        _check_pain("pain_before", pain_before)
    _check_pain("pain_after", pain_after)
    with uow.writing():
        status = uow.records.session_status(session_id)
        if status is None:
            raise NotFound(f"no session with id {session_id!r}")
        if status.finished:
            raise Conflict("this session is finished already; start a new one")
        if pain_before is None:
            started = uow.records.get_session(session_id)
            pain_before = None if started is None else started.pain_before
            if pain_before is None:
                raise InvalidInput(
                    "pain_before is missing: no pain before was stored when this session "
                    "started, so send it (0-10) with pain_after"
                )
        uow.records.finish_session(session_id, clock_or_system(clock).now(), pain_before, pain_after)
        finished = uow.records.get_session(session_id)
        assert finished is not None
        # The session joins the history: the folded state moves in the same transaction.
        folded.session_finished(uow.records, finished.date)
        uow.commit()
        finished = uow.records.get_session(session_id)
    assert finished is not None
    return finished


def get_session(uow: UnitOfWork, session_id: str) -> SessionRecord:
    with uow:
        session = uow.records.get_session(session_id)
    if session is None:
        raise NotFound(f"no session with id {session_id!r}")
    return session


def unfinished_session(uow: UnitOfWork) -> SessionRecord | None:
    """The most recent session not finished yet, to offer to resume."""
    with uow:
        return uow.records.latest_unfinished()


def list_sessions(uow: UnitOfWork) -> list[SessionRecord]:
    with uow:
        return uow.records.sessions()


def sessions_between(uow: UnitOfWork, first: dt.date | None, before: dt.date | None) -> list[SessionRecord]:
    """The sessions dated from ``first`` (None: the earliest) up to ``before`` (excluded;
    None: the latest), oldest first."""
    with uow:
        return uow.records.sessions_between(first, before)


def sessions_on(uow: UnitOfWork, day: dt.date) -> list[SessionRecord]:
    """The sessions of one day (read by date: the cost does not grow with the history)."""
    return sessions_between(uow, day, day + dt.timedelta(days=1))


def recent_history(uow: UnitOfWork, today: dt.date, weeks: int | None = RECENT_WEEKS) -> History:
    """The finished sessions of the last ``weeks`` weeks up to ``today``, oldest first
    (``weeks=None``: every one up to ``today``)."""
    with uow:
        sessions = uow.records.sessions_between(
            first_recent_day(today, weeks), today + dt.timedelta(days=1)
        )
    return history_of(sessions)


def history(uow: UnitOfWork) -> History:
    """The finished sessions as the planner sees them (unfinished ones are left out)."""
    with uow:
        return history_of(uow.records.sessions())


# everything


def delete_everything(uow: UnitOfWork) -> None:
    """Remove every profile, screen, plan and session, and what is left of them in the
    store's files (see UnitOfWork.erase_deleted): no entered text stays on disk."""
    with uow.writing():
        uow.records.delete_everything()
        uow.commit()
    try:
        uow.erase_deleted()
    except StoreBusy:
        raise Conflict(
            "everything is deleted, but another program was using the database, so traces "
            "of what was entered may stay in its files for now: close other lumbo windows "
            "and commands, then delete everything again to wipe them"
        ) from None


def progress(
    uow: UnitOfWork,
    today: dt.date | None = None,
    *,
    clock: Clock | None = None,
    weeks: int | None = RECENT_WEEKS,
) -> Progress:
    """Shortcut to lumbo.services.progress.progress."""
    from lumbo.services import progress as progress_module

    return progress_module.progress(uow, today, clock=clock, weeks=weeks)


def export_document(uow: UnitOfWork, *, clock: Clock | None = None) -> dict[str, Any]:
    """Shortcut to lumbo.services.transfer.export_document."""
    from lumbo.services.transfer import export_document as export_

    return export_(uow, clock=clock)


def import_document(uow: UnitOfWork, document: object) -> None:
    """Shortcut to lumbo.services.transfer.import_document."""
    from lumbo.services.transfer import import_document as import_

    import_(uow, document)
