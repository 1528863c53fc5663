"""The plan and settings pages offer the handout, calendar and FHIR downloads, and they work."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.integration.test_pages import intake_ok, screen_ok


def test_plan_page_links_the_calendar_and_a_working_calendar_form(client: TestClient) -> None:
    screen_ok(client)
    intake_ok(client)
    page = client.get("/plan").text
    assert 'href="/download/handout.pdf"' in page and 'href="/download/handout.pdf?paper=letter"' in page
    form = re.search(r'<form method="get" action="(/download/plan\.ics)"', page)
    assert form is not None
    assert re.search(r'<label for="calendar-at">', page) and 'id="calendar-at" name="at"' in page
    calendar = client.get("/download/plan.ics", params={"at": "18:15"})
    assert calendar.status_code == 200 and "BEGIN:VEVENT" in calendar.text and "T181500" in calendar.text
    bad = client.get("/download/plan.ics", params={"at": "25:99"})
    assert bad.status_code == 422 and bad.json()["detail"].startswith("at:")


def test_settings_page_links_the_fhir_bundle(client: TestClient) -> None:
    screen_ok(client)
    intake_ok(client)
    assert 'href="/download/fhir.json"' in client.get("/settings").text
    bundle = client.get("/download/fhir.json").json()
    assert bundle["resourceType"] == "Bundle"
