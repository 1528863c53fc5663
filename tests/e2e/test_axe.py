"""axe-core on every page state, at phone and laptop size: 0 violations (WCAG 2.1 AA and
best practice).

axe-core comes from tests/e2e/node (``npm ci`` there; .ci/run does it). Without it the test
is skipped locally and fails when CI=true. The script is injected into the page under test,
so the context bypasses the CSP for it (lumbo's own pages never need that).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Server
from tests.e2e.test_browser import answer_screen, fill_intake

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node" / "node_modules" / "axe-core" / "axe.min.js"
RULES = "{runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}"
SIZES = {"phone": {"width": 360, "height": 640}, "laptop": {"width": 1280, "height": 800}}


def _need_axe() -> None:
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{AXE} is missing: CI must run the accessibility check (npm ci in tests/e2e/node)")
        pytest.skip("axe-core is not installed (npm ci in tests/e2e/node)")


# WCAG 2.5.5: every control at least 44×44 CSS px, except links inside a sentence.
SMALL_TARGETS = """
() => Array.from(document.querySelectorAll('a, button, summary, select, input:not([type=hidden]), label'))
  .filter((el) => el.offsetParent !== null && el.getClientRects().length)
  .filter((el) => !(el.tagName === 'A' && el.closest('p, li') && el.closest('p, li').textContent.trim() !== el.textContent.trim()))
  .filter((el) => !(el.tagName === 'INPUT' && el.closest('label')))
  .filter((el) => !(el.tagName === 'LABEL' && !el.querySelector('input[type=radio], input[type=checkbox]')))
  .map((el) => { const r = el.getBoundingClientRect();
    return {what: el.tagName + ' ' + (el.textContent.trim() || el.getAttribute('aria-label') || el.id).slice(0, 30),
            w: Math.round(r.width), h: Math.round(r.height)}; })
  .filter((box) => box.w < 44 || box.h < 44)
"""


def violations(page: Any) -> list[tuple[str, list[Any]]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(f"axe.run(document, {RULES})")
    found = [(v["id"], [node["target"] for node in v["nodes"]][:3]) for v in result["violations"]]
    small = page.evaluate(SMALL_TARGETS)
    if small:
        found.append(("target-size-44", small[:5]))
    return found


@pytest.mark.parametrize("size", sorted(SIZES))
def test_no_page_state_has_an_accessibility_violation(browser: Any, server: Server, size: str) -> None:
    _need_axe()
    context = browser.new_context(base_url=server.url, viewport=SIZES[size], bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    found: dict[str, list[tuple[str, list[Any]]]] = {}

    def check(state: str, action: Callable[[], object] | None = None) -> None:
        if action is not None:
            action()
        found[state] = violations(page)

    check("welcome", lambda: page.goto("/"))
    check("screen", lambda: page.goto("/screen"))
    check("screen with a missing answer", lambda: page.click("button[type=submit]"))
    check("referral", lambda: answer_screen(page, yes=("major_trauma",)))
    answer_screen(page)
    page.wait_for_url("**/intake")
    check("intake, first step")
    page.click("#step-next")
    check("intake, a step with missing answers")
    page.goto("/intake")
    fill_intake(page)
    check("intake, last step")
    page.click("form button[type=submit]")
    page.wait_for_url("**/plan")
    check("plan")
    check("plan, a day opened", lambda: page.locator("details summary").last.click())
    check("session start", lambda: page.goto("/session"))
    page.goto("/plan")
    page.get_by_role("button", name="Start this session").first.click()
    page.wait_for_url("**/session/*")
    check("player, start screen")
    page.fill("#pain-start", "3")
    page.click("#btn-begin")
    page.wait_for_selector("#btn-skip:visible")
    check("player, playing")
    check("player, after This hurts", lambda: page.click("#btn-hurts"))
    page.click("#btn-end")
    page.wait_for_selector("#btn-all-right:visible")
    check("end of session")
    check("progress", lambda: page.goto("/progress"))
    check("settings", lambda: page.goto("/settings"))
    check("lessons", lambda: page.goto("/lessons"))
    first_lesson = page.locator("main a[href^='/lessons/']").first
    if first_lesson.count():
        check("a lesson", lambda: first_lesson.click())
    check("not found", lambda: page.goto("/no-such-page"))
    context.close()
    assert {state: problems for state, problems in found.items() if problems} == {}
    assert len(found) >= 17
