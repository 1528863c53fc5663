"""Fixtures over a real database: every test runs on SQLite and on PostgreSQL.

- ``database``: a migrated, empty database (SQLite: a temp file per test; PostgreSQL: one
  schema per xdist worker, emptied before each test, so parallel workers never clash).
- ``uow``: a unit of work over it; ``clock``: a FixedClock; ``client``: a TestClient of
  the whole app over the same database and clock.

PostgreSQL comes from LUMBO_TEST_POSTGRES_URL. Without it the PostgreSQL cases are skipped
locally, but fail when CI=true, so CI cannot pass without them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from lumbo.adapters.clock import FixedClock
from lumbo.adapters.unit_of_work import Database, SqlUnitOfWork, open_database
from lumbo.config import Settings

POSTGRES_ENV = "LUMBO_TEST_POSTGRES_URL"
MOMENT = dt.datetime(2026, 11, 23, 8, 30, tzinfo=dt.UTC)


def postgres_base_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{POSTGRES_ENV} is not set: CI must run the suite on PostgreSQL too")
        pytest.skip(f"{POSTGRES_ENV} is not set (PostgreSQL cases run in CI)")
    return url


def postgres_schema_url(base_url: str, schema: str) -> str:
    """A URL whose connections use ``schema`` (created afresh, empty)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(base_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        engine.dispose()
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def schema_name(worker_id: str, purpose: str) -> str:
    return f"lumbo_test_{purpose}_{worker_id}".lower()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def unmigrated_engine(request: pytest.FixtureRequest, tmp_path: Path, worker_id: str) -> Iterator[Engine]:
    """An empty database (no migration run), on SQLite and on PostgreSQL: for migration tests."""
    purpose = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'unmigrated.sqlite3'}"
    else:
        url = postgres_schema_url(postgres_base_url(), schema_name(worker_id, purpose))
    database = open_database(url, migrate=False)
    yield database.engine
    database.dispose()


@pytest.fixture(scope="session")
def postgres_database(worker_id: str) -> Iterator[Database]:
    database = open_database(
        postgres_schema_url(postgres_base_url(), schema_name(worker_id, "main"))
    )
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url_and_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Database]]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'lumbo.sqlite3'}"
        database = open_database(url)
        yield url, database
        database.dispose()
    else:
        database = request.getfixturevalue("postgres_database")
        with database.unit_of_work() as uow:
            uow.records.delete_everything()
            uow.commit()
        yield database.engine.url.render_as_string(hide_password=False), database


@pytest.fixture
def database(database_url_and_db: tuple[str, Database]) -> Database:
    return database_url_and_db[1]


@pytest.fixture
def uow(database: Database) -> SqlUnitOfWork:
    return database.unit_of_work()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MOMENT)


@pytest.fixture
def settings(database_url_and_db: tuple[str, Database]) -> Settings:
    return Settings(database_url=database_url_and_db[0], timer_scale=0.05)


BASE_URL = "http://127.0.0.1:8765"
TOKEN_FIELD = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


class PageClient(TestClient):
    """A TestClient that behaves like lumbo's own pages: it talks to 127.0.0.1 and sends
    the form token with every HTML form post, as the rendered forms do. The security tests
    use a plain TestClient to show that posts without it are refused."""

    def form_token(self) -> str:
        match = TOKEN_FIELD.search(super().get("/settings").text)
        assert match, "the settings page carries no form token"
        return match.group(1)

    def post(self, url: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        data = kwargs.get("data")
        if not str(url).startswith("/api/") and (data is None or isinstance(data, dict)):
            kwargs["data"] = {"csrf_token": self.form_token(), **(data or {})}
        return super().post(url, *args, **kwargs)


@pytest.fixture
def client(settings: Settings, database: Database, clock: FixedClock) -> Iterator[TestClient]:
    from lumbo.web.app import create_app

    app = create_app(settings, clock=clock, database=database)
    with PageClient(app, base_url=BASE_URL) as test_client:
        yield test_client
