"""`lumbo export` / `lumbo import` / `lumbo export --csv` / `lumbo fhir` on the database.

Runs on SQLite and on PostgreSQL (the ``database_url_and_db`` fixture of conftest.py); the
CLI finds the database through LUMBO_DATABASE_URL, as it would for a person.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from lumbo.adapters.clock import FixedClock
from lumbo.adapters.unit_of_work import Database
from lumbo.domain.model import ItemLog, Profile, RedFlags
from lumbo.reports.csv_export import ITEM_COLUMNS, SESSION_COLUMNS
from lumbo.reports.fhir import validate_bundle
from lumbo.services import records
from tests.integration.test_cli_reports import Invoke, make_invoker
from tests.unit.test_calendar import typical_profile

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def lumbo(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Invoke:
    return make_invoker(monkeypatch, capsys)


@pytest.fixture
def store(
    database_url_and_db: tuple[str, Database], monkeypatch: pytest.MonkeyPatch
) -> Database:
    url, database = database_url_and_db
    monkeypatch.setenv("LUMBO_DATABASE_URL", url)
    return database


def fill(database: Database) -> None:
    clock = FixedClock(dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC))
    uow = database.unit_of_work
    records.save_screen_answers(uow(), RedFlags(), clock=clock)
    records.save_profile(uow(), typical_profile(), clock=clock)
    records.current_decision(uow(), TODAY, clock=clock)
    for offset in range(3):
        clock.advance(dt.timedelta(days=1))
        day = TODAY + dt.timedelta(days=offset)
        session_id = records.start_session(uow(), day, 0, clock=clock)
        records.log_item(uow(), session_id, ItemLog(exercise="glute-bridge", reps=10, rating="right"), clock=clock)
        records.log_item(
            uow(), session_id, ItemLog(exercise="forearm-plank", hold_seconds=20 + offset, rating="hard"),
            1, clock=clock,
        )
        if offset < 2:  # the last session stays unfinished
            records.finish_session(uow(), session_id, 4, 3 - offset, clock=clock)
    records.save_profile(uow(), typical_profile().model_copy(update={"pain_now": 2}), clock=clock)


def snapshot(database: Database) -> dict[str, object]:
    document = records.export_document(database.unit_of_work())
    document.pop("exported_at")
    return document


def test_export_then_import_into_an_empty_database_is_identical(
    store: Database, lumbo: Invoke, tmp_path: Path
) -> None:
    fill(store)
    before = snapshot(store)
    target = tmp_path / "backup.json"
    result = lumbo("export", "-o", target)
    assert result.code == 0, result.err
    assert "Exported 3 sessions" in result.out
    document = json.loads(target.read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == ("lumbo-export", 1)

    records.delete_everything(store.unit_of_work())
    assert snapshot(store)["sessions"] == []
    result = lumbo("import", target)
    assert result.code == 0, result.err
    assert snapshot(store) == before


def test_import_into_a_database_with_data_is_refused(
    store: Database, lumbo: Invoke, tmp_path: Path
) -> None:
    fill(store)
    before = snapshot(store)
    target = tmp_path / "backup.json"
    assert lumbo("export", "-o", target).code == 0
    result = lumbo("import", target)
    assert result.code == 2
    assert result.err.startswith("lumbo: nothing imported:") and result.err.count("\n") == 1
    assert snapshot(store) == before


def newer(document: dict[str, object]) -> dict[str, object]:
    return document | {"version": 2}


def wrong_format(document: dict[str, object]) -> dict[str, object]:
    return document | {"format": "something-else"}


def broken_session(document: dict[str, object]) -> dict[str, object]:
    sessions = json.loads(json.dumps(document["sessions"]))
    sessions[-1]["pain_before"] = 11
    return document | {"sessions": sessions}


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [(newer, "newer lumbo"), (wrong_format, "not a lumbo export"), (broken_session, "malformed")],
)
def test_a_bad_or_newer_file_changes_nothing(
    store: Database, lumbo: Invoke, tmp_path: Path, spoil: object, expected: str
) -> None:
    fill(store)
    target = tmp_path / "backup.json"
    assert lumbo("export", "-o", target).code == 0
    document = json.loads(target.read_text())
    records.delete_everything(store.unit_of_work())
    assert callable(spoil)
    target.write_text(json.dumps(spoil(document)))
    result = lumbo("import", target)
    assert result.code == 2
    assert expected in result.err and result.err.count("\n") == 1
    assert records.get_profile(store.unit_of_work()) is None
    assert records.list_sessions(store.unit_of_work()) == []


def test_import_of_a_file_that_is_not_json_or_missing(
    store: Database, lumbo: Invoke, tmp_path: Path
) -> None:
    (tmp_path / "notes.json").write_text("this is not json")
    for path, expected in ((tmp_path / "notes.json", "not valid JSON"), (tmp_path / "nope.json", "not found")):
        result = lumbo("import", path)
        assert result.code == 2 and expected in result.err and result.err.count("\n") == 1
    assert records.get_profile(store.unit_of_work()) is None


def test_csv_export_has_headers_and_one_row_per_session_and_item(
    store: Database, lumbo: Invoke, tmp_path: Path
) -> None:
    fill(store)
    folder = tmp_path / "csv"
    result = lumbo("export", "--csv", folder)
    assert result.code == 0, result.err
    with (folder / "sessions.csv").open(newline="", encoding="utf-8") as handle:
        sessions = list(csv.DictReader(handle))
    with (folder / "items.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        items = list(reader)
        assert tuple(reader.fieldnames or ()) == ITEM_COLUMNS
    assert tuple(sessions[0]) == SESSION_COLUMNS
    assert [row["date"] for row in sessions] == ["2026-11-23", "2026-11-24", "2026-11-25"]
    assert [row["pain_after"] for row in sessions] == ["3", "2", ""]  # the last is unfinished
    assert len(items) == 6
    assert {row["session_id"] for row in items} == {row["session_id"] for row in sessions}
    plank = [row for row in items if row["exercise"] == "forearm-plank"]
    assert [row["hold_seconds"] for row in plank] == ["20", "21", "22"]
    assert {row["rating"] for row in plank} == {"hard"}
    assert all(row["completed"] == "yes" for row in items)


def test_export_needs_exactly_one_target(store: Database, lumbo: Invoke, tmp_path: Path) -> None:
    for args in ((), ("-o", tmp_path / "a.json", "--csv", tmp_path / "c")):
        result = lumbo("export", *args)
        assert result.code == 2 and "either -o" in result.err
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    result = lumbo("export", "--csv", a_file)
    assert result.code == 2 and "not a folder" in result.err


def test_fhir_from_the_database(store: Database, lumbo: Invoke, tmp_path: Path) -> None:
    fill(store)
    target = tmp_path / "bundle.json"
    result = lumbo("fhir", "--start", TODAY.isoformat(), "-o", target)
    assert result.code == 0, result.err
    bundle = json.loads(target.read_text())
    validate_bundle(bundle)
    observations = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]
    assert sorted((o["effectiveDateTime"], o["valueInteger"]) for o in observations) == [
        ("2026-11-23", 3), ("2026-11-23", 4), ("2026-11-24", 2), ("2026-11-24", 4)
    ]


def test_fhir_without_a_stored_profile(store: Database, lumbo: Invoke, tmp_path: Path) -> None:
    result = lumbo("fhir", "-o", tmp_path / "bundle.json")
    assert result.code == 2 and "no profile is stored" in result.err
    assert not (tmp_path / "bundle.json").exists()


def test_profile_in_export_is_the_latest(store: Database, lumbo: Invoke, tmp_path: Path) -> None:
    fill(store)
    target = tmp_path / "backup.json"
    assert lumbo("export", "-o", target).code == 0
    profile = Profile.model_validate(json.loads(target.read_text())["profile"])
    assert profile.pain_now == 2
