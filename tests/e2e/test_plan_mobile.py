"""The plan and progress pages on a 360x640 phone and a 1280x800 laptop: Start in the first
screen, figures moving only on screen (still with reduced motion), 44 px targets, a change
list after a painful rating, and axe-core with no violations (tests/e2e/test_axe.py covers every page).

The profile is seeded through the JSON API, so these tests do not depend on the intake
form's layout. Screenshots go to LUMBO_SCREENSHOTS (default: a temporary folder).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server, keep_local

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}
LAPTOP = {"width": 1280, "height": 800}
AXE = Path(__file__).resolve().parent / "node" / "node_modules" / "axe-core" / "axe.min.js"
PROFILE: dict[str, Any] = {
    "pain_now": 3,
    "pain_worst_week": 5,
    "duration_weeks": 10,
    "tight_areas": ["hip_flexors", "glutes", "hamstrings"],
    "equipment": ["mat", "chair"],
    "minutes_per_day": 10,
    "days_per_week": 5,
    "desk_hours_per_day": 8,
}
# Links and buttons in <main> smaller than this fail WCAG 2.5.5 (inline links in a
# sentence are exempt, and these pages have none but "Carry on where you stopped").
TARGETS = "main a:visible, main button:visible, main summary:visible"
SMALL_TARGETS = """
(selector) => Array.from(document.querySelectorAll('main a, main button, main summary'))
  .filter((el) => el.offsetParent !== null)
  .map((el) => { const r = el.getBoundingClientRect();
    return {text: el.textContent.trim().slice(0, 40), w: Math.round(r.width), h: Math.round(r.height)}; })
  .filter((box) => box.w < 44 || box.h < 44)
"""


def seed(server: Server) -> None:
    with httpx.Client(base_url=server.url) as api:
        assert api.post("/api/v1/screen", json={}).status_code in (200, 201)
        saved = api.put("/api/v1/profile", json=PROFILE)
        assert saved.status_code == 200, saved.text


def finish_with_pain(server: Server) -> str:
    """Today's first session, its first item rated painful, the rest about right: the name
    of the exercise that hurt."""
    with httpx.Client(base_url=server.url) as api:
        today = dt.date.today().isoformat()
        opened = api.post("/api/v1/sessions", json={"date": today, "session_index": 0}).json()
        session_id = opened["session"]["id"] if "session" in opened else opened["id"]
        items = api.get("/api/v1/plan").json()["days"][0]["sessions"][0]["items"]
        for position, item in enumerate(items):
            body = {key: item[key] for key in ("exercise", "variation", "sets", "reps", "hold_seconds")}
            body |= {
                "position": position,
                "completed": position > 0,
                "rating": "pain" if position == 0 else "right",
            }
            assert api.post(f"/api/v1/sessions/{session_id}/items", json=body).status_code == 201
        finished = api.post(f"/api/v1/sessions/{session_id}/finish", json={"pain_before": 3, "pain_after": 3})
        assert finished.status_code == 200, finished.text
        return str(items[0]["name"])


@pytest.fixture
def shots() -> Path:
    folder = Path(os.environ.get("LUMBO_SCREENSHOTS", "/tmp/lumbo-screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def open_page(browser: Any, server: Server) -> Iterator[Any]:
    """open_page(viewport, reduced_motion=...) -> a page on the server; requests elsewhere
    and script errors fail the test (as in conftest's ``page``)."""
    contexts: list[Any] = []
    errors: list[str] = []
    outside: list[str] = []

    def opener(
        viewport: dict[str, int], reduced_motion: str = "no-preference", bypass_csp: bool = False
    ) -> Any:
        context = browser.new_context(
            base_url=server.url,
            viewport=viewport,
            is_mobile=viewport["width"] < 600,
            has_touch=viewport["width"] < 600,
            reduced_motion=reduced_motion,
            bypass_csp=bypass_csp,
        )
        contexts.append(context)
        keep_local(context, server.url, outside)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield opener
    for context in contexts:
        context.close()
    assert not outside, f"requests left the machine: {outside}"
    assert not errors, f"JavaScript errors: {errors}"


def figure_sources(page: Any) -> list[str]:
    result: list[str] = page.eval_on_selector_all(
        "img[data-still]", "els => els.map(e => e.getAttribute('src'))"
    )
    return result


def test_start_is_in_the_first_screen_of_a_phone(open_page: Any, server: Server, shots: Path) -> None:
    seed(server)
    page = open_page(PHONE)
    page.goto("/plan")
    page.wait_for_load_state("load")
    start = page.locator(".plan-today button.start").first
    box = start.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert box["height"] >= 44
    # today's exercises come right after it; the week is folded by day
    assert page.locator(".week details.day[open]").count() == 0
    assert page.locator(".week details.day").count() >= 3
    page.screenshot(path=str(shots / "plan-360x640.png"))
    page.screenshot(path=str(shots / "plan-360x640-full.png"), full_page=True)
    assert page.evaluate(SMALL_TARGETS) == []
    # the week opens by day, and its figures appear only where an exercise is new this week
    page.locator(".week details.day summary").first.click()
    assert page.evaluate(SMALL_TARGETS) == []
    page.screenshot(path=str(shots / "plan-360x640-day-open.png"), full_page=True)


def test_figures_move_only_on_screen(open_page: Any, server: Server) -> None:
    seed(server)
    page = open_page(PHONE)
    page.goto("/plan")
    images = page.locator(".plan-today img[data-still]")
    assert images.count() >= 3
    first, last = images.first, images.last
    page.wait_for_function(
        "document.querySelector('.plan-today img[data-still]').dataset.moving !== undefined"
    )
    page.wait_for_timeout(200)
    assert "/still/" not in (first.get_attribute("src") or "")  # on screen: moving
    assert "/still/" in (last.get_attribute("src") or "")  # far below: still
    last.scroll_into_view_if_needed()
    page.wait_for_function("(img) => !img.getAttribute('src').includes('/still/')", arg=last.element_handle())
    assert "/still/" in (first.get_attribute("src") or "")  # scrolled away: still again


def test_reduced_motion_keeps_every_figure_still(open_page: Any, server: Server) -> None:
    seed(server)
    page = open_page(PHONE, reduced_motion="reduce")
    page.goto("/plan")
    page.wait_for_timeout(300)
    sources = figure_sources(page)
    assert sources and all("/figures/still/" in src for src in sources), sources


def test_the_laptop_layout(open_page: Any, server: Server, shots: Path) -> None:
    seed(server)
    page = open_page(LAPTOP)
    page.goto("/plan")
    box = page.locator(".plan-today button.start").first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= LAPTOP["height"]
    page.screenshot(path=str(shots / "plan-1280x800.png"))
    page.screenshot(path=str(shots / "plan-1280x800-full.png"), full_page=True)
    assert page.evaluate(SMALL_TARGETS) == []


def test_a_painful_rating_shows_on_plan_and_progress(open_page: Any, server: Server, shots: Path) -> None:
    seed(server)
    hurt = finish_with_pain(server)
    page = open_page(PHONE)
    page.goto("/plan")
    since = page.locator(".plan-today .since")
    assert since.is_visible() and f"{hurt} hurt, so" in since.inner_text()
    box = page.locator(".plan-today button.start").first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]
    page.screenshot(path=str(shots / "plan-360x640-after-pain.png"))
    page.goto("/progress")
    assert f"{hurt} hurt, so" in page.locator(".since").inner_text()
    assert "No exercise changes step yet" not in page.content()
    page.screenshot(path=str(shots / "progress-360x640.png"), full_page=True)
    assert page.evaluate(SMALL_TARGETS) == []


def test_an_unknown_address_is_a_page_with_a_way_back(open_page: Any, server: Server, shots: Path) -> None:
    page = open_page(PHONE)
    answer = page.goto("/no-such-page")
    assert answer is not None and answer.status == 404
    assert page.title() and page.locator("html").get_attribute("lang") == "en"
    page.screenshot(path=str(shots / "not-found-360x640.png"))
    page.click("text=Back to your plan")
    page.wait_for_url("**/screen")  # no profile yet: the plan sends you to the screen


def test_axe_finds_nothing_on_plan_and_progress(open_page: Any, server: Server) -> None:
    from tests.e2e.test_axe import _need_axe

    _need_axe()
    seed(server)
    finish_with_pain(server)
    page = open_page(PHONE, bypass_csp=True)
    for path in ("/plan", "/progress", "/no-such-page"):
        page.goto(path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']})"
        )
        violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
        assert violations == [], (path, violations)
