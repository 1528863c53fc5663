""""Delete everything" deletes: no entered text stays in the database files.

SQLite: the raw bytes of the database, its -wal and its -shm are searched for a marker
typed into the profile. The marker is there before the delete (so the search can fail),
and still there after a delete without the erasing step; after "delete everything" it is
nowhere. PostgreSQL: every table was vacuumed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from lumbo.adapters.clock import FixedClock
from lumbo.adapters.orm import ALL_TABLES
from lumbo.adapters.unit_of_work import Database, open_database
from lumbo.domain.model import ItemLog, Profile
from lumbo.services import records

TODAY = dt.date(2026, 11, 23)


def marker() -> str:
    return f"zebra-{uuid.uuid4().hex}"


def enter_text(database: Database, clock: FixedClock, secret: str) -> None:
    """Save profiles holding ``secret`` (free text: a hard activity and a sport), plan, log."""
    for pain in (4, 3):
        profile = Profile.model_validate(
            {
                "pain_now": pain,
                "pain_worst_week": 6,
                "duration_weeks": 8,
                "hard_activities": [{"name": f"{secret} gardening", "score": 3}],
                "lifestyle": {"sports": [f"{secret} rowing"]},
            }
        )
        records.save_profile(database.unit_of_work(), profile, clock=clock)
    records.current_decision(database.unit_of_work(), TODAY, clock=clock)
    session_id = records.start_session(database.unit_of_work(), TODAY, 0, clock=clock)
    records.log_item(database.unit_of_work(), session_id, ItemLog(exercise="glute-bridge", reps=8, rating="right"), clock=clock)
    records.finish_session(database.unit_of_work(), session_id, 4, 3, clock=clock)


def files_holding(path: Path, secret: str) -> list[str]:
    """The database files (main, -wal, -shm) whose raw bytes hold ``secret``."""
    needle = secret.encode("ascii")
    found = []
    for suffix in ("", "-wal", "-shm"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists() and needle in candidate.read_bytes():
            found.append(candidate.name)
    return found


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    return tmp_path / "lumbo.sqlite3"


def test_delete_everything_leaves_no_entered_text_in_the_sqlite_files(
    sqlite_file: Path, clock: FixedClock
) -> None:
    database = open_database(f"sqlite:///{sqlite_file}")
    try:
        secret = marker()
        enter_text(database, clock, secret)
        assert files_holding(sqlite_file, secret), "the control failed: the marker is not on disk"

        records.delete_everything(database.unit_of_work())

        assert files_holding(sqlite_file, secret) == []
        assert records.get_profile(database.unit_of_work()) is None
        # the store works on as before, in WAL mode
        enter_text(database, clock, marker())
        with database.unit_of_work() as uow:
            assert uow.records.connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        database.dispose()


def test_without_the_erasing_step_the_text_would_stay(sqlite_file: Path, clock: FixedClock) -> None:
    """What the erasing step is for: a plain delete (even with secure_delete) leaves the
    text in the WAL."""
    database = open_database(f"sqlite:///{sqlite_file}")
    try:
        secret = marker()
        enter_text(database, clock, secret)
        uow = database.unit_of_work()
        with uow.writing():
            uow.records.delete_everything()
            uow.commit()
        assert files_holding(sqlite_file, secret) != []
        uow.erase_deleted()
        assert files_holding(sqlite_file, secret) == []
    finally:
        database.dispose()


def test_text_of_a_second_open_database_handle_is_erased_too(sqlite_file: Path, clock: FixedClock) -> None:
    """Another handle on the same file (as a second lumbo process would hold) that has
    read the data does not keep the text on disk."""
    database = open_database(f"sqlite:///{sqlite_file}")
    other = open_database(f"sqlite:///{sqlite_file}", migrate=False)
    try:
        secret = marker()
        enter_text(database, clock, secret)
        assert records.get_profile(other.unit_of_work()) is not None  # other has read it
        records.delete_everything(database.unit_of_work())
        assert files_holding(sqlite_file, secret) == []
        assert records.get_profile(other.unit_of_work()) is None
    finally:
        other.dispose()
        database.dispose()


def test_a_reader_in_another_process_delays_the_wipe_and_says_so(
    sqlite_file: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from lumbo.adapters import unit_of_work
    from lumbo.services.errors import Conflict

    monkeypatch.setattr(unit_of_work, "ERASE_BUSY_TIMEOUT_MS", 100)
    database = open_database(f"sqlite:///{sqlite_file}")
    reader = sqlite3.connect(sqlite_file, isolation_level=None)
    try:
        secret = marker()
        enter_text(database, clock, secret)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM profile_versions").fetchone()  # holds a snapshot
        with pytest.raises(Conflict, match=r"everything is deleted, but another program .* delete everything again"):
            records.delete_everything(database.unit_of_work())
        assert records.get_profile(database.unit_of_work()) is None  # deleted all the same
        reader.execute("COMMIT")
        records.delete_everything(database.unit_of_work())  # again, as the message says
        assert files_holding(sqlite_file, secret) == []
    finally:
        reader.close()
        database.dispose()


def test_every_sqlite_connection_deletes_securely(sqlite_file: Path) -> None:
    database = open_database(f"sqlite:///{sqlite_file}")
    try:
        for _ in range(3):
            with database.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    finally:
        database.dispose()


def vacuum_counts(database: Database) -> dict[str, int]:
    with database.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT relname, vacuum_count FROM pg_stat_user_tables "
                "WHERE schemaname = current_schema()"
            )
        )
        return {str(name): int(count) for name, count in rows}


@pytest.mark.postgres
def test_delete_everything_vacuums_every_postgresql_table(
    postgres_database: Database, clock: FixedClock
) -> None:
    database = postgres_database
    with database.unit_of_work() as uow:
        uow.records.delete_everything()
        uow.commit()
    secret = marker()
    enter_text(database, clock, secret)
    before = vacuum_counts(database)

    records.delete_everything(database.unit_of_work())

    after = vacuum_counts(database)
    for table in ALL_TABLES:
        assert after[table.name] > before.get(table.name, 0), f"{table.name} was not vacuumed"
    with database.engine.connect() as connection:
        for table in ALL_TABLES:
            assert connection.execute(text(f"SELECT count(*) FROM {table.name}")).scalar() == 0
