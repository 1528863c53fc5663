"""The Repository port over SQLAlchemy Core tables: plain row <-> model functions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    Executable,
    RowMapping,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.sql.dml import Insert

from lumbo.adapters import orm as tables
from lumbo.adapters.orm import (
    ALL_TABLES,
    DERIVED_TABLES,
    UTCDateTime,
    plans,
    profile_versions,
    progression_state,
    screens,
    session_items,
    sessions,
)
from lumbo.domain.model import Decision, ItemLog, Profile, RedFlags
from lumbo.domain.progression import Dosage, FamilyState, Progression
from lumbo.ports import (
    MAX_STORED_PLAN_DAYS,
    ItemOutcome,
    LoggedItem,
    PlanRecord,
    ProfileVersion,
    ScreenRecord,
    SessionRecord,
    SessionStatus,
    StoreRefused,
)

#: Rows per statement when many are inserted at once (an import): bounds the driver's memory.
BATCH_ROWS = 1000


def _json(model: Any) -> Any:
    return None if model is None else model.model_dump(mode="json")


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH_ROWS)):
        yield batch


def _refuse_nul(rows: list[dict[str, Any]]) -> None:
    """StoreRefused for a text value holding NUL: PostgreSQL refuses it, SQLite would keep
    it and hand back text other code cuts short. (JSON columns hold models, whose text
    fields refuse NUL themselves: lumbo.domain.model.Text.)"""
    for row in rows:
        for column, value in row.items():
            if isinstance(value, str) and "\x00" in value:
                raise StoreRefused(f"{column} holds a NUL character (\\u0000)")


def _profile_version_row(version: ProfileVersion) -> dict[str, Any]:
    return {"version": version.version, "saved_at": version.saved_at, "profile": _json(version.profile)}


def _screen_row(screen: ScreenRecord) -> dict[str, Any]:
    return {
        "id": screen.id,
        "saved_at": screen.saved_at,
        "red_flags": _json(screen.red_flags),
        "referred": screen.referred,
        "decision": _json(screen.decision),
    }


def _plan_row(plan: PlanRecord) -> dict[str, Any]:
    return {
        "id": plan.id,
        "created_at": plan.created_at,
        "start": plan.start,
        "days": plan.days,
        "profile_version": plan.profile_version,
        "decision": _json(plan.decision),
    }


def _session_row(session: SessionRecord) -> dict[str, Any]:
    return {
        "id": session.id,
        "date": session.date,
        "session_index": session.session_index,
        "started_at": session.started_at,
        "finished_at": session.finished_at,
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
    }


def _profile_version(row: RowMapping) -> ProfileVersion:
    return ProfileVersion(
        version=row["version"],
        saved_at=row["saved_at"],
        profile=Profile.model_validate(row["profile"]),
    )


def _screen(row: RowMapping) -> ScreenRecord:
    decision = row["decision"]
    return ScreenRecord(
        id=row["id"],
        saved_at=row["saved_at"],
        red_flags=RedFlags.model_validate(row["red_flags"]),
        referred=row["referred"],
        decision=None if decision is None else Decision.model_validate(decision),
    )


def _plan(row: RowMapping) -> PlanRecord:
    return PlanRecord(
        id=row["id"],
        created_at=row["created_at"],
        start=row["start"],
        days=row["days"],
        profile_version=row["profile_version"],
        decision=Decision.model_validate(row["decision"]),
    )


def _item(row: RowMapping) -> LoggedItem:
    return LoggedItem(
        position=row["position"],
        logged_at=row["logged_at"],
        item=ItemLog(
            exercise=row["exercise"],
            variation=row["variation"],
            completed=row["completed"],
            sets=row["sets"],
            hold_seconds=row["hold_seconds"],
            reps=row["reps"],
            rating=row["rating"],
            skipped=row["skipped"],
            measured=row["measured"],
            form_score=row["form_score"],
            faults=row["faults"] or [],
        ),
    )


def _session(row: RowMapping, items: list[LoggedItem]) -> SessionRecord:
    return SessionRecord(
        id=row["id"],
        date=row["date"],
        session_index=row["session_index"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        pain_before=row["pain_before"],
        pain_after=row["pain_after"],
        items=items,
    )


def _day(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _family_json(state: FamilyState) -> dict[str, Any]:
    return {
        "step": state.step,
        "sets": state.dosage.sets,
        "reps": state.dosage.reps,
        "hold_seconds": state.dosage.hold_seconds,
        "pattern": state.pattern,
        "unlocked": state.unlocked,
        "easy_streak": state.easy_streak,
        "pain_dates": [day.isoformat() for day in state.pain_dates],
        "removed_until": _iso(state.removed_until),
        "replaced_until": _iso(state.replaced_until),
        "changes": [[day.isoformat(), text] for day, text in state.changes],
    }


def _family_state(family: str, data: dict[str, Any]) -> FamilyState:
    return FamilyState(
        family=family,
        step=data["step"],
        dosage=Dosage(data["sets"], data["reps"], data["hold_seconds"]),
        pattern=data["pattern"],
        unlocked=data["unlocked"],
        easy_streak=data["easy_streak"],
        pain_dates=[dt.date.fromisoformat(day) for day in data["pain_dates"]],
        removed_until=_day(data["removed_until"]),
        replaced_until=_day(data["replaced_until"]),
        changes=[(dt.date.fromisoformat(day), text) for day, text in data["changes"]],
    )


def _progression_row(state: Progression) -> dict[str, Any]:
    return {
        "id": 1,
        "horizon": state.horizon,
        "sessions": state.sessions,
        "catalogue": state.catalogue,
        "state": {
            "level": state.level,
            "age": state.age,
            "first_date": _iso(state.first_date),
            "last_date": _iso(state.last_date),
            "logged": sorted(state.logged),
            "pattern_pains": {
                pattern: [[day.isoformat(), name] for day, name in pains]
                for pattern, pains in state.pattern_pains.items()
            },
            "families": {family: _family_json(found) for family, found in state.families.items()},
        },
    }


def _progression(row: RowMapping) -> Progression:
    data = row["state"]
    return Progression(
        catalogue=row["catalogue"],
        level=data["level"],
        age=data["age"],
        families={family: _family_state(family, found) for family, found in data["families"].items()},
        pattern_pains={
            pattern: tuple((dt.date.fromisoformat(day), name) for day, name in pains)
            for pattern, pains in data["pattern_pains"].items()
        },
        logged=frozenset(data["logged"]),
        first_date=_day(data["first_date"]),
        last_date=_day(data["last_date"]),
        sessions=row["sessions"],
        horizon=row["horizon"],
    )


_ITEM_KEY = ["session_id", "position"]
_ITEM_COLUMNS = [column.name for column in session_items.columns]
_ITEM_CHANGED = [name for name in _ITEM_COLUMNS if name not in _ITEM_KEY]

# The statements of the hot paths (logging an item, reading the revision), written once
# as plain SQL that SQLite and PostgreSQL share: building and cache-keying the equivalent
# Core expressions took ~0.7 ms per logged item, the database itself ~0.1 ms.
#: Dialects the plain-SQL statements below are written for.
_PLAIN_SQL = frozenset({"sqlite", "postgresql"})
_UPSERT_ITEM = text(
    f"INSERT INTO session_items ({', '.join(_ITEM_COLUMNS)}) "
    f"VALUES ({', '.join(':' + name for name in _ITEM_COLUMNS)}) "
    "ON CONFLICT (session_id, position) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in _ITEM_CHANGED)
).bindparams(bindparam("logged_at", type_=UTCDateTime()), bindparam("faults", type_=JSON(none_as_null=True)))
_SESSION_STATUS = text(
    "SELECT finished_at IS NOT NULL, "
    "(SELECT max(position) FROM session_items WHERE session_id = :id) "
    "FROM sessions WHERE id = :id"
)
_REVISION = text("SELECT value FROM store_revision WHERE id = 1")
_BUMP_REVISION = text("UPDATE store_revision SET value = value + 1 WHERE id = 1")
# Row 2 counts the commits that could not change a plan (see plan_revision). It is made by
# the first such commit, after row 1 is updated (so concurrent writers queue on row 1).
REVISIONS = text("SELECT id, value FROM store_revision WHERE id BETWEEN 1 AND 2")  # IN (1, 2) costs twice as much on SQLite
_BUMP_PLAIN = text("UPDATE store_revision SET value = value + 1 WHERE id = 2")
_FIRST_PLAIN = text("INSERT INTO store_revision (id, value) VALUES (2, 1)")
_ITEM_AT = text(
    "SELECT completed, rating, skipped FROM session_items WHERE session_id = :id AND position = :position"
)


def plan_revision_of(rows: Iterable[Sequence[Any]]) -> int:
    """The plan revision from the rows (id, value) of store_revision: the number of commits
    that may have changed a plan, i.e. every commit (row 1) less the plain ones (row 2)."""
    values = {int(row[0]): int(row[1]) for row in rows}
    return values.get(1, 0) - values.get(2, 0)


def _item_values(session_id: str, logged: LoggedItem) -> dict[str, Any]:
    values = logged.item.model_dump()
    values["faults"] = values["faults"] or None  # no faults seen: stored as null
    return {
        "session_id": session_id,
        "position": logged.position,
        "logged_at": logged.logged_at,
        **values,
    }


class SqlRepository:
    """Reads and writes inside the caller's transaction (the unit of work's connection).

    A value the database refuses raises StoreRefused (a port error), not a driver error.
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def _write(self, statement: Executable, rows: list[dict[str, Any]]) -> None:
        """Run ``statement`` once per row (one executemany); a refused value is StoreRefused."""
        _refuse_nul(rows)
        try:
            self.connection.execute(statement, rows)
        except (DataError, IntegrityError) as error:
            reason = str(error.orig).splitlines()[0] if error.orig is not None else str(error)
            raise StoreRefused(reason) from None

    def _insert(self, statement: Insert, rows: Iterable[dict[str, Any]]) -> None:
        for batch in _batches(rows):
            self._write(statement, batch)

    # profile
    def add_profile_version(self, version: ProfileVersion) -> None:
        self._write(insert(profile_versions), [_profile_version_row(version)])

    def latest_profile(self) -> ProfileVersion | None:
        row = (
            self.connection.execute(
                select(profile_versions).order_by(profile_versions.c.version.desc()).limit(1)
            )
            .mappings()
            .first()
        )
        return None if row is None else _profile_version(row)

    def profile_versions(self) -> list[ProfileVersion]:
        rows = self.connection.execute(
            select(profile_versions).order_by(profile_versions.c.version)
        ).mappings()
        return [_profile_version(row) for row in rows]

    # screens
    def add_screen(self, screen: ScreenRecord) -> None:
        self._write(insert(screens), [_screen_row(screen)])

    def latest_screen(self) -> ScreenRecord | None:
        row = (
            self.connection.execute(
                select(screens).order_by(screens.c.saved_at.desc(), screens.c.id.desc()).limit(1)
            )
            .mappings()
            .first()
        )
        return None if row is None else _screen(row)

    def screens(self) -> list[ScreenRecord]:
        rows = self.connection.execute(
            select(screens).order_by(screens.c.saved_at, screens.c.id)
        ).mappings()
        return [_screen(row) for row in rows]

    # plans
    def add_plan(self, plan: PlanRecord) -> None:
        self._write(insert(plans), [_plan_row(plan)])

    def latest_plan(self) -> PlanRecord | None:
        row = (
            self.connection.execute(
                select(plans).order_by(plans.c.created_at.desc(), plans.c.id.desc()).limit(1)
            )
            .mappings()
            .first()
        )
        return None if row is None else _plan(row)

    def plans(self) -> list[PlanRecord]:
        return self._plans_where()

    def plans_reaching(self, first: dt.date, before: dt.date) -> list[PlanRecord]:
        # First the days of the plans that may reach the window (a range of the start index),
        # then only the decisions of those that do: no plan is read in full for nothing.
        earliest = first - dt.timedelta(days=MAX_STORED_PLAN_DAYS - 1)
        spans = self.connection.execute(
            select(plans.c.id, plans.c.start, plans.c.days).where(plans.c.start >= earliest, plans.c.start < before)
        )
        reaching = [
            plan_id for plan_id, start, days in spans if start + dt.timedelta(days=days) > first
        ]
        return self._plans_where(plans.c.id.in_(reaching)) if reaching else []

    def _plans_where(self, *conditions: Any) -> list[PlanRecord]:
        rows = self.connection.execute(
            select(plans).where(*conditions).order_by(plans.c.created_at, plans.c.id)
        ).mappings()
        return [_plan(row) for row in rows]

    # sessions
    def add_session(self, session: SessionRecord) -> None:
        self._write(insert(sessions), [_session_row(session)])
        if session.items:
            self._write(
                insert(session_items), [_item_values(session.id, item) for item in session.items]
            )

    def add_all(
        self,
        profile_versions: Sequence[ProfileVersion],
        screens: Sequence[ScreenRecord],
        plans: Sequence[PlanRecord],
        sessions: Sequence[SessionRecord],
    ) -> None:
        """One executemany per table and batch of BATCH_ROWS: a row at a time, building and
        compiling each statement cost ~0.5 ms, several times the database's own work."""
        self._insert(insert(tables.profile_versions), map(_profile_version_row, profile_versions))
        self._insert(insert(tables.screens), map(_screen_row, screens))
        self._insert(insert(tables.plans), map(_plan_row, plans))
        self._insert(insert(tables.sessions), map(_session_row, sessions))
        self._insert(
            insert(session_items),
            (_item_values(session.id, item) for session in sessions for item in session.items),
        )

    def _items_for(self, session_ids: list[str]) -> dict[str, list[LoggedItem]]:
        found: dict[str, list[LoggedItem]] = defaultdict(list)
        if not session_ids:
            return found
        rows = self.connection.execute(
            select(session_items)
            .where(session_items.c.session_id.in_(session_ids))
            .order_by(session_items.c.session_id, session_items.c.position)
        ).mappings()
        for row in rows:
            found[row["session_id"]].append(_item(row))
        return found

    def _sessions_where(self, *conditions: Any, latest_first: bool = False) -> list[SessionRecord]:
        order = (
            (sessions.c.date.desc(), sessions.c.started_at.desc(), sessions.c.id.desc())
            if latest_first
            else (sessions.c.date, sessions.c.started_at, sessions.c.id)
        )
        rows = list(
            self.connection.execute(select(sessions).where(*conditions).order_by(*order)).mappings()
        )
        items = self._items_for([row["id"] for row in rows])
        return [_session(row, items.get(row["id"], [])) for row in rows]

    def get_session(self, session_id: str) -> SessionRecord | None:
        found = self._sessions_where(sessions.c.id == session_id)
        return found[0] if found else None

    def find_unfinished(self, date: dt.date, session_index: int) -> SessionRecord | None:
        found = self._sessions_where(
            sessions.c.date == date,
            sessions.c.session_index == session_index,
            sessions.c.finished_at.is_(None),
            latest_first=True,
        )
        return found[0] if found else None

    def latest_unfinished(self) -> SessionRecord | None:
        row = (
            self.connection.execute(
                select(sessions.c.id)
                .where(sessions.c.finished_at.is_(None))
                .order_by(sessions.c.date.desc(), sessions.c.started_at.desc())
                .limit(1)
            )
            .mappings()
            .first()
        )
        return None if row is None else self.get_session(row["id"])

    def sessions(self) -> list[SessionRecord]:
        return self._sessions_where()

    def first_finished_date(self) -> dt.date | None:
        first: dt.date | None = self.connection.execute(
            select(func.min(sessions.c.date)).where(sessions.c.finished_at.is_not(None))
        ).scalar()  # min() keeps the column's Date type: a date on SQLite and PostgreSQL
        return first

    def sessions_between(self, first: dt.date | None, before: dt.date | None = None) -> list[SessionRecord]:
        conditions = []
        if first is not None:
            conditions.append(sessions.c.date >= first)
        if before is not None:
            conditions.append(sessions.c.date < before)
        return self._sessions_where(*conditions)

    # the folded progression state (derived from the sessions)
    def progression(self) -> Progression | None:
        row = self.connection.execute(select(progression_state)).mappings().first()
        return None if row is None else _progression(row)

    def put_progression(self, state: Progression) -> None:
        self.connection.execute(delete(progression_state))
        self._write(insert(progression_state), [_progression_row(state)])

    def clear_progression(self) -> None:
        self.connection.execute(delete(progression_state))

    def put_item(self, session_id: str, item: LoggedItem) -> None:
        """Insert the item, or replace the one at its position (one upsert statement)."""
        values = _item_values(session_id, item)
        if self.connection.dialect.name in _PLAIN_SQL:
            self._write(_UPSERT_ITEM, [values])
            return
        # any other database: delete, then insert
        self.connection.execute(
            delete(session_items).where(
                session_items.c.session_id == session_id,
                session_items.c.position == item.position,
            )
        )
        self._write(insert(session_items), [values])

    def set_pain_before(self, session_id: str, pain_before: int) -> None:
        self.connection.execute(
            update(sessions).where(sessions.c.id == session_id).values(pain_before=pain_before)
        )

    def finish_session(
        self, session_id: str, finished_at: dt.datetime, pain_before: int, pain_after: int
    ) -> None:
        self.connection.execute(
            update(sessions)
            .where(sessions.c.id == session_id)
            .values(finished_at=finished_at, pain_before=pain_before, pain_after=pain_after)
        )

    def session_status(self, session_id: str) -> SessionStatus | None:
        if self.connection.dialect.name in _PLAIN_SQL:
            row = self.connection.execute(_SESSION_STATUS, {"id": session_id}).first()
            if row is None:
                return None
            return SessionStatus(finished=bool(row[0]), highest_position=row[1])
        row = self.connection.execute(
            select(
                sessions.c.finished_at,
                select(func.max(session_items.c.position))
                .where(session_items.c.session_id == session_id)
                .scalar_subquery(),
            ).where(sessions.c.id == session_id)
        ).first()
        if row is None:
            return None
        return SessionStatus(finished=row[0] is not None, highest_position=row[1])

    def latest_plan_id(self) -> str | None:
        found = self.connection.execute(
            select(plans.c.id).order_by(plans.c.created_at.desc(), plans.c.id.desc()).limit(1)
        ).scalar()
        return None if found is None else str(found)

    # everything
    def revision(self) -> int:
        value = self.connection.execute(_REVISION).scalar()
        return int(value or 0)

    def bump_revision(self) -> None:
        self.connection.execute(_BUMP_REVISION)

    def plan_revision(self) -> int:
        """A number every commit increases except those marked plain (``mark_plain``):
        results that depend only on what a plan depends on are keyed by it."""
        return plan_revision_of(self.connection.execute(REVISIONS))

    def mark_plain(self) -> None:
        """This transaction changes nothing a plan depends on: its commit leaves
        ``plan_revision`` as it is. Call after the writes, just before the commit."""
        if self.connection.execute(_BUMP_PLAIN).rowcount == 0:
            self.connection.execute(_FIRST_PLAIN)

    def outcome_at(self, session_id: str, position: int) -> ItemOutcome | None:
        """What the item logged at ``position`` of a session says about the exercise
        (completed, rating, skipped), or None when there is none."""
        row = self.connection.execute(_ITEM_AT, {"id": session_id, "position": position}).first()
        if row is None:
            return None
        return ItemOutcome(completed=bool(row[0]), rating=row[1], skipped=bool(row[2]))

    def is_empty(self) -> bool:
        for table in ALL_TABLES:
            if table in DERIVED_TABLES:
                continue
            if self.connection.execute(select(func.count()).select_from(table)).scalar():
                return False
        return True

    def delete_everything(self) -> None:
        for table in ALL_TABLES:
            self.connection.execute(delete(table))
