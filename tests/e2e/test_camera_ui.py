"""The camera coach in the session player, in a real browser (issue 13, "In the player").

Chromium runs with a fake camera (``--use-fake-device-for-media-stream``: a test pattern, no
person) and a fake permission prompt that says yes. The tests add a hand-written camera rule
to the first item of the page (so they do not depend on the catalogue's rules) and check the
UI: the switch (off by default, remembered, the permission asked only when switched on, a
refusal said plainly), the set-up screen (placement, live preview, waiting until the whole
body is in view, "Start without camera"), the camera stopped on pause, exit and at the end of
the item, and no request under /static/vendor/ on a plain player view.

The hold timer's gate and the spoken lines are checked with a stand-in tracker that sends
hand-made landmarks (``FAKE_TRACKER``), and the real rule evaluator (rules.js).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server, _need_chromium, keep_local
from tests.e2e.test_player_floor import SPEECH_STUB, open_session, spoken_for

pytestmark = pytest.mark.browser

FAKE_MEDIA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
PHONE = {"width": 360, "height": 640}
LAPTOP = {"width": 1280, "height": 800}
PLACEMENT = "Put your phone on the floor about two metres away, level with your hips."

# A plank-like rule in the contract's shape: the body near horizontal and the
# shoulder-hip-ankle line nearly straight; sagging hips are a fault.
PLANK_RULE: dict[str, Any] = {
    "exercise": "core-bracing",
    "view": "three_quarter",
    "placement": PLACEMENT,
    "distance_m": 2,
    "side": "visible",
    "needs": ["shoulder", "hip", "ankle"],
    "measures": {
        "body": {"kind": "tilt", "points": ["mid_hip", "mid_shoulder"]},
        "line": {"kind": "offset", "points": ["shoulder", "hip", "ankle"]},
    },
    "position": [{"measure": "body", "min": 60, "max": 120}, {"measure": "line", "min": -25, "max": 20}],
    "rep": None,
    "faults": [
        {"id": "hips-sag", "measure": "line", "below": -8, "when": "hold", "cue": "Lift your hips a little."}
    ],
}

# Records every stream the page opens, so a test can see whether a camera track is live.
STREAMS = """
window.streams = [];
window.cameraAsks = 0;
if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
  const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    window.cameraAsks += 1;
    const stream = await real(constraints);
    window.streams.push(stream);
    return stream;
  };
}
window.liveTracks = () => window.streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === "live").length;
"""


HIDE_TAB = """(() => {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "STATE" });
  document.dispatchEvent(new Event("visibilitychange"));
})()"""


def refusing(name: str) -> str:
    """The camera refused (NotAllowedError) or missing (NotFoundError)."""
    return f"""
window.cameraAsks = 0;
navigator.mediaDevices.getUserMedia = async () => {{
  window.cameraAsks += 1;
  throw new DOMException("no", {name!r});
}};
"""


# A stand-in for tracker.js: the real camera, and landmarks made from window.fakePose
# ("plank", "sag", "standing", or null for nobody) every 80 ms.
FAKE_TRACKER = """
export async function openCamera(video) {
  const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
  video.muted = true;
  video.srcObject = stream;
  await video.play().catch(() => undefined);
  return stream;
}
const SHAPES = {
  plank: { shoulder: [-0.5, 0], hip: [0, 0], ankle: [0.9, 0] },
  sag: { shoulder: [-0.5, 0], hip: [0, 0.1], ankle: [0.9, 0] },
  standing: { shoulder: [0, -0.5], hip: [0, 0], ankle: [0, 0.9] },
};
const INDEX = { shoulder: [11, 12], hip: [23, 24], ankle: [27, 28] };
function world(shape) {
  const points = Array.from({ length: 33 }, () => ({ x: 0, y: 0, z: 0, visibility: 0.9 }));
  for (const [name, [x, y]] of Object.entries(shape)) {
    const [left, right] = INDEX[name];
    points[left] = { x, y, z: -0.1, visibility: 0.95 };
    points[right] = { x, y, z: 0.1, visibility: 0.9 };
  }
  return points;
}
export async function startTracker(video, { onFrame }) {
  window.trackerStarts = (window.trackerStarts || 0) + 1;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    const shape = SHAPES[window.fakePose];
    const points = shape ? world(shape) : null;
    const image = points && points.map((p) => ({ x: 0.5 + p.x * 0.4, y: 0.5 + p.y * 0.4, z: 0, visibility: p.visibility }));
    onFrame({ t: performance.now(), world: points, image, ms: 5 });
    setTimeout(tick, 80);
  };
  setTimeout(tick, 80);
  return { stop() { stopped = true; }, stats() { return { frames: 0 }; } };
}
"""


@pytest.fixture(scope="module")
def camera_browser(browser: Any) -> Iterator[Any]:
    """A second Chromium with the fake camera, from the same Playwright as the shared one
    (a second sync Playwright in the same process is refused)."""
    _need_chromium()
    launched = browser.browser_type.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *FAKE_MEDIA])
    yield launched
    launched.close()


def with_camera_rules(html: str, rules: dict[Any, dict[str, Any]], timer_scale: float | None) -> str:
    found = re.search(r'(<script type="application/json" id="session-data">)(.*?)(</script>)', html, re.S)
    assert found
    data = json.loads(found.group(2))
    for item in data["items"]:
        item["camera"] = rules.get(item["position"], rules.get(item["name"]))
    if timer_scale is not None:
        data["timerScale"] = timer_scale
    return html[: found.start(2)] + json.dumps(data).replace("<", "\\u003c") + html[found.end(2) :]


class Player:
    """One browser context on today's session, recording requests and spoken lines."""

    def __init__(self, page: Any, requests: list[Any], outside: list[str]) -> None:
        self.page = page
        self.requests = requests
        self.outside = outside

    def urls(self) -> list[str]:
        return [request.url for request in self.requests]

    def vendor_requests(self) -> list[str]:
        return [url for url in self.urls() if "/static/vendor/" in url]


@pytest.fixture
def player(camera_browser: Any, server: Server) -> Iterator[Any]:
    contexts: list[Any] = []
    errors: list[str] = []
    session_id = open_session(server)

    def start(
        viewport: dict[str, int] = PHONE,
        rules: dict[Any, dict[str, Any]] | None = None,
        script: str = STREAMS,
        tracker: str | None = None,
        timer_scale: float | None = None,
        **options: Any,
    ) -> Player:
        # Service workers blocked: every request of the page is seen (and routed) here.
        context = camera_browser.new_context(
            base_url=server.url, viewport=viewport, service_workers="block", **options
        )
        contexts.append(context)
        outside: list[str] = []
        keep_local(context, server.url, outside)
        if rules is not None:

            def page_with_rules(route: Any) -> None:
                response = route.fetch()
                route.fulfill(response=response, body=with_camera_rules(response.text(), rules, timer_scale))

            context.route(f"**/session/{session_id}", page_with_rules)
        if tracker is not None:
            context.route(
                "**/static/camera/tracker.js",
                lambda route: route.fulfill(body=tracker, content_type="text/javascript"),
            )
        page = context.new_page()
        requests: list[Any] = []
        page.on("request", lambda request: requests.append(request))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.add_init_script(SPEECH_STUB + script)
        page.goto(f"/session/{session_id}")
        until(page, "document.getElementById('btn-begin') !== null")
        return Player(page, requests, outside)

    yield start
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"


def until(page: Any, condition: str, timeout: int = 15_000) -> None:
    """Polls `condition` (JS) until it holds (wait_for_function would eval, which the CSP forbids)."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(condition):
        if time.monotonic() > deadline:
            raise AssertionError(f"never true: {condition}")
        page.wait_for_timeout(50)


def phase_is(text: str) -> str:
    return f"document.getElementById('p-phase').textContent === {text!r}"


def controls_in_view(page: Any, viewport: dict[str, int]) -> None:
    for selector in ("#btn-hurts", "#btn-pause", "#btn-skip"):
        box = page.locator(selector).bounding_box()
        assert box is not None, selector
        assert box["height"] >= 48, (selector, box)
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] + 0.5, (selector, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 0.5, (selector, box)
    assert page.evaluate("document.documentElement.scrollHeight") <= viewport["height"]


def item_posted(request: Any) -> bool:
    return bool(request.method == "POST" and request.url.endswith("/items"))


def switch_on(page: Any) -> None:
    until(page, "!document.getElementById('camera-choice').hidden")
    page.get_by_role("switch", name="Use camera").check()
    until(page, "window.streams.length === 1 && window.liveTracks() === 0")
    assert page.get_by_role("switch", name="Use camera").is_checked()


def test_without_rules_there_is_no_switch_and_no_camera(player: Any) -> None:
    plain = player(rules={})  # whatever the catalogue says: no item has a rule
    page = plain.page
    until(page, "document.getElementById('opt-beep') !== null")
    page.wait_for_timeout(300)  # the player's module has run
    assert page.locator("#camera-choice").is_hidden()
    page.click("#btn-begin")
    until(page, phase_is("Hold"))
    assert page.evaluate("window.cameraAsks") == 0
    assert page.locator("#c-view").is_hidden() and page.locator("#c-setup").is_hidden()
    assert not plain.vendor_requests()


def test_the_switch_is_off_by_default_and_a_plain_view_loads_no_model(player: Any) -> None:
    plain = player(rules={0: PLANK_RULE})
    page = plain.page
    until(page, "!document.getElementById('camera-choice').hidden")
    switch = page.get_by_role("switch", name="Use camera")
    assert switch.is_visible() and not switch.is_checked()
    assert "The picture stays on this device: nothing is recorded or sent." in page.inner_text(
        "#camera-choice"
    )
    page.click("#btn-begin")
    until(page, phase_is("Hold"))  # as before: no set-up screen, the clock runs
    until(page, "document.getElementById('p-clock').textContent !== '10'")
    assert page.evaluate("window.cameraAsks") == 0  # no permission prompt while off
    assert page.locator("#c-view").is_hidden()
    assert not plain.vendor_requests(), plain.vendor_requests()
    assert not [url for url in plain.urls() if url.endswith(("/camera/tracker.js", "/camera/rules.js"))]


def test_switching_on_asks_once_and_is_remembered(player: Any) -> None:
    first = player(rules={0: PLANK_RULE})
    page = first.page
    switch_on(page)
    assert page.evaluate("window.liveTracks()") == 0  # asked, then let go at once
    assert page.locator("#camera-note").is_hidden()
    page.reload()
    until(page, "!document.getElementById('camera-choice').hidden")
    assert page.get_by_role("switch", name="Use camera").is_checked()
    assert page.evaluate("window.cameraAsks") == 0  # remembered: nothing asked on load
    page.get_by_role("switch", name="Use camera").uncheck()
    page.reload()
    until(page, "!document.getElementById('camera-choice').hidden")
    assert not page.get_by_role("switch", name="Use camera").is_checked()
    assert not first.vendor_requests()


@pytest.mark.parametrize(
    ("error", "words"),
    [("NotAllowedError", "The camera was not allowed"), ("NotFoundError", "No camera was found")],
)
def test_a_refused_or_missing_camera_is_said_plainly_and_the_session_goes_on(
    player: Any, error: str, words: str
) -> None:
    refused = player(rules={0: PLANK_RULE}, script=refusing(error))
    page = refused.page
    until(page, "!document.getElementById('camera-choice').hidden")
    page.get_by_role("switch", name="Use camera").click()
    until(page, "!document.getElementById('camera-note').hidden")
    assert words in page.inner_text("#camera-note")
    assert "goes on without it" in page.inner_text("#camera-note")
    assert not page.get_by_role("switch", name="Use camera").is_checked()
    page.click("#btn-begin")
    until(page, phase_is("Hold"))
    assert page.locator("#c-setup").is_hidden()


def test_the_set_up_screen_waits_for_the_whole_body_and_can_start_without(player: Any, tmp_path: Any) -> None:
    """The real tracker on the fake camera's test pattern: nobody is ever in view."""
    coach = player(rules={0: PLANK_RULE})
    page = coach.page
    switch_on(page)
    page.click("#btn-begin")
    until(page, "!document.getElementById('c-setup').hidden")
    assert page.inner_text("#c-place") == PLACEMENT
    assert page.inner_text("#c-wait") == "Waiting until your whole body is in view…"
    until(page, "window.liveTracks() === 1 && document.getElementById('c-video').readyState >= 2")
    assert page.locator("#c-view").is_visible() and page.locator("#p-figure").is_hidden()
    # Mirrored, like a mirror.
    assert (
        page.eval_on_selector("#c-video", "el => getComputedStyle(el).transform")
        == "matrix(-1, 0, 0, 1, 0, 0)"
    )
    controls_in_view(page, PHONE)
    page.screenshot(path=str(tmp_path / "camera-set-up-360x640.png"))
    # The model loads now that the camera is on, and nobody is found: it keeps waiting.
    until(page, "document.getElementById('c-badge').textContent === 'Not in view'", 30_000)
    assert any(url.endswith(".task") for url in coach.vendor_requests()), coach.vendor_requests()
    page.wait_for_timeout(1500)
    assert page.locator("#c-setup").is_visible() and page.evaluate(phase_is("Set up"))
    spoken = page.evaluate("window.spoken")
    assert PLACEMENT in spoken

    page.get_by_role("button", name="Start without camera").click()
    until(page, phase_is("Hold"), 20_000)
    assert page.evaluate("window.liveTracks()") == 0  # every track stopped
    assert page.locator("#c-view").is_hidden() and page.locator("#c-setup").is_hidden()
    until(page, "document.getElementById('p-clock').textContent !== '10'")  # runs as without camera
    controls_in_view(page, PHONE)
    # Nothing but the lumbo server was asked, and no picture was ever sent to it.
    assert not coach.outside
    for request in coach.requests:
        body = request.post_data_buffer or b""
        assert len(body) < 4000 and b"data:image" not in body, request.url


def test_pause_and_exit_stop_the_camera_and_resume_starts_it_again(player: Any) -> None:
    coach = player(viewport=LAPTOP, rules={0: PLANK_RULE}, tracker=FAKE_TRACKER)
    page = coach.page
    switch_on(page)
    page.click("#btn-begin")
    until(page, "!document.getElementById('c-setup').hidden && window.liveTracks() === 1")
    page.get_by_role("button", name="Pause").click()
    until(page, "window.liveTracks() === 0")
    page.get_by_role("button", name="Resume").click()
    until(page, "window.liveTracks() === 1")
    page.click("text=Exit")
    assert page.locator("#exit-dialog").is_visible()
    until(page, "window.liveTracks() === 0")  # asking to leave pauses: the camera is off
    page.get_by_role("button", name="Stay").click()
    until(page, "window.liveTracks() === 1")
    controls_in_view(page, LAPTOP)
    # A hidden tab (another app on the phone) turns the camera off; back in view, on again.
    page.evaluate(HIDE_TAB.replace("STATE", "hidden"))
    until(page, "window.liveTracks() === 0")
    page.evaluate(HIDE_TAB.replace("STATE", "visible"))
    until(page, "window.liveTracks() === 1")
    page.get_by_role("button", name="Skip").click()  # the item ends: so does the camera
    until(page, "window.liveTracks() === 0 && document.getElementById('c-view').hidden")


def test_the_hold_runs_only_in_position_and_the_coach_speaks(player: Any) -> None:
    """The first item holds 10 s (real seconds here); the stand-in tracker moves the person."""
    coach = player(rules={0: PLANK_RULE}, tracker=FAKE_TRACKER, timer_scale=1)
    page = coach.page
    switch_on(page)
    page.click("#btn-begin")
    until(page, "!document.getElementById('c-setup').hidden")
    page.evaluate("window.fakePose = 'standing'")  # in view: the set-up lets go after a second
    until(page, phase_is("Get into position"), 20_000)
    clock = "document.getElementById('p-clock').textContent"
    page.wait_for_timeout(1200)
    assert page.evaluate(clock) == "10"  # not in position: the hold waits
    page.evaluate("window.fakePose = 'plank'")
    until(page, phase_is("Hold") + f" && {clock} === '9'")
    # On a phone: the preview in the figure's place, the number and the controls in view.
    assert page.locator("#c-view").is_visible() and page.locator("#c-badge").inner_text() == "In position"
    controls_in_view(page, PHONE)
    number = page.locator("#p-clock").bounding_box()
    assert number and number["y"] >= 0 and number["y"] + number["height"] <= PHONE["height"]
    assert page.eval_on_selector("#p-clock", "el => parseFloat(getComputedStyle(el).fontSize)") >= 0.25 * 640
    page.evaluate("window.fakePose = 'sag'")  # still in position, but the hips sag
    until(page, "window.spoken.includes('Lift your hips a little.')")
    page.evaluate("window.fakePose = 'plank'")
    until(page, f"Number({clock}) <= 4", 10_000)  # the coach says at most a line in 4 s
    page.evaluate("window.fakePose = 'standing'")
    until(page, phase_is("Back into position"))
    until(page, "window.spoken.some((line) => line.startsWith('Back into position.'))")
    shown = page.evaluate(clock)
    page.wait_for_timeout(1000)
    assert page.evaluate(clock) == shown  # lost: the clock waits
    assert page.locator("#c-badge").inner_text() == "Not in position"
    with page.expect_request(item_posted) as sent:
        page.evaluate("window.fakePose = 'plank'")
    assert sent.value.response().ok
    result = json.loads(sent.value.post_data or "{}")
    assert result["position"] == 0 and result["completed"] is True and result["hold_seconds"] == 10
    assert result["measured"] is True
    assert 0 < result["form_score"] < 1
    assert result["faults"] == ["hips-sag"]
    assert page.evaluate("window.liveTracks()") == 0
    assert not coach.vendor_requests()  # the stand-in tracker loads no model


# Reps: a rep takes the line from straight (0) past -5 down past -12 (the hips dipping) and back.
REP_RULE: dict[str, Any] = {
    **PLANK_RULE,
    "exercise": "hip-90-90",
    "position": [{"measure": "body", "min": 60, "max": 120}],
    "rep": {"measure": "line", "start": -5, "end": -12},
    "faults": [],
}


def test_the_camera_counts_the_reps_not_the_pace_clock(player: Any) -> None:
    """Hip 90-90: 8 reps each side (its pace clock alone would finish a side in half a second
    at the tests' timer speed)."""
    coach = player(viewport=LAPTOP, rules={"Hip 90-90": REP_RULE}, tracker=FAKE_TRACKER)
    page = coach.page
    switch_on(page)
    page.click("#btn-begin")
    name = "document.getElementById('p-name').textContent === 'Hip 90-90'"
    until(page, f"{name} && !document.getElementById('c-setup').hidden", 30_000)
    page.evaluate("window.fakePose = 'plank'")
    until(page, f"{name} && " + phase_is("Reps"), 20_000)
    clock = "document.getElementById('p-clock').textContent"
    page.wait_for_timeout(1000)
    # Nothing done, nothing counted.
    assert page.evaluate(clock) == "0" and page.inner_text("#p-unit") == "of 8"
    for side in ("left", "right"):
        until(page, f"document.getElementById('p-side').textContent.startsWith('Now: {side} side')", 20_000)
        until(page, phase_is("Reps"), 20_000)
        for rep in range(1, 9):
            page.evaluate("window.fakePose = 'sag'")
            page.wait_for_timeout(600)  # several frames (a loaded machine may slow them)
            page.evaluate("window.fakePose = 'plank'")
            until(page, f"{clock} === '{rep}' || !({name})", 5_000)
            if rep < 8:
                assert page.evaluate(clock) == str(rep), (side, rep)
    until(page, f"!({name})", 20_000)
    until(page, "document.getElementById('p-saved').textContent === 'Saved.'")
    posted = [json.loads(r.post_data or "{}") for r in coach.requests if item_posted(r)]
    result = next(result for result in posted if result["variation"] == "hip-90-90")
    assert result["reps"] == 8 and result["sets"] == 1 and result["completed"] is True
    assert result["measured"] is True and result["faults"] == [] and 0 < result["form_score"] <= 1
    spoken = spoken_for(page.evaluate("window.spoken"), "Hip 90-90")
    # Each rep done is counted aloud, the seventh as "Last one."; on both sides.
    counted = [line for line in spoken if line in {"1", "2", "3", "4", "5", "6", "7", "8", "Last one."}]
    assert counted == [*"123456", "Last one.", *"123456", "Last one."], counted


VENDOR_KEPT = """async () => {
  const cache = await caches.open("lumbo-vendor");
  return (await cache.keys()).map((request) => new URL(request.url).pathname).sort();
}"""


def test_the_model_is_kept_when_first_used_so_the_coach_works_offline(
    camera_browser: Any, server: Server
) -> None:
    """With the service worker: the vendored files are not fetched up front, kept once the
    coach has loaded them, and the coach then starts with no connection."""
    from tests.e2e.test_offline import plan_then_session

    context = camera_browser.new_context(base_url=server.url, viewport=LAPTOP)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.add_init_script(SPEECH_STUB + STREAMS)
        session_id = plan_then_session(page, server)
        assert page.evaluate(VENDOR_KEPT) == []  # nothing vendored in the shell
        data = json.loads(page.locator("#session-data").text_content() or "{}")
        first = next((item for item in data["items"] if item["camera"]), None)
        assert first is not None, "today's session has no exercise with a rule"
        for item in data["items"][: data["items"].index(first)]:  # those before it: skipped
            skipped = {
                "exercise": item["exercise"],
                "variation": item["variation"],
                "position": item["position"],
            }
            skipped |= {"completed": False, "skipped": True, "rating": None}
            answer = httpx.post(f"{server.url}/api/v1/sessions/{session_id}/items", json=skipped)
            assert answer.status_code < 300, answer.text
        page.reload()
        switch_on(page)

        def to_the_set_up_screen() -> None:
            page.click("#btn-begin")
            until(page, "!document.getElementById('c-setup').hidden")
            assert page.inner_text("#p-name") == first["name"]
            until(page, "document.getElementById('c-badge').textContent === 'Not in view'", 30_000)

        to_the_set_up_screen()
        kept = page.evaluate(VENDOR_KEPT)
        for name in ("vision_bundle.mjs", "vision_wasm_internal.js", "vision_wasm_internal.wasm", ".task"):
            assert any(path.endswith(name) for path in kept), (name, kept)

        context.set_offline(True)
        page.reload()
        until(page, "!document.getElementById('camera-choice').hidden")
        assert page.get_by_role("switch", name="Use camera").is_checked()
        to_the_set_up_screen()  # the model ran: the badge says nobody is in view
        assert page.evaluate("window.liveTracks()") == 1
        page.get_by_role("button", name="Start without camera").click()
        until(page, "window.liveTracks() === 0")
    finally:
        context.close()
    assert not errors, errors


def test_the_camera_screens_have_no_accessibility_violation(player: Any) -> None:
    from tests.e2e.test_axe import _need_axe, violations

    _need_axe()
    # axe is injected into the page, so this context bypasses the CSP (lumbo's pages never need to).
    coach = player(rules={0: PLANK_RULE}, tracker=FAKE_TRACKER, timer_scale=1, bypass_csp=True)
    page = coach.page
    switch_on(page)
    assert violations(page) == []
    page.click("#btn-begin")
    until(page, "!document.getElementById('c-setup').hidden")
    assert violations(page) == []
    page.evaluate("window.fakePose = 'plank'")
    until(page, phase_is("Hold"), 20_000)
    assert violations(page) == []
