"""The lifestyle audit rules (thresholds in lumbo.domain.lifestyle and docs/lessons.md)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lumbo.domain.lifestyle import (
    FEW_ACTIVE_DAYS,
    LONG_DESK_HOURS,
    SHORT_SLEEP_HOURS,
    audit,
    needs_sitting_breaks,
)
from lumbo.domain.model import Profile
from lumbo.domain.sources import label
from tests.seeds import SEED_FILES, SEEDS_DIR, seed_index

ALL_WELL: dict[str, Any] = {
    "desk_hours_per_day": 2,
    "lifestyle": {"exercise_days_per_week": 4, "sleep_hours": 8, "sleep_quality": "good", "overweight": False},
}


def person(desk: float | None = None, **lifestyle: Any) -> Profile:
    data: dict[str, Any] = {
        "pain_now": 3,
        "pain_worst_week": 5,
        "duration_weeks": 8,
        "desk_hours_per_day": ALL_WELL["desk_hours_per_day"] if desk is None else desk,
        "lifestyle": {**ALL_WELL["lifestyle"], **lifestyle},
    }
    return Profile.model_validate(data)


def ids(profile: Profile) -> list[str]:
    return [item.id for item in audit(profile)]


def test_nothing_when_all_is_well() -> None:
    assert audit(person()) == []


def test_nine_desk_hours_bring_a_sitting_break_suggestion() -> None:
    [suggestion] = audit(person(desk=9))
    assert suggestion.id == "sitting-breaks"
    assert "9 hours" in suggestion.suggestion
    assert "30 to 60 minutes" in suggestion.suggestion
    assert suggestion.source == "002_e14ac49bdaa1a107.txt"
    assert "hip flexors" in suggestion.reason and "glutes" in suggestion.reason


@pytest.mark.parametrize(("hours", "expected"), [(0, False), (5.9, False), (6, True), (6.5, True), (14, True)])
def test_desk_hours_boundary(hours: float, expected: bool) -> None:
    assert LONG_DESK_HOURS == 6
    assert ("sitting-breaks" in ids(person(desk=hours))) is expected
    assert needs_sitting_breaks(hours) is expected


def test_five_hours_of_poor_sleep_bring_a_sleep_suggestion() -> None:
    [suggestion] = audit(person(sleep_hours=5, sleep_quality="poor"))
    assert suggestion.id == "sleep"
    assert "5 hours" in suggestion.suggestion and "poor" in suggestion.suggestion
    assert suggestion.source == "003_f946f2588c8df1e8.txt"


@pytest.mark.parametrize(
    ("hours", "quality", "expected"),
    [
        (7, "good", False),
        (7, "fair", False),
        (6.9, "good", True),
        (9, "poor", True),
        (8, "fair", False),
        (0, "good", True),
    ],
)
def test_sleep_boundaries(hours: float, quality: str, expected: bool) -> None:
    assert SHORT_SLEEP_HOURS == 7
    assert ("sleep" in ids(person(sleep_hours=hours, sleep_quality=quality))) is expected


def test_sleep_text_names_only_what_is_wrong() -> None:
    [short] = audit(person(sleep_hours=6, sleep_quality="good"))
    assert "6 hours" in short.suggestion and "poor" not in short.suggestion
    [poor] = audit(person(sleep_hours=8, sleep_quality="poor"))
    assert "poor" in poor.suggestion and "8 hours" not in poor.suggestion


@pytest.mark.parametrize(("days", "expected"), [(0, True), (1, True), (2, True), (3, False), (7, False)])
def test_activity_boundary(days: int, expected: bool) -> None:
    assert FEW_ACTIVE_DAYS == 3
    assert ("activity" in ids(person(exercise_days_per_week=days))) is expected


def test_activity_text_counts_days_in_words() -> None:
    assert "on no days a week" in audit(person(exercise_days_per_week=0))[0].suggestion
    assert "on 1 day a week" in audit(person(exercise_days_per_week=1))[0].suggestion
    assert "on 2 days a week" in audit(person(exercise_days_per_week=2))[0].suggestion


def test_overweight_brings_a_weight_suggestion() -> None:
    [suggestion] = audit(person(overweight=True))
    assert suggestion.id == "weight"
    assert suggestion.source == "003_f946f2588c8df1e8.txt"


def test_sports_alone_bring_nothing() -> None:
    assert audit(person(sports=["football", "tennis"])) == []


def test_everything_at_once_in_a_fixed_order() -> None:
    profile = person(desk=10, sleep_hours=5, sleep_quality="poor", exercise_days_per_week=0, overweight=True)
    assert ids(profile) == ["sitting-breaks", "sleep", "activity", "weight"]


def test_a_default_profile_is_asked_to_move_more() -> None:
    # The profile's defaults: 0 desk hours, 7.5 h of good sleep, 0 exercise days.
    profile = Profile(pain_now=2, pain_worst_week=2, duration_weeks=1)
    assert ids(profile) == ["activity"]


def _every_suggestion() -> list[Any]:
    return audit(person(desk=10, sleep_hours=5, sleep_quality="poor", exercise_days_per_week=0, overweight=True))


def test_every_suggestion_rests_on_an_existing_seed_it_never_names() -> None:
    for item in _every_suggestion():
        assert item.source in SEED_FILES
        assert label(item.source) is not None  # shown to people by title and author
        text = f"{item.title} {item.suggestion} {item.reason}"
        assert item.source not in text and "seed" not in text.lower(), item.id
        if SEEDS_DIR.is_dir():
            assert (SEEDS_DIR / item.source).is_file()


def test_no_moralising_words() -> None:
    for item in _every_suggestion():
        text = f"{item.title} {item.suggestion} {item.reason}".lower()
        for word in ("you should", "you must", "lazy", "bad habit", "obese", "fault"):
            assert word not in text, (item.id, word)


def test_suggestions_share_no_eight_words_with_a_seed() -> None:
    index = seed_index()
    for item in _every_suggestion():
        assert index.shared_runs(f"{item.title}. {item.suggestion} {item.reason}") == [], item.id


@settings(max_examples=200, deadline=None)
@given(
    desk=st.floats(min_value=0, max_value=24, allow_nan=False),
    sleep=st.floats(min_value=0, max_value=24, allow_nan=False),
    quality=st.sampled_from(["good", "fair", "poor"]),
    days=st.integers(min_value=0, max_value=7),
    overweight=st.booleans(),
)
def test_each_suggestion_appears_exactly_when_its_rule_holds(
    desk: float, sleep: float, quality: str, days: int, overweight: bool
) -> None:
    found = ids(
        person(desk=desk, sleep_hours=sleep, sleep_quality=quality, exercise_days_per_week=days, overweight=overweight)
    )
    expected = [
        name
        for name, rule in [
            ("sitting-breaks", desk >= 6),
            ("sleep", sleep < 7 or quality == "poor"),
            ("activity", days < 3),
            ("weight", overweight),
        ]
        if rule
    ]
    assert found == expected
