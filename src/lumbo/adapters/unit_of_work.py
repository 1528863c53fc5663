"""The unit of work over SQLAlchemy, and `open_database` (engine + migrations).

Example::

    database = open_database(get_settings().database_url)   # migrates to the latest schema
    profile = records.get_profile(database.unit_of_work())
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine

from lumbo.adapters.orm import make_engine
from lumbo.adapters.repository import SqlRepository


class SqlUnitOfWork:
    """One transaction per ``with`` block; leaving without ``commit()`` rolls back."""

    records: SqlRepository

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None

    def __enter__(self) -> Self:
        if self._connection is not None:
            raise RuntimeError("this unit of work is already in use")
        # The transaction begins with the first statement (autobegin).
        self._connection = self.engine.connect()
        self.records = SqlRepository(self._connection)
        return self

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

    def commit(self) -> None:
        if self._connection is None:
            raise RuntimeError("commit outside a 'with unit_of_work:' block")
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

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Connect to ``url`` and (by default) bring its schema up to date with Alembic."""
    engine = make_engine(url)
    if migrate:
        from lumbo.migrations import upgrade

        upgrade(engine)
    return Database(engine)
