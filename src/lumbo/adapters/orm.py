"""The database tables (SQLAlchemy 2 Core) and the engine factory.

The domain models never import this module; adapters.repository maps rows to models.
Times are stored as naive UTC and handed back timezone-aware (UTC).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    TypeDecorator,
    create_engine,
    event,
    false,
)

metadata = MetaData()


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A moment stored as naive UTC, read back as aware UTC, on every engine."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # defensive: SQLite may hand back text
            value = dt.datetime.fromisoformat(value)
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


profile_versions = Table(
    "profile_versions",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("saved_at", UTCDateTime, nullable=False),
    Column("profile", JSON, nullable=False),
)

screens = Table(
    "screens",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("saved_at", UTCDateTime, nullable=False, index=True),
    Column("red_flags", JSON, nullable=False),
    Column("referred", Boolean, nullable=False),
    Column("decision", JSON, nullable=True),
)

plans = Table(
    "plans",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("created_at", UTCDateTime, nullable=False, index=True),
    Column("start", Date, nullable=False, index=True),
    Column("days", Integer, nullable=False),
    Column("profile_version", Integer, nullable=True),
    Column("decision", JSON, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("date", Date, nullable=False),
    Column("session_index", Integer, nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=True),
    Column("pain_before", Integer, nullable=True),
    Column("pain_after", Integer, nullable=True),
    Index("ix_sessions_date_index", "date", "session_index"),
)

session_items = Table(
    "session_items",
    metadata,
    Column(
        "session_id",
        String(64),
        ForeignKey("sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("logged_at", UTCDateTime, nullable=False),
    Column("exercise", String(80), nullable=False),
    Column("variation", String(80), nullable=True),
    Column("completed", Boolean, nullable=False),
    Column("sets", Integer, nullable=True),
    Column("hold_seconds", Integer, nullable=True),
    Column("reps", Integer, nullable=True),
    # Null only for a skipped item (never rated: lumbo.domain.model.ItemLog).
    Column("rating", String(16), nullable=True),
    Column("skipped", Boolean, nullable=False, server_default=false()),
    # The camera coach's numbers (lumbo.domain.model.ItemLog): false/null for a result the
    # person reported; faults is a list of fault ids, null when there are none.
    Column("measured", Boolean, nullable=False, server_default=false()),
    Column("form_score", Float, nullable=True),
    Column("faults", JSON(none_as_null=True), nullable=True),
)

# One row (id 1): increased by every commit, so cached results can tell they are stale.
store_revision = Table(
    "store_revision",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("value", BigInteger, nullable=False),
)

# One row (id 1) at most: the folded progression state (lumbo.domain.progression.settle)
# of the finished sessions before ``horizon``, written in the transaction that finishes a
# session. Derived from the logs, which stay the source of truth: rebuilt from them whenever
# it cannot be updated step by step (docs/storage.md, "The folded progression state").
progression_state = Table(
    "progression_state",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("horizon", Date, nullable=True),
    Column("sessions", Integer, nullable=False),
    Column("catalogue", String(64), nullable=False),
    Column("state", JSON, nullable=False),
)

# Children first: the order to empty the tables in (the revision row stays).
ALL_TABLES = (progression_state, session_items, sessions, plans, screens, profile_versions)
#: Tables derived from the others (empty or not, the store counts as empty without the rest).
DERIVED_TABLES = (progression_state,)


#: How long a SQLite statement waits for another process's lock before failing.
BUSY_TIMEOUT_MS = 10_000


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (see below), and switch on
    # WAL, foreign keys and secure deletes for every connection.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # NORMAL in WAL mode: a commit survives the process being killed (the crash test
    # checks it); only a power cut or OS crash may lose the last commits. FULL would add
    # an fsync per commit (about 6 ms here) and cap item logs near 150 per second.
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows are overwritten with zeros, not just unlinked: "delete everything" must
    # leave no entered text in the file (stock SQLite builds have this off).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


WRITE_FLAG = "lumbo_write"


def _sqlite_on_begin(connection: Any) -> None:
    # A write transaction takes the write lock up front: a deferred one that reads and then
    # writes fails at once ("database is locked") when another writer got in between.
    # Reads stay deferred, so they never wait for writers (WAL).
    write = connection.info.get(WRITE_FLAG, True)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _private_file(database: str) -> None:
    """Create a new SQLite file (and its folder) readable by its owner only: it holds health
    data, and SQLite gives its -wal and -shm files the same permissions."""
    import os
    from pathlib import Path

    path = Path(database).expanduser()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # an existing database keeps the permissions its owner gave it
    except OSError:
        return  # SQLite itself will report a folder it cannot write to
    os.close(descriptor)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL, foreign keys and their folder created."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            _private_file(database)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)
