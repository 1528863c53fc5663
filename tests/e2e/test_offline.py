"""Installable and offline, in a real browser: the service worker keeps the plan and the opened
session, results wait in IndexedDB while offline and reach the server in order once back
online; "delete everything" clears this browser too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.e2e.conftest import Server
from tests.e2e.test_player_floor import PROFILE

pytestmark = pytest.mark.browser

WORKER_READY = "navigator.serviceWorker.ready.then((r) => Boolean(r.active))"
PAGE_KEPT = "(path) => caches.open('lumbo-pages').then((c) => c.match(path)).then(Boolean)"
CACHED_URLS = """
async () => { const urls = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) urls.push(request.url); }
  return urls; }
"""
QUEUED = """() => new Promise((resolve) => {
  const req = indexedDB.open("lumbo");
  req.onsuccess = () => {
    const db = req.result;
    if (!db.objectStoreNames.contains("queue")) { db.close(); resolve(0); return; }
    const count = db.transaction("queue").objectStore("queue").count();
    count.onsuccess = () => { db.close(); resolve(count.result); };
  };
})"""


@pytest.fixture
def context(browser: Any, server: Server) -> Iterator[Any]:
    """A fresh browser profile; no request may leave the machine and no script may fail."""
    new_context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    errors: list[str] = []

    def watch(request: Any) -> None:
        if not request.url.startswith((server.url, "data:")):
            outside.append(request.url)

    new_context.on("request", watch)
    new_context.on("page", lambda page: page.on("pageerror", lambda error: errors.append(str(error))))
    yield new_context
    new_context.close()
    assert not outside, f"requests left the machine: {outside}"
    assert not errors, f"JavaScript errors: {errors}"


# Playwright's wait_for_function gets functions, never bare expressions: those it evaluates with
# eval(), which lumbo's CSP (rightly) refuses.
# The profile through the API (the intake form is tested in test_browser.py): every day a
# session, a few minutes long.


def plan_then_session(page: Any, server: Server) -> str:
    """A plan (screen and profile through the API), its page, then today's session opened."""
    assert httpx.post(f"{server.url}/api/v1/screen", json={}).status_code == 200
    assert httpx.put(f"{server.url}/api/v1/profile", json=PROFILE).json()["referral"] is None
    page.goto("/plan")
    assert page.locator("h1").inner_text() == "Your plan for the week"
    assert page.evaluate(WORKER_READY)
    page.wait_for_function(PAGE_KEPT, arg="/plan")
    page.locator(".day.today >> text=Start this session").first.click()
    page.wait_for_url("**/session/*")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    path = page.evaluate("location.pathname")
    page.wait_for_function(PAGE_KEPT, arg=path)
    return str(path).rsplit("/", 1)[1]


def test_the_manifest_and_worker_are_served_for_the_whole_site(server: Server) -> None:
    manifest = httpx.get(server.url + "/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    body = manifest.json()
    assert body["start_url"] == "/plan" and body["display"] == "standalone"
    assert {"192x192", "512x512", "any"} <= {icon["sizes"] for icon in body["icons"]}
    for icon in body["icons"]:
        assert httpx.get(server.url + icon["src"]).status_code == 200, icon["src"]
    worker = httpx.get(server.url + "/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["service-worker-allowed"] == "/"
    assert "__LUMBO_" not in worker.text and "/static/player.js" in worker.text
    assert "script-src 'self'" in worker.headers["content-security-policy"]


def test_a_whole_session_offline_reaches_the_server_in_order_once_back_online(
    context: Any, server: Server
) -> None:
    page = context.new_page()
    session_id = plan_then_session(page, server)
    items_url = f"{server.url}/api/v1/sessions/{session_id}/items"
    expected = len(json.loads(page.locator("#session-data").text_content() or "{}")["items"])
    assert expected >= 1
    # The positions sent once back online, in order. (Playwright reports no "requestfinished"
    # for a request of a page a service worker controls, so the requests are counted: the
    # queue sends one at a time, each after the answer to the one before.)
    sent_online: list[int] = []
    online = {"again": False}
    page.on(
        "request",
        lambda request: (
            sent_online.append(json.loads(request.post_data or "{}")["position"])
            if online["again"] and request.method == "POST" and request.url == items_url
            else None
        ),
    )

    context.set_offline(True)
    if page.locator("#pain-start").count():
        page.fill("#pain-start", "3")
    page.click("#btn-begin")
    page.wait_for_selector("#p-finish:not([hidden])", timeout=90_000)
    banner = page.locator("#offline-banner p")
    waits = "1 result waits" if expected == 1 else f"{expected} results wait"
    page.wait_for_function(
        "(text) => document.querySelector('#offline-banner p').textContent.includes(text)", arg=waits
    )
    assert "You are offline" in banner.inner_text()
    assert page.evaluate(QUEUED) == expected
    assert httpx.get(f"{server.url}/api/v1/sessions/{session_id}").json()["items"] == []

    # Offline, the plan and the session still open (from the worker's copies), figures too.
    page.goto("/plan")
    assert page.locator("h1").inner_text() == "Your plan for the week"
    figures = page.evaluate(
        "Array.from(document.querySelectorAll('img[src^=\"/figures/\"]'), (i) => i.getAttribute('src'))"
    )
    assert figures
    answered = page.evaluate("(all) => Promise.all(all.map((f) => fetch(f).then((r) => r.ok)))", figures)
    assert all(answered), dict(zip(figures, answered, strict=True))
    page.goto(f"/session/{session_id}")
    page.reload()
    page.wait_for_selector("#p-finish:not([hidden])")
    assert banner.inner_text().startswith("You are offline")
    page.locator("#finish-form button[type=submit]:visible").first.click()
    page.wait_for_selector("#finish-saved:not([hidden])")
    assert "offline" in page.inner_text("#finish-saved")
    assert page.url.endswith(f"/session/{session_id}")

    online["again"] = True
    context.set_offline(False)
    page.wait_for_function(f"() => ({QUEUED})().then((n) => n === 0)", timeout=20_000)
    page.wait_for_function("() => document.querySelector('#offline-banner p').hidden")
    logged = httpx.get(f"{server.url}/api/v1/sessions/{session_id}").json()["items"]
    assert [entry["position"] for entry in logged] == list(range(expected))
    assert sent_online == list(range(expected)), sent_online  # in order, each once
    stamps = [entry["logged_at"] for entry in logged]
    assert stamps == sorted(stamps)


def test_delete_everything_clears_the_browser_and_lands_on_the_welcome_page(
    context: Any, server: Server
) -> None:
    page = context.new_page()
    session_id = plan_then_session(page, server)
    page.goto("/settings")
    # Something waiting in each place this browser keeps lumbo's data.
    page.evaluate(
        """async (id) => {
          const offline = await import("/static/offline.js");
          await offline.enqueue({ position: 0, exercise: "x" }, `/api/v1/sessions/${id}/items`);
          localStorage.setItem(`lumbo-pain-${id}`, "3");
          localStorage.setItem(`lumbo-queue-${id}`, "[]");
        }""",
        session_id,
    )
    assert page.evaluate(QUEUED) == 1
    assert page.evaluate("caches.keys()")
    page.fill("#confirm", "delete everything")
    page.click("text=Delete all my data")
    page.wait_for_url("**/?deleted=1")
    assert page.evaluate("location.pathname") == "/"
    assert "Everything has been deleted" in page.inner_text("#deleted-note")
    page.wait_for_function("() => document.documentElement.dataset.lumboForgotten === 'yes'")
    page.wait_for_timeout(300)  # late requests (icon, manifest) must not bring a cache back
    assert page.evaluate("indexedDB.databases().then((all) => all.map((db) => db.name))") == []
    # The service worker may fetch the app's own files again for the welcome page it is on
    # (static files hold nothing personal); no page and no API answer may be left.
    kept = page.evaluate(CACHED_URLS)
    personal = [
        url for url in kept
        if urlsplit(url).path not in ("/", "/sw.js", "/manifest.webmanifest")
        and not urlsplit(url).path.startswith(("/static/", "/figures/"))
    ]
    assert personal == [], kept
    assert page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('lumbo'))") == []
    assert httpx.get(f"{server.url}/api/v1/profile").status_code == 404


def test_results_left_in_the_old_local_storage_queue_are_moved_and_sent(context: Any, server: Server) -> None:
    page = context.new_page()
    session_id = plan_then_session(page, server)
    first = json.loads(page.locator("#session-data").text_content() or "{}")["items"][0]
    result = {
        "exercise": first["exercise"],
        "variation": first["variation"],
        "position": first["position"],
        "completed": True,
        "sets": first["sets"],
        "hold_seconds": first["hold_seconds"],
        "reps": first["reps"],
        "rating": "right",
    }
    page.evaluate(
        "([id, result]) => localStorage.setItem(`lumbo-queue-${id}`, JSON.stringify([result]))",
        [session_id, result],
    )
    page.reload()
    page.wait_for_function(f"() => ({QUEUED})().then((n) => n === 0)", timeout=20_000)
    assert page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('lumbo-queue-'))") == []
    logged = httpx.get(f"{server.url}/api/v1/sessions/{session_id}").json()["items"]
    assert [entry["position"] for entry in logged] == [first["position"]]
    assert logged[0]["item"]["completed"] is True
