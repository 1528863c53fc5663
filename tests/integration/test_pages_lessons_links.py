"""Lessons linked from the exercises they explain, and the movement-break reminder control."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from typing import Any

from fastapi.testclient import TestClient

from lumbo.adapters.clock import FixedClock
from lumbo.adapters.lesson_files import default_lessons
from tests.integration.test_pages import check_page, intake_ok, start_session

# Day 10 of the plan: the lessons of days 0-9 are open, "bracing-the-core" (day 12) and
# later ones are not, so some planned exercises have an open lesson and some only a locked one.
DAY = 10


def expected_link(variation: str, exercise: str, day: int) -> str | None:
    """The first lesson open on ``day`` that names the variation, else its family."""
    ordered = sorted(default_lessons(), key=lambda lesson: lesson.unlock_day)
    for slug in (variation, exercise):
        for lesson in ordered:
            if lesson.unlock_day <= day and slug in lesson.related_exercises:
                return lesson.id
    return None


def item_links(page: str) -> list[tuple[str, str | None]]:
    """(exercise name, linked lesson id or None) for each item card on the plan page."""
    found = []
    for chunk in page.split('<li class="item"')[1:]:
        name = html_lib.unescape(re.search(r"<h4>(.*?)</h4>", chunk, re.S).group(1))  # type: ignore[union-attr]
        link = re.search(r'<p class="learn"><a href="/lessons/([a-z0-9-]+)">Learn why: ', chunk)
        found.append((name, link.group(1) if link else None))
    return found


def test_plan_items_link_the_open_lesson_that_explains_them(client: TestClient, clock: FixedClock) -> None:
    intake_ok(client)
    clock.advance(dt.timedelta(days=DAY))
    decision: dict[str, Any] = client.get("/api/v1/plan").json()
    page = client.get("/plan").text
    check_page(page)
    cards = item_links(page)
    items = [item for day in decision["days"] for s in day["sessions"] for item in s["items"]]
    assert len(cards) == len(items)
    expected = [(item["name"], expected_link(item["variation"], item["exercise"], DAY)) for item in items]
    assert cards == expected
    linked = {lesson for _, lesson in cards if lesson}
    assert linked, "no planned exercise has an open lesson on day 10: pick another day"
    # a planned exercise whose only lesson is still locked gets no link
    locked_only = [
        item
        for item in items
        if expected_link(item["variation"], item["exercise"], 365)
        and not expected_link(item["variation"], item["exercise"], DAY)
    ]
    assert locked_only, "every planned exercise's lesson is open on day 10: pick an earlier day"
    for lesson_id in linked:  # every link opens a readable lesson, not the "opens on" page
        lesson_page = client.get(f"/lessons/{lesson_id}").text
        assert "Where this comes from" in lesson_page  # the readable page ends with its sources
    assert client.get("/plan").text == page  # the cached page carries the links too


def test_no_links_before_any_explaining_lesson_is_open(client: TestClient) -> None:
    intake_ok(client)  # day 0: only the lesson on discomfort and pain is open; it names no exercise
    assert "Learn why:" not in client.get("/plan").text


def test_the_player_items_carry_their_lesson(client: TestClient, clock: FixedClock) -> None:
    intake_ok(client)
    clock.advance(dt.timedelta(days=DAY))
    client.get("/plan")
    today = clock.today().isoformat()
    response = client.post("/session/start", data={"date": today, "index": "0"}, follow_redirects=False)
    session_id = response.headers["location"].rsplit("/", 1)[1]
    page = client.get(f"/session/{session_id}").text
    raw = re.search(r'<script type="application/json" id="session-data">(.*?)</script>', page, re.S)
    assert raw is not None
    import json

    items = json.loads(raw.group(1))["items"]
    assert items
    for item in items:
        lesson_id = expected_link(item["variation"], item["exercise"], DAY)
        if lesson_id is None:
            assert item["lesson"] is None
        else:
            assert item["lesson"]["href"] == f"/lessons/{lesson_id}"
            assert item["lesson"]["title"] == next(x.title for x in default_lessons() if x.id == lesson_id)
    assert 'id="p-learn"' in page
    assert "/static/reminders.js" not in page  # no reminders while exercising


def test_day_zero_player_items_have_no_lesson(client: TestClient) -> None:
    intake_ok(client)
    _, data = start_session(client)
    assert all(item["lesson"] is None for item in data["items"])


def test_long_desk_days_get_the_reminder_control(client: TestClient) -> None:
    intake_ok(client, desk_hours_per_day="9")
    page = client.get("/plan").text
    check_page(page)
    assert 'id="reminders"' in page and "Remind me to stand up and move" in page
    for minutes in ("30", "45", "60"):
        assert f'name="reminder_minutes" value="{minutes}"' in page
    assert '<script src="/static/reminders.js" defer></script>' in page
    script = client.get("/static/reminders.js")
    assert script.status_code == 200 and "Notification" in script.text


def test_short_desk_days_have_no_reminder_control(client: TestClient) -> None:
    intake_ok(client, desk_hours_per_day="2")
    page = client.get("/plan").text
    assert 'id="reminders"' not in page
    assert "/static/reminders.js" in page  # a reminder turned on earlier still runs
