"""The planner treats a result the camera measured exactly as one the person reported: two
histories that differ only in ``measured``, ``form_score`` and ``faults`` give the same
progression state, the same fold and the same plan."""

from __future__ import annotations

from functools import reduce

from hypothesis import given, settings
from hypothesis import strategies as st

from lumbo.domain.model import History, ItemLog, Profile, SessionLog
from lumbo.domain.planning import plan
from lumbo.domain.progression import by_date, fold, initial, replay_state
from tests.unit.test_progression_fold import spread_histories
from tests.unit.test_progression_properties import BOOK, START, profiles

FAULT_IDS = ["hips-sag", "hips-pike", "back-arch", "knees-cave", "back-round"]
MEASURED = settings(max_examples=40, deadline=None)


@st.composite
def measured_items(draw: st.DrawFn, item: ItemLog) -> ItemLog:
    """``item`` as the camera coach might have counted it."""
    return ItemLog.model_validate(
        {
            **item.model_dump(),
            "measured": True,
            "form_score": draw(st.one_of(st.none(), st.floats(0, 1))),
            "faults": draw(st.lists(st.sampled_from(FAULT_IDS), max_size=5, unique=True)),
        }
    )


@st.composite
def measured_twins(draw: st.DrawFn) -> tuple[History, History]:
    """A history, and the same history with some of its items measured."""
    logged = draw(spread_histories())
    twin = [
        SessionLog(
            date=session.date,
            pain_before=session.pain_before,
            pain_after=session.pain_after,
            items=[draw(measured_items(item)) if draw(st.booleans()) else item for item in session.items],
        )
        for session in logged.sessions
    ]
    return logged, History(sessions=twin)


@MEASURED
@given(measured_twins(), profiles())
def test_measured_and_reported_results_give_the_same_plan(twins: tuple[History, History], person: Profile) -> None:
    reported, measured = twins
    latest = max((session.date for session in reported.sessions), default=START)
    assert plan(person, BOOK, measured, latest, 7) == plan(person, BOOK, reported, latest, 7)


@MEASURED
@given(measured_twins())
def test_measured_and_reported_results_fold_to_the_same_state(twins: tuple[History, History]) -> None:
    reported, measured = twins
    assert replay_state(BOOK, measured, "beginner") == replay_state(BOOK, reported, "beginner")
    folded = reduce(lambda state, session: fold(state, session, BOOK), by_date(measured.sessions), initial(BOOK, "beginner"))
    assert folded == replay_state(BOOK, reported, "beginner")


def test_a_fully_measured_history_differs_from_its_twin_only_in_the_camera_fields() -> None:
    """The twins above really differ: measuring every item changes the logs, not the plan."""
    reported = History(
        sessions=[
            SessionLog(
                date=START,
                pain_before=2,
                pain_after=2,
                items=[ItemLog(exercise="glute-bridge", reps=10, rating="easy")],
            )
        ]
    )
    item = reported.sessions[0].items[0]
    measured_item = ItemLog.model_validate(
        {**item.model_dump(), "measured": True, "form_score": 0.4, "faults": ["hips-sag"]}
    )
    measured = History(sessions=[reported.sessions[0].model_copy(update={"items": [measured_item]})])
    assert measured != reported
    person = Profile.model_validate({"pain_now": 2, "pain_worst_week": 3, "duration_weeks": 6})
    assert plan(person, BOOK, measured, START, 7) == plan(person, BOOK, reported, START, 7)
    assert replay_state(BOOK, measured, "beginner") == replay_state(BOOK, reported, "beginner")
