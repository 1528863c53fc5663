"""Attacks from other websites, in a real browser: a page on another origin posts to lumbo,
and a rebound host name tries to read it. Nothing may change and nothing may be read."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server, free_port
from tests.e2e.test_browser import answer_screen

pytestmark = pytest.mark.browser


@pytest.fixture
def evil_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A web server on another port of this machine (another origin, same site)."""
    folder = tmp_path / "evil"
    folder.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    port = free_port()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", folder
    httpd.shutdown()
    httpd.server_close()


def _latest_referred(server: Server) -> bool:
    plan = httpx.get(server.url + "/api/v1/plan").json()
    return bool(plan["status"] == "refer")


def test_a_page_on_another_origin_cannot_clear_a_red_flag_or_delete(
    browser: Any, server: Server, evil_site: tuple[str, Path]
) -> None:
    evil_url, folder = evil_site
    context = browser.new_context(base_url=server.url, viewport={"width": 360, "height": 640})
    page = context.new_page()
    page.set_default_timeout(15000)
    # The person answers the screen with a red flag in lumbo itself.
    answer_screen(page, yes=("bladder_or_bowel_change",))
    assert page.locator("h1").inner_text() == "Please get medical help now"
    assert _latest_referred(server)

    # Then visits a page that posts "no" to every question, and one that posts a delete.
    fields = "".join(
        f'<input type="hidden" name="{name}" value="no">'
        for name in (
            "saddle_numbness", "bladder_or_bowel_change", "leg_weakness_worsening", "major_trauma",
            "fever_or_unwell", "unexplained_weight_loss", "history_of_cancer", "night_pain_unrelenting",
        )
    )
    (folder / "screen.html").write_text(
        f'<form id="f" method="post" action="{server.url}/screen">{fields}</form>'
        '<script>document.getElementById("f").submit()</script>'
    )
    page.goto(evil_url + "/screen.html")
    page.wait_for_url(server.url + "/screen")
    assert page.locator("h1").inner_text() == "Not sent from lumbo"
    assert "Nothing was changed" in page.locator("main").inner_text()
    page.screenshot(path=str(folder / "refused.png"))
    assert _latest_referred(server)

    (folder / "delete.html").write_text(
        f'<form id="f" method="post" action="{server.url}/settings/delete">'
        '<input type="hidden" name="confirm" value="delete everything"></form>'
        '<script>document.getElementById("f").submit()</script>'
    )
    page.goto(evil_url + "/delete.html")
    page.wait_for_url(server.url + "/settings/delete")
    assert page.locator("h1").inner_text() == "Not sent from lumbo"

    # A script on the evil page tries the API: JSON needs a preflight lumbo never approves,
    # and a "simple" no-cors post is refused.
    (folder / "api.html").write_text("<p>hello</p>")
    page.goto(evil_url + "/api.html")
    outcome = page.evaluate(
        """async (base) => {
            const results = [];
            try {
                await fetch(base + "/api/v1/data", {method: "DELETE",
                    headers: {"Content-Type": "application/json"},
                    body: JSON.stringify({confirm: "delete everything"})});
                results.push("delete answered");
            } catch (e) { results.push("delete blocked"); }
            try {
                await fetch(base + "/api/v1/screen", {method: "POST", mode: "no-cors",
                    headers: {"Content-Type": "text/plain"}, body: "{}"});
                results.push("screen sent");
            } catch (e) { results.push("screen blocked"); }
            try {
                const r = await fetch(base + "/api/v1/export");
                results.push("export read " + (await r.text()).length);
            } catch (e) { results.push("export blocked"); }
            return results;
        }""",
        server.url,
    )
    assert outcome[0] == "delete blocked" and outcome[2] == "export blocked", outcome
    assert _latest_referred(server)
    assert httpx.get(server.url + "/api/v1/export").json()["screens"], "the data is still there"
    context.close()


def test_a_rebound_host_name_cannot_read_lumbo(browser: Any, server: Server) -> None:
    """DNS rebinding: the attacker's name resolves to 127.0.0.1; lumbo must not answer it."""
    rebinding = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP evil.test 127.0.0.1"],
    )
    try:
        page = rebinding.new_page()
        answer = page.goto(f"http://evil.test:{server.port}/api/v1/export")
        assert answer is not None and answer.status == 400
        assert "LUMBO_ALLOWED_HOSTS" in page.content()
        same = page.goto(f"http://127.0.0.1:{server.port}/api/v1/export")
        assert same is not None and same.status == 200
    finally:
        rebinding.close()
