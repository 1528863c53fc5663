"""Ratings that do not invent data (issue 11, item 3), on SQLite and PostgreSQL.

- a skipped item is stored as skipped, never rated (API, export/import, CSV);
- pain before is stored with the session when it starts (``PUT .../pain-before``), so the
  session can be finished without it, on any device;
- the end screen: "Yes, finish" keeps every rating as logged; changing ratings never rates
  a skipped item.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from fastapi.testclient import TestClient

from lumbo.adapters.clock import FixedClock
from lumbo.adapters.unit_of_work import SqlUnitOfWork
from lumbo.domain.model import ItemLog
from lumbo.reports.csv_export import csv_tables
from lumbo.services import records
from tests.integration.test_pages import check_page, intake_ok, start_session

API = "/api/v1"
DONE = {"exercise": "glute-bridge", "variation": "glute-bridge", "reps": 10, "rating": "right"}
SKIPPED = {"exercise": "bird-dog", "variation": "bird-dog", "skipped": True, "completed": False, "rating": None}


def new_session(client: TestClient) -> str:
    started = client.post(f"{API}/sessions", json={"date": "2026-11-23"})
    assert started.status_code == 201, started.text
    session_id: str = started.json()["session"]["id"]
    return session_id


def stored(client: TestClient, session_id: str) -> dict[str, Any]:
    answer = client.get(f"{API}/sessions/{session_id}")
    assert answer.status_code == 200
    session: dict[str, Any] = answer.json()
    return session


# --- the API -----------------------------------------------------------------------------


def test_pain_before_is_stored_at_the_start_and_the_finish_uses_it(client: TestClient) -> None:
    session_id = new_session(client)
    url = f"{API}/sessions/{session_id}/pain-before"
    first = client.put(url, json={"pain_before": 4})
    assert first.status_code == 200, first.text
    assert (first.json()["id"], first.json()["pain_before"], first.json()["finished_at"]) == (session_id, 4, None)
    again = client.put(url, json={"pain_before": 5})  # sent again (a corrected answer): replaces
    assert again.status_code == 200 and again.json()["pain_before"] == 5
    assert client.get(f"{API}/sessions/unfinished").json()["session"]["pain_before"] == 5

    # Another device finishes it, knowing only the pain now.
    finished = client.post(f"{API}/sessions/{session_id}/finish", json={"pain_after": 3})
    assert finished.status_code == 200, finished.text
    assert (finished.json()["pain_before"], finished.json()["pain_after"]) == (5, 3)
    assert finished.json()["finished_at"] is not None

    late = client.put(url, json={"pain_before": 1})
    assert late.status_code == 409 and "finished" in late.json()["detail"]
    assert stored(client, session_id)["pain_before"] == 5


def test_pain_before_refuses_what_it_cannot_store(client: TestClient) -> None:
    session_id = new_session(client)
    url = f"{API}/sessions/{session_id}/pain-before"
    for body in ({"pain_before": 11}, {"pain_before": -1}, {"pain_before": "4"}, {"pain_before": True},
                 {"pain_before": 4.5}, {}, {"pain_before": 4, "pain_after": 2}):
        answer = client.put(url, json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["detail"]
    assert stored(client, session_id)["pain_before"] is None
    missing = client.put(f"{API}/sessions/abc123/pain-before", json={"pain_before": 4})
    assert missing.status_code == 404 and "no session" in missing.json()["detail"]
    assert client.put(f"{API}/sessions/a%20b/pain-before", json={"pain_before": 4}).status_code == 422


def test_finishing_without_a_stored_pain_before_asks_for_it(client: TestClient) -> None:
    session_id = new_session(client)
    refused = client.post(f"{API}/sessions/{session_id}/finish", json={"pain_after": 3})
    assert refused.status_code == 422
    assert "pain_before is missing" in refused.json()["detail"]
    assert stored(client, session_id)["finished_at"] is None  # nothing changed
    # Given at the end, it is used; given at both ends, the end's value wins.
    finished = client.post(f"{API}/sessions/{session_id}/finish", json={"pain_before": 6, "pain_after": 3})
    assert finished.status_code == 200 and finished.json()["pain_before"] == 6
    other = new_session(client)
    client.put(f"{API}/sessions/{other}/pain-before", json={"pain_before": 2})
    overridden = client.post(f"{API}/sessions/{other}/finish", json={"pain_before": 7, "pain_after": 3})
    assert overridden.status_code == 200 and overridden.json()["pain_before"] == 7


def test_a_skipped_item_is_stored_as_skipped_and_never_rated(client: TestClient) -> None:
    session_id = new_session(client)
    items = f"{API}/sessions/{session_id}/items"
    assert client.post(items, json={**DONE, "position": 0}).status_code == 201
    logged = client.post(items, json={**SKIPPED, "position": 1})
    assert logged.status_code == 201, logged.text
    assert logged.json()["item"] == {
        **SKIPPED, "sets": None, "hold_seconds": None, "reps": None,
        "measured": False, "form_score": None, "faults": [],
    }
    for refused in (
        {**SKIPPED, "rating": "right"},  # a skipped item with a rating: invented
        {**SKIPPED, "completed": True},
        {k: v for k, v in DONE.items() if k != "rating"},  # done, but no rating: not "right" by default
    ):
        answer = client.post(items, json={**refused, "position": 2})
        assert answer.status_code == 422, refused
    session = stored(client, session_id)
    assert [(i["position"], i["item"]["skipped"], i["item"]["rating"]) for i in session["items"]] == [
        (0, False, "right"),
        (1, True, None),
    ]
    assert client.get(f"{API}/progress", params={"today": "2026-11-23"}).status_code == 200


# --- export, import and CSV -------------------------------------------------------------


def test_skipped_items_and_a_pain_before_round_trip_through_export_and_import(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    import datetime as dt

    day = dt.date(2026, 11, 23)
    finished = records.start_session(uow, day, 0, clock=clock)
    records.log_item(uow, finished, ItemLog.model_validate(DONE), 0, clock=clock)
    records.log_item(uow, finished, ItemLog.model_validate(SKIPPED), 1, clock=clock)
    records.record_pain_before(uow, finished, 4)
    records.finish_session(uow, finished, None, 2, clock=clock)
    unfinished = records.start_session(uow, day, 1, clock=clock)
    records.record_pain_before(uow, unfinished, 6)  # started, not finished: pain before only

    exported = records.export_document(uow, clock=clock)
    text = json.dumps(exported)
    records.delete_everything(uow)
    records.import_document(uow, json.loads(text))
    assert records.export_document(uow, clock=clock) == exported

    by_id = {session.id: session for session in records.list_sessions(uow)}
    assert (by_id[finished].pain_before, by_id[finished].pain_after) == (4, 2)
    item = by_id[finished].items[1].item
    assert (item.skipped, item.completed, item.rating) == (True, False, None)
    assert (by_id[unfinished].pain_before, by_id[unfinished].finished) == (6, False)
    assert [logged.skipped for logged in records.history(uow).sessions[0].items] == [False, True]

    rows = list(csv.DictReader(io.StringIO(csv_tables(records.list_sessions(uow))["items.csv"])))
    assert [(row["exercise"], row["completed"], row["rating"], row["skipped"]) for row in rows] == [
        ("glute-bridge", "yes", "right", "no"),
        ("bird-dog", "no", "", "yes"),
    ]


def test_an_export_with_pain_after_but_no_pain_before_is_still_refused(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    import datetime as dt

    from lumbo.services.errors import BadDocument

    session_id = records.start_session(uow, dt.date(2026, 11, 23), 0, clock=clock)
    records.finish_session(uow, session_id, 3, 2, clock=clock)
    document = records.export_document(uow, clock=clock)
    records.delete_everything(uow)
    document["sessions"][0]["pain_before"] = None
    try:
        records.import_document(uow, document)
    except BadDocument as error:
        assert "go together" in str(error)
    else:
        raise AssertionError("a finished session without pain before was imported")
    assert records.list_sessions(uow) == []


# --- the end screen (the HTML form) ------------------------------------------------------


def logged_session(client: TestClient, *results: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """A started session of today's plan with ``results`` logged at positions 0, 1, ...;
    each result names only how it went (the planned item's slugs are filled in)."""
    intake_ok(client)
    session_id, data = start_session(client)
    planned = data["items"]
    assert len(planned) >= len(results)
    for position, result in enumerate(results):
        body = {"exercise": planned[position]["exercise"], "variation": planned[position]["variation"],
                "position": position, **result}
        assert client.post(data["itemUrl"], json=body).status_code == 201
    return session_id, planned


def finish_section(html: str) -> str:
    match = re.search(r'<section id="p-finish".*?</section>', html, re.S)
    assert match, "no end screen"
    return match.group(0)


def test_the_end_screen_lists_skipped_items_without_a_rating_control(client: TestClient) -> None:
    session_id, planned = logged_session(
        client, {"rating": "pain", "completed": False}, {"skipped": True, "completed": False, "rating": None}
    )
    html = client.get(f"/session/{session_id}").text
    check_page(html)
    end = finish_section(html)
    assert "Everything about right?" in end and 'name="everything" value="right"' in end
    # The rated item: its control, pre-filled with its logged rating.
    assert re.search(r'<fieldset class="rating-row" id="rating_0" data-position="0">', end)
    assert re.search(r'name="rating_0" value="pain" checked', end)
    # The skipped item: listed as skipped, its control hidden and disabled (not sent).
    assert re.search(r'id="rating_1" data-position="1" hidden disabled>', end)
    assert not re.search(r'name="rating_1" value="\w+" checked', end)
    assert re.search(rf'<p class="skipped-row muted" id="skipped_1">{re.escape(planned[1]["name"])}: skipped</p>', end)
    # Not logged yet: neither a control nor "skipped" shows.
    if len(planned) > 2:
        assert re.search(r'id="rating_2" data-position="2" hidden disabled>', end)
        assert re.search(r'id="skipped_2" hidden>', end)
    # No pain before is stored yet: the end screen asks for it.
    assert 'name="pain_before"' in end


def test_the_finish_form_never_rates_a_skipped_item(client: TestClient) -> None:
    session_id, _ = logged_session(
        client, {"rating": "right"}, {"skipped": True, "completed": False, "rating": None}
    )
    # A crafted (or stale) form tries to rate the skipped item: it is ignored, not stored.
    response = client.post(
        f"/session/{session_id}/finish",
        data={"pain_before": "4", "pain_after": "3", "everything": "changed", "rating_0": "easy", "rating_1": "hard"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/progress?finished=1"
    session = stored(client, session_id)
    assert session["finished_at"] is not None
    first, second = (logged["item"] for logged in session["items"])
    assert first["rating"] == "easy"  # a changed rating is kept
    assert (second["skipped"], second["completed"], second["rating"]) == (True, False, None)


def test_yes_finish_keeps_every_rating_as_logged_and_the_stored_pain_before(client: TestClient) -> None:
    session_id, _ = logged_session(
        client, {"rating": "pain", "completed": False}, {"rating": "right"},
    )
    assert client.put(f"{API}/sessions/{session_id}/pain-before", json={"pain_before": 4}).status_code == 200
    end = finish_section(client.get(f"/session/{session_id}").text)
    assert 'name="pain_before"' not in end  # asked on the first screen already
    # One tap: pain now and "Yes, finish". Radios still in the form are not read.
    response = client.post(
        f"/session/{session_id}/finish",
        data={"pain_after": "2", "everything": "right", "rating_0": "easy", "rating_1": "hard"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/progress?finished=1"
    session = stored(client, session_id)
    assert (session["pain_before"], session["pain_after"]) == (4, 2)
    assert [logged["item"]["rating"] for logged in session["items"]] == ["pain", "right"]


def test_yes_finish_without_any_pain_before_asks_for_it_and_keeps_the_answers(client: TestClient) -> None:
    session_id, _ = logged_session(client, {"rating": "hard"})
    response = client.post(
        f"/session/{session_id}/finish", data={"pain_after": "2", "everything": "right"}
    )
    assert response.status_code == 422
    end = finish_section(response.text)
    assert "Enter pain before the session as a whole number from 0 to 10." in end
    assert 'id="pain_after" name="pain_after"' in end and 'value="2"' in end
    assert "<details id=\"finish-change\">" in end  # the one-question path stays folded
    assert stored(client, session_id)["finished_at"] is None
    done = client.post(
        f"/session/{session_id}/finish", data={"pain_before": "5", "pain_after": "2", "everything": "right"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    session = stored(client, session_id)
    assert (session["pain_before"], session["items"][0]["item"]["rating"]) == (5, "hard")
