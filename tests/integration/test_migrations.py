"""Migrations: the Alembic revisions build exactly the tables the code uses, and go back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from lumbo.adapters.orm import metadata
from lumbo.adapters.unit_of_work import open_database
from lumbo.migrations import current_revision, downgrade, head_revision, upgrade


def test_upgrade_builds_the_tables_of_the_code_and_downgrade_removes_them(unmigrated_engine: Engine) -> None:
    assert current_revision(unmigrated_engine) is None
    upgrade(unmigrated_engine)
    assert current_revision(unmigrated_engine) == head_revision()
    with unmigrated_engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []
    upgrade(unmigrated_engine)  # running again (every start does) changes nothing
    assert current_revision(unmigrated_engine) == head_revision()
    downgrade(unmigrated_engine, "base")
    assert set(inspect(unmigrated_engine).get_table_names()) <= {"alembic_version"}


def test_sqlite_gets_wal_and_foreign_keys(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'nested' / 'lumbo.sqlite3'}")
    try:
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        database.dispose()
    assert (tmp_path / "nested" / "lumbo.sqlite3").exists()


def test_the_default_database_lives_in_the_user_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from lumbo.config import default_database_url

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setattr(os, "name", os.name)
    assert default_database_url() == f"sqlite:///{tmp_path / 'lumbo' / 'lumbo.sqlite3'}"


def test_upgrading_an_older_database_keeps_its_data(unmigrated_engine: Engine) -> None:
    from sqlalchemy import text

    upgrade(unmigrated_engine, "0001")
    with unmigrated_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO sessions (id, date, session_index, started_at) "
                "VALUES ('old', '2026-01-05', 0, '2026-01-05 07:00:00')"
            )
        )
    upgrade(unmigrated_engine)
    with unmigrated_engine.connect() as connection:
        assert connection.execute(text("SELECT id FROM sessions")).scalars().all() == ["old"]
        assert connection.execute(text("SELECT value FROM store_revision")).scalar() == 0


def test_0003_marks_old_items_not_skipped_and_lets_skipped_ones_go_unrated(unmigrated_engine: Engine) -> None:
    from sqlalchemy import text

    item = (
        "INSERT INTO session_items (session_id, position, logged_at, exercise, completed, rating{extra}) "
        "VALUES ('old', {position}, '2026-01-05 07:05:00', 'glute-bridge', {completed}, {rating}{value})"
    )
    upgrade(unmigrated_engine, "0002")
    with unmigrated_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO sessions (id, date, session_index, started_at) "
                "VALUES ('old', '2026-01-05', 0, '2026-01-05 07:00:00')"
            )
        )
        connection.execute(text(item.format(extra="", position=0, completed="true", rating="'hard'", value="")))
    upgrade(unmigrated_engine)
    with unmigrated_engine.begin() as connection:
        rows = connection.execute(text("SELECT position, rating, skipped FROM session_items")).all()
        assert [(row[0], row[1], bool(row[2])) for row in rows] == [(0, "hard", False)]
        connection.execute(
            text(item.format(extra=", skipped", position=1, completed="false", rating="NULL", value=", true"))
        )
    # Going back: the older schema has no "skipped" and needs a rating; a skip was stored
    # as "right" (not completed) then, and becomes that again.
    downgrade(unmigrated_engine, "0002")
    with unmigrated_engine.connect() as connection:
        rows = connection.execute(text("SELECT position, completed, rating FROM session_items ORDER BY position")).all()
    assert [(row[0], bool(row[1]), row[2]) for row in rows] == [(0, True, "hard"), (1, False, "right")]
    assert "skipped" not in {column["name"] for column in inspect(unmigrated_engine).get_columns("session_items")}
