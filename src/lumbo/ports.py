"""What the use cases need from the outside world: a store (Repository inside a
UnitOfWork) and a Clock. Adapters implement these; tests may pass small fakes.

The stored shapes below are what the store keeps besides the domain models themselves.
Identifiers are strings (UUID hex) so an export re-imports with the same identifiers
on any database. Every moment and date is bounded (lumbo.domain.bounds: 1900-2200), every
counter too, so nothing stored can overflow the code that reads it back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Annotated, Any, Protocol, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from lumbo.domain.bounds import MAX_COUNTER, BoundedDate, BoundedDateTime, check_date
from lumbo.domain.model import Decision, ItemLog, PainScore, Profile, RedFlags

if TYPE_CHECKING:
    from lumbo.domain.progression import Progression

MAX_SESSION_INDEX = 9
MAX_ITEM_POSITION = 99
#: Integer columns hold 32-bit values on every database (stored counters stay far below:
#: MAX_COUNTER, so that "the next version" never overflows).
MAX_STORED_INT = 2**31 - 1
#: The highest profile version number (one more save than this is refused).
MAX_PROFILE_VERSION = MAX_COUNTER
#: Identifiers: UUID hex when lumbo makes them; any short slug-like text when imported.
ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


def _utc_day_in_range(value: dt.datetime) -> dt.datetime:
    # Moments are stored as UTC: 2200-12-31T23:00-05:00 is in 2201 there, and would not
    # read back. (BoundedDateTime checked the day where the moment was given, first, so
    # the conversion cannot overflow.)
    if value.tzinfo is not None:
        check_date(value.astimezone(dt.UTC).date(), "the date (in UTC)")
    return value


#: A moment that is stored: within the bounds where it was given, and in UTC.
Moment = Annotated[BoundedDateTime, AfterValidator(_utc_day_in_range)]


class StoreRefused(Exception):
    """The database refused a value (too long, out of range, a NUL byte...): the write is
    abandoned and its transaction must be left (which rolls it back)."""


class StoreBusy(Exception):
    """Another process kept the store busy longer than lumbo waits: the step that needed
    it (erasing deleted rows from the files) did not finish; trying again later will."""


class Stored(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProfileVersion(Stored):
    """One saved profile; every save is kept so scores can be shown over time."""

    version: int = Field(ge=1, le=MAX_PROFILE_VERSION)
    saved_at: Moment
    profile: Profile


class ScreenRecord(Stored):
    """One answer to the red-flag questions, kept even (above all) when it led to a referral."""

    id: str = Field(pattern=ID_PATTERN)
    saved_at: Moment
    red_flags: RedFlags
    referred: bool
    decision: Decision | None = None


#: The longest plan kept (an import may bring plans longer than the app makes).
MAX_STORED_PLAN_DAYS = 366


class PlanRecord(Stored):
    """A decision lumbo showed: kept whenever it differs from the one before."""

    id: str = Field(pattern=ID_PATTERN)
    created_at: Moment
    start: BoundedDate
    days: int = Field(ge=1, le=MAX_STORED_PLAN_DAYS)
    profile_version: int | None = Field(None, ge=1, le=MAX_PROFILE_VERSION)
    decision: Decision


class LoggedItem(Stored):
    """One exercise result, at its place in the session (the plan item's index)."""

    position: int = Field(ge=0, le=MAX_ITEM_POSITION)
    logged_at: Moment
    item: ItemLog


class SessionRecord(Stored):
    """A session as stored: unfinished until pain after is given. Pain before may be stored
    when the session starts (so any device can finish it), or given with pain after."""

    id: str = Field(pattern=ID_PATTERN)
    date: BoundedDate
    session_index: int = Field(0, ge=0, le=MAX_SESSION_INDEX)
    started_at: Moment
    finished_at: Moment | None = None
    pain_before: PainScore | None = None
    pain_after: PainScore | None = None
    items: list[LoggedItem] = Field(default_factory=list, max_length=MAX_ITEM_POSITION + 1)

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class SessionStatus(Stored):
    finished: bool
    highest_position: int | None = Field(ge=0, description="None while no item is logged")


class ItemOutcome(Stored):
    """What a logged item says about the exercise: enough to tell whether it is plain."""

    completed: bool
    rating: str | None
    skipped: bool


class Repository(Protocol):
    def add_profile_version(self, version: ProfileVersion) -> None: ...
    def latest_profile(self) -> ProfileVersion | None: ...
    def profile_versions(self) -> list[ProfileVersion]: ...

    def add_screen(self, screen: ScreenRecord) -> None: ...
    def latest_screen(self) -> ScreenRecord | None: ...
    def screens(self) -> list[ScreenRecord]: ...

    def add_plan(self, plan: PlanRecord) -> None: ...
    def latest_plan(self) -> PlanRecord | None: ...
    def plans(self) -> list[PlanRecord]: ...
    def plans_reaching(self, first: dt.date, before: dt.date) -> list[PlanRecord]:
        """The plans with at least one day in [first, before), oldest first."""
        ...

    def add_session(self, session: SessionRecord) -> None:
        """Store a session with its items."""
    def get_session(self, session_id: str) -> SessionRecord | None: ...
    def find_unfinished(self, date: dt.date, session_index: int) -> SessionRecord | None: ...
    def latest_unfinished(self) -> SessionRecord | None: ...
    def sessions(self) -> list[SessionRecord]:
        """Every session with its items, by date, then start time."""
    def first_finished_date(self) -> dt.date | None:
        """The day of the earliest finished session (None before any)."""
        ...
    def sessions_between(self, first: dt.date | None, before: dt.date | None = None) -> list[SessionRecord]:
        """The sessions dated on or after ``first`` and before ``before`` (None: no bound),
        ordered as ``sessions``."""
    def put_item(self, session_id: str, item: LoggedItem) -> None:
        """Store an item at its position, replacing one already there."""
    def session_status(self, session_id: str) -> SessionStatus | None: ...
    def set_pain_before(self, session_id: str, pain_before: int) -> None:
        """Store the pain before an unfinished session (asked when it starts)."""
    def finish_session(
        self, session_id: str, finished_at: dt.datetime, pain_before: int, pain_after: int
    ) -> None: ...
    def latest_plan_id(self) -> str | None: ...

    def add_all(
        self,
        profile_versions: Sequence[ProfileVersion],
        screens: Sequence[ScreenRecord],
        plans: Sequence[PlanRecord],
        sessions: Sequence[SessionRecord],
    ) -> None:
        """Store many records at once (an import): a few batched statements, not one a row."""

    def progression(self) -> Progression | None:
        """The stored folded progression state (lumbo.domain.progression.settle), if any."""
    def put_progression(self, state: Progression) -> None:
        """Store the folded state in place of the one stored."""
    def clear_progression(self) -> None: ...

    def revision(self) -> int:
        """A number every commit increases (see UnitOfWork.commit)."""
    def plan_revision(self) -> int:
        """A number every commit increases except plain ones (``commit(plain=True)``):
        what depends only on a plan's inputs is keyed by it."""
    def mark_plain(self) -> None:
        """Leave ``plan_revision`` as it is at this transaction's commit."""
    def outcome_at(self, session_id: str, position: int) -> ItemOutcome | None: ...
    def is_empty(self) -> bool: ...
    def delete_everything(self) -> None: ...


class UnitOfWork(Protocol):
    """``with uow:`` opens a transaction; leaving without ``commit()`` rolls it back.

    ``with uow.writing():`` opens one that will write. A unit of work may be entered again
    after it is left (a new transaction each time). ``commit()`` also increases the store
    revision. ``memo`` lives as long as the database handle: services keep results of
    pure functions there, keyed by the revision they were computed at.
    """

    records: Repository
    memo: dict[Any, Any]

    def writing(self) -> Self: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self, *, plain: bool = False) -> None:
        """``plain``: the transaction changed nothing a plan depends on (the caller must
        be sure; when in doubt, leave it False), so ``plan_revision`` stays."""
    def rollback(self) -> None: ...
    def erase_deleted(self) -> None:
        """Outside any ``with`` block: make what committed deletes removed unrecoverable
        from the store's files (SQLite: VACUUM and a truncating WAL checkpoint;
        PostgreSQL: VACUUM). Slow: for "delete everything", not for every delete.
        StoreBusy when another process kept the files busy too long: run it again later."""


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, timezone-aware (UTC)."""
    def today(self) -> dt.date:
        """Today's date where the person is (local time)."""
