"""The HTML pages through the FastAPI TestClient (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import json
import re
from html import escape as html_escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lumbo.adapters.clock import FixedClock
from lumbo.web import forms
from tests.seeds import seed_index

STATIC = Path(__file__).resolve().parents[2] / "src" / "lumbo" / "web" / "static"
NO_FLAGS = {name: "no" for name in forms.RED_FLAG_QUESTIONS}
INTAKE: dict[str, Any] = {
    "pain_now": "3",
    "pain_worst_week": "5",
    "duration_weeks": "10",
    "pain_trend": "same",
    "leg_pain_below_knee": "no",
    "pregnant": "no",
    "tight_areas": ["hip_flexors", "glutes", "hamstrings"],
    "goal": "",
    "chair_at_home": "yes",
    "equipment": ["mat"],
    "minutes_per_day": "10",
    "days_per_week": "5",
    "hip_stretches_per_day": "1",
    "level": "beginner",
    "desk_hours_per_day": "8",
    "exercise_days_per_week": "2",
    "sleep_hours": "7",
    "sleep_quality": "good",
    "sports": "cycling",
    "activity_1_name": "Putting on socks",
    "activity_1_score": "4",
}


class Inputs(HTMLParser):
    """Collects form controls, labels and outside links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[tuple[str, str | None, bool]] = []  # (name, id, inside a label)
        self.label_for: set[str] = set()
        self.label_depth = 0
        self.urls: list[str] = []
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang")
        if tag == "label":
            self.label_depth += 1
            if found.get("for"):
                self.label_for.add(found["for"] or "")
        if tag in ("input", "select", "textarea") and found.get("type") != "hidden":
            self.controls.append((found.get("name") or "", found.get("id"), self.label_depth > 0))
        for attribute in ("src", "href", "action"):
            if found.get(attribute):
                self.urls.append(found[attribute] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.label_depth -= 1


def check_page(html: str) -> Inputs:
    """Every page: lang="en", a skip link, each control labelled, nothing loaded from outside."""
    parsed = Inputs()
    parsed.feed(html)
    assert parsed.lang == "en"
    assert 'class="skip-link" href="#main"' in html
    for name, control_id, wrapped in parsed.controls:
        assert wrapped or (control_id and control_id in parsed.label_for), f"unlabelled {name}"
    outside = [url for url in parsed.urls if re.match(r"^(https?:)?//", url)]
    assert not outside, outside
    return parsed


def screen_ok(client: TestClient) -> None:
    response = client.post("/screen", data=NO_FLAGS, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/intake"


def intake_ok(client: TestClient, **changes: Any) -> None:
    screen_ok(client)
    response = client.post("/intake", data={**INTAKE, **changes}, follow_redirects=False)
    assert response.status_code == 303, response.text[:2000]
    assert response.headers["location"] == "/plan"


def test_welcome_has_the_disclaimer_and_leads_to_the_screen(client: TestClient) -> None:
    html = client.get("/").text
    check_page(html)
    assert "not medical advice" in html
    assert 'href="/screen"' in html


def test_without_a_screen_there_is_no_intake_and_no_plan(client: TestClient) -> None:
    for path in ("/intake", "/plan", "/session"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/screen"


def test_screen_form_missing_answers_come_back_named_with_the_rest_kept(client: TestClient) -> None:
    response = client.post("/screen", data={"saddle_numbness": "no", "major_trauma": "yes"})
    assert response.status_code == 422
    html = response.text
    check_page(html)
    assert html.count("Please answer yes or no.") == 2 * 6  # summary + next to each field
    assert re.search(r'name="major_trauma" value="yes" checked', html)
    assert re.search(r'name="saddle_numbness" value="no" checked', html)


def test_a_red_flag_gives_a_calm_referral_and_no_plan(client: TestClient) -> None:
    response = client.post("/screen", data={**NO_FLAGS, "bladder_or_bowel_change": "yes"})
    assert response.status_code == 200
    check_page(response.text)
    assert "Please get medical help now" in response.text
    assert "lumbo has <strong>not</strong> made an exercise plan" in response.text
    assert client.get("/api/v1/plan").json()["status"] == "refer"
    assert client.get("/plan", follow_redirects=False).status_code == 303
    intake = client.get("/intake")
    assert "Please get medical help now" in intake.text  # the screen cannot be skipped
    kept = client.get("/screen").text
    assert re.search(r'name="bladder_or_bowel_change" value="yes" checked', kept)


def test_intake_bad_input_names_the_problem_and_keeps_what_was_typed(client: TestClient) -> None:
    screen_ok(client)
    typed = {**INTAKE, "pain_now": "seven", "days_per_week": "9", "activity_2_score": "5"}
    response = client.post("/intake", data=typed)
    assert response.status_code == 422
    html = response.text
    check_page(html)
    assert "Pain now must be a whole number from 0 to 10; you typed &#39;seven&#39;." in html
    assert "Days per week must be a whole number from 1 to 7" in html
    assert "Name the activity this score is for." in html
    assert 'value="seven"' in html and 'value="cycling"' in html
    assert re.search(r'value="glutes" checked', html)
    assert 'aria-invalid="true"' in html


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("leg_pain_below_knee", "Tell us whether the pain spreads below the knee."),
        (
            "pain_trend",
            "Tell us whether the pain is getting better, staying about the same or getting worse.",
        ),
    ],
)
def test_an_unanswered_triage_question_is_refused_named_and_the_rest_kept(
    client: TestClient, name: str, message: str
) -> None:
    screen_ok(client)
    typed = {key: value for key, value in INTAKE.items() if key != name}
    response = client.post("/intake", data=typed)
    assert response.status_code == 422
    html = response.text
    check_page(html)
    assert f'<p class="error-message" id="{name}-error">{message}</p>' in html
    assert f'<li><a href="#{name}">{message}</a></li>' in html  # the summary names it too
    assert not re.search(rf'name="{name}" value="[a-z]+" checked', html)  # still unanswered
    for kept in ('name="pain_now" value="3"', 'value="cycling"', 'value="Putting on socks"'):
        assert kept in html, kept
    assert re.search(r'value="glutes" checked', html) and re.search(
        r'name="pregnant" value="no" checked', html
    )
    assert client.get("/api/v1/profile").status_code == 404


def test_every_required_intake_answer_is_named_when_missing(client: TestClient) -> None:
    screen_ok(client)
    html = client.post("/intake", data={}).text
    for name, message in forms.INTAKE_MISSING.items():  # the same words the browser's Next uses
        assert f'id="{name}-error">{html_escape(message)}</p>' in html, name
    assert set(forms.INTAKE_MISSING) <= set(re.findall(r'<a href="#([a-z_0-9]+)">', html))


def test_no_triage_question_is_pre_answered(client: TestClient) -> None:
    """A fresh screen and a fresh intake tick nothing that can lead to a referral."""
    screen = client.get("/screen").text
    assert 'name="saddle_numbness" value="yes" required' in screen
    assert " checked" not in screen
    assert 'class="step-count">Step 1 of 5: Safety' in screen
    screen_ok(client)
    intake = client.get("/intake").text
    for name in ("pain_trend", "leg_pain_below_knee", "pregnant", "sleep_quality"):
        radios = re.findall(rf'<input type="radio" name="{name}"[^>]*>', intake)
        assert radios and all(" checked" not in radio and " required" in radio for radio in radios), name
    for name in ("desk_hours_per_day", "exercise_days_per_week", "sleep_hours"):
        assert re.search(rf'name="{name}" value=""[^>]* required', intake), name  # asked, not assumed
    assert '<script type="module" src="/static/intake.js"></script>' in intake
    assert intake.count('<fieldset class="step"') == 4
    assert 'Step 2 of 5<span class="visually-hidden">:</span></span> Your pain' in intake


def test_odd_numbers_are_rejected_without_a_crash(client: TestClient) -> None:
    screen_ok(client)
    odd = {**INTAKE, "pain_now": "inf", "pain_worst_week": "nan", "duration_weeks": "1e999"}
    response = client.post("/intake", data={**odd, "minutes_per_day": "-0", "conditions": "bogus"})
    assert response.status_code == 422
    for field in ("pain_now", "pain_worst_week", "duration_weeks", "minutes_per_day", "conditions"):
        assert f'id="{field}-error"' in response.text, field


def test_query_words_that_are_not_numbers_do_not_break_pages(client: TestClient) -> None:
    assert client.get("/progress?finished=abc").status_code == 200
    assert client.get("/settings?deleted=x").status_code == 200


def test_worst_pain_below_pain_now_is_explained(client: TestClient) -> None:
    screen_ok(client)
    response = client.post("/intake", data={**INTAKE, "pain_now": "6", "pain_worst_week": "2"})
    assert response.status_code == 422
    assert "Worst pain this week can&#39;t be lower than pain now" in response.text


def test_intake_answers_that_need_a_clinician_first_give_a_referral(client: TestClient) -> None:
    screen_ok(client)
    response = client.post("/intake", data={**INTAKE, "leg_pain_below_knee": "yes"})
    assert response.status_code == 200
    assert "Please check with a clinician before you start" in response.text
    assert "Your plan for the week" not in client.get("/plan").text
    again = client.get("/intake")  # a wrong answer can be corrected
    assert again.status_code == 200
    assert re.search(r'name="leg_pain_below_knee" value="yes" checked', again.text)


def test_full_intake_gives_a_plan_with_figures_doses_and_reasons(client: TestClient) -> None:
    intake_ok(client)
    html = client.get("/plan").text
    check_page(html)
    assert "Your plan for the week" in html
    assert "Stage: Activation" in html or "Stage: Relief" in html
    decision = client.get("/api/v1/plan").json()
    first = decision["days"][0]["sessions"][0]["items"][0]
    assert first["name"] in html and first["why"].split(".")[0] in html
    assert re.search(r'<img src="/figures/[a-z0-9-]+\.svg"', html)
    assert "Start this session" in html
    assert "Break up long sitting" in html  # the lifestyle audit (8 desk hours)


def test_swapping_an_exercise_and_going_back(client: TestClient) -> None:
    intake_ok(client)
    html = client.get("/plan").text
    match = re.search(
        r'name="planned" value="([a-z0-9-]+)">\s*<input type="hidden" name="chosen" value="([a-z0-9-]+)"',
        html,
    )
    assert match, "no swap offered on today's plan"
    planned, chosen = match.groups()
    response = client.post("/plan/swap", data={"planned": planned, "chosen": chosen}, follow_redirects=False)
    assert response.status_code == 303
    swapped = client.get("/plan").text
    assert "Swapped in for" in swapped
    bad = client.post("/plan/swap", data={"planned": planned, "chosen": "not-an-exercise"})
    assert bad.status_code == 422 and "That swap is not available" in bad.text
    client.post("/plan/unswap", data={"planned": planned})
    assert "Swapped in for" not in client.get("/plan").text


def start_session(client: TestClient) -> tuple[str, dict[str, Any]]:
    response = client.post(
        "/session/start", data={"date": "2026-11-23", "index": "0"}, follow_redirects=False
    )
    assert response.status_code == 303
    session_id = response.headers["location"].rsplit("/", 1)[1]
    html = client.get(f"/session/{session_id}").text
    check_page(html)
    raw = re.search(r'<script type="application/json" id="session-data">(.*?)</script>', html, re.S)
    assert raw
    return session_id, json.loads(raw.group(1))


def test_the_session_page_carries_the_items_and_weighs_under_150_kb(client: TestClient) -> None:
    intake_ok(client)
    session_id, data = start_session(client)
    assert data["sessionId"] == session_id
    assert data["timerScale"] == 0.05
    assert data["itemUrl"] == f"/api/v1/sessions/{session_id}/items"
    assert data["items"] and all(item["cues"] for item in data["items"])
    html = client.get(f"/session/{session_id}").content
    weight = len(html) + len(client.get("/static/lumbo.css").content)
    weight += len(client.get("/static/player.js").content)
    for item in data["items"]:
        if item["figure"]:
            weight += len(client.get(item["figure"]).content)
    assert weight < 150_000, weight


def test_finishing_a_session_keeps_typed_values_on_error_then_saves(client: TestClient) -> None:
    intake_ok(client)
    session_id, data = start_session(client)
    first = data["items"][0]
    body = {
        "exercise": first["exercise"],
        "variation": first["variation"],
        "position": 0,
        "completed": True,
        "sets": first["sets"],
        "reps": first["reps"],
        "hold_seconds": first["hold_seconds"],
        "rating": "right",
    }
    assert client.post(data["itemUrl"], json=body).status_code == 201
    bad = client.post(f"/session/{session_id}/finish", data={"pain_before": "4", "rating_0": "hard"})
    assert bad.status_code == 422
    assert "Enter pain now as a whole number from 0 to 10." in bad.text
    assert 'value="4"' in bad.text and re.search(r'name="rating_0" value="hard" checked', bad.text)
    good = client.post(
        f"/session/{session_id}/finish",
        data={"pain_before": "4", "pain_after": "2", "rating_0": "hard"},
        follow_redirects=False,
    )
    assert good.status_code == 303 and good.headers["location"].startswith("/progress")
    stored = client.get(f"/api/v1/sessions/{session_id}").json()
    assert stored["pain_before"] == 4 and stored["pain_after"] == 2
    assert stored["items"][0]["item"]["rating"] == "hard"
    progress = client.get("/progress").text
    check_page(progress)
    assert "1 day with a finished session" in progress
    assert "<figcaption>Pain at the start of each session</figcaption>" in progress
    assert "<td>2026-11-23</td><td>4</td>" in progress


def test_a_resumed_session_reports_what_is_logged(client: TestClient) -> None:
    intake_ok(client)
    session_id, data = start_session(client)
    first = data["items"][0]
    client.post(
        data["itemUrl"],
        json={
            "exercise": first["exercise"],
            "variation": first["variation"],
            "position": 0,
            "rating": "pain",
            "completed": False,
        },
    )
    again_id, again = start_session(client)
    assert again_id == session_id
    assert again["items"][0]["logged"]["rating"] == "pain"
    assert "unfinished session" in client.get("/plan").text


def test_progress_is_empty_but_fine_before_any_session(client: TestClient) -> None:
    intake_ok(client)
    html = client.get("/progress").text
    check_page(html)
    assert "Finish a session to see your pain trend here." in html


def test_settings_export_and_delete_with_confirmation(client: TestClient) -> None:
    intake_ok(client)
    check_page(client.get("/settings").text)
    export = client.get("/settings/export")
    assert "attachment" in export.headers["content-disposition"]
    assert export.json()["format"] == "lumbo-export"
    wrong = client.post("/settings/delete", data={"confirm": "yes please"})
    assert wrong.status_code == 422 and 'value="yes please"' in wrong.text
    assert client.get("/api/v1/profile").status_code == 200
    done = client.post("/settings/delete", data={"confirm": "Delete everything"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/?deleted=1"
    welcome = client.get("/?deleted=1").text
    check_page(welcome)
    assert "Everything has been deleted" in welcome and "data-lumbo-forget" in welcome
    assert "data-lumbo-forget" not in client.get("/").text
    assert client.get("/api/v1/profile").status_code == 404


def test_lessons_open_over_time(client: TestClient, clock: FixedClock) -> None:
    import datetime as dt

    intake_ok(client)
    html = client.get("/lessons").text
    check_page(html)
    opened = re.findall(r'href="/lessons/([a-z0-9-]+)"', html)
    assert len(opened) == 1
    assert "Coming up" in html
    lesson = client.get(f"/lessons/{opened[0]}").text
    check_page(lesson)
    assert "Where this comes from" in lesson and not re.search(r"(?i)seed|\d{3}_[0-9a-f]{16}", lesson)
    clock.advance(dt.timedelta(days=30))
    assert len(re.findall(r'href="/lessons/([a-z0-9-]+)"', client.get("/lessons").text)) > 1
    assert client.get("/lessons/no-such-lesson").status_code == 404


def test_figures_are_served_and_unknown_ones_are_404(client: TestClient) -> None:
    response = client.get("/figures/glute-bridge.svg")
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert client.get("/figures/not-a-thing.svg").status_code == 404


def test_the_other_side_is_the_mirror_image_and_a_bad_side_is_refused(client: TestClient) -> None:
    left = client.get("/figures/side-plank.svg")
    right = client.get("/figures/side-plank.svg?side=right")
    assert right.status_code == 200 and right.headers["content-type"].startswith("image/svg+xml")
    assert right.text != left.text
    assert "lf-side-plank-r-right-" in right.text and "lf-side-plank-left-" in left.text
    bad = client.get("/figures/side-plank.svg?side=up")
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/json")


def test_the_stylesheet_and_player_load_nothing_from_outside() -> None:
    for name in ("lumbo.css", "player.js"):
        text = (STATIC / name).read_text(encoding="utf-8")
        assert not re.search(r"https?://", text), name
        assert "@import" not in text and "@font-face" not in text


def test_page_texts_share_no_eight_word_run_with_the_seeds() -> None:
    index = seed_index()
    web = STATIC.parent
    files = [
        *sorted((web / "templates").glob("*.html")),
        web / "forms.py",
        *sorted((web / "pages").glob("*.py")),
    ]
    files.append(STATIC / "player.js")
    for path in files:
        assert index.shared_runs(path.read_text(encoding="utf-8")) == [], path.name


def test_the_intake_script_loads_nothing_from_outside_and_shares_no_seed_text() -> None:
    text = (STATIC / "intake.js").read_text(encoding="utf-8")
    assert not re.search(r"https?://", text) and "import " not in text
    assert seed_index().shared_runs(text) == []


def test_opening_the_screen_again_asks_every_no_afresh(client: TestClient) -> None:
    """A "yes" stays ticked (it explains the referral); a "no" is not ticked again, so no
    warning sign is clicked through from last time."""
    client.post("/screen", data={**NO_FLAGS, "fever_or_unwell": "yes"})
    html = client.get("/screen").text
    assert re.search(r'name="fever_or_unwell" value="yes"[^>]*checked', html)
    for name in NO_FLAGS:
        assert not re.search(rf'name="{name}" value="no"[^>]*checked', html), name
