"""The big number in the player's ring never covers its labels (the phase above it, "Hold",
and the unit below it, "seconds"), in a real browser.

A person lying on the floor reads the number and both labels at one glance, so between the
number's digits and each label's line there is clear space: at least a quarter of the label's
size. Measured on the text, not on the elements (the number is wider than its ring, and its
line box is set tighter than its font):

- each label: its text's box (a Range's bounding box), the whole line its letters may take,
  descenders and accents included, whatever the phase says ("Get into position" has a "p");
- the number: its digits as drawn. Digits have no descenders or accents, and the font's box
  (the Range's) reaches about a fifth of the font size beyond them above and below, so keeping
  the labels out of that box would not leave the number a quarter of the screen height on an
  upright phone (nor the figure its share of the stage). The digits' top and
  bottom are the font's own glyph bounds (a canvas's measureText, with the element's computed
  font) from the baseline of the Range's box; the test first checks that the canvas font and
  the page's font are the same one.

Sizes: upright phones (360x640, 320x568, 412x915), a phone on its side (640x360) and a laptop
window (1280x800); numbers of one, two and three digits (a catalogue hold may be up to 600 s,
``Dose.hold_seconds``; no exercise holds that long today, so the page's own data is given one);
with the camera coach on, its phase line too. Set LUMBO_SCREENSHOTS=DIR to keep the screenshots.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server, _need_chromium
from tests.e2e.test_camera_ui import FAKE_MEDIA, FAKE_TRACKER, PLANK_RULE, STREAMS, phase_is, switch_on, until
from tests.e2e.test_player_floor import SPEECH_STUB, at, freeze, open_session, run_until, shoot, showing

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}
SMALL_PHONE = {"width": 320, "height": 568}
BIG_PHONE = {"width": 412, "height": 915}
PHONE_SIDEWAYS = {"width": 640, "height": 360}
LAPTOP = {"width": 1280, "height": 800}
SIZES = [PHONE, SMALL_PHONE, BIG_PHONE, PHONE_SIDEWAYS, LAPTOP]
SIZE_IDS = ["360x640", "320x568", "412x915", "640x360", "1280x800"]
LONGEST_HOLD = 600  # lumbo.domain.catalogue.Dose.hold_seconds: le=600

# The number's and the labels' text boxes, and the number's font and glyph bounds.
TEXT_BOXES = """() => {
  const measure = (id) => {
    const element = document.getElementById(id);
    const text = element.textContent;
    if (!text.trim()) return null;
    const range = document.createRange();
    range.selectNodeContents(element);
    const box = range.getBoundingClientRect();
    const style = getComputedStyle(element);
    const pen = document.createElement("canvas").getContext("2d");
    pen.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const metrics = pen.measureText(text);
    return {
      text, size: parseFloat(style.fontSize),
      left: box.left, right: box.right, top: box.top, bottom: box.bottom,
      fontAscent: metrics.fontBoundingBoxAscent, fontDescent: metrics.fontBoundingBoxDescent,
      inkAscent: metrics.actualBoundingBoxAscent, inkDescent: metrics.actualBoundingBoxDescent,
    };
  };
  return { number: measure("p-clock"), phase: measure("p-phase"), unit: measure("p-unit") };
}"""


def digits(number: dict[str, Any]) -> dict[str, float]:
    """The number's digits as drawn: the Range's width, the glyphs' height on its baseline."""
    line = number["bottom"] - number["top"]
    font = number["fontAscent"] + number["fontDescent"]
    assert abs(line - font) <= 1, f"the canvas measured another font than the page's: {number}"
    baseline = number["top"] + number["fontAscent"]
    return {
        "left": number["left"],
        "right": number["right"],
        "top": baseline - number["inkAscent"],
        "bottom": baseline + number["inkDescent"],
    }


def apart(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["right"] <= b["left"]
        or b["right"] <= a["left"]
        or a["bottom"] <= b["top"]
        or b["bottom"] <= a["top"]
    )


def check_labels_clear(page: Any, viewport: dict[str, int], number: str, phase: str, unit: str) -> None:
    boxes = page.evaluate(TEXT_BOXES)
    assert boxes["number"]["text"] == number
    assert boxes["phase"]["text"] == phase and (boxes["unit"] or {}).get("text", "") == unit
    shown = digits(boxes["number"])
    where = f"{viewport['width']}x{viewport['height']}, {phase!r} {number!r} {unit!r}"
    assert shown["left"] >= 0 and shown["right"] <= viewport["width"], (where, shown)
    # The number reads as big as before: a quarter of the screen height on a phone held upright.
    if viewport["width"] < viewport["height"] and len(number) <= 2:
        assert boxes["number"]["size"] >= 0.25 * viewport["height"], (where, boxes["number"])
    label = boxes["phase"]
    clear = 0.25 * label["size"]
    assert apart(label, shown), (where, "the number covers the phase", label, shown)
    assert label["bottom"] + clear <= shown["top"], (where, "the phase touches the number", label, shown)
    if unit:
        label = boxes["unit"]
        clear = 0.25 * label["size"]
        assert apart(label, shown), (where, "the number covers the unit", label, shown)
        assert shown["bottom"] + clear <= label["top"], (where, "the unit touches the number", label, shown)


def with_first_hold(html: str, seconds: int) -> str:
    """The player page with its first item (a hold) held for `seconds`."""
    found = re.search(r'(<script type="application/json" id="session-data">)(.*?)(</script>)', html, re.S)
    assert found
    data = json.loads(found.group(2))
    assert data["items"][0]["hold_seconds"], data["items"][0]
    data["items"][0]["hold_seconds"] = seconds
    return html[: found.start(2)] + json.dumps(data).replace("<", "\\u003c") + html[found.end(2) :]


@pytest.fixture
def ring_player(browser: Any, server: Server) -> Iterator[Any]:
    """Today's session (its first item holds "Core bracing" 10 s) in a fresh context of a given
    size, on Playwright's clock; `hold` makes that first hold longer."""
    contexts: list[Any] = []
    errors: list[str] = []
    session_id = open_session(server)

    def start(viewport: dict[str, int], hold: int | None = None) -> Any:
        context = browser.new_context(base_url=server.url, viewport=viewport, service_workers="block")
        contexts.append(context)
        if hold is not None:

            def longer_hold(route: Any) -> None:
                response = route.fetch()
                route.fulfill(response=response, body=with_first_hold(response.text(), hold))

            context.route(f"**/session/{session_id}", longer_hold)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.add_init_script(SPEECH_STUB)
        page.clock.install()
        page.goto(f"/session/{session_id}")
        freeze(page)
        page.click("#btn-begin")
        return page

    yield start
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.mark.parametrize("viewport", SIZES, ids=SIZE_IDS)
def test_the_number_never_covers_its_labels(
    ring_player: Any, viewport: dict[str, int], tmp_path: Path
) -> None:
    label = f"{viewport['width']}x{viewport['height']}"
    page = ring_player(viewport)
    run_until(page, at("Core bracing", "Hold") + " && " + showing("10"))
    check_labels_clear(page, viewport, "10", "Hold", "seconds")
    shoot(page, tmp_path, f"ring-{label}-10")
    run_until(page, at("Core bracing", "Hold") + " && " + showing("7"))
    check_labels_clear(page, viewport, "7", "Hold", "seconds")
    # The rest before the next exercise counts down under its own label.
    run_until(page, "document.getElementById('p-phase').textContent === 'Rest'")
    rest = page.inner_text("#p-clock")
    check_labels_clear(page, viewport, rest, "Rest", "seconds")


@pytest.mark.parametrize("viewport", SIZES, ids=SIZE_IDS)
def test_the_longest_hold_still_clears_its_labels(
    ring_player: Any, viewport: dict[str, int], tmp_path: Path
) -> None:
    label = f"{viewport['width']}x{viewport['height']}"
    page = ring_player(viewport, hold=LONGEST_HOLD)
    run_until(page, at("Core bracing", "Hold") + " && " + showing(str(LONGEST_HOLD)))
    assert "long" in (page.get_attribute("#p-clock", "class") or "")
    check_labels_clear(page, viewport, str(LONGEST_HOLD), "Hold", "seconds")
    shoot(page, tmp_path, f"ring-{label}-{LONGEST_HOLD}")


@pytest.fixture(scope="module")
def camera_browser(browser: Any) -> Iterator[Any]:
    """Chromium with a fake camera, from the shared Playwright (as in test_camera_ui)."""
    _need_chromium()
    launched = browser.browser_type.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *FAKE_MEDIA])
    yield launched
    launched.close()


def with_plank_rule(html: str) -> str:
    """The first item ("Core bracing", 10 s) watched by the camera; real seconds."""
    found = re.search(r'(<script type="application/json" id="session-data">)(.*?)(</script>)', html, re.S)
    assert found
    data = json.loads(found.group(2))
    data["items"][0]["camera"] = PLANK_RULE
    data["timerScale"] = 1
    return html[: found.start(2)] + json.dumps(data).replace("<", "\\u003c") + html[found.end(2) :]


@pytest.mark.parametrize("viewport", [PHONE, SMALL_PHONE], ids=["360x640", "320x568"])
def test_with_the_camera_the_number_never_covers_its_labels(
    camera_browser: Any, server: Server, viewport: dict[str, int], tmp_path: Path
) -> None:
    session_id = open_session(server)
    context = camera_browser.new_context(base_url=server.url, viewport=viewport, service_workers="block")
    errors: list[str] = []

    def watched(route: Any) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=with_plank_rule(response.text()))

    try:
        context.route(f"**/session/{session_id}", watched)
        context.route(
            "**/static/camera/tracker.js",
            lambda route: route.fulfill(body=FAKE_TRACKER, content_type="text/javascript"),
        )
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.add_init_script(SPEECH_STUB + STREAMS)
        page.goto(f"/session/{session_id}")
        switch_on(page)
        page.click("#btn-begin")
        until(page, "!document.getElementById('c-setup').hidden")
        page.evaluate("window.fakePose = 'standing'")  # in view, not in position: the hold waits at 10
        clock = "document.getElementById('p-clock').textContent"
        until(page, phase_is("Get into position") + f" && {clock} === '10'", 20_000)
        assert page.locator("#c-view").is_visible()
        check_labels_clear(page, viewport, "10", "Get into position", "seconds")
        shoot(page, tmp_path, f"ring-camera-{viewport['width']}x{viewport['height']}-10")
        page.evaluate("window.fakePose = 'plank'")  # in position: "Hold", still 10 for a second
        until(page, phase_is("Hold") + f" && {clock} === '10'")
        check_labels_clear(page, viewport, "10", "Hold", "seconds")
    finally:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"
