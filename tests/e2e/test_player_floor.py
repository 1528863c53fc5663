"""Floor mode and the voice coach, in a real browser (issue 11, items 1 and 2).

The player on a 360x640 phone, on its side (640x360) and in a 1280x800 laptop window: during a
hold and during a rep set, everything that matters is on one screen, the big number is at
least a quarter of the screen high, and there is no site menu. The voice coach, with the
browser's speech synthesis stubbed, says the name, the dose and two cues, counts down
"three, two, one" and says "switch sides"; muted, it stays muted; without speech, it beeps.

Playwright's fake clock drives the timers (already sped up by LUMBO_TIMER_SCALE), so each
moment is reached and held still while it is measured. Set LUMBO_SCREENSHOTS=DIR to keep the
screenshots.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server

pytestmark = pytest.mark.browser

# Through the API (the intake form has its own tests): today's session then holds "Core
# bracing" (10 s), counts "Hip 90-90" (8 reps each side) and holds "Hip flexor stretch"
# (30 s each side).
PROFILE: dict[str, Any] = {
    "pain_now": 3,
    "pain_worst_week": 5,
    "duration_weeks": 10,
    "tight_areas": ["hip_flexors", "glutes", "hamstrings"],
    "equipment": ["mat"],
    "minutes_per_day": 5,
    "days_per_week": 7,
}

PHONE = {"width": 360, "height": 640}
PHONE_SIDEWAYS = {"width": 640, "height": 360}
LAPTOP = {"width": 1280, "height": 800}

# Every utterance's text, in order; each one "ends" at once.
SPEECH_STUB = """
window.spoken = [];
Object.defineProperty(window, "speechSynthesis", { configurable: true, value: {
  speaking: false, pending: false, paused: false,
  speak(line) { window.spoken.push(line.text); setTimeout(() => line.onend && line.onend({}), 0); },
  cancel() {}, pause() {}, resume() {}, getVoices() { return []; },
  addEventListener() {}, removeEventListener() {},
}});
"""
# No speech at all; each beep's pitch, in order.
NO_SPEECH_BEEPS = """
Object.defineProperty(window, "speechSynthesis", { configurable: true, value: undefined });
window.beeps = [];
window.AudioContext = class {
  constructor() { this.currentTime = 0; this.destination = {}; }
  createGain() { return { gain: {}, connect: (next) => next }; }
  createOscillator() {
    const osc = { frequency: {}, connect: (next) => next, stop() {} };
    osc.start = () => window.beeps.push(osc.frequency.value);
    return osc;
  }
};
"""


def open_session(server: Server) -> str:
    assert httpx.post(f"{server.url}/api/v1/screen", json={}).status_code == 200
    assert httpx.put(f"{server.url}/api/v1/profile", json=PROFILE).json()["referral"] is None
    opened = httpx.post(f"{server.url}/api/v1/sessions", json={})
    assert opened.status_code == 201
    session_id: str = opened.json()["session"]["id"]
    return session_id


@pytest.fixture
def player(browser: Any, server: Server) -> Iterator[Any]:
    """Opens today's session in a fresh context of a given size, on Playwright's clock."""
    contexts: list[Any] = []
    errors: list[str] = []
    session_id = open_session(server)

    def start(viewport: dict[str, int], script: str | None = None, **options: Any) -> Any:
        context = browser.new_context(base_url=server.url, viewport=viewport, **options)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        if script:
            page.add_init_script(script)
        page.clock.install()
        page.goto(f"/session/{session_id}")
        freeze(page)
        return page

    yield start
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"


def freeze(page: Any) -> None:
    """Stops the fake clock: from now on time moves only when run_until moves it."""
    page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 1)  # Python: seconds


def run_until(page: Any, condition: str, limit_ms: int = 20_000, step_ms: int = 10) -> None:
    """Moves the fake clock on in small steps until `condition` (JS) holds."""
    for _ in range(limit_ms // step_ms):
        if page.evaluate(condition):
            return
        page.clock.run_for(step_ms)
    raise AssertionError(f"never true: {condition}")


def at(name: str, phase: str) -> str:
    return (
        f"document.getElementById('p-name').textContent === {name!r}"
        f" && document.getElementById('p-phase').textContent === {phase!r}"
    )


def showing(number: str) -> str:
    return f"document.getElementById('p-clock').textContent === {number!r}"


def shoot(page: Any, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("LUMBO_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def check_one_screen(page: Any, viewport: dict[str, int]) -> None:
    width, height = viewport["width"], viewport["height"]
    assert page.locator("nav a, .site-nav, .site-header, .site-footer").count() == 0
    assert page.evaluate("document.documentElement.scrollHeight") <= height
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for selector in ("#btn-hurts", "#btn-pause", "#btn-skip", "#p-clock", "#p-name", "#p-figure"):
        box = page.locator(selector).bounding_box()
        assert box is not None, selector
        assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
        assert box["x"] + box["width"] <= width + 0.5, (selector, box)
        assert box["y"] + box["height"] <= height + 0.5, (selector, box)
    for selector in ("#btn-hurts", "#btn-pause", "#btn-skip"):
        box = page.locator(selector).bounding_box()
        assert box["height"] >= 48, (selector, box)
        assert box["y"] >= height * 0.6, (selector, box)  # at the bottom, in thumb reach
    figure = page.locator("#p-figure").bounding_box()
    assert figure["height"] >= 60, figure
    font = page.eval_on_selector("#p-clock", "el => parseFloat(getComputedStyle(el).fontSize)")
    assert font >= 0.25 * height, font
    clock = page.locator("#p-clock").bounding_box()
    ring = page.locator("#p-timer").bounding_box()
    assert abs((clock["x"] + clock["width"] / 2) - (ring["x"] + ring["width"] / 2)) < 2
    if width < height:  # a phone held upright: the number centred, the controls full width
        assert abs(clock["x"] + clock["width"] / 2 - width / 2) < 0.05 * width
        assert page.locator("#btn-hurts").bounding_box()["width"] >= 0.9 * width
    else:  # on its side, or a laptop: the figure left, the timer right
        assert figure["x"] + figure["width"] <= ring["x"] + 1


@pytest.mark.parametrize(
    "viewport", [PHONE, PHONE_SIDEWAYS, LAPTOP], ids=["phone", "phone-sideways", "laptop"]
)
def test_a_hold_and_a_rep_set_fit_one_screen_with_a_big_number(
    player: Any, viewport: dict[str, int], tmp_path: Path
) -> None:
    page = player(viewport, SPEECH_STUB)
    label = f"{viewport['width']}x{viewport['height']}"
    assert page.locator("nav a").count() == 0  # no site menu on the start screen either
    page.click("#btn-begin")

    run_until(page, at("Core bracing", "Hold") + " && " + showing("7"))
    check_one_screen(page, viewport)
    assert page.inner_text("#p-unit") == "seconds"
    shoot(page, tmp_path, f"floor-hold-{label}")

    run_until(page, at("Hip 90-90", "Reps") + " && " + showing("3"))
    check_one_screen(page, viewport)
    assert page.inner_text("#p-unit") == "of 8"
    assert page.locator("#btn-done").is_visible()
    box = page.locator("#btn-done").bounding_box()
    assert box["y"] + box["height"] <= viewport["height"] and box["height"] >= 48
    shoot(page, tmp_path, f"floor-reps-{label}")


def test_exit_asks_first_and_the_clock_waits_meanwhile(player: Any) -> None:
    page = player(PHONE)
    page.click("#btn-begin")
    run_until(page, at("Core bracing", "Hold"))
    shown = page.inner_text("#p-clock")
    page.click("text=Exit")
    dialog = page.locator("#exit-dialog")
    assert dialog.is_visible()
    assert "Leave the session?" in dialog.inner_text() and "What you logged is saved" in dialog.inner_text()
    page.clock.run_for(2_000)
    assert page.inner_text("#p-clock") == shown  # paused while asking
    page.get_by_role("button", name="Stay").click()
    assert not dialog.is_visible()
    # The dialog's close event comes in its own task, after the click has returned.
    page.wait_for_function("document.getElementById('btn-pause').textContent === 'Pause'", timeout=3_000)
    run_until(page, "document.getElementById('p-clock').textContent !== " + repr(shown))
    page.click("text=Exit")
    page.get_by_role("link", name="Leave").click()
    page.wait_for_url("**/session")


def test_pause_stops_the_clock_and_resume_goes_on(player: Any) -> None:
    page = player(LAPTOP, reduced_motion="reduce")
    page.click("#btn-begin")
    run_until(page, at("Core bracing", "Hold"))
    page.get_by_role("button", name="Pause").click()
    shown = page.inner_text("#p-clock")
    page.clock.run_for(5_000)
    assert page.inner_text("#p-clock") == shown
    page.get_by_role("button", name="Resume").click()
    run_until(page, "document.getElementById('p-clock').textContent !== " + repr(shown))
    # Asked for less motion: the ring jumps instead of sliding.
    assert page.eval_on_selector("#p-ring", "el => getComputedStyle(el).transitionDuration") == "0s"


def spoken_for(spoken: list[str], name: str) -> list[str]:
    """What was said from `name` up to the next exercise's get-ready (its name after a rest)."""
    start = spoken.index(name)
    rest = next((i for i in range(start + 1, len(spoken)) if spoken[i].startswith("Rest. Next")), len(spoken))
    return spoken[start:rest]


def in_order(said: list[str], expected: list[str]) -> bool:
    position = 0
    for line in said:
        if position < len(expected) and line == expected[position]:
            position += 1
    return position == len(expected)


def test_the_voice_coach_reads_the_exercise_then_counts_down_and_switches_sides(
    player: Any, server: Server
) -> None:
    page = player(LAPTOP, SPEECH_STUB)
    assert page.get_by_role("button", name="Voice").get_attribute("aria-pressed") == "true"  # on by default
    data = page.evaluate("JSON.parse(document.getElementById('session-data').textContent)")
    items = {item["name"]: item for item in data["items"]}
    page.click("#btn-begin")
    run_until(page, "!document.getElementById('p-finish').hidden", 60_000, 100)
    spoken: list[str] = page.evaluate("window.spoken")

    stretch = items["Hip flexor stretch"]
    said = spoken_for(spoken, "Hip flexor stretch")
    # The name, the dose and the first two cues, one after the other, before anything else.
    assert said[:4] == ["Hip flexor stretch", stretch["dose"], *stretch["cues"][:2]]
    assert stretch["dose"] == "Hold 30 seconds, each side"
    countdown = ["three", "two", "one"]
    assert in_order(said, ["Go.", *countdown, "Switch sides.", "Go.", *countdown])
    assert said.count("three") == 2 and said.count("Switch sides.") == 1

    bracing = spoken_for(spoken, "Core bracing")  # one side, one set: no switch
    assert bracing[:4] == ["Core bracing", "Hold 10 seconds", *items["Core bracing"]["cues"][:2]]
    assert in_order(bracing, ["Go.", *countdown]) and "Switch sides." not in bracing

    reps = spoken_for(spoken, "Hip 90-90")  # 8 reps each side: counted, the last called out
    assert in_order(reps, ["Go.", "2", "7", "Last one.", "Switch sides.", "Go.", "2", "7", "Last one."])
    assert "8" not in reps
    assert any(line.startswith("Rest") for line in spoken)


def test_muted_stays_muted_and_without_speech_it_beeps(player: Any) -> None:
    page = player(PHONE, SPEECH_STUB)
    voice = page.get_by_role("button", name="Voice")
    voice.click()
    assert voice.get_attribute("aria-pressed") == "false"
    page.reload()
    freeze(page)
    page.click("#btn-begin")
    run_until(page, at("Hip 90-90", "Reps"))
    assert page.get_by_role("button", name="Voice").get_attribute("aria-pressed") == "false"
    assert page.evaluate("window.spoken") == []

    quiet = player(PHONE, NO_SPEECH_BEEPS)  # the same session: it goes on at Hip 90-90
    assert not quiet.get_by_role("button", name="Voice").is_visible()
    assert "cannot speak" in quiet.inner_text("#voice-note")
    quiet.click("#btn-begin")
    run_until(quiet, at("Hip 90-90", "Reps"))
    before = len(quiet.evaluate("window.beeps"))
    run_until(quiet, at("Hip 90-90", "Switch sides"))
    beeps = ",".join(map(str, quiet.evaluate("window.beeps")[before:]))
    assert "770,770,770,770,770,770,990,770" in beeps  # one per rep; the last one announced higher
    run_until(quiet, at("Hip flexor stretch", "Hold"))
    before = len(quiet.evaluate("window.beeps"))
    run_until(quiet, at("Hip flexor stretch", "Switch sides"))
    beeps = ",".join(map(str, quiet.evaluate("window.beeps")[before:]))
    assert "660,660,660,990" in beeps  # the last three seconds of the hold, then its end
    page.close()


def test_the_figure_mirrors_when_the_side_switches_and_fills_the_stage(player: Any, tmp_path: Path) -> None:
    """A per-side exercise shows the left side working, then the mirror image for the right."""
    page = player(PHONE, SPEECH_STUB)
    data = page.evaluate("JSON.parse(document.getElementById('session-data').textContent)")
    stretch = next(item for item in data["items"] if item["name"] == "Hip flexor stretch")
    assert stretch["per_side"]
    page.click("#btn-begin")
    side = "document.getElementById('p-side').textContent"
    src = "document.getElementById('p-figure').getAttribute('src')"
    flipped = "getComputedStyle(document.getElementById('p-figure')).transform"
    name = "document.getElementById('p-name').textContent === 'Hip flexor stretch'"
    run_until(page, f"{name} && {side}.startsWith('Now: left side')", 60_000, 50)
    assert page.evaluate(src) == stretch["figure"]
    assert page.evaluate(flipped) == "none"
    figure = page.locator("#p-figure").bounding_box()
    stage = page.locator(".floor-stage").bounding_box()
    shoot(page, tmp_path, "player-left-side")
    # On an upright phone the figure takes close to half the stage between the name and the buttons.
    assert figure["height"] >= 0.4 * stage["height"], (figure, stage)
    run_until(page, f"{name} && {side}.startsWith('Now: right side')", 60_000, 50)
    assert page.evaluate(src) == stretch["figure"]
    assert page.evaluate(flipped) == "matrix(-1, 0, 0, 1, 0, 0)"  # the mirror image
    shoot(page, tmp_path, "player-right-side")
    run_until(page, "document.getElementById('p-name').textContent !== 'Hip flexor stretch'", 60_000, 50)
    assert page.evaluate(flipped) == "none"  # the next exercise starts unmirrored
