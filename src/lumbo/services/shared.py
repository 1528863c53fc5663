"""Small helpers every use-case module shares (records, progress, transfer import them here,
so none of them imports another for its private parts)."""

from __future__ import annotations

import datetime as dt
import uuid

from lumbo.domain.bounds import MAX_DATE, MIN_DATE, OutOfRange, window_fits
from lumbo.domain.bounds import check_date as check_in_bounds
from lumbo.domain.model import History, SessionLog
from lumbo.ports import Clock, SessionRecord
from lumbo.services.errors import InvalidInput


def clock_or_system(clock: Clock | None) -> Clock:
    """``clock``, or the system clock when none is given."""
    if clock is not None:
        return clock
    from lumbo.adapters.clock import SystemClock

    return SystemClock()


def new_id() -> str:
    return uuid.uuid4().hex


def check_date(value: dt.date, name: str) -> None:
    """InvalidInput naming ``name`` unless ``value`` lies between MIN_DATE and MAX_DATE."""
    try:
        check_in_bounds(value, name)
    except OutOfRange:
        raise InvalidInput(
            f"{name} {value.isoformat()} is out of range: use a date between "
            f"{MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}"
        ) from None

#: How far back the progress page, its API and the handout look by default: the trend of the
#: last months, at a cost that does not grow with years of logs.
RECENT_WEEKS = 12
#: The shortest and longest periods the progress can cover (the adherence calendar needs four
#: weeks); ``None`` asks for everything.
MIN_RECENT_WEEKS = 4
MAX_RECENT_WEEKS = 520


def first_recent_day(today: dt.date, weeks: int | None = RECENT_WEEKS) -> dt.date | None:
    """The first day of the ``weeks`` weeks up to ``today`` (None: from the first log)."""
    return None if weeks is None else today - dt.timedelta(days=7 * weeks - 1)


def weeks_of(word: str) -> int | None:
    """The period a ``weeks`` word names: ``"all"`` -> None (everything), ``"12"`` -> 12;
    InvalidInput for anything else (the range is check_weeks')."""
    if word == "all":
        return None
    if not (word.isascii() and word.isdigit() and len(word) <= 3):
        raise InvalidInput(
            f"weeks must be a number of weeks, {MIN_RECENT_WEEKS} to {MAX_RECENT_WEEKS}, or all, not {word[:12]!r}"
        )
    return int(word)


def check_weeks(weeks: int | None) -> None:
    """InvalidInput unless ``weeks`` is None (everything) or a period the progress covers."""
    if weeks is not None and not MIN_RECENT_WEEKS <= weeks <= MAX_RECENT_WEEKS:
        raise InvalidInput(
            f"weeks must be between {MIN_RECENT_WEEKS} and {MAX_RECENT_WEEKS}, or all, not {weeks}"
        )


def check_window(start: dt.date, days: int, name: str = "start") -> None:
    """InvalidInput unless every day of ``days`` days from ``start`` lies within the bounds."""
    check_date(start, name)
    if not window_fits(start, days):
        raise InvalidInput(
            f"{name} {start.isoformat()} is too late: {days} days from it run past "
            f"{MAX_DATE.isoformat()}; use an earlier date"
        )


def history_of(sessions: list[SessionRecord]) -> History:
    """The finished sessions as the planner sees them (unfinished ones are left out)."""
    return History(
        sessions=[
            SessionLog(
                date=session.date,
                pain_before=session.pain_before,
                pain_after=session.pain_after,
                items=[logged.item for logged in session.items],
            )
            for session in sessions
            if session.pain_before is not None and session.pain_after is not None
        ]
    )
