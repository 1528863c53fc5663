"""Measured results (the camera coach's numbers) in the item log, on SQLite and PostgreSQL:
the API takes and gives back ``measured``, ``form_score`` and ``faults`` and refuses bad
ones with a 422; migration 0005 keeps older rows (as self-reported); export and import
carry the fields, and an older export without them still imports; CSV lists them; the
progress page says how much of the time the person was in position and what the camera
noticed, in plain words; and the folded progression state stays equal to the replay."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, inspect, text

from lumbo.adapters.catalogue_files import default_catalogue
from lumbo.adapters.clock import FixedClock
from lumbo.adapters.repository import SqlRepository
from lumbo.adapters.unit_of_work import Database, SqlUnitOfWork
from lumbo.domain.model import ItemLog, Profile
from lumbo.domain.progression import settled_state
from lumbo.migrations import downgrade, upgrade
from lumbo.reports.csv_export import csv_tables
from lumbo.services import folded, records, transfer
from lumbo.web.pages.progress import fault_words

MEASURED = {
    "exercise": "glute-bridge",
    "reps": 8,
    "rating": "right",
    "measured": True,
    "form_score": 0.86,
    "faults": ["hips-sag", "back-arch"],
}
CAMERA_FIELDS = ("measured", "form_score", "faults")


def start(client: TestClient, day: str = "2026-11-23") -> str:
    response = client.post("/api/v1/sessions", json={"date": day})
    assert response.status_code in (200, 201), response.text
    session_id: str = response.json()["session"]["id"]
    return session_id


def post_item(client: TestClient, session_id: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/sessions/{session_id}/items", json=body)


# the API


def test_a_measured_item_goes_in_and_comes_back_whole(client: TestClient) -> None:
    session_id = start(client)
    response = post_item(client, session_id, {**MEASURED, "position": 0})
    assert response.status_code == 201, response.text
    assert {name: response.json()["item"][name] for name in CAMERA_FIELDS} == {
        "measured": True, "form_score": 0.86, "faults": ["hips-sag", "back-arch"]
    }
    reported = post_item(client, session_id, {"exercise": "bird-dog", "reps": 6, "rating": "easy", "position": 1})
    assert reported.status_code == 201, reported.text
    items = client.get(f"/api/v1/sessions/{session_id}").json()["items"]
    assert [{name: item["item"][name] for name in CAMERA_FIELDS} for item in items] == [
        {"measured": True, "form_score": 0.86, "faults": ["hips-sag", "back-arch"]},
        {"measured": False, "form_score": None, "faults": []},
    ]
    listed = client.get("/api/v1/sessions").json()[0]["items"]
    assert listed == items


def test_logging_the_same_position_again_replaces_the_camera_fields(client: TestClient) -> None:
    session_id = start(client)
    assert post_item(client, session_id, {**MEASURED, "position": 0}).status_code == 201
    again = {**MEASURED, "form_score": 1, "faults": [], "rating": "easy", "position": 0}
    assert post_item(client, session_id, again).status_code == 201
    item = client.get(f"/api/v1/sessions/{session_id}").json()["items"][0]["item"]
    assert (item["form_score"], item["faults"], item["rating"]) == (1.0, [], "easy")
    # and back to a self-reported result: nothing of the camera is left
    plain = {"exercise": "glute-bridge", "reps": 8, "rating": "easy", "position": 0}
    assert post_item(client, session_id, plain).status_code == 201
    item = client.get(f"/api/v1/sessions/{session_id}").json()["items"][0]["item"]
    assert {name: item[name] for name in CAMERA_FIELDS} == {"measured": False, "form_score": None, "faults": []}


def test_the_edges_of_the_score_and_the_fault_list_are_accepted(client: TestClient) -> None:
    session_id = start(client)
    for position, changes in enumerate(
        [
            {"form_score": 0},
            {"form_score": 1.0},
            {"form_score": None},
            {"faults": [f"fault-{n}" for n in range(8)]},
            {"faults": ["a" * 40]},
            {"faults": ["x1-2y"]},
        ]
    ):
        response = post_item(client, session_id, {**MEASURED, **changes, "position": position})
        assert response.status_code == 201, (changes, response.text)
        assert response.json()["item"]["faults"] == changes.get("faults", MEASURED["faults"])


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"form_score": 1.01}, "form_score"),
        ({"form_score": -0.01}, "form_score"),
        ({"form_score": "0.5"}, "form_score"),
        ({"form_score": True}, "form_score"),
        ({"form_score": [0.5]}, "form_score"),
        ({"faults": [f"fault-{n}" for n in range(9)]}, "faults"),
        ({"faults": ["a" * 41]}, "faults"),
        ({"faults": ["Hips-Sag"]}, "faults"),
        ({"faults": ["hips_sag"]}, "faults"),
        ({"faults": ["hips sag"]}, "faults"),
        ({"faults": ["-hips"]}, "faults"),
        ({"faults": ["hips--sag"]}, "faults"),
        ({"faults": [""]}, "faults"),
        ({"faults": "hips-sag"}, "faults"),
        ({"faults": [7]}, "faults"),
        ({"faults": None}, "faults"),
        ({"measured": "yes"}, "measured"),
        ({"measured": 1}, "measured"),
        ({"measured": False}, "camera"),  # a score and faults without the camera
        ({"measured": False, "form_score": None}, "camera"),  # faults without the camera
        ({"measured": False, "faults": []}, "camera"),  # a score without the camera
    ],
)
def test_bad_camera_values_are_refused_with_a_422(client: TestClient, changes: dict[str, Any], where: str) -> None:
    session_id = start(client)
    response = post_item(client, session_id, {**MEASURED, **changes, "position": 0})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["detail"]
    if where == "camera":
        assert "measured true" in body["detail"]
    else:
        assert any(where in [str(part) for part in error["loc"]] for error in body["errors"]), body
    # nothing was stored
    assert client.get(f"/api/v1/sessions/{session_id}").json()["items"] == []


def test_the_progress_api_carries_the_camera_fields(client: TestClient) -> None:
    session_id = start(client)
    assert post_item(client, session_id, {**MEASURED, "position": 0}).status_code == 201
    assert client.post(f"/api/v1/sessions/{session_id}/finish", json={"pain_before": 3, "pain_after": 2}).status_code == 200
    series = client.get("/api/v1/progress", params={"today": "2026-11-23"}).json()["exercises"]
    point = next(entry for entry in series if entry["exercise"] == "glute-bridge")["points"][0]
    assert {name: point[name] for name in CAMERA_FIELDS} == {
        "measured": True, "form_score": 0.86, "faults": ["hips-sag", "back-arch"]
    }


# the progress page


def test_the_progress_page_shows_the_camera_check_in_plain_words(client: TestClient) -> None:
    client.put("/api/v1/profile", json={"pain_now": 2, "pain_worst_week": 3, "duration_weeks": 6})
    session_id = start(client)
    assert post_item(client, session_id, {**MEASURED, "faults": ["hips-sag", "knees-wobble"], "position": 0}).status_code == 201
    assert post_item(client, session_id, {"exercise": "bird-dog", "reps": 6, "rating": "easy", "position": 1}).status_code == 201
    assert client.post(f"/api/v1/sessions/{session_id}/finish", json={"pain_before": 3, "pain_after": 2}).status_code == 200
    page = client.get("/progress")
    assert page.status_code == 200
    html = page.text
    assert "Camera-checked: in position 86 % of the time." in html
    assert "The camera noticed: hips sagging, knees wobble." in html
    assert "hips-sag" not in html and "knees-wobble" not in html  # no ids shown
    assert html.count("Camera-checked") == 1  # the self-reported bird dog is not listed


def test_the_progress_page_has_no_camera_section_without_measured_results(client: TestClient) -> None:
    session_id = start(client)
    assert post_item(client, session_id, {"exercise": "glute-bridge", "reps": 8, "rating": "right"}).status_code == 201
    html = client.get("/progress").text
    assert "Camera-checked" not in html and "Checked by the camera" not in html


def test_fault_ids_become_plain_words() -> None:
    assert fault_words("hips-sag") == "hips sagging"
    assert fault_words("knees-cave") == "knees falling inwards"
    assert fault_words("back-round") == "back rounding"
    assert fault_words("shoulders-shrug") == "shoulders shrug"  # unknown: dashes become spaces


# storage: export, import, CSV, the folded state


def fill(database: Database, clock: FixedClock) -> list[str]:
    uow = database.unit_of_work
    records.save_profile(
        uow(), Profile.model_validate({"pain_now": 2, "pain_worst_week": 3, "duration_weeks": 6}), clock=clock
    )
    ids = []
    for offset in range(3):
        day = dt.date(2026, 11, 20) + dt.timedelta(days=offset)
        session_id = records.start_session(uow(), day, 0, clock=clock)
        records.log_item(uow(), session_id, ItemLog.model_validate({**MEASURED, "form_score": 0.5 + offset / 10}), 0, clock=clock)
        records.log_item(uow(), session_id, ItemLog(exercise="bird-dog", reps=6, rating="easy"), 1, clock=clock)
        records.finish_session(uow(), session_id, 3, 2, clock=clock)
        ids.append(session_id)
    return ids


def test_export_and_import_carry_the_camera_fields(database: Database, clock: FixedClock) -> None:
    fill(database, clock)
    document = records.export_document(database.unit_of_work(), clock=clock)
    items = [logged["item"] for session in document["sessions"] for logged in session["items"]]
    assert [item["form_score"] for item in items if item["measured"]] == [0.5, 0.6, 0.7]
    assert all(item["faults"] == ["hips-sag", "back-arch"] for item in items if item["measured"])
    assert all((item["form_score"], item["faults"]) == (None, []) for item in items if not item["measured"])
    records.delete_everything(database.unit_of_work())
    transfer.import_document(database.unit_of_work(), document)
    assert records.export_document(database.unit_of_work(), clock=clock) == document


def test_an_older_export_without_the_camera_fields_imports_as_reported(database: Database, clock: FixedClock) -> None:
    fill(database, clock)
    document = records.export_document(database.unit_of_work(), clock=clock)
    for session in document["sessions"]:
        for logged in session["items"]:
            for name in CAMERA_FIELDS:
                del logged["item"][name]
    records.delete_everything(database.unit_of_work())
    transfer.import_document(database.unit_of_work(), document)
    again = records.export_document(database.unit_of_work(), clock=clock)
    items = [logged["item"] for session in again["sessions"] for logged in session["items"]]
    assert len(items) == 6
    assert all((item["measured"], item["form_score"], item["faults"]) == (False, None, []) for item in items)


def test_an_export_with_a_bad_camera_value_is_refused_whole(database: Database, clock: FixedClock) -> None:
    fill(database, clock)
    document = records.export_document(database.unit_of_work(), clock=clock)
    document["sessions"][1]["items"][0]["item"]["form_score"] = 7
    records.delete_everything(database.unit_of_work())
    with pytest.raises(transfer.BadDocument, match="form_score"):
        transfer.import_document(database.unit_of_work(), document)
    assert records.list_sessions(database.unit_of_work()) == []


def test_csv_lists_the_camera_fields(database: Database, clock: FixedClock) -> None:
    fill(database, clock)
    rows = list(csv.DictReader(io.StringIO(csv_tables(records.list_sessions(database.unit_of_work()))["items.csv"])))
    assert [(row["measured"], row["form_score"], row["faults"]) for row in rows[:2]] == [
        ("yes", "0.5", "hips-sag back-arch"),
        ("no", "", ""),
    ]


def test_the_folded_state_stays_the_replay_with_measured_items(database: Database, clock: FixedClock) -> None:
    fill(database, clock)
    uow = database.unit_of_work()
    profile = records.get_profile(uow)
    assert profile is not None
    with uow:
        stored = uow.records.progression()
    assert stored == settled_state(default_catalogue(), records.history(uow).sessions, profile.level, profile.age)
    assert folded.check_state(database.unit_of_work()).matched


# migration 0005


def test_0005_keeps_older_items_as_reported_and_goes_back(unmigrated_engine: Engine) -> None:
    upgrade(unmigrated_engine, "0004")
    with unmigrated_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO sessions (id, date, session_index, started_at) "
                "VALUES ('old', '2026-01-05', 0, '2026-01-05 07:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO session_items (session_id, position, logged_at, exercise, completed, reps, rating, skipped) "
                "VALUES ('old', 0, '2026-01-05 07:05:00', 'glute-bridge', true, 10, 'hard', false)"
            )
        )
    upgrade(unmigrated_engine)
    with unmigrated_engine.connect() as connection:
        row = connection.execute(text("SELECT measured, form_score, faults FROM session_items")).one()
        assert (bool(row[0]), row[1], row[2]) == (False, None, None)
        item = SqlRepository(connection).get_session("old")
    assert item is not None
    assert item.items[0].item == ItemLog(exercise="glute-bridge", reps=10, rating="hard")
    # a measured item stored by the upgraded schema reads back whole
    with unmigrated_engine.begin() as connection:
        repository = SqlRepository(connection)
        logged = item.items[0].model_copy(
            update={"position": 1, "item": ItemLog.model_validate({**MEASURED, "faults": ["hips-sag"]})}
        )
        repository.put_item("old", logged)
    with unmigrated_engine.connect() as connection:
        session = SqlRepository(connection).get_session("old")
    assert session is not None and session.items[1].item.faults == ["hips-sag"]
    assert session.items[1].item.form_score == 0.86
    downgrade(unmigrated_engine, "0004")
    columns = {column["name"] for column in inspect(unmigrated_engine).get_columns("session_items")}
    assert not columns & set(CAMERA_FIELDS)
    with unmigrated_engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM session_items")).scalar() == 2


def test_a_unit_of_work_stores_faults_as_null_when_there_are_none(uow: SqlUnitOfWork, clock: FixedClock) -> None:
    session_id = records.start_session(uow, dt.date(2026, 11, 23), 0, clock=clock)
    records.log_item(uow, session_id, ItemLog.model_validate({**MEASURED, "faults": []}), 0, clock=clock)
    with uow:
        stored = uow.records.connection.execute(text("SELECT measured, faults FROM session_items")).one()
    assert (bool(stored[0]), stored[1]) == (True, None)


def test_every_fault_of_the_catalogue_has_plain_words() -> None:
    """A fault id the catalogue's camera rules use is listed in FAULT_WORDS, so the page
    never falls back to an id turned into words for the shipped exercises."""
    import yaml

    from lumbo.web.pages.progress import FAULT_WORDS

    folder = Path(__file__).resolve().parents[2] / "src" / "lumbo" / "catalogue" / "exercises"
    used = {
        fault["id"]
        for path in folder.glob("*.yaml")
        for fault in ((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("camera") or {}).get("faults", [])
    }
    assert used - set(FAULT_WORDS) == set()
