"""The unit of work over SQLAlchemy, and `open_database` (engine + migrations).

Example::

    database = open_database(get_settings().database_url)   # migrates to the latest schema
    profile = records.get_profile(database.unit_of_work())
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine

from lumbo.adapters.orm import WRITE_FLAG, make_engine
from lumbo.adapters.repository import SqlRepository


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
    ) -> None:
        self.engine = engine
        self.write_lock = nullcontext() if write_lock is None else write_lock
        self.memo: dict[Any, Any] = {} if memo is None else memo
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

    def commit(self) -> None:
        if self._connection is None:
            raise RuntimeError("commit outside a 'with unit_of_work:' block")
        self.records.bump_revision()
        # The next statement begins a new transaction by itself (SQLAlchemy autobegin).
        self._connection.commit()

    def rollback(self) -> None:
        if self._connection is None:
            raise RuntimeError("rollback outside a 'with unit_of_work:' block")
        self._connection.rollback()


class Database:
    """An engine plus the factory of units of work over it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        sqlite = engine.dialect.name == "sqlite"
        self.write_lock: AbstractContextManager[Any] = threading.Lock() if sqlite else nullcontext()
        #: Results of pure functions, keyed by what they depend on (see services.records).
        self.memo: dict[Any, Any] = {}

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.write_lock, self.memo)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Connect to ``url`` and (by default) bring its schema up to date with Alembic."""
    engine = make_engine(url)
    if migrate:
        from lumbo.migrations import upgrade

        upgrade(engine)
    return Database(engine)
