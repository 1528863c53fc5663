"""The record services over a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lumbo.adapters.clock import FixedClock
from lumbo.adapters.unit_of_work import Database, SqlUnitOfWork, open_database
from lumbo.domain.model import HardActivity, ItemLog, Profile, RedFlags
from lumbo.services import records
from lumbo.services.errors import Conflict, InvalidInput, NotFound

TODAY = dt.date(2026, 11, 23)


def profile(**changes: object) -> Profile:
    base: dict[str, object] = {"pain_now": 3, "pain_worst_week": 5, "duration_weeks": 6}
    base.update(changes)
    return Profile.model_validate(base)


def first_planned_item(uow: SqlUnitOfWork, clock: FixedClock) -> tuple[str, str]:
    decision = records.current_decision(uow, TODAY, clock=clock)
    assert decision.status == "plan"
    item = next(i for day in decision.days for s in day.sessions for i in s.items)
    return item.exercise, item.variation


def test_a_referred_screen_is_kept_and_becomes_the_decision(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    record = records.save_screen_answers(uow, RedFlags(saddle_numbness=True), clock=clock)
    assert record.referred and record.decision is not None
    assert record.decision.urgency == "emergency"
    assert records.latest_screen(uow) == record
    decision = records.current_decision(uow, TODAY, clock=clock)
    assert decision.status == "refer"
    assert records.get_profile(uow) is None
    assert records.plans(uow) == []


def test_a_clear_screen_without_profile_asks_for_the_intake(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    record = records.save_screen_answers(uow, RedFlags(), clock=clock)
    assert not record.referred and record.decision is None
    with pytest.raises(NotFound, match="no profile yet"):
        records.current_decision(uow, TODAY, clock=clock)


def test_saving_a_profile_screens_it_and_keeps_every_version(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    first = records.save_profile(uow, profile(), clock=clock)
    assert (first.version, first.referral) == (1, None)
    clock.advance(dt.timedelta(days=1))
    second = records.save_profile(uow, profile(red_flags=RedFlags(fever_or_unwell=True)), clock=clock)
    assert second.version == 2
    assert second.referral is not None and second.referral.urgency == "urgent"
    stored = records.get_profile(uow)
    assert stored is not None and stored.red_flags.fever_or_unwell
    assert [v.version for v in records.profile_versions(uow)] == [1, 2]
    assert records.current_decision(uow, TODAY, clock=clock).status == "refer"
    # the screen answers were kept with the profile
    latest_screen = records.latest_screen(uow)
    assert latest_screen is not None and latest_screen.referred


def test_new_screen_answers_update_the_stored_profile(uow: SqlUnitOfWork, clock: FixedClock) -> None:
    records.save_profile(uow, profile(), clock=clock)
    records.save_screen_answers(uow, RedFlags(history_of_cancer=True), clock=clock)
    stored = records.get_profile(uow)
    assert stored is not None and stored.red_flags.history_of_cancer
    assert records.current_decision(uow, TODAY, clock=clock).status == "refer"


def test_a_plan_is_stored_only_when_it_changes(uow: SqlUnitOfWork, clock: FixedClock) -> None:
    records.save_profile(uow, profile(), clock=clock)
    first = records.current_decision(uow, TODAY, clock=clock)
    again = records.current_decision(uow, TODAY, clock=clock)
    assert first == again and first.status == "plan"
    assert len(records.plans(uow)) == 1
    clock.advance(dt.timedelta(minutes=1))
    records.current_decision(uow, TODAY, 3, clock=clock)
    assert len(records.plans(uow)) == 2
    assert records.plans(uow)[0].decision == first


@pytest.mark.parametrize(("start", "days"), [(TODAY, 0), (TODAY, 29), (dt.date(9999, 12, 31), 7)])
def test_a_plan_window_out_of_range_is_refused(
    uow: SqlUnitOfWork, clock: FixedClock, start: dt.date, days: int
) -> None:
    records.save_profile(uow, profile(), clock=clock)
    with pytest.raises(InvalidInput):
        records.current_decision(uow, start, days, clock=clock)


def test_an_unfinished_session_is_resumed_not_duplicated(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    first = records.open_session(uow, TODAY, 0, clock=clock)
    assert not first.resumed
    again = records.open_session(uow, TODAY, 0, clock=clock)
    assert again.resumed and again.session.id == first.session.id
    other = records.start_session(uow, TODAY, 1, clock=clock)
    assert other != first.session.id
    unfinished = records.unfinished_session(uow)
    assert unfinished is not None and unfinished.id in {other, first.session.id}
    records.finish_session(uow, first.session.id, 4, 3, clock=clock)
    assert records.start_session(uow, TODAY, 0, clock=clock) != first.session.id


def test_items_are_logged_at_their_position_and_replaced_on_retry(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    records.save_profile(uow, profile(), clock=clock)
    exercise, variation = first_planned_item(uow, clock)
    session_id = records.start_session(uow, TODAY, 0, clock=clock)
    records.log_item(uow, session_id, ItemLog(exercise=exercise, variation=variation, reps=8, rating="right"), 2, clock=clock)
    auto = records.log_item(uow, session_id, ItemLog(exercise=exercise, reps=5, rating="right"), clock=clock)
    assert auto.position == 3
    records.log_item(
        uow, session_id, ItemLog(exercise=exercise, variation=variation, reps=10, rating="hard"), 2, clock=clock
    )
    stored = records.get_session(uow, session_id)
    assert [(i.position, i.item.reps, i.item.rating) for i in stored.items] == [
        (2, 10, "hard"),
        (3, 5, "right"),
    ]


def test_a_logged_item_is_durable_at_once(database: Database, clock: FixedClock) -> None:
    uow = database.unit_of_work()
    session_id = records.start_session(uow, TODAY, 0, clock=clock)
    records.log_item(uow, session_id, ItemLog(exercise="glute-bridge", hold_seconds=15, rating="right"), clock=clock)
    # A second engine (another connection pool, as after a restart) sees it.
    other = open_database(database.engine.url.render_as_string(hide_password=False), migrate=False)
    try:
        stored = records.get_session(other.unit_of_work(), session_id)
    finally:
        other.dispose()
    assert [i.item.hold_seconds for i in stored.items] == [15]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (ItemLog(exercise="no-such-exercise", rating="right"), "unknown exercise"),
        (ItemLog(exercise="glute-bridge", variation="no-such-step", rating="right"), "unknown variation"),
    ],
)
def test_an_unknown_exercise_is_refused(
    uow: SqlUnitOfWork, clock: FixedClock, item: ItemLog, message: str
) -> None:
    session_id = records.start_session(uow, TODAY, 0, clock=clock)
    with pytest.raises(InvalidInput, match=message):
        records.log_item(uow, session_id, item, clock=clock)
    assert records.get_session(uow, session_id).items == []


def test_logging_to_a_missing_session_is_not_found(uow: SqlUnitOfWork, clock: FixedClock) -> None:
    with pytest.raises(NotFound):
        records.log_item(uow, "abc123", ItemLog(exercise="glute-bridge", rating="right"), clock=clock)
    with pytest.raises(NotFound):
        records.finish_session(uow, "abc123", 1, 1, clock=clock)


def test_finishing_twice_or_with_bad_pain_is_refused(uow: SqlUnitOfWork, clock: FixedClock) -> None:
    session_id = records.start_session(uow, TODAY, 0, clock=clock)
    with pytest.raises(InvalidInput, match="pain_after"):
        records.finish_session(uow, session_id, 3, 11, clock=clock)
    finished = records.finish_session(uow, session_id, 5, 2, clock=clock)
    assert finished.finished and (finished.pain_before, finished.pain_after) == (5, 2)
    with pytest.raises(Conflict):
        records.finish_session(uow, session_id, 5, 2, clock=clock)


def test_logging_into_a_finished_session_is_a_conflict_and_changes_nothing(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    session_id = records.start_session(uow, TODAY, 0, clock=clock)
    records.log_item(uow, session_id, ItemLog(exercise="glute-bridge", reps=8, rating="right"), 0, clock=clock)
    records.finish_session(uow, session_id, 5, 2, clock=clock)
    before = records.get_session(uow, session_id)
    for position in (0, 1, None):  # a replacement, a new position, the next free one
        with pytest.raises(Conflict, match=r"this session is finished: .*start a new session"):
            records.log_item(
                uow, session_id, ItemLog(exercise="glute-bridge", reps=12, rating="pain"), position, clock=clock
            )
    assert records.get_session(uow, session_id) == before


def test_the_api_answers_409_for_an_item_logged_into_a_finished_session(client: Any) -> None:
    session = client.post("/api/v1/sessions", json={"date": TODAY.isoformat()}).json()["session"]
    items = f"/api/v1/sessions/{session['id']}/items"
    assert client.post(items, json={"exercise": "glute-bridge", "reps": 8, "rating": "right", "position": 0}).status_code == 201
    finish = client.post(f"/api/v1/sessions/{session['id']}/finish", json={"pain_before": 4, "pain_after": 3})
    assert finish.status_code == 200
    late = client.post(items, json={"exercise": "glute-bridge", "reps": 9, "rating": "right", "position": 1})
    assert late.status_code == 409
    assert "this session is finished" in late.json()["detail"]
    stored = client.get(f"/api/v1/sessions/{session['id']}").json()
    assert [(i["position"], i["item"]["reps"]) for i in stored["items"]] == [(0, 8)]


def test_saving_past_the_highest_profile_version_is_a_conflict(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    from lumbo.ports import MAX_PROFILE_VERSION, ProfileVersion

    with uow.writing():
        uow.records.add_profile_version(
            ProfileVersion(version=MAX_PROFILE_VERSION, saved_at=clock.now(), profile=profile())
        )
        uow.commit()
    for save in (
        lambda: records.save_profile(uow, profile(pain_now=1), clock=clock),
        lambda: records.save_screen_answers(uow, RedFlags(major_trauma=True), clock=clock),
    ):
        with pytest.raises(Conflict, match="saved 1000000 times"):
            save()
    assert [v.version for v in records.profile_versions(uow)] == [MAX_PROFILE_VERSION]
    assert records.latest_screen(uow) is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda uow, clock: records.open_session(uow, dt.date(9999, 12, 31), 0, clock=clock), "date 9999"),
        (lambda uow, clock: records.open_session(uow, dt.date(1, 1, 1), 0, clock=clock), "date 0001"),
        (lambda uow, clock: records.current_decision(uow, dt.date(2200, 12, 30), 7, clock=clock), "run past"),
        (lambda uow, clock: records.progress(uow, dt.date(2201, 1, 1), clock=clock), "today 2201"),
        (lambda uow, clock: records.progress(uow, dt.date(2200, 12, 31), clock=clock), "run past"),
    ],
)
def test_dates_out_of_range_are_invalid_input_naming_the_field(
    uow: SqlUnitOfWork, clock: FixedClock, call: Any, message: str
) -> None:
    records.save_profile(uow, profile(), clock=clock)
    with pytest.raises(InvalidInput, match=message):
        call(uow, clock)


def test_the_last_days_lumbo_accepts_still_plan(uow: SqlUnitOfWork, clock: FixedClock) -> None:
    records.save_profile(uow, profile(), clock=clock)
    last_week = dt.date(2200, 12, 25)
    decision = records.current_decision(uow, last_week, 7, clock=clock)
    assert decision.days[-1].date == dt.date(2200, 12, 31)
    session_id = records.start_session(uow, last_week, 0, clock=clock)
    records.finish_session(uow, session_id, 3, 2, clock=clock)
    assert records.progress(uow, last_week, clock=clock).pain[-1].date == last_week


def test_text_with_nul_never_reaches_the_database(uow: SqlUnitOfWork, clock: FixedClock) -> None:
    from pydantic import ValidationError

    from lumbo.ports import SessionRecord, StoreRefused

    with pytest.raises(ValidationError, match="NUL"):
        profile(hard_activities=[{"name": "cyc\x00ling", "score": 3}])
    # a model built without validation is stopped by the repository, before the driver
    sneaky = SessionRecord.model_construct(
        id="abc\x00", date=TODAY, session_index=0, started_at=clock.now(), finished_at=None,
        pain_before=None, pain_after=None, items=[],
    )
    with pytest.raises(StoreRefused, match="id holds a NUL character"), uow.writing():
        uow.records.add_session(sneaky)
    assert records.list_sessions(uow) == []


def test_history_holds_finished_sessions_with_their_items(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    done = records.start_session(uow, TODAY - dt.timedelta(days=1), 0, clock=clock)
    records.log_item(uow, done, ItemLog(exercise="glute-bridge", hold_seconds=20, rating="right"), clock=clock)
    records.finish_session(uow, done, 4, 2, clock=clock)
    half = records.start_session(uow, TODAY, 0, clock=clock)
    records.log_item(uow, half, ItemLog(exercise="glute-bridge", hold_seconds=25, rating="right"), clock=clock)
    history = records.history(uow)
    assert [(s.date, s.pain_before, s.pain_after) for s in history.sessions] == [
        (TODAY - dt.timedelta(days=1), 4, 2)
    ]
    assert [i.hold_seconds for i in history.sessions[0].items] == [20]
    assert len(records.list_sessions(uow)) == 2


def test_progress_shows_series_and_the_next_step(uow: SqlUnitOfWork, clock: FixedClock) -> None:
    records.save_profile(
        uow, profile(hard_activities=[HardActivity(name="gardening", score=3)]), clock=clock
    )
    for offset, (hold, before, after) in enumerate([(15, 5, 4), (20, 4, 3), (25, 3, 3)]):
        day = TODAY - dt.timedelta(days=3 - offset)
        session_id = records.start_session(uow, day, 0, clock=clock)
        records.log_item(uow, session_id, ItemLog(exercise="glute-bridge", hold_seconds=hold, rating="right"), clock=clock)
        records.finish_session(uow, session_id, before, after, clock=clock)
    clock.advance(dt.timedelta(days=2))
    records.save_profile(
        uow, profile(hard_activities=[HardActivity(name="gardening", score=6)]), clock=clock
    )
    result = records.progress(uow, TODAY, clock=clock)
    assert [(p.pain_before, p.pain_after) for p in result.pain] == [(5, 4), (4, 3), (3, 3)]
    assert len(result.adherence) == 28 and result.adherence[-1].date == TODAY
    assert result.active_days == 3
    (series,) = result.exercises
    assert series.exercise == "glute-bridge"
    assert [p.hold_seconds for p in series.points] == [15, 20, 25]
    (gardening,) = result.hard_activities
    assert [(p.date, p.score) for p in gardening.points] == [
        (TODAY, 3),
        (TODAY + dt.timedelta(days=2), 6),
    ]
    assert result.next_step is not None and result.next_step.status == "plan"
    assert result.next_step.stage is not None


def test_progress_without_profile_is_empty(uow: SqlUnitOfWork, clock: FixedClock) -> None:
    result = records.progress(uow, TODAY, clock=clock)
    assert result.pain == [] and result.exercises == [] and result.next_step is None
    assert result.active_days == 0


def test_delete_everything_empties_the_store(uow: SqlUnitOfWork, clock: FixedClock) -> None:
    records.save_profile(uow, profile(), clock=clock)
    session_id = records.start_session(uow, TODAY, 0, clock=clock)
    records.log_item(uow, session_id, ItemLog(exercise="glute-bridge", rating="right"), clock=clock)
    records.current_decision(uow, TODAY, clock=clock)
    records.delete_everything(uow)
    with uow:
        assert uow.records.is_empty()
    assert records.get_profile(uow) is None


def test_the_decision_follows_every_change_of_the_stored_data(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    from lumbo.services import decide

    records.save_profile(uow, profile(), clock=clock)
    assert records.current_decision(uow, TODAY, clock=clock).status == "plan"
    exercise, variation = first_planned_item(uow, clock)
    for offset in range(6):
        session_id = records.start_session(uow, TODAY - dt.timedelta(days=6 - offset), 0, clock=clock)
        records.log_item(
            uow, session_id, ItemLog(exercise=exercise, variation=variation, rating="easy"), clock=clock
        )
        records.finish_session(uow, session_id, 2, 1, clock=clock)
        stored = records.get_profile(uow)
        assert stored is not None
        expected = decide(stored, records.history(uow), TODAY, 7)
        assert records.current_decision(uow, TODAY, clock=clock) == expected
    records.save_profile(uow, profile(red_flags=RedFlags(major_trauma=True)), clock=clock)
    assert records.current_decision(uow, TODAY, clock=clock).status == "refer"


def test_a_value_the_database_refuses_is_a_store_error_and_nothing_is_kept(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    from lumbo.ports import SessionRecord, StoreRefused

    first = SessionRecord(id="same", date=TODAY, started_at=clock.now())
    with pytest.raises(StoreRefused), uow.writing():
        uow.records.add_session(first)
        uow.records.add_session(first)
        uow.commit()
    assert records.list_sessions(uow) == []


def test_progress_gives_each_exercise_its_next_dose_and_why(
    uow: SqlUnitOfWork, clock: FixedClock
) -> None:
    from lumbo.adapters.catalogue_files import default_catalogue
    from lumbo.domain.progression import replay

    records.save_profile(uow, profile(), clock=clock)
    exercise, variation = first_planned_item(uow, clock)
    for offset, rating in enumerate(["right", "easy", "pain"]):
        session_id = records.start_session(uow, TODAY - dt.timedelta(days=5 - offset), 0, clock=clock)
        records.log_item(
            uow, session_id, ItemLog(exercise=exercise, variation=variation, rating=rating), clock=clock
        )
        records.finish_session(uow, session_id, 3, 3, clock=clock)
    next_step = records.progress(uow, TODAY, clock=clock).next_step
    assert next_step is not None
    expected = replay(default_catalogue(), records.history(uow), "beginner")
    assert {dose.exercise for dose in next_step.doses} == set(expected)
    dose = next(d for d in next_step.doses if d.exercise == exercise)
    state = expected[dose.exercise]
    assert (dose.sets, dose.reps, dose.hold_seconds) == (
        state.dosage.sets,
        state.dosage.reps,
        state.dosage.hold_seconds,
    )
    assert dose.last_change is not None and "hurt" in dose.last_change
    assert dose.how_to_progress
