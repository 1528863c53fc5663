"""The unit of work over SQLAlchemy, and `open_database` (engine + migrations).

Example::

    database = open_database(get_settings().database_url)   # migrates to the latest schema
    profile = records.get_profile(database.unit_of_work())
"""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import AbstractContextManager, nullcontext, suppress
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine
from sqlalchemy.pool import QueuePool

from lumbo.adapters.beacon import RECHECK_SECONDS, RevisionBeacon, shared_beacon
from lumbo.adapters.orm import ALL_TABLES, BUSY_TIMEOUT_MS, WRITE_FLAG, make_engine
from lumbo.adapters.repository import REVISIONS, SqlRepository, plan_revision_of
from lumbo.ports import StoreBusy


class SqlUnitOfWork:
    """One transaction per ``with`` block; leaving without ``commit()`` rolls back.

    ``with uow.writing():`` opens a write transaction: on SQLite, writers in this process
    queue on a lock (cheap) instead of polling SQLite's busy handler (slow under load).
    """

    records: SqlRepository

    def __init__(
        self,
        engine: Engine,
        write_lock: AbstractContextManager[Any] | None = None,
        memo: dict[Any, Any] | None = None,
        beacon: RevisionBeacon | None = None,
    ) -> None:
        self.engine = engine
        self.write_lock = nullcontext() if write_lock is None else write_lock
        self.memo: dict[Any, Any] = {} if memo is None else memo
        self.beacon = beacon
        self._connection: Connection | None = None
        self._write_next = False
        self._locked = False

    def writing(self) -> Self:
        """Mark the next ``with`` block as a write transaction."""
        self._write_next = True
        return self

    def __enter__(self) -> Self:
        if self._connection is not None:
            raise RuntimeError("this unit of work is already in use")
        write, self._write_next = self._write_next, False
        if write:
            self.write_lock.__enter__()
            self._locked = True
        try:
            # The transaction begins with the first statement (autobegin).
            self._connection = self.engine.connect()
            self._connection.info[WRITE_FLAG] = write
        except BaseException:
            self._release()
            raise
        self.records = SqlRepository(self._connection)
        return self

    def _release(self) -> None:
        if self._locked:
            self._locked = False
            self.write_lock.__exit__(None, None, None)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if connection.in_transaction():
                connection.rollback()
        finally:
            connection.close()
            self._release()

    def commit(self, *, plain: bool = False) -> None:
        """Commit, raising the store revision; ``plain`` (nothing a plan depends on
        changed) leaves the plan revision as it is (SqlRepository.plan_revision)."""
        if self._connection is None:
            raise RuntimeError("commit outside a 'with unit_of_work:' block")
        self.records.bump_revision()
        if plain:
            self.records.mark_plain()
        # The next statement begins a new transaction by itself (SQLAlchemy autobegin).
        self._connection.commit()
        if self.beacon is not None:
            self.beacon.bump()  # after the commit: see adapters/beacon.py

    def rollback(self) -> None:
        if self._connection is None:
            raise RuntimeError("rollback outside a 'with unit_of_work:' block")
        self._connection.rollback()

    def erase_deleted(self) -> None:
        """Leave no trace of deleted rows in the database files (outside a ``with`` block).

        SQLite: deleted rows are zeroed already (``secure_delete``), but the WAL still holds
        the pages as they were, and free pages keep their bytes: VACUUM rewrites the file,
        then a truncating checkpoint copies the WAL back and empties it. PostgreSQL:
        VACUUM gives the space of the dead rows back (all of an emptied table's pages); the
        server's own WAL and backups are beyond lumbo's reach (see docs/storage.md).
        """
        if self._connection is not None:
            raise RuntimeError("erase_deleted inside a 'with unit_of_work:' block")
        if self.engine.dialect.name == "sqlite":
            with self.write_lock:
                _sqlite_erase_deleted(self.engine)
        elif self.engine.dialect.name == "postgresql":
            _postgresql_vacuum(self.engine)


#: plan_revision_of in one SQLite statement (row 1 less row 2, 0 for a missing row):
#: one value to fetch, no rows to walk in Python.
_PLAN_REVISION_SQL = (
    "SELECT coalesce(sum(CASE id WHEN 1 THEN value ELSE -value END), 0)"
    " FROM store_revision WHERE id BETWEEN 1 AND 2"
)

#: How long erasing waits for other processes' transactions on the SQLite file.
ERASE_BUSY_TIMEOUT_MS = 10_000


def _sqlite_erase_deleted(engine: Engine) -> None:
    # On the driver connection: VACUUM cannot run inside a transaction, and SQLAlchemy's
    # "begin" hook (orm._sqlite_on_begin) would open one. The connection is in autocommit
    # mode (isolation_level None, set on connect), so each statement stands alone.
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={int(ERASE_BUSY_TIMEOUT_MS)}")
            # VACUUM in WAL mode writes the new file's pages to the WAL: empty it after.
            # A writer in another process makes VACUUM fail after the timeout; a reader
            # makes the checkpoint give up (busy = 1) and leave the WAL as it is.
            try:
                cursor.execute("VACUUM")
                busy, _, _ = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except sqlite3.OperationalError as error:
                raise StoreBusy(str(error)) from None
            if busy:
                raise StoreBusy("another connection was reading the database")
        finally:
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.close()
    finally:
        raw.close()


def _postgresql_vacuum(engine: Engine) -> None:
    names = ", ".join(table.name for table in ALL_TABLES)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"VACUUM {names}")


class Database:
    """An engine plus the factory of units of work over it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        sqlite = engine.dialect.name == "sqlite"
        self.write_lock: AbstractContextManager[Any] = threading.Lock() if sqlite else nullcontext()
        #: Results of pure functions, keyed by what they depend on (see services.records).
        self.memo: dict[Any, Any] = {}
        # A SQLite file (a pool of real connections; an in-memory database is one per thread).
        self._own_readers = sqlite and isinstance(engine.pool, QueuePool)
        self._readers = threading.local()
        self._readers_lock = threading.Lock()
        self._reader_connections: list[Any] = []
        # A file's change counter (adapters/beacon.py) and the last (counter, revision,
        # time) read with it: one tuple, replaced whole, so threads never see half of it.
        self.beacon = shared_beacon(Path(engine.url.database or "")) if self._own_readers else None
        self._seen: tuple[int, int, float] | None = None
        if self.beacon is not None:
            self.beacon.bump()  # a process that died between a commit and its bump

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.write_lock, self.memo, self.beacon)

    def plan_revision(self) -> int:
        """SqlRepository.plan_revision, read at the least cost: the check a cached page
        makes on every view. On SQLite each thread keeps one driver connection for it
        (autocommit: each read sees the latest commit of any process, and holds no
        transaction open after it), and skips even that while the file's change counter
        is where it was at the last read (adapters/beacon.py); elsewhere a pooled
        connection as usual."""
        beacon = self.beacon
        if beacon is not None:
            counter, now, seen = beacon.value(), time.monotonic(), self._seen
            if seen is not None and seen[0] == counter and now - seen[2] < RECHECK_SECONDS:
                return seen[1]
            revision = self._read_plan_revision()
            self._seen = (counter, revision, now)
            return revision
        return self._read_plan_revision()

    def _read_plan_revision(self) -> int:
        if not self._own_readers:
            with self.engine.connect() as connection:
                return plan_revision_of(connection.execute(REVISIONS))
        cursor: Any = getattr(self._readers, "cursor", None)
        if cursor is None:
            reader = self.engine.raw_connection()
            with self._readers_lock:
                self._reader_connections.append(reader)
            # The driver's own cursor, kept for the thread: the pool's wrappers cost more
            # than the read itself.
            driver: Any = reader.driver_connection
            cursor = driver.cursor()
            self._readers.cursor = cursor
        # fetchall, not fetchone: the statement runs to its end, so no read stays open.
        return int(cursor.execute(_PLAN_REVISION_SQL).fetchall()[0][0])

    def dispose(self) -> None:
        with self._readers_lock:
            readers, self._reader_connections = self._reader_connections, []
        for connection in readers:
            with suppress(Exception):  # another thread's driver connection: best effort
                connection.close()
        self._readers = threading.local()
        self._seen = None
        self.engine.dispose()


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Connect to ``url`` and (by default) bring its schema up to date with Alembic."""
    engine = make_engine(url)
    if migrate:
        from lumbo.migrations import upgrade

        upgrade(engine)
    return Database(engine)
