"""Every protection of web/security.py, tried the way an attacker would, against the real app.

Routes are found from the app itself, so a route added tomorrow is covered by these tests
without being listed here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount

from lumbo.adapters.clock import FixedClock
from lumbo.adapters.unit_of_work import Database
from lumbo.config import Settings
from lumbo.domain.model import RedFlags
from lumbo.services import records
from lumbo.web import forms
from lumbo.web.security import CSRF_COOKIE, DEFAULT_BODY_LIMIT, IMPORT_BODY_LIMIT, csrf_token_for
from tests.integration.conftest import BASE_URL, PageClient
from tests.integration.test_pages import INTAKE, NO_FLAGS

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
EVIL = "http://evil.example"


@pytest.fixture
def app(settings: Settings, database: Database, clock: FixedClock) -> Any:
    from lumbo.web.app import create_app

    return create_app(settings, clock=clock, database=database)


@pytest.fixture
def browser(app: Any) -> Iterator[PageClient]:
    """lumbo's own pages in a browser: a person who has answered the screen and the intake."""
    with PageClient(app, base_url=BASE_URL) as client:
        assert client.post("/screen", data=NO_FLAGS, follow_redirects=False).status_code == 303
        assert client.post("/intake", data=INTAKE, follow_redirects=False).status_code == 303
        yield client


@pytest.fixture
def session_id(browser: PageClient) -> str:
    answer = browser.post("/api/v1/sessions", json={})
    assert answer.status_code in (200, 201), answer.text
    return str(answer.json()["session"]["id"])


def everything(uow: Any, clock: FixedClock) -> str:
    document = records.export_document(uow, clock=clock)
    document.pop("exported_at", None)
    return json.dumps(document, sort_keys=True, default=str)


def all_routes(routes: list[Any]) -> Iterator[Any]:
    """Every route, also those inside included routers (FastAPI wraps them)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from all_routes(inner.routes)
        else:
            yield route


def unsafe_routes(app: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for route in all_routes(app.routes):
        if isinstance(route, APIRoute):
            found.extend((method, route.path) for method in sorted(route.methods & UNSAFE))
    return found


def get_routes(app: Any) -> list[str]:
    paths: list[str] = []
    for route in all_routes(app.routes):
        if isinstance(route, Mount):
            paths.append(f"{route.path}/lumbo.css")
        elif isinstance(route, APIRoute) and "GET" in route.methods:
            paths.append(route.path)
    return paths


def fill(path: str, session_id: str) -> str:
    path = path.replace("{session_id}", session_id)
    return re.sub(r"\{[^}]+\}", "glute-bridge", path)


def test_the_route_lists_are_not_empty(app: Any) -> None:
    unsafe = unsafe_routes(app)
    assert ("POST", "/screen") in unsafe and ("POST", "/settings/delete") in unsafe
    assert ("DELETE", "/api/v1/data") in unsafe and ("POST", "/api/v1/import") in unsafe
    assert "/api/v1/export" in get_routes(app)


# ---- cross-site posts ------------------------------------------------------------------


CROSS_SITE_WAYS: dict[str, dict[str, str]] = {
    "foreign Origin": {"Origin": EVIL},
    "another port of this machine": {"Origin": "http://127.0.0.1:9999"},
    "Origin null without the browser's word": {"Origin": "null"},
    "Sec-Fetch-Site cross-site": {"Sec-Fetch-Site": "cross-site"},
    "Sec-Fetch-Site same-site": {"Sec-Fetch-Site": "same-site"},
}


@pytest.mark.parametrize("way", sorted(CROSS_SITE_WAYS))
def test_no_state_changing_route_accepts_a_cross_site_request(
    way: str, app: Any, browser: PageClient, session_id: str, uow: Any, clock: FixedClock
) -> None:
    before = everything(uow, clock)
    token = browser.form_token()
    for method, path in unsafe_routes(app):
        url = fill(path, session_id)
        headers = dict(CROSS_SITE_WAYS[way])
        if url.startswith("/api/"):
            answer = browser.request(method, url, json={"confirm": "delete everything"}, headers=headers)
            assert answer.status_code == 403, (method, url, answer.text)
            assert "another site" in answer.json()["detail"]
        else:
            # Even with the right token: the browser says the request came from elsewhere.
            answer = browser.request(
                method, url, data={**NO_FLAGS, "csrf_token": token, "confirm": "delete everything"},
                headers=headers, follow_redirects=False,
            )
            assert answer.status_code == 403, (method, url, answer.text)
            assert "Nothing was changed" in answer.text
    assert everything(uow, clock) == before


def test_no_html_form_is_accepted_without_the_right_token(
    app: Any, browser: PageClient, session_id: str, uow: Any, clock: FixedClock
) -> None:
    before = everything(uow, clock)
    wrong_tokens: list[dict[str, str]] = [
        {},
        {"csrf_token": ""},
        {"csrf_token": "0" * 64},
        # A token that belongs to another cookie (another browser, or a planted cookie).
        {"csrf_token": csrf_token_for(b"not the app's secret", "x" * 43)},
    ]
    for method, path in unsafe_routes(app):
        url = fill(path, session_id)
        if url.startswith("/api/"):
            continue
        for extra in wrong_tokens:
            answer = TestClient.request(
                browser, method, url, data={**NO_FLAGS, **extra, "confirm": "delete everything"},
                follow_redirects=False,
            )
            assert answer.status_code == 403, (method, url, extra, answer.text)
    assert everything(uow, clock) == before


def test_a_cross_site_post_cannot_clear_a_red_flag(browser: PageClient, uow: Any, clock: FixedClock) -> None:
    referred = {**NO_FLAGS, "bladder_or_bowel_change": "yes"}
    assert "bladder_or_bowel_change" in forms.RED_FLAG_QUESTIONS
    clock.advance(dt.timedelta(minutes=1))
    page = browser.post("/screen", data=referred)
    assert "Please get medical help now" in page.text
    clock.advance(dt.timedelta(minutes=1))
    token = browser.form_token()
    # The attacker's page posts "no" to every question; the browser adds cookies and headers.
    attack = browser.request(
        "POST", "/screen", data={**NO_FLAGS, "csrf_token": token},
        headers={"Origin": EVIL, "Sec-Fetch-Site": "cross-site"}, follow_redirects=False,
    )
    assert attack.status_code == 403
    latest = records.latest_screen(uow)
    assert latest is not None and latest.referred
    assert "Please get medical help now" in browser.get("/plan").text


def test_a_planted_cookie_with_a_guessed_token_is_refused(app: Any, uow: Any, clock: FixedClock) -> None:
    """Another local program can set lumbo_csrf for 127.0.0.1, but cannot make its token."""
    with TestClient(app, base_url=BASE_URL) as client:
        planted = "A" * 43
        client.cookies.set(CSRF_COOKIE, planted)
        for guess in (csrf_token_for(b"", planted), csrf_token_for(b"lumbo", planted), planted):
            answer = client.post("/screen", data={**NO_FLAGS, "csrf_token": guess}, follow_redirects=False)
            assert answer.status_code == 403
    assert records.get_profile(uow) is None


def test_the_pages_own_forms_still_work_and_carry_the_token(browser: PageClient) -> None:
    for path in ("/screen", "/intake", "/plan", "/session", "/settings"):
        html = browser.get(path).text
        for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, flags=re.S):
            assert 'name="csrf_token"' in form, (path, form[:80])
    assert browser.post("/screen", data=NO_FLAGS, follow_redirects=False).status_code == 303


def test_the_api_refuses_a_form_encoded_post_and_bad_json(browser: PageClient, uow: Any, clock: FixedClock) -> None:
    before = everything(uow, clock)
    form = browser.request("DELETE", "/api/v1/data", data={"confirm": "delete everything"})
    assert form.status_code == 415 and "JSON" in form.json()["detail"]
    text_plain = browser.post(
        "/api/v1/import", content=b'{"format": "lumbo-export"}', headers={"Content-Type": "text/plain"}
    )
    assert text_plain.status_code == 415
    duplicate = browser.request(
        "DELETE", "/api/v1/data", content=b'{"confirm": "no", "confirm": "delete everything"}',
        headers={"Content-Type": "application/json"},
    )
    assert duplicate.status_code == 422 and "twice" in duplicate.json()["detail"]
    nul = browser.put(
        "/api/v1/profile", content=json.dumps({"pain_now": 3, "x": "a\u0000b"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert nul.status_code == 422 and "NUL" in nul.json()["detail"]
    assert everything(uow, clock) == before


def test_a_form_with_a_nul_character_is_refused(browser: PageClient, uow: Any, clock: FixedClock) -> None:
    before = everything(uow, clock)
    answer = browser.post("/intake", data={**INTAKE, "activity_1_name": "socks\u0000"})
    assert answer.status_code == 400 and "NUL" in answer.text
    assert everything(uow, clock) == before


# ---- Host header (DNS rebinding) --------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example", "", "localhost.:80x"])
def test_every_route_refuses_a_foreign_host(host: str, app: Any, session_id: str) -> None:
    with TestClient(app, base_url=BASE_URL) as client:
        for path in get_routes(app):
            answer = client.get(fill(path, session_id), headers={"Host": host})
            assert answer.status_code == 400, (path, answer.status_code)
            assert "export" not in answer.text and "pain" not in answer.text
        for method, path in unsafe_routes(app):
            answer = client.request(method, fill(path, session_id), headers={"Host": host}, json={})
            assert answer.status_code == 400


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "127.0.0.1", "LOCALHOST"])
def test_local_names_are_answered(host: str, app: Any) -> None:
    with TestClient(app, base_url=BASE_URL) as client:
        assert client.get("/", headers={"Host": host}).status_code == 200


def test_configured_host_names_are_answered(settings: Settings, database: Database, clock: FixedClock) -> None:
    from lumbo.web.app import create_app

    configured = settings.model_copy(update={"allowed_hosts": ("lumbo.lan",)})
    with TestClient(create_app(configured, clock=clock, database=database), base_url=BASE_URL) as client:
        assert client.get("/", headers={"Host": "lumbo.lan:8765"}).status_code == 200
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


# ---- headers ----------------------------------------------------------------------------


def test_every_page_and_answer_carries_the_security_headers(app: Any, browser: PageClient, session_id: str) -> None:
    for path in [*get_routes(app), "/no-such-page"]:
        answer = browser.get(fill(path, session_id))
        assert answer.status_code < 500, path
        headers = answer.headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        script_src = csp.split("script-src")[1].split(";")[0].split()
        # wasm may be compiled (the camera coach's pose model); scripts stay strict.
        assert script_src == ["'self'", "'wasm-unsafe-eval'"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        policy = headers["permissions-policy"]
        # The camera for this origin only (the opt-in coach); never the microphone.
        assert "camera=(self)," in policy and "microphone=()," in policy
        if path.startswith(("/static/", "/figures/")):
            assert headers.get("cache-control") != "no-store"
        else:
            assert headers["cache-control"] == "no-store", path


def test_refusals_carry_the_headers_too(app: Any) -> None:
    with TestClient(app, base_url=BASE_URL) as client:
        for answer in (
            client.get("/", headers={"Host": "evil.example"}),
            client.post("/screen", data=NO_FLAGS),
            client.post("/screen", content=b"x" * (DEFAULT_BODY_LIMIT + 1)),
        ):
            assert answer.status_code in (400, 403, 413)
            assert answer.headers["x-content-type-options"] == "nosniff"
            assert answer.headers["cache-control"] == "no-store"


def test_no_page_runs_inline_script(browser: PageClient, session_id: str) -> None:
    for path in ("/", "/screen", "/intake", "/plan", "/session", f"/session/{session_id}", "/progress", "/settings", "/lessons"):
        html = browser.get(path).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+=", html), path


# ---- body limits ------------------------------------------------------------------------


def test_an_oversize_body_is_refused_before_it_is_read(browser: PageClient, uow: Any, clock: FixedClock) -> None:
    before = everything(uow, clock)
    big = b"a" * (DEFAULT_BODY_LIMIT + 1)
    for method, url in (("POST", "/screen"), ("PUT", "/api/v1/profile"), ("POST", "/api/v1/sessions")):
        answer = browser.request(method, url, content=big, headers={"Content-Type": "application/json"})
        assert answer.status_code == 413, (url, answer.status_code)
    html = browser.post("/intake", content=big, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert html.status_code == 413 and "nothing was saved" in html.text
    assert everything(uow, clock) == before


def test_imports_may_be_larger_but_not_unbounded(browser: PageClient) -> None:
    between = b" " * (DEFAULT_BODY_LIMIT * 2) + b'{"format": "lumbo-export"}'
    answer = browser.post("/api/v1/import", content=between, headers={"Content-Type": "application/json"})
    assert answer.status_code != 413  # 2 MB is fine for an import (it is refused as a document)
    too_big = browser.post(
        "/api/v1/import", content=b" " * (IMPORT_BODY_LIMIT + 1), headers={"Content-Type": "application/json"}
    )
    assert too_big.status_code == 413 and "20 MB" in too_big.json()["detail"]


def test_a_streamed_body_is_cut_off_at_the_limit_in_bounded_memory(app: Any) -> None:
    """No Content-Length (chunked): the body is counted as it arrives and refused at the
    limit; the app stops asking for more, and holds about the limit in memory at most."""
    import anyio

    chunk = b" " * 65536
    offered = 3 * IMPORT_BODY_LIMIT // len(chunk)  # 60 MB on offer
    pulled = 0
    answer: list[Any] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": pulled < offered}

    async def send(message: dict[str, Any]) -> None:
        answer.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/api/v1/import", "raw_path": b"/api/v1/import", "query_string": b"",
        "root_path": "", "server": ("127.0.0.1", 8765), "client": ("127.0.0.1", 5000),
        "headers": [(b"host", b"127.0.0.1:8765"), (b"content-type", b"application/json"),
                    (b"transfer-encoding", b"chunked")],
    }
    # In its own thread: a browser test in the same worker may have left an event loop
    # running in this one (Playwright's sync API), and anyio.run refuses to nest.
    failures: list[BaseException] = []

    def call() -> None:
        try:
            anyio.run(app, scope, receive, send)
        except BaseException as error:  # reported below
            failures.append(error)

    tracemalloc.start()
    try:
        worker = threading.Thread(target=call)
        worker.start()
        worker.join()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not failures, failures
    assert answer[0]["type"] == "http.response.start" and answer[0]["status"] == 413
    assert pulled * len(chunk) <= IMPORT_BODY_LIMIT + len(chunk)
    assert peak < 2 * IMPORT_BODY_LIMIT, peak


# ---- cookies ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["[" * 1000, "{" * 5000, '"just a string"', "{\"a\": [1, 2]}", "%7B%22x", "null", "1" * 5000, "{\"a\":\"b\",\"a\":\"c\"}"],
)
def test_malformed_cookies_are_ignored(value: str, browser: PageClient, session_id: str) -> None:
    browser.cookies.set("lumbo_swaps", value)
    for path in ("/plan", "/session", f"/session/{session_id}"):
        answer = browser.get(path)
        assert answer.status_code == 200, (path, value[:20])


def test_a_broken_csrf_cookie_is_replaced(app: Any) -> None:
    with TestClient(app, base_url=BASE_URL) as client:
        client.cookies.set(CSRF_COOKIE, "[[[" * 100)
        answer = client.get("/screen")
        assert answer.status_code == 200
        assert f"{CSRF_COOKIE}=" in answer.headers["set-cookie"]
        assert "HttpOnly" in answer.headers["set-cookie"] and "SameSite=Strict" in answer.headers["set-cookie"]


# ---- finished sessions, dates at the edge -----------------------------------------------


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01"])
def test_dates_outside_the_range_are_refused_by_name(start: str, browser: PageClient) -> None:
    for url in (f"/api/v1/plan?start={start}", f"/download/handout.pdf?start={start}", f"/api/v1/progress?today={start}"):
        answer = browser.get(url)
        assert answer.status_code == 422, (url, answer.status_code)
    session = browser.post("/api/v1/sessions", json={"date": start})
    assert session.status_code == 422 and "date" in session.json()["detail"]
    page = browser.post("/session/start", data={"date": start, "index": "0"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/session"


def test_the_red_flag_model_is_what_the_form_fills() -> None:
    # Guards the red-flag test above: the form's questions are the model's fields.
    assert set(forms.RED_FLAG_QUESTIONS) <= set(RedFlags.model_fields)


def test_a_finished_session_cannot_be_changed_from_its_page(browser: PageClient, session_id: str) -> None:
    item = {"exercise": "glute-bridge", "variation": "glute-bridge", "completed": True, "reps": 10, "rating": "right"}
    assert browser.post(f"/api/v1/sessions/{session_id}/items", json={**item, "position": 0}).status_code == 201
    form = {"pain_before": "4", "pain_after": "3", "rating_0": "right"}
    first = browser.post(f"/session/{session_id}/finish", data=form, follow_redirects=False)
    assert first.status_code == 303
    # The same form sent again with another rating (a second tab, or Back then Send).
    again = browser.post(f"/session/{session_id}/finish", data={**form, "rating_0": "pain"}, follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/progress?finished=1"
    stored = browser.get(f"/api/v1/sessions/{session_id}").json()
    assert [logged["item"]["rating"] for logged in stored["items"]] == ["right"]
    late = browser.post(f"/api/v1/sessions/{session_id}/items", json={**item, "position": 1})
    assert late.status_code == 409 and "finished" in late.json()["detail"]


def test_the_cached_plan_page_carries_each_browser_its_own_token(app: Any, browser: PageClient) -> None:
    with PageClient(app, base_url=BASE_URL) as other:
        browser.get("/plan")  # the first view stores the plan shown, which is a commit
        first = browser.get("/plan").text
        hits = app.state.page_cache.hits
        second = other.get("/plan").text  # another browser: the same cached page
        assert app.state.page_cache.hits == hits + 1
        mine, theirs = browser.form_token(), other.form_token()
        assert mine != theirs
        assert f'value="{mine}"' in first and f'value="{theirs}"' in second
        assert "lumbo-form-token-slot" not in first + second
        # A client without cookies gets a new token each time, and still a cache hit.
        with TestClient(app, base_url=BASE_URL) as bare:
            bare.cookies.set("lumbo_swaps", "")
            before = app.state.page_cache.hits
            for _ in range(3):
                bare.cookies.clear()
                assert bare.get("/plan").status_code == 200
        assert app.state.page_cache.hits >= before + 2
        assert other.post("/plan/swap", data={}, follow_redirects=False).status_code in (303, 422)
