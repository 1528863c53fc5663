"""The progress (service, API, page) and the session start page read a bounded period of
logs, so their cost does not grow with years of use; the next step still equals the one a
full replay of every log gives."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lumbo.adapters.catalogue_files import default_catalogue
from lumbo.adapters.clock import FixedClock
from lumbo.adapters.repository import SqlRepository
from lumbo.adapters.unit_of_work import SqlUnitOfWork, open_database
from lumbo.domain.model import ItemLog, Profile
from lumbo.services import decide, records
from lumbo.services.errors import InvalidInput
from lumbo.services.progress import _doses, _next_step

FAMILIES = ["glute-bridge", "bird-dog", "forearm-plank", "side-plank", "hip-hinge", "cobra"]


def person() -> Profile:
    return Profile.model_validate({"pain_now": 2, "pain_worst_week": 3, "duration_weeks": 6, "minutes_per_day": 30})


def log_session(
    uow: SqlUnitOfWork, clock: FixedClock, day: dt.date, rng: random.Random, pain: int = 2, hold: int = 20
) -> None:
    session_id = records.start_session(uow, day, 0, clock=clock)
    for family in rng.sample(FAMILIES, 3):
        ladder = default_catalogue().ladder(family)
        rating = rng.choice(["easy", "easy", "right", "hard", "pain"])
        records.log_item(
            uow, session_id, ItemLog(exercise=family, variation=rng.choice(ladder), rating=rating), clock=clock
        )
    records.log_item(uow, session_id, ItemLog(exercise="glute-bridge", hold_seconds=hold, rating="right"), clock=clock)
    records.finish_session(uow, session_id, pain, pain, clock=clock)


def no_full_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make reading every session fail, to show a use case does not."""

    def refuse(self: SqlRepository) -> None:
        raise AssertionError("every session was read")

    monkeypatch.setattr(SqlRepository, "sessions", refuse)


def test_the_progress_covers_its_period_and_its_next_step_equals_a_full_replay(
    uow: SqlUnitOfWork, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = clock.today()
    rng = random.Random(5)
    records.save_profile(uow, person(), clock=clock)
    old_day = today - dt.timedelta(days=200)
    log_session(uow, clock, old_day, rng, pain=6)
    for offset in range(70, 0, -1):
        log_session(uow, clock, today - dt.timedelta(days=offset), rng)

    profile = records.get_profile(uow)
    assert profile is not None
    everything = records.list_sessions(uow)
    full = records.history(uow)
    replayed = decide(profile, full, today, 7)
    expected = _next_step(replayed, everything).model_copy(
        update={"doses": _doses(profile, full, today, default_catalogue(), None)}
    )

    no_full_read(monkeypatch)
    recent = records.progress(uow, today, clock=clock)
    assert recent.weeks == records.RECENT_WEEKS and recent.since == today - dt.timedelta(days=83)
    assert recent.first_session == old_day
    assert len(recent.pain) == 70 and all(point.date >= recent.since for point in recent.pain)
    bridge = next(series for series in recent.exercises if series.exercise == "glute-bridge")
    assert min(point.date for point in bridge.points) == today - dt.timedelta(days=70)
    assert recent.next_step is not None
    assert recent.next_step.doses == expected.doses and recent.next_step.doses
    assert (recent.next_step.stage, recent.next_step.notes) == (expected.stage, expected.notes)

    four = records.progress(uow, today, clock=clock, weeks=4)
    assert len(four.pain) == 27 and four.since == today - dt.timedelta(days=27)
    assert four.adherence == recent.adherence  # the calendar's four weeks, whatever the period

    monkeypatch.undo()
    every = records.progress(uow, today, clock=clock, weeks=None)
    assert every.since is None and every.weeks is None and len(every.pain) == 71
    assert every.pain[0].date == old_day and every.pain[0].pain_before == 6
    assert every.next_step == expected


@pytest.mark.parametrize("weeks", [0, 3, 521, -1])
def test_a_period_out_of_range_is_refused(uow: SqlUnitOfWork, clock: FixedClock, weeks: int) -> None:
    with pytest.raises(InvalidInput, match="weeks must be between 4 and 520"):
        records.progress(uow, clock.today(), clock=clock, weeks=weeks)


def test_the_api_takes_a_period_and_refuses_an_odd_one(
    client: TestClient, clock: FixedClock, uow: SqlUnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = clock.today()
    records.save_profile(uow, person(), clock=clock)
    rng = random.Random(2)
    for offset in (100, 20, 3):
        log_session(uow, clock, today - dt.timedelta(days=offset), rng)
    with monkeypatch.context() as patched:
        no_full_read(patched)
        default = client.get("/api/v1/progress").json()
    assert default["weeks"] == 12 and len(default["pain"]) == 2
    assert default["first_session"] == (today - dt.timedelta(days=100)).isoformat()
    assert len(client.get("/api/v1/progress?weeks=all").json()["pain"]) == 3
    assert len(client.get("/api/v1/progress?weeks=4").json()["pain"]) == 2
    for odd in ("3", "521", "x", "12.5", "-4", "ALL"):
        answer = client.get(f"/api/v1/progress?weeks={odd}")
        assert answer.status_code == 422, odd
        assert answer.headers["content-type"].startswith("application/json")
        assert answer.json()["detail"].startswith("weeks must be"), answer.json()


def test_the_page_offers_the_periods_and_says_what_it_shows(
    client: TestClient, clock: FixedClock, uow: SqlUnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = clock.today()
    records.save_profile(uow, person(), clock=clock)
    rng = random.Random(3)
    log_session(uow, clock, today - dt.timedelta(days=150), rng, hold=44)
    log_session(uow, clock, today - dt.timedelta(days=60), rng, hold=33)

    no_full_read(monkeypatch)
    page = client.get("/progress").text
    assert "The pain and exercise charts below cover the last 12 weeks." in page
    assert '<a class="button" href="/progress?weeks=12" aria-current="page">12 weeks</a>' in page
    for key, words in (("4", "4 weeks"), ("52", "1 year"), ("all", "Everything")):
        assert f'<a class="button secondary" href="/progress?weeks={key}">{words}</a>' in page
    four = client.get("/progress?weeks=4").text
    assert "No finished session in the last 4 weeks." in four
    assert "Nothing logged in the last 4 weeks." in four
    assert "Finish a session to see your pain trend here." not in four
    assert client.get("/progress?weeks=oops").text.count('weeks=12" aria-current="page">12 weeks') == 1

    monkeypatch.undo()
    year = client.get("/progress?weeks=52").text
    everything = client.get("/progress?weeks=all").text
    assert "The pain and exercise charts below cover every session you have logged." in everything
    # 90 days between the two sessions: one point per week (the average pain, the best hold)
    assert "Pain at the start of sessions, week by week (average)" in everything
    assert "Glute bridge: best seconds per week" in everything
    assert "Pain at the start of each session" in page and "week by week (average)" not in page
    assert "Glute bridge: seconds per session" in page
    # the session from 150 days ago is in the year and in everything, not in 12 weeks
    assert everything.count("<svg") == year.count("<svg")
    old = today - dt.timedelta(days=150)
    old_week = (old - dt.timedelta(days=old.weekday())).isoformat()  # weekly points: on Mondays
    assert old_week in year and old_week in everything
    assert old_week not in page and old.isoformat() not in page


def test_the_session_page_reads_only_todays_sessions(
    client: TestClient, clock: FixedClock, uow: SqlUnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = clock.today()
    records.save_profile(uow, person(), clock=clock)
    rng = random.Random(6)
    log_session(uow, clock, today - dt.timedelta(days=2), rng)
    before = client.get("/session").text
    log_session(uow, clock, today, rng)
    no_full_read(monkeypatch)
    after = client.get("/session").text
    assert "You have finished" not in before
    assert "You have finished 1 session today." in after


def test_planned_days_read_only_the_plans_that_reach_the_window(uow: SqlUnitOfWork, clock: FixedClock) -> None:
    today = clock.today()
    records.save_profile(uow, person(), clock=clock)
    far = records.current_decision(uow, today - dt.timedelta(days=90), 7, clock=clock)
    near = records.current_decision(uow, today - dt.timedelta(days=30), 7, clock=clock)
    first = today - dt.timedelta(days=27)
    expected = {day.date for day in near.days if day.sessions and first <= day.date < today}
    assert expected  # the plan from 30 days ago reaches into the window
    assert all(day.date < first for day in far.days)
    assert records.planned_days(uow, first, today) == expected
    with uow:
        read = uow.records.plans_reaching(first, today)
    assert [plan.start for plan in read] == [today - dt.timedelta(days=30)]


def test_a_long_imported_plan_that_began_long_before_still_reaches_the_window(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    """An import may bring plans of up to a year; one begun 200 days ago still covers today."""
    today = clock.today()
    records.save_profile(uow, person(), clock=clock)
    long_ago = today - dt.timedelta(days=200)
    records.current_decision(uow, long_ago, 7, clock=clock)
    document = records.export_document(uow, clock=clock)
    long_plan = records.stored_plan(uow, long_ago, 366)
    document["plans"][0]["days"] = 366
    document["plans"][0]["decision"] = long_plan.model_dump(mode="json")
    records.delete_everything(uow)
    records.import_document(uow, document)
    first = today - dt.timedelta(days=27)
    expected = {day.date for day in long_plan.days if day.sessions and first <= day.date < today}
    assert expected and records.planned_days(uow, first, today) == expected
    with uow:
        assert [plan.start for plan in uow.records.plans_reaching(first, today)] == [long_ago]
        assert uow.records.plans_reaching(today + dt.timedelta(days=170), today + dt.timedelta(days=180)) == []


def test_the_sessions_list_can_be_bounded_by_day(client: TestClient, clock: FixedClock, uow: SqlUnitOfWork) -> None:
    today = clock.today()
    records.save_profile(uow, person(), clock=clock)
    rng = random.Random(9)
    days = [today - dt.timedelta(days=offset) for offset in (40, 10, 5, 1)]
    for day in days:
        log_session(uow, clock, day, rng)
    listed = lambda query: [s["date"] for s in client.get(f"/api/v1/sessions{query}").json()]  # noqa: E731
    assert listed("") == [day.isoformat() for day in days]
    assert listed(f"?since={days[1]}") == [day.isoformat() for day in days[1:]]
    assert listed(f"?since={days[1]}&before={days[3]}") == [days[1].isoformat(), days[2].isoformat()]
    assert listed(f"?before={days[1]}") == [days[0].isoformat()]
    for odd in ("?since=yesterday", "?before=1899-12-31", "?since=2026-02-30"):
        answer = client.get(f"/api/v1/sessions{odd}")
        assert answer.status_code == 422 and answer.json()["detail"], odd


def test_the_calendar_reads_the_plans_by_their_first_day_through_an_index(tmp_path: Path) -> None:
    from sqlalchemy import text

    database = open_database(f"sqlite:///{tmp_path / 'lumbo.sqlite3'}")  # SQLite's query plan
    try:
        with database.engine.connect() as connection:
            plan = connection.execute(
                text(  # as SqlRepository.plans_reaching asks first
                    "EXPLAIN QUERY PLAN SELECT id, start, days FROM plans "
                    "WHERE start >= '2025-10-01' AND start < '2026-11-23'"
                )
            ).all()
    finally:
        database.dispose()
    assert any("ix_plans_start" in str(row) for row in plan), plan
