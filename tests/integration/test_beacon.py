"""The change counter beside a SQLite file (adapters/beacon.py): a cached page's revision
check skips SQL while nothing was committed, and never misses a commit of any process."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import lumbo.adapters.unit_of_work as unit_of_work
from lumbo.adapters.beacon import beacon_path, open_beacon, shared_beacon
from lumbo.adapters.clock import FixedClock
from lumbo.adapters.unit_of_work import Database, open_database
from lumbo.services import records

CLOCK = FixedClock(dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC))

#: Another process opens the database, says so, waits for a line, then opens a session in
#: it through lumbo's own code.
WRITER = """
import datetime as dt, sys
from lumbo.adapters.clock import FixedClock
from lumbo.adapters.unit_of_work import open_database
from lumbo.services import records
database = open_database(sys.argv[1], migrate=False)
print("ready", flush=True)
sys.stdin.readline()
clock = FixedClock(dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC))
records.open_session(database.unit_of_work(), dt.date(2026, 11, 23), clock=clock)
"""


def _sqlite(tmp_path: Path) -> tuple[str, Database]:
    url = f"sqlite:///{tmp_path / 'lumbo.sqlite3'}"
    return url, open_database(url)


def _count_reads(database: Database, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    reads: list[int] = []
    real = database._read_plan_revision

    def counted() -> int:
        value = real()
        reads.append(value)
        return value

    monkeypatch.setattr(database, "_read_plan_revision", counted)
    return reads


def test_views_skip_the_sql_read_until_something_is_committed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(unit_of_work, "RECHECK_SECONDS", 3600.0)
    _, database = _sqlite(tmp_path)
    assert database.beacon is not None
    reads = _count_reads(database, monkeypatch)
    first = database.plan_revision()
    assert [database.plan_revision() for _ in range(5)] == [first] * 5
    assert len(reads) == 1
    records.open_session(database.unit_of_work(), dt.date(2026, 11, 23), clock=CLOCK)
    second = database.plan_revision()
    assert second != first and len(reads) == 2


def test_a_commit_in_another_process_is_seen_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the bump after each commit, the remembered revision would be trusted for
    an hour here and the other process's session would not show."""
    monkeypatch.setattr(unit_of_work, "RECHECK_SECONDS", 3600.0)
    url, database = _sqlite(tmp_path)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, url], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        before = database.plan_revision()  # after the writer opened (and bumped) the file
        assert database.plan_revision() == before
        writer.communicate("go\n", timeout=60)
        assert writer.returncode == 0
    finally:
        writer.kill()
    assert database.plan_revision() != before


def test_a_write_that_skips_the_counter_shows_within_the_recheck_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program writing the file (or a process killed between its commit and its
    bump): the SQL read every RECHECK_SECONDS catches up."""
    monkeypatch.setattr(unit_of_work, "RECHECK_SECONDS", 0.2)
    _, database = _sqlite(tmp_path)
    before = database.plan_revision()
    with sqlite3.connect(tmp_path / "lumbo.sqlite3") as raw:
        raw.execute("UPDATE store_revision SET value = value + 7 WHERE id = 1")
    assert database.plan_revision() == before  # the counter did not move: trusted for now
    time.sleep(0.25)
    assert database.plan_revision() == before + 7


def test_bumps_add_up_and_every_opening_shares_the_counter(tmp_path: Path) -> None:
    beacon = open_beacon(tmp_path / "x.sqlite3")
    assert beacon is not None
    start = beacon.value()

    def bump_many() -> None:
        for _ in range(2000):
            beacon.bump()

    threads = [threading.Thread(target=bump_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert beacon.value() == start + 8000
    other = open_beacon(tmp_path / "x.sqlite3")  # another opening sees the same counter
    assert other is not None and other.value() == start + 8000
    assert beacon_path(tmp_path / "x.sqlite3").stat().st_mode & 0o777 == 0o600


def test_without_a_beacon_file_every_view_reads_sql(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    beacon_path(tmp_path / "lumbo.sqlite3").mkdir()  # cannot be opened as the counter
    assert open_beacon(tmp_path / "lumbo.sqlite3") is None
    assert shared_beacon(tmp_path / "lumbo.sqlite3") is None
    _, database = _sqlite(tmp_path)
    assert database.beacon is None
    reads = _count_reads(database, monkeypatch)
    before = database.plan_revision()
    database.plan_revision()
    assert len(reads) == 2
    records.open_session(database.unit_of_work(), dt.date(2026, 11, 23), clock=CLOCK)
    assert database.plan_revision() != before
