"""The plan page on a phone (today first, the week folded, each figure once, plural words),
what changed since the last session (plan and progress), and the HTML 404 page."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from fastapi.testclient import TestClient

from lumbo.adapters.clock import FixedClock
from lumbo.services.progress import new_for_new_areas, plain_dates, since_last_session
from lumbo.web.pages.common import long_date
from lumbo.web.pages.plan import session_summary
from tests.integration.test_pages import check_page, intake_ok


def plan_items(client: TestClient) -> list[dict[str, Any]]:
    decision = client.get("/api/v1/plan").json()
    return [item for day in decision["days"] for s in day["sessions"] for item in s["items"]]


def test_each_exercise_figure_is_drawn_once(client: TestClient) -> None:
    intake_ok(client)
    page = client.get("/plan").text
    check_page(page)
    drawn = Counter(re.findall(r'<img src="/figures/([a-z0-9-]+)\.svg"', page))
    assert drawn and max(drawn.values()) == 1, drawn
    items = plan_items(client)
    assert len({item["variation"] for item in items}) < len(items), "no exercise repeats this week"
    for item in items:  # every exercise with a drawing has it once, with its still version beside
        if client.get(f"/figures/{item['variation']}.svg").status_code == 200:
            assert drawn[item["variation"]] == 1
            assert f'data-still="/figures/still/{item["variation"]}.svg"' in page
    # every card is still there, one per planned item
    assert page.count('<li class="item"') == len(items)
    img = re.search(r'<img src="/figures/[a-z0-9-]+\.svg"[^>]*>', page)
    assert img and 'width="320"' in img.group(0) and 'height="240"' in img.group(0)
    assert 'loading="lazy"' in img.group(0)
    assert '<script type="module" src="/static/plan.js"></script>' in page
    assert client.get("/static/plan.js").status_code == 200


def test_the_still_figure_has_no_movement(client: TestClient) -> None:
    still = client.get("/figures/still/glute-bridge.svg")
    moving = client.get("/figures/glute-bridge.svg")
    assert still.status_code == 200 and still.headers["content-type"].startswith("image/svg+xml")
    assert "@keyframes" in moving.text and "@keyframes" not in still.text
    assert "public" in still.headers["cache-control"]
    assert client.get("/figures/still/not-a-thing.svg").status_code == 404


def test_today_and_its_start_button_come_before_the_week(client: TestClient, clock: FixedClock) -> None:
    intake_ok(client)
    page = client.get("/plan").text
    start = page.index("Start this session")
    assert page.index(f"Today, {long_date(clock.today())}") < start
    week = page.index('id="week-h"')
    assert start < week < page.index('id="stage-heading"')
    days = re.findall(r'<details class="day">\s*<summary>', page[week:])
    planned_days = client.get("/api/v1/plan").json()["days"]
    assert len(days) == len(planned_days) - 1 >= 3  # the other training days, each folded
    assert '<details class="day" open' not in page
    # the week's summaries say what each day holds, in right plurals
    assert re.search(
        r'class="day-summary">(Rest day|(\d+ sessions: )?\d+ exercises?, about \d+ minutes?)<', page
    )


def test_plural_words() -> None:
    assert session_summary(1, 1) == "1 exercise, about 1 minute"
    assert session_summary(3, 12) == "3 exercises, about 12 minutes"
    assert session_summary(2, 1) == "2 exercises, about 1 minute"


def test_cached_plan_page_is_the_same_page(client: TestClient) -> None:
    intake_ok(client)
    first = client.get("/plan").text
    assert client.get("/plan").text == first


def finish_with(client: TestClient, day: dt.date, rating: str, count: int = 1) -> list[dict[str, Any]]:
    """Start today's first session through the API, log its first ``count`` items with
    ``rating`` (the others easy), and finish it."""
    opened = client.post("/api/v1/sessions", json={"date": day.isoformat(), "session_index": 0})
    assert opened.status_code in (200, 201), opened.text
    body = opened.json()
    session_id = (
        body.get("session", body).get("id") if isinstance(body.get("session", body), dict) else body["id"]
    )
    decision = client.get("/api/v1/plan").json()
    items = decision["days"][0]["sessions"][0]["items"]
    for position, item in enumerate(items):
        logged = client.post(
            f"/api/v1/sessions/{session_id}/items",
            json={
                "exercise": item["exercise"],
                "variation": item["variation"],
                "position": position,
                "completed": rating != "pain" or position >= count,
                "sets": item["sets"],
                "reps": item["reps"],
                "hold_seconds": item["hold_seconds"],
                "rating": rating if position < count else "right",
            },
        )
        assert logged.status_code == 201, logged.text
    finished = client.post(f"/api/v1/sessions/{session_id}/finish", json={"pain_before": 3, "pain_after": 3})
    assert finished.status_code == 200, finished.text
    return list(items)


def test_a_pain_rating_is_listed_with_its_date_on_plan_and_progress(
    client: TestClient, clock: FixedClock
) -> None:
    intake_ok(client)
    day = clock.today()
    assert "Since your last session" not in client.get("/plan").text  # nothing done yet
    items = finish_with(client, day, "pain")
    clock.advance(dt.timedelta(days=1))
    when = long_date(day)
    plan = client.get("/plan").text
    check_page(plan)
    assert "Since your last session" in plan
    since = plan[plan.index("Since your last session") :]
    since = since[: since.index("</section>")]
    assert f"<strong>{when}:</strong>" in since
    assert f"<strong>{when}:</strong> {items[0]['name']} hurt, so " in since.replace("&#39;", "'")
    # the list comes after Start and before today's exercises
    assert (
        plan.index("Start this session")
        < plan.index("Since your last session")
        < plan.index('<li class="item')
    )
    progress = client.get("/progress").text
    check_page(progress)
    assert "Since your last session" in progress
    assert f"<strong>{when}:</strong> {items[0]['name']} hurt, so " in progress.replace("&#39;", "'")
    assert "No exercise changes step yet" not in progress
    # the notes do not say it a second time
    assert plan.count(f"{items[0]['name']} hurt") == 1


def test_an_easy_session_changes_nothing_and_progress_says_so(client: TestClient, clock: FixedClock) -> None:
    intake_ok(client)
    finish_with(client, clock.today(), "right", count=0)
    clock.advance(dt.timedelta(days=1))
    assert "Since your last session" not in client.get("/plan").text
    assert "Since your last session" not in client.get("/progress").text


def test_since_last_session_is_pure_and_ordered() -> None:
    monday, tuesday, wednesday = dt.date(2026, 11, 23), dt.date(2026, 11, 24), dt.date(2026, 11, 25)
    changes = [(wednesday, "c"), (monday, "a"), (tuesday, "b"), (wednesday, "c"), (wednesday, "d")]
    assert since_last_session(changes, None) == []
    assert since_last_session(changes, tuesday) == [(tuesday, "b"), (wednesday, "c"), (wednesday, "d")]
    assert plain_dates("hurt on 2026-11-23, out until 2026-12-07.") == (
        "hurt on Monday 23 November, out until Monday 7 December."
    )
    assert plain_dates("not a date: 2026-13-45") == "not a date: 2026-13-45"


def test_new_exercises_for_a_new_tight_area() -> None:
    from lumbo.adapters.catalogue_files import default_catalogue
    from lumbo.domain.model import Profile

    catalogue = default_catalogue()
    stretch = next(e for e in catalogue if e.category == "stretch" and "calves" in e.targets)
    before = Profile(pain_now=3, pain_worst_week=5, duration_weeks=10, tight_areas=["hamstrings"])
    after = before.model_copy(update={"tight_areas": ["hamstrings", "calves"]})
    day = dt.date(2026, 11, 24)
    planned = [(stretch.id, stretch.name)]
    assert new_for_new_areas(before, after, day, planned, set(), catalogue) == [
        (day, f"New: {stretch.name}, because you now say your calves feel tight.")
    ]
    assert new_for_new_areas(before, after, day, planned, {stretch.family_id}, catalogue) == []
    assert new_for_new_areas(after, after, day, planned, set(), catalogue) == []
    assert new_for_new_areas(None, after, day, planned, set(), catalogue) == []


def test_unknown_pages_answer_an_html_404_with_a_way_back(client: TestClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    check_page(page)
    assert re.search(r"<title>[^<]*not found[^<]*</title>", page, re.I)
    assert '<html lang="en">' in page and 'href="/plan"' in page
    assert response.headers["cache-control"] == "no-store"


def test_unknown_api_addresses_keep_answering_json(client: TestClient) -> None:
    response = client.get("/api/v1/nope")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"detail": "Not Found"}
    missing = client.get("/api/v1/sessions/00000000000000000000000000000000")
    assert missing.status_code in (404, 422) and missing.headers["content-type"].startswith(
        "application/json"
    )
