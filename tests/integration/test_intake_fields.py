"""The intake's newer questions (issue 9, item 7): weak areas, goal, pregnancy and birth,
hip stretches once or twice a day, a chair at home. Each is saved from the form, shown
again when the answers are edited from Settings, and checked with a 422 that keeps what
was typed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lumbo.domain.model import Profile
from lumbo.domain.words import GOALS, WEAK_AREAS
from lumbo.web import forms
from tests.integration.test_pages import INTAKE, check_page, intake_ok, screen_ok

API = "/api/v1"

NEW_ANSWERS: dict[str, Any] = {
    "weak_areas": ["glutes", "upper_back"],
    "goal": "sit_longer",
    "pregnant": "no",
    "postpartum_months": "5",
    "hip_stretches_per_day": "2",
    "chair_at_home": "no",
}


def checked(html: str, name: str, value: str) -> bool:
    return re.search(rf'name="{name}" value="{re.escape(value)}" checked', html) is not None


def test_every_new_answer_is_saved_and_shown_again_when_editing(client: TestClient) -> None:
    intake_ok(client, **NEW_ANSWERS, equipment=["mat", "chair"])
    saved = client.get(f"{API}/profile").json()
    assert saved["weak_areas"] == ["glutes", "upper_back"]
    assert saved["goal"] == "sit_longer"
    assert saved["pregnant"] is False and saved["postpartum_months"] == 5
    assert saved["hip_stretches_per_day"] == 2
    assert saved["chair_at_home"] is False and "chair" not in saved["equipment"]  # "no" wins

    # Settings -> "Edit my answers" goes through the screen to the intake, filled in.
    assert 'href="/screen"' in client.get("/settings").text
    screen_ok(client)
    html = client.get("/intake").text
    check_page(html)
    assert checked(html, "weak_areas", "glutes") and checked(html, "weak_areas", "upper_back")
    assert not checked(html, "weak_areas", "core")
    assert checked(html, "goal", "sit_longer")
    assert checked(html, "pregnant", "no") and not checked(html, "pregnant", "yes")
    assert re.search(r'name="postpartum_months" value="5"', html)
    assert checked(html, "hip_stretches_per_day", "2")
    assert checked(html, "chair_at_home", "no")


def test_a_chair_answered_yes_is_equipment_too(client: TestClient) -> None:
    intake_ok(client, chair_at_home="yes", equipment=["mat"])
    saved = client.get(f"{API}/profile").json()
    assert saved["chair_at_home"] is True and saved["equipment"] == ["mat", "chair"]


def test_a_fresh_intake_asks_every_question_and_pre_answers_no_safety_one(client: TestClient) -> None:
    screen_ok(client)
    html = client.get("/intake").text
    check_page(html)  # every control labelled
    for area in WEAK_AREAS:
        assert f'name="weak_areas" value="{area}"' in html, area
    for goal in GOALS:
        assert f'name="goal" value="{goal}"' in html, goal
    assert "Counts as weak if:" in html and "Are you pregnant?" in html
    assert "Did you give birth in the last two years? If so, how many months ago?" in html
    assert "Do you have a sturdy chair you can use?" in html
    # Defaults for the everyday choices; none for the safety question.
    assert checked(html, "goal", "") and checked(html, "hip_stretches_per_day", "1")
    assert checked(html, "chair_at_home", "yes")
    assert not checked(html, "pregnant", "yes") and not checked(html, "pregnant", "no")
    # ...and each default says so next to it (issue 11): a filled-in answer is never silent.
    for note in (
        "We assumed you have one: change it if not.",
        "We assumed once a day: change it if you like.",
        "We assumed Beginner, the gentlest start",
        "We suggest 15 to start",
        "We suggest 5: change it",
        "We ticked “Not sure” for you",
    ):
        assert note in html, note
    assert re.search(r'name="postpartum_months" value=""', html)
    # The old checkboxes would ask twice: pregnancy and the chair are their own questions.
    assert 'name="conditions" value="pregnancy"' not in html
    assert 'name="equipment" value="chair"' not in html


def test_the_pregnancy_question_needs_an_answer(client: TestClient) -> None:
    screen_ok(client)
    typed = {key: value for key, value in INTAKE.items() if key != "pregnant"}
    response = client.post("/intake", data={**typed, "postpartum_months": "3"})
    assert response.status_code == 422
    html = response.text
    check_page(html)
    assert 'id="pregnant-error"' in html and "are you pregnant?" in html
    assert 'href="#pregnant"' in html  # the summary links to the question
    assert re.search(r'name="postpartum_months" value="3"', html)  # the rest is kept
    assert client.get(f"{API}/profile").status_code == 404


def test_pregnant_yes_is_saved_and_asks_to_see_a_clinician_first(client: TestClient) -> None:
    screen_ok(client)
    response = client.post("/intake", data={**INTAKE, "pregnant": "yes"})
    assert response.status_code == 200
    assert "You are pregnant." in response.text  # the before-starting referral, as before
    saved = client.get(f"{API}/profile").json()
    assert saved["pregnant"] is True and saved["conditions"] == ["pregnancy"]
    again = client.get("/intake").text
    assert checked(again, "pregnant", "yes")
    # Saying no again takes the condition away as well.
    intake_ok(client, pregnant="no")
    saved = client.get(f"{API}/profile").json()
    assert saved["pregnant"] is False and saved["conditions"] == []


@pytest.mark.parametrize("typed", ["-1", "abc", "9999", "2.5", "601"])
def test_bad_months_since_birth_are_named_and_kept(client: TestClient, typed: str) -> None:
    screen_ok(client)
    response = client.post("/intake", data={**INTAKE, "postpartum_months": typed})
    assert response.status_code == 422
    html = response.text
    check_page(html)
    message = f"Months since giving birth must be a whole number from 0 to 600; you typed &#39;{typed}&#39;."
    assert message in html
    assert 'id="postpartum_months-error"' in html and 'href="#postpartum_months"' in html
    assert re.search(rf'name="postpartum_months" value="{re.escape(typed)}"[^>]*aria-invalid="true"', html)
    assert checked(html, "pregnant", "no") and 'value="cycling"' in html  # the rest is kept


@pytest.mark.parametrize(("typed", "saved"), [("", None), ("0", 0), ("600", 600), (" 14 ", 14)])
def test_months_since_birth_are_optional_whole_months(
    client: TestClient, typed: str, saved: int | None
) -> None:
    intake_ok(client, postpartum_months=typed)
    assert client.get(f"{API}/profile").json()["postpartum_months"] == saved


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("weak_areas", "toes"),
        ("goal", "fly"),
        ("hip_stretches_per_day", "3"),
        ("chair_at_home", "maybe"),
        ("pregnant", "perhaps"),
    ],
)
def test_unknown_choices_are_named_not_saved(client: TestClient, name: str, value: str) -> None:
    screen_ok(client)
    response = client.post("/intake", data={**INTAKE, name: value})
    assert response.status_code == 422
    assert f'id="{name}-error"' in response.text
    assert client.get(f"{API}/profile").status_code == 404


def test_a_profile_saved_before_the_question_existed_is_not_answered_no() -> None:
    older = Profile.model_validate({"pain_now": 2, "pain_worst_week": 3, "duration_weeks": 4})
    assert forms.profile_values(older)["pregnant"] == ""
    answered = Profile.model_validate(
        {"pain_now": 2, "pain_worst_week": 3, "duration_weeks": 4, "pregnant": False}
    )
    assert forms.profile_values(answered)["pregnant"] == "no"
    listed = Profile.model_validate(
        {"pain_now": 2, "pain_worst_week": 3, "duration_weeks": 4, "conditions": ["pregnancy"]}
    )
    values = forms.profile_values(listed)
    assert values["pregnant"] == "yes" and values["conditions"] == []


def test_the_api_takes_the_new_fields(client: TestClient) -> None:
    profile = {
        "pain_now": 3,
        "pain_worst_week": 5,
        "duration_weeks": 6,
        "weak_areas": ["core"],
        "goal": "gym_lifting",
        "pregnant": False,
        "postpartum_months": 8,
        "hip_stretches_per_day": 2,
        "chair_at_home": False,
    }
    assert client.put(f"{API}/profile", json=profile).status_code == 200
    got = client.get(f"{API}/profile").json()
    assert {key: got[key] for key in profile} == profile
    bad = client.put(f"{API}/profile", json={**profile, "postpartum_months": 601})
    assert bad.status_code == 422 and "postpartum_months" in bad.json()["detail"]


def test_lumbo_schema_profile_lists_the_new_fields() -> None:
    import json

    from typer.testing import CliRunner

    from lumbo.cli.main import app

    result = CliRunner().invoke(app, ["schema", "profile"])
    assert result.exit_code == 0, result.output
    properties = json.loads(result.stdout)["properties"]
    for name in (
        "weak_areas",
        "goal",
        "pregnant",
        "postpartum_months",
        "hip_stretches_per_day",
        "chair_at_home",
    ):
        assert name in properties, name
    assert json.dumps(properties["postpartum_months"]).count("600") == 1
