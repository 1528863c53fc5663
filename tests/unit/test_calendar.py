"""The iCalendar export: one event per planned session, floating local time, stable UIDs."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from lumbo.domain.model import Decision, PlanDay, PlanItem, PlanSession, Profile, RedFlags
from lumbo.reports.calendar import NoPlanError, build_calendar, event_uid, parse_time
from lumbo.reports.handout import dose_text
from lumbo.services import decide

START = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def typical_profile() -> Profile:
    return Profile(
        age=38,
        pain_now=3,
        pain_worst_week=5,
        duration_weeks=10,
        tight_areas=["hip_flexors", "hamstrings", "pecs"],
        equipment=["mat", "ball", "chair", "wall"],
        minutes_per_day=15,
        days_per_week=5,
        desk_hours_per_day=8,
    )


def item(slug: str, seconds: int = 60, **changes: object) -> PlanItem:
    data: dict[str, object] = {
        "exercise": slug,
        "variation": slug,
        "name": slug.replace("-", " ").capitalize(),
        "category": "activation",
        "sets": 1,
        "reps": 10,
        "hold_seconds": None,
        "per_side": False,
        "rest_seconds": 15,
        "estimated_seconds": seconds,
        "equipment": [],
        "why": "For the test.",
    }
    data.update(changes)
    return PlanItem.model_validate(data)


def events(ics: bytes) -> list[Calendar]:
    return list(Calendar.from_ical(ics).walk("VEVENT"))


@pytest.fixture(scope="module")
def plan() -> Decision:
    decision = decide(typical_profile(), None, START, 7)
    assert decision.status == "plan"
    return decision


def test_parse_time_accepts_24_hour_clock() -> None:
    assert parse_time("07:30") == dt.time(7, 30)
    assert parse_time("7:05") == dt.time(7, 5)
    assert parse_time("23:59") == dt.time(23, 59)


@pytest.mark.parametrize("text", ["", "7", "7.30", "24:00", "07:60", "ab:cd", "07:30:00", "-1:30"])
def test_parse_time_rejects_what_is_not_a_time(text: str) -> None:
    with pytest.raises(ValueError, match=r"HH:MM|does not exist"):
        parse_time(text)


def test_one_event_per_planned_session_at_the_chosen_local_time(plan: Decision) -> None:
    found = events(build_calendar(plan, at=dt.time(7, 30), now=NOW))
    sessions = [(day.date, s) for day in plan.days for s in day.sessions if s.items]
    assert len(found) == len(sessions) > 0
    first_of_day: dict[dt.date, dt.datetime] = {}
    for event, (date, session) in zip(found, sessions, strict=True):
        start = event.decoded("dtstart")
        assert start.tzinfo is None  # floating time: 07:30 wherever the calendar is
        first_of_day.setdefault(date, start)
        assert start.date() == date
        assert event.decoded("duration") == dt.timedelta(minutes=session.estimated_minutes)
        assert str(event.get("summary")) == f"lumbo: {session.title}"
        description = str(event.get("description"))
        for planned in session.items:
            assert f"{planned.name}: {dose_text(planned)}" in description
        assert "pain is not" in description
    assert set(first_of_day.values()) == {dt.datetime.combine(d, dt.time(7, 30)) for d in first_of_day}


def test_uids_are_unique_and_stable_across_exports(plan: Decision) -> None:
    first = [str(e.get("uid")) for e in events(build_calendar(plan, at=dt.time(7, 30), now=NOW))]
    later = NOW + dt.timedelta(days=3)
    again = [str(e.get("uid")) for e in events(build_calendar(plan, at=dt.time(18, 0), now=later))]
    assert len(set(first)) == len(first)
    assert first == again


def test_uids_depend_on_the_profile_key_date_and_slot() -> None:
    day = dt.date(2026, 3, 2)
    base = event_uid("anna", day, 0)
    assert base != event_uid("ben", day, 0)
    assert base != event_uid("anna", day + dt.timedelta(days=1), 0)
    assert base != event_uid("anna", day, 1)
    assert base == event_uid("anna", day, 0)


def two_session_day(day: dt.date) -> Decision:
    return Decision(
        status="plan",
        stage="activation",
        days=[
            PlanDay(
                date=day,
                sessions=[
                    PlanSession(title="Morning", estimated_minutes=10, items=[item("glute-bridge")]),
                    PlanSession(title="Desk break", estimated_minutes=5, items=[item("chest-stretch")]),
                ],
            )
        ],
    )


def test_later_sessions_of_a_day_are_spaced_out() -> None:
    decision = two_session_day(dt.date(2026, 3, 2))
    morning, later = events(build_calendar(decision, at=dt.time(7, 0), now=NOW))
    assert morning.decoded("dtstart") == dt.datetime(2026, 3, 2, 7, 0)
    assert later.decoded("dtstart") == dt.datetime(2026, 3, 2, 11, 0)
    assert morning.get("uid") != later.get("uid")


def test_a_late_start_keeps_every_session_on_its_day() -> None:
    decision = two_session_day(dt.date(2026, 3, 2))
    evening, later = events(build_calendar(decision, at=dt.time(21, 30), now=NOW))
    assert evening.decoded("dtstart") == dt.datetime(2026, 3, 2, 21, 30)
    assert later.decoded("dtstart") == dt.datetime(2026, 3, 2, 21, 40)


def test_dtstamp_is_utc() -> None:
    decision = Decision(
        status="plan",
        days=[PlanDay(date=START, sessions=[PlanSession(title="A", estimated_minutes=3, items=[item("a")])])],
    )
    (event,) = events(build_calendar(decision, at=dt.time(7, 0), now=NOW))
    assert event.decoded("dtstamp") == NOW


def test_a_referral_has_no_calendar() -> None:
    referral = decide(typical_profile().model_copy(update={"red_flags": RedFlags(major_trauma=True)}))
    assert referral.status == "refer"
    with pytest.raises(NoPlanError, match="clinician"):
        build_calendar(referral, at=dt.time(7, 30))
