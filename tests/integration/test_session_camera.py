"""The session page and the camera coach (issue 13): each item carries its rule or null, the
switch is in the page (hidden until the player shows it), the page works whatever the rules
do, the player's scripts load nothing from the vendored folder up front, and the service
worker keeps the vendored files only once they are used."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lumbo.web.pages import session as session_page
from lumbo.web.pages.offline import worker_source
from tests.integration.test_pages import check_page, intake_ok, start_session
from tests.seeds import seed_index

STATIC = Path(__file__).resolve().parents[2] / "src" / "lumbo" / "web" / "static"
CAMERA_SCRIPTS = [STATIC / "player.js", STATIC / "camera" / "coach_ui.js"]

RULE: dict[str, Any] = {
    "exercise": "any",
    "view": "three_quarter",
    "placement": "Put your phone on the floor about two metres away, level with your hips.",
    "distance_m": 2,
    "side": "visible",
    "needs": ["shoulder", "hip", "ankle"],
    "measures": {"line": {"kind": "offset", "points": ["shoulder", "hip", "ankle"]}},
    "position": [{"measure": "line", "min": -20, "max": 20}],
    "rep": None,
    "faults": [],
}


def session_data(client: TestClient) -> tuple[str, dict[str, Any]]:
    intake_ok(client)
    return start_session(client)


def test_each_item_carries_its_compiled_rule_or_null(client: TestClient) -> None:
    rules = session_page.camera_rules()
    _, data = session_data(client)
    assert data["items"]
    for item in data["items"]:
        assert "camera" in item
        assert item["camera"] == rules.get(item["variation"])
        if item["camera"] is not None:
            assert item["camera"]["placement"] and item["camera"]["needs"]


def test_an_item_with_a_rule_gets_it_and_the_switch_is_in_the_page(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    intake_ok(client)
    _, plain = start_session(client)
    first = plain["items"][0]["variation"]
    monkeypatch.setattr(session_page, "camera_rules", lambda: {first: RULE})
    session_id, data = start_session(client)
    assert data["items"][0]["camera"] == RULE
    assert all(item["camera"] is None for item in data["items"][1:] if item["variation"] != first)
    html = client.get(f"/session/{session_id}").text
    check_page(html)
    # The switch and the privacy line: hidden until the player shows them (it needs JavaScript).
    assert re.search(r'<fieldset class="plain camera-choice" id="camera-choice" hidden>', html)
    assert re.search(r'<input type="checkbox" role="switch" id="opt-camera"[^>]*>\s*Use camera', html)
    assert "The picture stays on this device: nothing is recorded or sent." in html
    assert re.search(r'<div class="camera-view" id="c-view" hidden>', html)
    assert "Start without camera" in html
    assert "/static/vendor/" not in html


def test_the_page_plays_without_the_camera_when_the_rules_cannot_be_compiled(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lumbo.domain.camera as camera

    def broken(*args: object) -> Mapping[str, Any]:
        raise ValueError("a broken camera section")

    monkeypatch.setattr(camera, "camera_rules", broken)
    session_page.camera_rules.cache_clear()
    try:
        _, data = session_data(client)
        assert data["items"] and all(item["camera"] is None for item in data["items"])
    finally:
        session_page.camera_rules.cache_clear()


def test_the_player_loads_the_tracker_and_the_model_only_when_the_camera_starts() -> None:
    for path in CAMERA_SCRIPTS:
        text = path.read_text(encoding="utf-8")
        assert "/static/vendor/" not in text, path.name
        assert not re.search(r"https?://", text), path.name
        # Static imports: offline.js and the camera UI; the tracker and the rules come later.
        static = re.findall(r'^import .* from "([^"]+)";', text, re.M)
        assert all(name in {"./offline.js", "./camera/coach_ui.js"} for name in static), static
    coach = (STATIC / "camera" / "coach_ui.js").read_text(encoding="utf-8")
    assert 'import("./tracker.js")' in coach and 'import("./rules.js")' in coach


def test_the_worker_keeps_vendored_files_when_first_used_never_up_front() -> None:
    source = worker_source()
    shell = re.search(r"const SHELL = JSON.parse\('(.*?)'\);", source)
    assert shell
    assert "/static/camera/coach_ui.js" in shell.group(1)
    assert "vendor" not in shell.group(1)  # not precached
    assert 'const VENDOR_CACHE = "lumbo-vendor"' in source
    assert "event.respondWith(vendorFile(event, url))" in source


def test_the_camera_texts_share_no_eight_word_run_with_the_seeds() -> None:
    index = seed_index()
    for path in CAMERA_SCRIPTS:
        assert index.shared_runs(path.read_text(encoding="utf-8")) == [], path.name
