"""The intake as short steps on a 360 x 640 phone (issue 11, item 4).

One form, posted once; intake.js shows one step at a time with "Step N of 5: ...", Back and
Next. Next names a missing required answer, Back loses nothing, a 422 opens the step with the
problem, and without JavaScript every step shows. Screenshots of step 1 (the safety check) and
step 3 go to $LUMBO_SCREENSHOTS when set (else the test's tmp_path), to be looked at.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Server
from tests.e2e.test_browser import RED_FLAGS, answer_screen, fill_intake

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("LUMBO_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def visible_steps(page: Any) -> list[str]:
    titles: list[str] = page.eval_on_selector_all(
        "fieldset.step",
        r"steps => steps.filter(s => !s.hidden).map(s => s.querySelector('h2').textContent.replace(/\s+/g, ' ').trim())",
    )
    return titles


def small_targets(page: Any, scope: str) -> list[str]:
    """Radio and checkbox labels on screen that are smaller than 44 x 44 px."""
    small = []
    for label in page.locator(f"{scope} label.choice").all():
        if not label.is_visible():
            continue
        box = label.bounding_box()
        if box["width"] < 44 or box["height"] < 44:
            small.append(f"{label.inner_text()!r}: {box['width']:.0f}x{box['height']:.0f}")
    return small


def test_the_intake_goes_one_step_at_a_time_on_a_phone(page: Any, tmp_path: Path) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/screen")
    assert page.locator(".step-count").inner_text() == "Step 1 of 5: Safety"
    assert page.locator("input[type=radio]:checked").count() == 0  # nothing pre-answered
    assert small_targets(page, ".screen-form") == []
    page.screenshot(path=str(shots(tmp_path) / "intake-step1-safety-360x640.png"))
    answer_screen(page)
    page.wait_for_url("**/intake")

    assert visible_steps(page) == ["Step 2 of 5: Your pain"]
    assert not page.locator("#step-back").is_visible()
    assert not page.locator("text=Make my plan").is_visible()
    page.fill("#pain_now", "3")
    page.fill("#pain_worst_week", "5")
    page.fill("#duration_weeks", "10")
    page.check("input[name=pain_trend][value=worsening]")
    # The leg-pain question is left unanswered: Next stays here and names it.
    page.click("#step-next")
    problems = page.locator(".step-problems")
    assert problems.is_visible()
    assert "Tell us whether the pain spreads below the knee." in problems.inner_text()
    assert "pain is getting better" not in problems.inner_text()  # only what is missing
    assert page.evaluate("document.activeElement.classList.contains('step-problems')")
    assert visible_steps(page) == ["Step 2 of 5: Your pain"]
    assert page.locator("#leg_pain_below_knee-missing").is_visible()  # next to the question too
    # Enter in a field means Next, not "send the form".
    page.press("#duration_weeks", "Enter")
    assert page.url.endswith("/intake") and visible_steps(page) == ["Step 2 of 5: Your pain"]
    page.check("input[name=leg_pain_below_knee][value=no]")
    assert page.locator(".step-problems").count() == 0  # answered: the list goes
    assert small_targets(page, ".intake-form") == []
    page.click("#step-next")

    assert visible_steps(page) == ["Step 3 of 5: Tight and weak areas"]
    assert page.evaluate("document.activeElement.tagName") == "H2"
    page.screenshot(path=str(shots(tmp_path) / "intake-step3-areas-360x640.png"))  # as it opens
    page.check("input[name=tight_areas][value=glutes]")
    page.check("input[name=weak_areas][value=core]")
    assert small_targets(page, ".intake-form") == []
    page.click("#step-next")
    assert visible_steps(page) == ["Step 4 of 5: Equipment and time"]
    assert small_targets(page, ".intake-form") == []

    # Back, twice: every answer is still there (it is one form).
    page.click("#step-back")
    assert visible_steps(page) == ["Step 3 of 5: Tight and weak areas"]
    assert page.is_checked("input[name=tight_areas][value=glutes]")
    assert page.is_checked("input[name=weak_areas][value=core]")
    page.click("#step-back")
    assert visible_steps(page) == ["Step 2 of 5: Your pain"]
    assert page.input_value("#pain_now") == "3" and page.input_value("#duration_weeks") == "10"
    assert page.is_checked("input[name=pain_trend][value=worsening]")
    assert page.is_checked("input[name=leg_pain_below_knee][value=no]")
    page.check("input[name=pain_trend][value=same]")  # "worsening" would ask for a clinician

    page.click("#step-next")
    page.click("#step-next")
    page.click("#step-next")  # step 4: minutes and days carry visible suggestions
    assert visible_steps(page) == ["Step 5 of 5: Your health and daily life"]
    assert not page.locator("#step-next").is_visible()
    page.click("text=Make my plan")  # nothing answered here yet: named, not sent
    assert page.url.endswith("/intake")
    named = page.locator(".step-problems").inner_text()
    for missing in (
        "are you pregnant?",
        "hours sitting",
        "days of exercise",
        "hours of sleep",
        "how well you sleep",
    ):
        assert missing in named, missing
    assert small_targets(page, ".intake-form") == []
    page.check("input[name=pregnant][value=no]")
    page.fill("#desk_hours_per_day", "7")
    page.fill("#exercise_days_per_week", "1")
    page.fill("#sleep_hours", "7")
    page.check("input[name=sleep_quality][value=fair]")
    page.click("text=Make my plan")
    page.wait_for_url("**/plan")
    assert page.locator("h1").inner_text() == "Your plan for the week"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_refused_form_opens_on_the_step_with_the_problem(page: Any) -> None:
    page.set_viewport_size(PHONE)
    answer_screen(page)
    fill_intake(page)
    page.click("#step-back")
    page.fill("#minutes_per_day", "200")  # the server checks ranges
    page.click("#step-next")
    with page.expect_response(lambda r: r.url.endswith("/intake") and r.request.method == "POST") as info:
        page.click("text=Make my plan")
    assert info.value.status == 422
    page.wait_for_selector("#minutes_per_day-error")
    assert visible_steps(page) == ["Step 4 of 5: Equipment and time"]
    assert page.locator("#minutes_per_day-error").is_visible()
    assert page.input_value("#pain_now") == "3" and page.input_value("#sleep_hours") == "7.5"
    page.fill("#minutes_per_day", "20")
    page.click("#step-next")
    page.click("text=Make my plan")
    page.wait_for_url("**/plan")


def test_without_javascript_every_step_shows_and_the_form_still_works(browser: Any, server: Server) -> None:
    context = browser.new_context(base_url=server.url, java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto("/screen")
        for name in RED_FLAGS:
            page.check(f"input[name={name}][value=no]")
        page.click("button[type=submit]")
        page.wait_for_url("**/intake")
        assert len(visible_steps_no_js(page)) == 4
        assert page.locator("#step-next").count() == 0
        page.fill("#pain_now", "3")
        page.fill("#pain_worst_week", "5")
        page.fill("#duration_weeks", "10")
        page.check("input[name=pain_trend][value=same]")
        page.click("text=Make my plan")  # leg pain, pregnancy, sitting and sleep unanswered
        assert (
            "Tell us whether the pain spreads below the knee." in page.locator("#error-summary").inner_text()
        )
        assert page.input_value("#pain_now") == "3"
    finally:
        context.close()


def visible_steps_no_js(page: Any) -> list[str]:
    return [
        " ".join(step.inner_text().split())
        for step in page.locator("fieldset.step > legend h2").all()
        if step.is_visible()
    ]
