"""The JSON API over the same services: shapes, status codes, and JSON errors (never 500)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

API = "/api/v1"
PROFILE: dict[str, Any] = {
    "pain_now": 3,
    "pain_worst_week": 5,
    "duration_weeks": 6,
    "hard_activities": [{"name": "gardening", "score": 4}],
}


def planned_item(client: TestClient) -> dict[str, Any]:
    plan = client.get(f"{API}/plan", params={"start": "2026-11-23"}).json()
    item: dict[str, Any] = plan["days"][0]["sessions"][0]["items"][0]
    return item


def test_a_red_flag_screen_gives_a_referral_and_no_plan(client: TestClient) -> None:
    answer = client.post(f"{API}/screen", json={"bladder_or_bowel_change": True})
    assert answer.status_code == 200
    body = answer.json()
    assert body["referred"] is True and body["decision"]["urgency"] == "emergency"
    plan = client.get(f"{API}/plan")
    assert plan.status_code == 200 and plan.json()["status"] == "refer"
    assert plan.json()["days"] == []


def test_profile_round_trip_and_plan(client: TestClient) -> None:
    assert client.get(f"{API}/profile").status_code == 404
    saved = client.put(f"{API}/profile", json=PROFILE)
    assert saved.status_code == 200 and saved.json()["version"] == 1
    assert saved.json()["referral"] is None
    got = client.get(f"{API}/profile").json()
    assert got["hard_activities"] == PROFILE["hard_activities"] and got["pain_now"] == 3
    plan = client.get(f"{API}/plan", params={"start": "2026-11-23", "days": 3})
    assert plan.status_code == 200
    dates = [day["date"] for day in plan.json()["days"]]
    assert dates and set(dates) <= {"2026-11-23", "2026-11-24", "2026-11-25"}


def test_a_session_is_started_logged_resumed_and_finished(client: TestClient) -> None:
    client.put(f"{API}/profile", json=PROFILE)
    item = planned_item(client)
    started = client.post(f"{API}/sessions", json={"date": "2026-11-23", "session_index": 0})
    assert started.status_code == 201 and started.json()["resumed"] is False
    session_id = started.json()["session"]["id"]
    logged = client.post(
        f"{API}/sessions/{session_id}/items",
        json={"exercise": item["exercise"], "variation": item["variation"], "sets": 1, "reps": 8, "rating": "right", "position": 0},
    )
    assert logged.status_code == 201 and logged.json()["position"] == 0
    resumed = client.post(f"{API}/sessions", json={"date": "2026-11-23"})
    assert resumed.status_code == 200 and resumed.json()["resumed"] is True
    assert resumed.json()["session"]["id"] == session_id
    assert len(resumed.json()["session"]["items"]) == 1
    unfinished = client.get(f"{API}/sessions/unfinished").json()
    assert unfinished["session"]["id"] == session_id
    finished = client.post(f"{API}/sessions/{session_id}/finish", json={"pain_before": 4, "pain_after": 2})
    assert finished.status_code == 200 and finished.json()["finished_at"] is not None
    assert client.get(f"{API}/sessions/unfinished").json() == {"session": None}
    again = client.post(f"{API}/sessions/{session_id}/finish", json={"pain_before": 4, "pain_after": 2})
    assert again.status_code == 409 and "finished already" in again.json()["detail"]
    listed = client.get(f"{API}/sessions").json()
    assert [s["id"] for s in listed] == [session_id]
    progress = client.get(f"{API}/progress", params={"today": "2026-11-23"}).json()
    assert progress["pain"] == [{"date": "2026-11-23", "pain_before": 4, "pain_after": 2}]
    assert progress["exercises"][0]["exercise"] == item["exercise"]
    assert progress["hard_activities"][0]["points"][0]["score"] == 4


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "phrase"),
    [
        ("put", "/profile", {"pain_now": 5, "pain_worst_week": 2, "duration_weeks": 1}, 422, "pain_worst_week"),
        ("put", "/profile", {"pain_now": 11, "pain_worst_week": 11, "duration_weeks": 1}, 422, "pain_now"),
        ("put", "/profile", {"pain_now": 1, "pain_worst_week": 1, "duration_weeks": 1, "typo": 1}, 422, "typo"),
        ("post", "/screen", {"saddle_numbness": "maybe"}, 422, "saddle_numbness"),
        ("post", "/sessions", {"session_index": 99}, 422, "session_index"),
        ("post", "/sessions", {"date": "2026-02-30"}, 422, "date"),
        ("post", "/sessions/abc/items", {"exercise": "glute-bridge", "rating": "right"}, 404, "no session"),
        ("post", "/sessions/a%20b/items", {"exercise": "glute-bridge"}, 422, "session_id"),
        ("post", "/sessions/abc/finish", {"pain_before": 1, "pain_after": 1}, 404, "no session"),
        ("get", "/sessions/abc", None, 404, "no session"),
        ("get", "/plan?days=0", None, 422, "days"),
        ("get", "/plan?start=9999-12-31", None, 422, "between 1900-01-01 and 2200-12-31"),
        ("get", "/progress?today=0001-01-01", None, 422, "between 1900-01-01 and 2200-12-31"),
        ("delete", "/data", {"confirm": "yes"}, 422, "confirm"),
        ("delete", "/data", None, 422, "request"),
        ("post", "/import", {"format": "lumbo-export", "version": 7}, 422, "newer lumbo"),
        ("post", "/import", [1, 2], 422, "request"),
    ],
)
def test_bad_input_gets_a_json_4xx_naming_the_problem(
    client: TestClient, method: str, path: str, body: object, status: int, phrase: str
) -> None:
    client.put(f"{API}/profile", json=PROFILE)
    response = client.request(method.upper(), f"{API}{path}", json=body)
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and phrase in detail


def test_a_body_that_is_not_json_is_a_422(client: TestClient) -> None:
    response = client.put(
        f"{API}/profile", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422 and isinstance(response.json()["detail"], str)


def test_export_delete_import_through_the_api(client: TestClient) -> None:
    client.put(f"{API}/profile", json=PROFILE)
    session_id = client.post(f"{API}/sessions", json={"date": "2026-11-22"}).json()["session"]["id"]
    client.post(f"{API}/sessions/{session_id}/items", json={"exercise": "glute-bridge", "hold_seconds": 20, "rating": "right"})
    exported = client.get(f"{API}/export").json()
    assert client.post(f"{API}/import", json=exported).status_code == 409
    deleted = client.request("DELETE", f"{API}/data", json={"confirm": "delete everything"})
    assert deleted.status_code == 200 and deleted.json() == {"deleted": True}
    assert client.get(f"{API}/profile").status_code == 404
    imported = client.post(f"{API}/import", json=exported)
    assert imported.status_code == 200
    assert imported.json() == {"profile_versions": 1, "screens": 1, "plans": 0, "sessions": 1, "items": 1}
    again = client.get(f"{API}/export").json()
    assert again["sessions"] == exported["sessions"] and again["profile"] == exported["profile"]


def test_the_openapi_schema_is_served_and_no_cdn_docs(client: TestClient) -> None:
    schema = client.get(f"{API}/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/api/v1/profile", "/api/v1/plan", "/api/v1/sessions/{session_id}/items", "/api/v1/data"):
        assert path in paths
    for page in ("/docs", "/redoc"):
        assert client.get(page).status_code == 404


def test_awkward_text_is_stored_or_refused_but_never_a_500(client: TestClient) -> None:
    # PostgreSQL refuses NUL bytes in text; every answer must still be 2xx or 4xx.
    awkward = dict(PROFILE, hard_activities=[{"name": "lift\u0000ing", "score": 2}])
    answer = client.put(f"{API}/profile", json=awkward)
    assert answer.status_code in (200, 422), answer.text
    if answer.status_code == 200:
        assert client.get(f"{API}/profile").json()["hard_activities"][0]["name"] == "lift\u0000ing"
    session_id = client.post(f"{API}/sessions", json={}).json()["session"]["id"]
    logged = client.post(f"{API}/sessions/{session_id}/items", json={"exercise": "glute\u0000-bridge"})
    assert logged.status_code == 422
