"""The cached /plan page: reused while nothing changed, rebuilt as soon as anything did."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from fastapi.testclient import TestClient

from lumbo.adapters.clock import FixedClock
from lumbo.adapters.unit_of_work import Database
from lumbo.services import records
from lumbo.web.page_cache import PageCache
from lumbo.web.pages import SWAP_COOKIE
from tests.integration.test_pages import INTAKE, intake_ok

UNFINISHED = "You have an unfinished session"
SITTING = "Break up long sitting"


def cache_of(client: TestClient) -> PageCache:
    cache = client.app.state.page_cache  # type: ignore[attr-defined]
    assert isinstance(cache, PageCache)
    return cache


def test_page_cache_keeps_the_most_recently_used_entries_up_to_its_size() -> None:
    cache = PageCache(size=2)
    cache.put("a", b"A")
    cache.put("b", b"B")
    assert cache.get("a") == b"A"  # "a" is now the most recently used
    cache.put("c", b"C")
    assert cache.get("b") is None
    assert cache.get("a") == b"A" and cache.get("c") == b"C"
    assert len(cache) == 2
    cache.clear()
    assert len(cache) == 0 and cache.get("a") is None
    with pytest.raises(ValueError):
        PageCache(size=0)


def test_the_same_plan_page_is_served_from_the_cache(client: TestClient) -> None:
    intake_ok(client)
    # The first view also stores the plan shown (a commit), so the second renders again.
    client.get("/plan")
    first = client.get("/plan")
    cache = cache_of(client)
    hits = cache.hits
    second = client.get("/plan")
    assert second.status_code == 200 and "text/html" in second.headers["content-type"]
    assert second.text == first.text
    assert cache.hits == hits + 1


def test_starting_logging_and_finishing_a_session_change_the_page(client: TestClient) -> None:
    intake_ok(client)
    assert UNFINISHED not in client.get("/plan").text
    started = client.post("/api/v1/sessions", json={"date": "2026-11-23"})
    session_id = started.json()["session"]["id"]
    assert UNFINISHED in client.get("/plan").text
    item = client.get("/api/v1/plan").json()["days"][0]["sessions"][0]["items"][0]
    before = cache_of(client).misses
    logged = client.post(
        f"/api/v1/sessions/{session_id}/items",
        json={"exercise": item["exercise"], "variation": item["variation"], "rating": "right", "position": 0},
    )
    assert logged.status_code == 201
    client.get("/plan")
    assert cache_of(client).misses > before  # the log moved the revision: rendered again
    client.post(f"/api/v1/sessions/{session_id}/finish", json={"pain_before": 3, "pain_after": 2})
    assert UNFINISHED not in client.get("/plan").text


def test_editing_the_profile_changes_the_page(client: TestClient) -> None:
    intake_ok(client)
    assert SITTING in client.get("/plan").text
    response = client.post(
        "/intake", data={**INTAKE, "desk_hours_per_day": "1"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert SITTING not in client.get("/plan").text


def test_a_write_outside_the_app_changes_the_page(
    client: TestClient, database: Database, clock: FixedClock
) -> None:
    """Like `lumbo` commands run in another process: only the stored revision tells."""
    intake_ok(client)
    client.get("/plan")
    assert UNFINISHED not in client.get("/plan").text
    records.open_session(database.unit_of_work(), dt.date(2026, 11, 23), clock=clock)
    assert UNFINISHED in client.get("/plan").text


def test_the_day_and_the_swaps_are_part_of_the_key(client: TestClient, clock: FixedClock) -> None:
    intake_ok(client)
    plain = client.get("/plan").text
    decision = client.get("/api/v1/plan").json()
    planned = decision["days"][0]["sessions"][0]["items"][0]["variation"]
    swap_page = client.get("/plan").text
    assert f'value="{planned}"' in swap_page
    chosen = re.search(
        rf'name="planned" value="{re.escape(planned)}">\s*<input type="hidden" name="chosen" '
        r'value="([a-z0-9-]+)"',
        swap_page,
    )
    assert chosen
    client.cookies.set(SWAP_COOKIE, json.dumps({planned: chosen.group(1)}))
    assert "Swapped in for" in client.get("/plan").text
    client.cookies.delete(SWAP_COOKIE)
    assert client.get("/plan").text == plain
    clock.advance(dt.timedelta(days=1))
    assert client.get("/plan").text != plain
