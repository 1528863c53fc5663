"""The bounds on what may be stored: dates within 1900-2200 (also in UTC), counters capped,
no NUL characters in text. The edges themselves are accepted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from lumbo.domain.bounds import MAX_COUNTER, MAX_DATE, MIN_DATE
from lumbo.domain.model import (
    Decision,
    HardActivity,
    ItemLog,
    Lifestyle,
    PlanDay,
    PlanItem,
    PlanSession,
    SessionLog,
)
from lumbo.ports import (
    MAX_ITEM_POSITION,
    LoggedItem,
    PlanRecord,
    ProfileVersion,
    ScreenRecord,
    SessionRecord,
)
from lumbo.services.errors import InvalidInput
from lumbo.services.progress import PainPoint, Progress
from lumbo.services.records import ProfileSaved
from lumbo.services.shared import check_date, check_window
from lumbo.services.transfer import ExportDocument

MOMENT = dt.datetime(2026, 11, 23, 8, 30, tzinfo=dt.UTC)
PROFILE = {"pain_now": 3, "pain_worst_week": 5, "duration_weeks": 6}
ITEM = {"exercise": "glute-bridge", "hold_seconds": 20, "rating": "right"}
PLAN_ITEM: dict[str, Any] = {
    "exercise": "glute-bridge",
    "variation": "glute-bridge",
    "name": "Glute bridge",
    "category": "activation",
    "sets": 1,
    "reps": 10,
    "hold_seconds": None,
    "per_side": False,
    "rest_seconds": 15,
    "estimated_seconds": 60,
    "equipment": [],
    "why": "Wakes the glutes.",
}

TOO_EARLY = MIN_DATE - dt.timedelta(days=1)
TOO_LATE = MAX_DATE + dt.timedelta(days=1)


def at(day: dt.date, tz: dt.tzinfo = dt.UTC) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=tz)


# Each case: a model, valid fields, the field to push and its accepted and refused values.
DATE_CASES: list[tuple[type[BaseModel], dict[str, Any], str]] = [
    (SessionLog, {"pain_before": 3, "pain_after": 2}, "date"),
    (PlanDay, {"sessions": []}, "date"),
    (PlanRecord, {"id": "p1", "created_at": MOMENT, "days": 7, "decision": {"status": "plan"}}, "start"),
    (SessionRecord, {"id": "s1", "started_at": MOMENT}, "date"),
    (PainPoint, {"pain_before": 1, "pain_after": 1}, "date"),
]
MOMENT_CASES: list[tuple[type[BaseModel], dict[str, Any], str]] = [
    (ProfileVersion, {"version": 1, "profile": PROFILE}, "saved_at"),
    (ScreenRecord, {"id": "s1", "red_flags": {}, "referred": False}, "saved_at"),
    (PlanRecord, {"id": "p1", "start": dt.date(2026, 11, 23), "days": 7, "decision": {"status": "plan"}}, "created_at"),
    (LoggedItem, {"position": 0, "item": ITEM}, "logged_at"),
    (SessionRecord, {"id": "s1", "date": dt.date(2026, 11, 23)}, "started_at"),
    (SessionRecord, {"id": "s1", "date": dt.date(2026, 11, 23), "started_at": MOMENT}, "finished_at"),
    (ExportDocument, {}, "exported_at"),
    (ProfileSaved, {"version": 1}, "saved_at"),
]


@pytest.mark.parametrize(("model", "fields", "name"), DATE_CASES)
def test_dates_are_bounded_and_the_edges_accepted(
    model: type[BaseModel], fields: dict[str, Any], name: str
) -> None:
    for day in (MIN_DATE, MAX_DATE, dt.date(2026, 11, 23)):
        model.model_validate(fields | {name: day})
    for day in (TOO_EARLY, TOO_LATE, dt.date.min, dt.date.max):
        with pytest.raises(ValidationError, match=f"{name}\n.*between 1900-01-01 and 2200-12-31"):
            model.model_validate(fields | {name: day})


@pytest.mark.parametrize(("model", "fields", "name"), MOMENT_CASES)
def test_moments_are_bounded_where_given_and_in_utc(
    model: type[BaseModel], fields: dict[str, Any], name: str
) -> None:
    for moment in (at(MIN_DATE), at(MAX_DATE), MOMENT, "2026-11-23T08:30:00Z"):
        model.model_validate(fields | {name: moment})
    late_evening_west = dt.datetime(2200, 12, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    early_morning_east = dt.datetime(1900, 1, 1, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    refused = [
        at(TOO_EARLY),
        at(TOO_LATE),
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59-14:00",  # beyond datetime.max in UTC: refused, no OverflowError
        "0001-01-01T00:00:00+14:00",
        late_evening_west,  # 2201 in UTC, where it is stored
        early_morning_east,  # 1899 in UTC
    ]
    for moment in refused:
        with pytest.raises(ValidationError, match=name):
            model.model_validate(fields | {name: moment})


def test_profile_versions_are_capped() -> None:
    fields = {"saved_at": MOMENT, "profile": PROFILE}
    ProfileVersion.model_validate(fields | {"version": MAX_COUNTER})
    for value in (0, MAX_COUNTER + 1, 2**31 - 1, 10**30):
        with pytest.raises(ValidationError, match="version"):
            ProfileVersion.model_validate(fields | {"version": value})


def test_counters_of_stored_records_are_capped() -> None:
    plan = {"id": "p1", "created_at": MOMENT, "start": dt.date(2026, 11, 23), "days": 7, "decision": {"status": "plan"}}
    PlanRecord.model_validate(plan | {"profile_version": MAX_COUNTER})
    for change in ({"profile_version": MAX_COUNTER + 1}, {"days": 367}, {"days": 0}):
        with pytest.raises(ValidationError):
            PlanRecord.model_validate(plan | change)
    session = {"id": "s1", "date": dt.date(2026, 11, 23), "started_at": MOMENT}
    for change in ({"session_index": 10}, {"session_index": -1}, {"pain_before": 11}):
        with pytest.raises(ValidationError):
            SessionRecord.model_validate(session | change)
    items = [{"position": p, "logged_at": MOMENT, "item": ITEM} for p in range(MAX_ITEM_POSITION + 2)]
    with pytest.raises(ValidationError, match="items"):
        SessionRecord.model_validate(session | {"items": items})
    with pytest.raises(ValidationError, match="position"):
        LoggedItem.model_validate({"position": MAX_ITEM_POSITION + 1, "logged_at": MOMENT, "item": ITEM})
    for name, value in (("sets", 21), ("hold_seconds", 3601), ("reps", 501), ("reps", -1)):
        with pytest.raises(ValidationError, match=name):
            ItemLog.model_validate(ITEM | {name: value})


@pytest.mark.parametrize(
    "name", ["sets", "reps", "hold_seconds", "rest_seconds", "estimated_seconds"]
)
def test_the_counts_of_a_stored_plan_are_capped(name: str) -> None:
    PlanItem.model_validate(PLAN_ITEM | {name: MAX_COUNTER})
    for value in (-1, MAX_COUNTER + 1, 10**30):
        with pytest.raises(ValidationError, match=name):
            PlanItem.model_validate(PLAN_ITEM | {name: value})
    with pytest.raises(ValidationError, match="estimated_minutes"):
        PlanSession.model_validate({"title": "Morning", "estimated_minutes": 10**30, "items": []})


def nul(text: str) -> str:
    return text[:2] + "\x00" + text[2:]


@pytest.mark.parametrize(
    ("model", "fields", "name"),
    [
        (HardActivity, {"name": "cycling", "score": 3}, "name"),
        (ItemLog, ITEM, "exercise"),
        (ItemLog, ITEM | {"variation": "glute-bridge"}, "variation"),
        (PlanItem, PLAN_ITEM, "why"),
        (PlanItem, PLAN_ITEM, "name"),
        (PlanSession, {"title": "Morning", "estimated_minutes": 10, "items": []}, "title"),
        (Decision, {"status": "refer", "what_to_do": "See a doctor today."}, "what_to_do"),
    ],
)
def test_text_with_a_nul_character_is_refused_naming_the_field(
    model: type[BaseModel], fields: dict[str, Any], name: str
) -> None:
    model.model_validate(fields)
    with pytest.raises(ValidationError, match=f"{name}\n.*NUL character"):
        model.model_validate(fields | {name: nul(str(fields[name]))})


def test_nul_is_refused_inside_lists_of_text() -> None:
    with pytest.raises(ValidationError, match=r"sports\.0"):
        Lifestyle.model_validate({"sports": [nul("tennis")]})
    with pytest.raises(ValidationError, match=r"notes\.1"):
        Decision.model_validate({"status": "plan", "notes": ["fine", nul("also fine")]})
    with pytest.raises(ValidationError, match=r"equipment\.0"):
        PlanItem.model_validate(PLAN_ITEM | {"equipment": [nul("band")]})


def test_floats_that_are_not_numbers_are_refused() -> None:
    for value in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(ValidationError, match="sleep_hours"):
            Lifestyle.model_validate({"sleep_hours": value})


def test_the_services_check_dates_and_whole_windows() -> None:
    check_date(MIN_DATE, "start")
    check_date(MAX_DATE, "start")
    for day in (TOO_EARLY, TOO_LATE):
        with pytest.raises(InvalidInput, match=r"start .* is out of range: use a date between 1900-01-01 and 2200-12-31"):
            check_date(day, "start")
    check_window(MAX_DATE - dt.timedelta(days=6), 7)
    with pytest.raises(InvalidInput, match="7 days from it run past 2200-12-31"):
        check_window(MAX_DATE - dt.timedelta(days=5), 7)


def test_progress_today_is_bounded() -> None:
    fields: dict[str, Any] = {
        "pain": [],
        "adherence": [],
        "active_days": 0,
        "target_days_per_week": None,
        "exercises": [],
        "hard_activities": [],
        "next_step": None,
        "since": None,
        "weeks": None,
        "first_session": None,
    }
    Progress.model_validate(fields | {"today": MAX_DATE})
    with pytest.raises(ValidationError, match="today"):
        Progress.model_validate(fields | {"today": TOO_LATE})
