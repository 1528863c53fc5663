"""The web app's downloads for the stored profile (SQLite and PostgreSQL via conftest)."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import NoReturn

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from pypdf import PdfReader

from lumbo.adapters.clock import FixedClock
from lumbo.adapters.unit_of_work import SqlUnitOfWork
from lumbo.domain.model import ItemLog, RedFlags
from lumbo.reports.fhir import validate_bundle
from lumbo.services import records
from tests.unit.test_calendar import typical_profile


def fill(uow: SqlUnitOfWork, clock: FixedClock) -> None:
    records.save_profile(uow, typical_profile(), clock=clock)
    session_id = records.start_session(uow, clock.today(), 0, clock=clock)
    records.log_item(uow, session_id, ItemLog(exercise="glute-bridge", reps=10, rating="right"), clock=clock)
    records.finish_session(uow, session_id, 4, 3, clock=clock)


def test_without_a_profile_each_download_is_a_404_json(client: TestClient) -> None:
    for path in ("/download/handout.pdf", "/download/plan.ics", "/download/fhir.json"):
        response = client.get(path)
        assert response.status_code == 404
        assert "intake" in response.json()["detail"]


def every_session_read(*args: object, **kwargs: object) -> NoReturn:
    raise AssertionError("the handout read every stored session")


def test_handout_pdf(
    client: TestClient, uow: SqlUnitOfWork, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(uow, clock)
    # A session from before the last 12 weeks: stored, but not on the handout.
    old = records.start_session(uow, clock.today() - dt.timedelta(days=7 * 12), 0, clock=clock)
    records.finish_session(uow, old, 6, 6, clock=clock)
    monkeypatch.setattr(records, "history", every_session_read)
    response = client.get("/download/handout.pdf", params={"paper": "letter", "days": 7})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="lumbo-plan.pdf"' in response.headers["content-disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    last_page = " ".join(reader.pages[-1].extract_text().split())
    assert "Your progress in the last 12 weeks" in last_page
    assert "1 session logged in the last 12 weeks" in last_page


def test_calendar_json_and_export_downloads(
    client: TestClient, uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    fill(uow, clock)
    response = client.get("/download/plan.ics", params={"at": "06:15", "days": 3})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    events = list(Calendar.from_ical(response.content).walk("VEVENT"))
    assert events
    assert min(e.decoded("dtstart") for e in events).time().strftime("%H:%M") == "06:15"

    bundle = client.get("/download/fhir.json").json()
    validate_bundle(bundle)
    scores = [e["resource"]["valueInteger"] for e in bundle["entry"]
              if e["resource"]["resourceType"] == "Observation"]
    assert sorted(scores) == [3, 4]

    response = client.get("/download/export.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    exported = json.loads(response.content)
    stored = records.export_document(uow, clock=clock)
    assert exported == json.loads(json.dumps(stored))


def test_bad_query_values_are_422_json(client: TestClient, uow: SqlUnitOfWork, clock: FixedClock) -> None:
    fill(uow, clock)
    for path, params in (
        ("/download/plan.ics", {"at": "25:61"}),
        ("/download/plan.ics", {"at": "soon"}),
        ("/download/handout.pdf", {"paper": "a5"}),
        ("/download/handout.pdf", {"days": 0}),
        ("/download/fhir.json", {"start": "2026-02-30"}),
    ):
        response = client.get(path, params=params)
        assert response.status_code == 422, (path, params)
        assert response.json()["detail"]


def test_a_referral_downloads_a_referral_sheet_and_no_calendar(
    client: TestClient, uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    records.save_screen_answers(uow, RedFlags(bladder_or_bowel_change=True), clock=clock)
    response = client.get("/download/handout.pdf")
    assert response.status_code == 200
    assert "see-a-clinician" in response.headers["content-disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert "This is an emergency." in reader.pages[0].extract_text()
    response = client.get("/download/plan.ics")
    assert response.status_code == 409
    assert "clinician" in response.json()["detail"]
