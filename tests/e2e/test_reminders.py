"""Movement-break reminders in a real browser: opt in, a notification per interval, opt out.

Playwright's fake clock stands in for the 30 minutes, so the test runs the real interval in
milliseconds; window.Notification is wrapped to record what the page shows.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Server
from tests.e2e.test_browser import answer_screen, fill_intake

pytestmark = pytest.mark.browser

RECORD_NOTIFICATIONS = """
(() => {
  const Real = window.Notification;
  window.__shown = [];
  if (!Real) return;
  function Recorded(title, options) {
    window.__shown.push({ title: title, body: (options && options.body) || "" });
  }
  Object.defineProperty(Recorded, "permission", { get: () => Real.permission });
  Recorded.requestPermission = (...args) => Real.requestPermission(...args);
  window.Notification = Recorded;
})();
"""


def plan_for_a_long_desk_day(page: Any) -> None:
    answer_screen(page)
    fill_intake(page)  # 9 desk hours
    page.click("text=Make my plan")
    page.wait_for_url("**/plan")


def shown(page: Any) -> list[dict[str, str]]:
    result: list[dict[str, str]] = page.evaluate("window.__shown")
    return result


def test_reminders_notify_each_interval_and_stop_when_switched_off(page: Any, server: Server) -> None:
    plan_for_a_long_desk_day(page)
    page.context.grant_permissions(["notifications"], origin=server.url)
    page.context.add_init_script(RECORD_NOTIFICATIONS)
    page.clock.install()
    page.goto("/plan")
    control = page.locator("#reminders")
    assert control.is_visible()
    assert page.locator("#reminders-status").inner_text() == "Reminders are off."

    page.check("input[name=reminder_minutes][value='30']")
    page.click("#reminders-toggle")
    page.wait_for_selector("#reminders-status:has-text('every 30 minutes')")
    assert page.locator("#reminders-toggle").inner_text() == "Turn reminders off"
    page.clock.run_for("29:00")
    assert shown(page) == []
    page.clock.run_for("01:30")
    notes = shown(page)
    assert len(notes) == 1
    assert "stand up and move" in notes[0]["title"] and "posture" not in notes[0]["title"]
    assert "Stand up" in notes[0]["body"]

    page.reload()  # the choice is kept in this browser
    assert page.locator("#reminders-toggle").inner_text() == "Turn reminders off"
    assert page.is_checked("input[name=reminder_minutes][value='30']")

    page.focus("#reminders-toggle")  # the keyboard works too
    page.keyboard.press("Enter")
    page.wait_for_selector("#reminders-status:has-text('Reminders are off.')")
    assert page.evaluate("localStorage.getItem('lumbo-reminders')") is None
    page.clock.run_for("02:00:00")
    assert shown(page) == []  # a fresh page after the reload, and nothing since switching off


def test_without_notifications_the_control_says_so(page: Any) -> None:
    plan_for_a_long_desk_day(page)
    page.context.add_init_script("delete window.Notification;")
    page.goto("/plan")
    assert page.locator("#reminders").is_visible()
    assert not page.is_visible("#reminders-toggle")
    assert not page.is_visible("input[name=reminder_minutes]")
    assert "cannot show notifications" in page.locator("#reminders-status").inner_text()
