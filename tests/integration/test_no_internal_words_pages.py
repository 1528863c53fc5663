"""No page, no download and no part of the OpenAPI schema shows a seed file name or the
word "seed" (issue 11, item 8). Every page state a person can reach is rendered through the
TestClient; the checks themselves live in tests/unit/test_no_internal_words.py.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from html.parser import HTMLParser

from fastapi.testclient import TestClient

from lumbo.adapters.clock import FixedClock
from lumbo.adapters.lesson_files import default_lessons
from tests.integration.test_pages import NO_FLAGS, intake_ok, screen_ok, start_session
from tests.unit.test_no_internal_words import internal_words, leaks


class VisibleText(HTMLParser):
    """The text a person sees: no markup, no scripts or styles, plus the titles and
    labels that assistive technology reads out."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        for name, value in attrs:
            if name in ("title", "alt", "aria-label", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def check(html: str, what: str) -> None:
    """No seed name or "seed" anywhere in the page (markup and data included), and no
    code words in what is shown."""
    assert leaks(html) == [], f"{what}: {leaks(html)[:3]}"
    text = visible(html)
    assert text, f"{what}: no visible text"
    assert internal_words(text) == [], f"{what}: {internal_words(text)[:3]}"


def get(client: TestClient, path: str, what: str | None = None) -> str:
    response = client.get(path)
    assert response.status_code in (200, 404), (path, response.status_code)
    check(response.text, what or path)
    return response.text


def test_the_pages_before_a_plan(client: TestClient) -> None:
    get(client, "/", "welcome")
    get(client, "/screen", "screen")
    missing = client.post("/screen", data={"saddle_numbness": "no"})
    assert missing.status_code == 422
    check(missing.text, "screen with missing answers")
    get(client, "/lessons", "lessons before a plan")
    get(client, "/settings", "settings before a plan")
    get(client, "/no-such-page", "not found")
    screen_ok(client)
    get(client, "/intake", "intake")
    refused = client.post("/intake", data={"pain_now": "seven"})
    assert refused.status_code == 422
    check(refused.text, "intake with errors")


def test_the_referral_pages(client: TestClient) -> None:
    response = client.post("/screen", data={**NO_FLAGS, "bladder_or_bowel_change": "yes"})
    assert response.status_code == 200
    check(response.text, "referral")
    get(client, "/intake", "intake after a referral")
    get(client, "/session", "session after a referral")


def test_the_pages_of_a_plan_and_every_lesson(client: TestClient, clock: FixedClock) -> None:
    intake_ok(client)
    get(client, "/plan", "plan")
    get(client, "/session", "session start")
    session_id, data = start_session(client)
    assert data["items"], "the player has items"
    player = get(client, f"/session/{session_id}", "player")
    raw = re.search(r'<script type="application/json" id="session-data">(.*?)</script>', player, re.S)
    assert raw and leaks(json.dumps(json.loads(raw.group(1)))) == []
    get(client, "/session", "session start with an unfinished session")
    get(client, "/progress", "progress")
    get(client, "/settings", "settings")
    lessons = default_lessons()
    locked = lessons[-1]
    get(client, f"/lessons/{locked.id}", "a lesson not open yet")
    clock.advance(dt.timedelta(days=max(lesson.unlock_day for lesson in lessons) + 1))
    listing = get(client, "/lessons", "lessons, all open")
    for lesson in lessons:
        assert f'href="/lessons/{lesson.id}"' in listing
        page = get(client, f"/lessons/{lesson.id}", f"lesson {lesson.id}")
        assert "Where this comes from" in page
        for shown in lesson.source_labels:
            assert shown.replace("\u201c", "&#8220;") in page or shown in page, (lesson.id, shown)
    get(client, "/plan", "plan, a month in")


def test_the_handout_download(client: TestClient) -> None:
    from pypdf import PdfReader

    intake_ok(client)
    response = client.get("/download/handout.pdf")
    assert response.status_code == 200
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "About your days" in " ".join(text.split())
    assert leaks(text) == [], leaks(text)[:3]


def test_the_openapi_schema(client: TestClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.dumps(response.json(), ensure_ascii=False)
    assert leaks(schema) == [], leaks(schema)[:3]
