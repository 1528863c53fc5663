"""The cached /plan page: reused while nothing changed, rebuilt as soon as anything did."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from lumbo.adapters.clock import FixedClock
from lumbo.adapters.unit_of_work import Database
from lumbo.services import records
from lumbo.web.page_cache import PageCache
from lumbo.web.pages import SWAP_COOKIE
from tests.integration.conftest import BASE_URL
from tests.integration.test_pages import INTAKE, intake_ok

PROFILE_API = {"pain_now": 3, "pain_worst_week": 5, "duration_weeks": 6, "minutes_per_day": 15}

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
    cache = cache_of(client)
    misses = cache.misses
    # The first view stores the plan shown (a commit), but that changes no plan: the
    # second view is served from the cache already.
    first = client.get("/plan")
    hits = cache.hits
    second = client.get("/plan")
    assert second.status_code == 200 and "text/html" in second.headers["content-type"]
    assert second.text == first.text
    assert cache.hits == hits + 1
    assert cache.misses == misses + 1


def start_session_and_cache_the_page(client: TestClient) -> tuple[str, dict[str, Any]]:
    """A profile, an open session and its page in the cache: (session id, first item)."""
    intake_ok(client)
    assert UNFINISHED not in client.get("/plan").text
    started = client.post("/api/v1/sessions", json={"date": "2026-11-23"})
    session_id = started.json()["session"]["id"]
    assert UNFINISHED in client.get("/plan").text  # starting a session changes the page
    item = client.get("/api/v1/plan").json()["days"][0]["sessions"][0]["items"][0]
    client.get("/plan")
    return session_id, item


def log(client: TestClient, session_id: str, item: dict[str, Any], **fields: Any) -> None:
    body = {"exercise": item["exercise"], "variation": item["variation"], "rating": "right", "position": 0}
    logged = client.post(f"/api/v1/sessions/{session_id}/items", json={**body, **fields})
    assert logged.status_code == 201, logged.text


def test_a_plain_item_log_keeps_the_cached_plan(client: TestClient, database: Database) -> None:
    session_id, item = start_session_and_cache_the_page(client)
    cache = cache_of(client)
    page = client.get("/plan").text
    store, plan = records.store_revision(database.unit_of_work()), records.plan_revision(database.unit_of_work())
    misses = cache.misses
    log(client, session_id, item)  # done, rated "right": a plain item
    log(client, session_id, item)  # the same position again: replaces a plain item
    log(client, session_id, item, position=None)  # appended
    assert records.store_revision(database.unit_of_work()) == store + 3
    assert records.plan_revision(database.unit_of_work()) == plan
    assert client.get("/plan").text == page
    assert cache.misses == misses  # served from the cache: no render


@pytest.mark.parametrize(
    "fields",
    [
        {"rating": "pain"},
        {"rating": "easy"},
        {"rating": "hard"},
        {"rating": "right", "completed": False},
        {"rating": None, "completed": False, "skipped": True},
    ],
    ids=["pain", "easy", "hard", "stopped", "skipped"],
)
def test_an_item_that_may_change_a_decision_renders_the_page_again(
    client: TestClient, fields: dict[str, Any]
) -> None:
    session_id, item = start_session_and_cache_the_page(client)
    misses = cache_of(client).misses
    log(client, session_id, item, **fields)
    client.get("/plan")
    assert cache_of(client).misses == misses + 1


def test_replacing_a_pain_rating_with_a_plain_one_renders_the_page_again(client: TestClient) -> None:
    session_id, item = start_session_and_cache_the_page(client)
    log(client, session_id, item, rating="pain")
    client.get("/plan")
    misses = cache_of(client).misses
    log(client, session_id, item)  # "right" at the same position: the pain rating is gone
    client.get("/plan")
    assert cache_of(client).misses == misses + 1


def test_finishing_the_session_changes_the_page(client: TestClient) -> None:
    session_id, item = start_session_and_cache_the_page(client)
    log(client, session_id, item)
    misses = cache_of(client).misses
    client.post(f"/api/v1/sessions/{session_id}/finish", json={"pain_before": 3, "pain_after": 2})
    assert UNFINISHED not in client.get("/plan").text
    assert cache_of(client).misses == misses + 1


def test_concurrent_requests_after_a_write_render_the_page_once(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Single flight: the first request after a write renders, the others wait for it."""
    from lumbo.web.pages import plan as plan_page

    intake_ok(client)
    client.get("/plan")
    client.put("/api/v1/profile", json={**PROFILE_API, "minutes_per_day": 20})  # a write
    renders: list[int] = []
    render = plan_page._plan_response

    def slow_render(*args: Any, **kwargs: Any) -> Any:
        renders.append(1)
        time.sleep(0.3)  # long enough for every request to arrive while it runs
        return render(*args, **kwargs)

    monkeypatch.setattr(plan_page, "_plan_response", slow_render)
    cookies = {name: value for name, value in client.cookies.items()}

    async def many(count: int) -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, cookies=cookies) as http:
            return await asyncio.gather(*(http.get("/plan") for _ in range(count)))

    # Its own thread: a browser test earlier in this worker may have left an event loop
    # running in the main thread, where asyncio.run() refuses to start.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        answers = pool.submit(asyncio.run, many(20)).result()
    assert [answer.status_code for answer in answers] == [200] * 20
    assert len({answer.text for answer in answers}) == 1
    assert len(renders) == 1


def test_concurrent_threads_after_a_write_plan_once(
    database: Database, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Single flight across threads (the JSON API's plan route runs in the thread pool)."""
    import lumbo.services as services
    from lumbo.domain.model import Profile

    records.save_profile(database.unit_of_work(), Profile.model_validate(PROFILE_API), clock=clock)
    records.current_decision(database.unit_of_work(), clock=clock)
    records.save_profile(
        database.unit_of_work(), Profile.model_validate({**PROFILE_API, "minutes_per_day": 20}), clock=clock
    )
    runs: list[int] = []
    decide = services.decide

    def slow_decide(*args: Any, **kwargs: Any) -> Any:
        runs.append(1)
        time.sleep(0.3)
        return decide(*args, **kwargs)

    monkeypatch.setattr(services, "decide", slow_decide)
    with ThreadPoolExecutor(max_workers=10) as pool:
        decisions = list(
            pool.map(lambda _: records.current_decision(database.unit_of_work(), clock=clock), range(10))
        )
    assert len(runs) == 1
    assert all(decision == decisions[0] for decision in decisions)


def test_a_cached_page_keeps_every_protection(client: TestClient) -> None:
    """Hits are served before routing (PlanPageHits), still inside the security middleware."""
    intake_ok(client)
    client.get("/plan")
    hits = cache_of(client).hits
    page = client.get("/plan")
    assert cache_of(client).hits == hits + 1
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"
    assert "default-src 'self'" in page.headers["content-security-policy"]
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert token and token.group(1) == client.form_token()  # type: ignore[attr-defined]
    assert "lumbo-form-token-slot" not in page.text
    assert client.get("/plan", headers={"host": "evil.example"}).status_code == 400
    fresh = TestClient(client.app, base_url=BASE_URL)  # no cookie: a new token and cookie
    first = fresh.get("/plan")
    assert "lumbo_csrf=" in first.headers.get("set-cookie", "")
    assert cache_of(client).hits == hits + 2


def test_the_fast_path_answers_exactly_as_the_inner_one(client: TestClient) -> None:
    """security.FastAnswers (a browser with its token cookie) and PlanPageHits (inside every
    protection) give the same page and headers; other requests take the usual way."""
    intake_ok(client)
    client.get("/plan")
    fast = client.get("/plan")  # the client has its cookie: the fast path
    stripped = TestClient(client.app, base_url=BASE_URL)
    first = stripped.get("/plan")  # no cookie: through every layer, PlanPageHits answers
    assert first.status_code == 200 and "lumbo_csrf=" in first.headers["set-cookie"]
    cookie = first.headers["set-cookie"].split(";")[0]
    inner = stripped.get("/plan", headers={"cookie": cookie})
    assert fast.status_code == inner.status_code == 200
    slow_headers = [(k, v) for k, v in first.headers.multi_items() if k != "set-cookie"]
    assert fast.headers.multi_items() == inner.headers.multi_items() == slow_headers
    field = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
    fast_token, inner_token = (field.findall(page.text) for page in (fast, inner))
    assert set(fast_token) == {client.form_token()}  # type: ignore[attr-defined]
    settings_page = stripped.get("/settings", headers={"cookie": cookie})
    assert set(inner_token) == set(field.findall(settings_page.text)) != set(fast_token)
    assert client.get("/plan", headers={"host": "evil.example"}).status_code == 400
    assert client.request("GET", "/plan", headers={"content-length": "x"}).status_code == 400
    bad_cookie = stripped.get("/plan", headers={"cookie": "lumbo_csrf=short"})
    assert "lumbo_csrf=" in bad_cookie.headers.get("set-cookie", "")


def test_the_front_door_stands_before_the_framework_and_falls_back_on_errors(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast path runs before FastAPI's own layers; when it fails (the database busy,
    say) the request takes the usual way, which answers it as usual."""
    from lumbo.web.security import FastAnswers

    intake_ok(client)
    expected = client.get("/plan")
    front = client.app.front  # type: ignore[attr-defined]
    assert isinstance(front, FastAnswers)
    assert front.app == client.app.framework  # type: ignore[attr-defined]
    hits = cache_of(client).hits

    def broken(cookie: bytes, token: bytes) -> bytes | None:
        raise RuntimeError("database is locked")

    monkeypatch.setitem(front.answers, "/plan", broken)  # only the front door's copy
    again = client.get("/plan")
    assert again.status_code == 200 and again.text == expected.text
    assert cache_of(client).hits == hits + 1  # served by the inner hit path instead
    monkeypatch.undo()
    client.get("/plan")
    assert cache_of(client).hits == hits + 2


def test_a_browser_viewing_the_page_again_gets_the_same_bytes_without_a_copy(
    client: TestClient,
) -> None:
    from lumbo.web.pages.plan import PlanHitAnswers

    intake_ok(client)
    client.get("/plan")
    answers = client.app.front.answers["/plan"]  # type: ignore[attr-defined]
    assert isinstance(answers, PlanHitAnswers)
    cookie = f"lumbo_csrf={client.cookies['lumbo_csrf']}".encode()
    token = client.form_token().encode()  # type: ignore[attr-defined]
    first, second = answers(cookie, token), answers(cookie, token)
    assert first is not None and first is second  # one filled page, handed out again
    other = answers(cookie, b"0" * 64)
    assert other is not None and other is not first and other.count(b"0" * 64) >= 1
    assert first.replace(token, b"0" * 64) == other


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
