"""The web app in a real browser: screen, intake, plan, a guided session, progress, data."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server

pytestmark = pytest.mark.browser

RED_FLAGS = (
    "saddle_numbness",
    "bladder_or_bowel_change",
    "leg_weakness_worsening",
    "major_trauma",
    "fever_or_unwell",
    "unexplained_weight_loss",
    "history_of_cancer",
    "night_pain_unrelenting",
)


def answer_screen(page: Any, yes: tuple[str, ...] = ()) -> None:
    page.goto("/screen")
    for name in RED_FLAGS:
        page.check(f"input[name={name}][value={'yes' if name in yes else 'no'}]")
    page.click("button[type=submit]")


def fill_intake(page: Any, pain_now: str = "3") -> None:
    """Answers the intake step by step (Next between steps); ends on the last one, where
    "Make my plan" is. The triage questions and the everyday facts are never pre-answered."""
    page.fill("#pain_now", pain_now)
    page.fill("#pain_worst_week", "5")
    page.fill("#duration_weeks", "10")
    page.check("input[name=pain_trend][value=same]")
    page.check("input[name=leg_pain_below_knee][value=no]")
    page.click("#step-next")
    for area in ("hip_flexors", "glutes", "hamstrings"):
        page.check(f"input[name=tight_areas][value={area}]")
    page.click("#step-next")
    page.check("input[name=equipment][value=mat]")
    page.fill("#minutes_per_day", "5")
    page.fill("#days_per_week", "7")
    page.check("input[name=level][value=beginner]")
    page.click("#step-next")
    page.check("input[name=pregnant][value=no]")
    page.fill("#desk_hours_per_day", "9")
    page.fill("#exercise_days_per_week", "2")
    page.fill("#sleep_hours", "7.5")
    page.check("input[name=sleep_quality][value=good]")
    page.fill("#activity_1_name", "Putting on socks")
    page.fill("#activity_1_score", "4")


def test_a_red_flag_leads_to_the_referral_page_and_no_plan(page: Any, server: Server) -> None:
    answer_screen(page, yes=("saddle_numbness",))
    assert page.locator("h1").inner_text() == "Please get medical help now"
    assert "numbness" in page.locator(".referral").inner_text()
    page.goto("/plan")
    assert "Your plan for the week" not in page.content()
    api_plan = httpx.get(server.url + "/api/v1/plan").json()
    assert api_plan["status"] == "refer" and api_plan["days"] == []
    page.goto("/screen")  # the answers are kept
    assert page.is_checked("input[name=saddle_numbness][value=yes]")


def test_a_bad_form_comes_back_with_the_problem_named_and_what_was_typed(page: Any) -> None:
    answer_screen(page)
    fill_intake(page, pain_now="12")
    page.fill("#sports", "swimming, climbing")
    with page.expect_response(lambda r: r.url.endswith("/intake") and r.request.method == "POST") as info:
        page.click("text=Make my plan")
    assert info.value.status == 422
    assert "Pain now must be a whole number from 0 to 10" in page.locator("#pain_now-error").inner_text()
    assert page.input_value("#pain_now") == "12"
    assert page.input_value("#sports") == "swimming, climbing"
    assert page.input_value("#activity_1_name") == "Putting on socks"
    assert page.is_checked("input[name=tight_areas][value=glutes]")
    page.click("#error-summary a")  # the summary links to the field
    assert page.evaluate("document.activeElement.id") == "pain_now"


def test_intake_plan_session_progress(page: Any, server: Server) -> None:
    answer_screen(page)
    fill_intake(page)
    page.click("text=Make my plan")
    page.wait_for_url("**/plan")
    assert page.locator("h1").inner_text() == "Your plan for the week"
    assert page.locator(".stage h2").inner_text().startswith("Stage:")
    today = page.locator(".day.today")
    assert today.locator(".item").count() >= 1
    first_name = today.locator(".item h4").first.inner_text()

    today.locator("text=Start this session").first.click()
    page.wait_for_url("**/session/*")
    session_id = page.url.rsplit("/", 1)[1]
    page.fill("#pain-start", "3")
    page.click("#btn-begin")
    page.wait_for_selector("#p-play:not([hidden])")
    assert page.locator("#p-name").inner_text() == first_name
    page.wait_for_selector("#p-phase:text-matches('Hold|Reps')", timeout=10_000)
    page.click("#btn-hurts")
    page.wait_for_selector("#p-hurt:not([hidden])")
    page.click("#btn-go-on")
    page.wait_for_selector("#p-finish:not([hidden])", timeout=60_000)

    logged = httpx.get(f"{server.url}/api/v1/sessions/{session_id}").json()["items"]
    assert logged[0]["item"]["rating"] == "pain" and logged[0]["item"]["completed"] is False
    assert all(entry["item"]["completed"] for entry in logged[1:])
    # Pain before was stored when the session started: the end screen does not ask again.
    assert httpx.get(f"{server.url}/api/v1/sessions/{session_id}").json()["pain_before"] == 3
    assert page.is_hidden("#pain-before-field")
    if len(logged) > 1:
        page.click("#finish-change summary")  # "No: some felt easy, hard or painful"
        page.check(f"input[name=rating_{logged[1]['position']}][value=easy]")
    page.fill("#pain_after", "2")
    page.click("text=Save the session")
    page.wait_for_url("**/progress?finished=1")
    assert "Session saved" in page.content()
    assert "1 day with a finished session" in page.content()
    assert page.locator("figure.chart-pain table td").first.inner_text() != ""

    session = httpx.get(f"{server.url}/api/v1/sessions/{session_id}").json()
    assert session["pain_before"] == 3 and session["pain_after"] == 2
    if len(logged) > 1:
        assert session["items"][1]["item"]["rating"] == "easy"

    page.set_viewport_size({"width": 360, "height": 740})  # a phone: nothing scrolls sideways
    for path in ("/", "/screen", "/intake", "/plan", "/session", "/progress", "/settings", "/lessons"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path


def test_export_then_delete(page: Any) -> None:
    answer_screen(page)
    fill_intake(page)
    page.click("text=Make my plan")
    page.wait_for_url("**/plan")
    page.goto("/settings")
    with page.expect_download() as download_info:
        page.click("text=Download my data (JSON)")
    path = download_info.value.path()
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "lumbo-export"
    assert document["profile"]["pain_now"] == 3

    page.fill("#confirm", "delete")
    page.click("text=Delete all my data")
    assert "Type the words" in page.locator("#confirm-error").inner_text()
    assert page.input_value("#confirm") == "delete"
    page.fill("#confirm", "delete everything")
    page.click("text=Delete all my data")
    page.wait_for_url("**/?deleted=1")  # the welcome page, which clears this browser too
    assert "Everything has been deleted" in page.content()
    page.goto("/plan")
    assert page.url.endswith("/screen")


def test_the_screen_works_with_the_keyboard_alone(page: Any) -> None:
    page.goto("/screen")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.focus("input[name=saddle_numbness][value=yes]")
    for _ in RED_FLAGS:
        page.keyboard.press("ArrowRight")  # moves to "No" and selects it
        page.keyboard.press("Tab")  # on to the next question (or the button)
    assert page.evaluate("document.activeElement.textContent") == "Continue"
    page.keyboard.press("Enter")
    page.wait_for_url("**/intake")


def test_pause_holds_the_clock_and_skip_logs_the_item_as_not_done(page: Any, server: Server) -> None:
    answer_screen(page)
    fill_intake(page)
    page.click("text=Make my plan")
    page.wait_for_url("**/plan")
    page.locator(".day.today >> text=Start this session").first.click()
    page.wait_for_url("**/session/*")
    session_id = page.url.rsplit("/", 1)[1]
    page.click("#btn-begin")
    page.click("#btn-pause")  # during the 5-second "get ready" (0.1 s at the test speed)
    phase = page.inner_text("#p-phase")
    page.wait_for_timeout(600)
    assert page.inner_text("#p-phase") == phase  # nothing moved while paused
    assert page.inner_text("#btn-pause") == "Resume"
    assert "Get ready" in page.inner_text("#p-live") or "Paused" in page.inner_text("#p-live")
    page.click("#btn-pause")
    page.click("#btn-skip")
    items: list[dict[str, Any]] = []
    for _ in range(100):  # the result is posted as soon as the item ends
        items = httpx.get(f"{server.url}/api/v1/sessions/{session_id}").json()["items"]
        if items:
            break
        page.wait_for_timeout(100)
    first = items[0]
    assert first["position"] == 0 and first["item"]["completed"] is False
    assert first["item"]["skipped"] is True and first["item"]["rating"] is None  # never rated
