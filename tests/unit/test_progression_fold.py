"""Folded, not replayed (issue 14): ``fold`` applied session by session gives the state the
full replay gives, after every session; a settled state (``settle``) plus the last weeks of
logs gives the plan the whole history gives, for random histories and for 10,000 sessions.
"""

from __future__ import annotations

import datetime as dt
import random
from functools import reduce

from hypothesis import given, settings
from hypothesis import strategies as st

from lumbo.domain.model import History, ItemLog, Profile, SessionLog
from lumbo.domain.planning import NOTES_LOOKBACK_DAYS, plan
from lumbo.domain.progression import (
    PAIN_MEMORY_DAYS,
    PLANNING_WINDOW_DAYS,
    Progression,
    by_date,
    fold,
    horizon_after,
    initial,
    replay,
    replay_state,
    settle,
    settled_state,
)
from lumbo.domain.stages import (
    FLARE_DAYS,
    MAINTENANCE_WINDOW_DAYS,
    SETTLED_DAYS,
    WORSENING_WINDOW_DAYS,
)
from tests.unit.test_progression_properties import (
    BOOK,
    SLUGS,
    START,
    climbing_histories,
    item,
    profiles,
    worsening_histories,
)

FOLDS = settings(max_examples=60, deadline=None)


@st.composite
def spread_histories(draw: st.DrawFn) -> History:
    """Climbing runs and random items, with older sessions and several on one day, spread
    over months so a horizon leaves some behind."""
    sessions = list(draw(climbing_histories()).sessions)
    for _ in range(draw(st.integers(0, 12))):
        sessions.append(
            SessionLog(
                date=START - dt.timedelta(days=draw(st.integers(1, 150))),
                pain_before=draw(st.integers(0, 10)),
                pain_after=draw(st.integers(0, 10)),
                items=[
                    item(slug, draw(st.sampled_from(["easy", "right", "hard", "pain"])), draw(st.booleans()))
                    for slug in draw(st.lists(st.sampled_from(SLUGS), max_size=4, unique=True))
                ]
                + ([ItemLog(exercise="glute-bridge", skipped=True, completed=False)] if draw(st.booleans()) else []),
            )
        )
    return History(sessions=draw(st.permutations(sessions)))


def test_the_window_covers_every_rule_that_reads_logs() -> None:
    assert max(
        WORSENING_WINDOW_DAYS, MAINTENANCE_WINDOW_DAYS, SETTLED_DAYS, FLARE_DAYS, NOTES_LOOKBACK_DAYS
    ) <= PLANNING_WINDOW_DAYS


@FOLDS
@given(spread_histories(), st.sampled_from(["beginner", "intermediate", "advanced"]),
       st.one_of(st.none(), st.integers(18, 95)), st.one_of(st.none(), st.integers(1, 60)))
def test_the_folded_state_equals_the_full_replay_after_every_session(
    logged: History, level: str, age: int | None, frozen_days: int | None
) -> None:
    frozen_from = None if frozen_days is None else START - dt.timedelta(days=frozen_days)
    state = initial(BOOK, level, age)
    done: list[SessionLog] = []
    for session in by_date(logged.sessions):
        before = state
        snapshot = (dict(before.families), {f: (s.step, s.dosage, list(s.pain_dates), list(s.changes))
                                            for f, s in before.families.items()})
        state = fold(state, session, BOOK, frozen_from)
        done.append(session)
        # pure: the state folded from is left as it was
        assert dict(before.families) == snapshot[0]
        assert {f: (s.step, s.dosage, s.pain_dates, s.changes) for f, s in before.families.items()} == snapshot[1]
        assert state == replay_state(BOOK, History(sessions=done), level, frozen_from, age)
        assert state.families == replay(BOOK, History(sessions=done), level, frozen_from, age)
    assert state.sessions == len(logged.sessions)


@FOLDS
@given(spread_histories())
def test_replay_is_reduce_fold(logged: History) -> None:
    folded = reduce(lambda state, session: fold(state, session, BOOK), by_date(logged.sessions), initial(BOOK, "beginner"))
    assert folded == replay_state(BOOK, logged, "beginner")


def split(logged: History, person: Profile, start: dt.date) -> tuple[Progression, History]:
    """What a store keeps: the settled state, and the sessions from its horizon on."""
    settled = settled_state(BOOK, logged.sessions, person.level, person.age)
    recent = [s for s in logged.sessions if settled.horizon is None or s.date >= settled.horizon]
    return settled, History(sessions=recent)


@FOLDS
@given(profiles(), st.one_of(spread_histories(), worsening_histories().map(lambda drawn: drawn[0])),
       st.integers(0, 20))
def test_the_plan_from_the_settled_state_is_the_plan_from_the_whole_history(
    person: Profile, logged: History, later: int
) -> None:
    latest = max((s.date for s in logged.sessions), default=START)
    start = max(latest, START - dt.timedelta(days=later))
    settled, recent = split(logged, person, start)
    assert settled.serves(BOOK, person.level, person.age, start)
    assert plan(person, BOOK, recent, start, 7, settled) == plan(person, BOOK, logged, start, 7)


@FOLDS
@given(spread_histories(), st.integers(0, 60))
def test_settling_keeps_what_the_rules_read(logged: History, before_days: int) -> None:
    """Folding more sessions onto a settled state gives the families the unsettled state
    gives, apart from the pain dates and notes it dropped."""
    horizon = START - dt.timedelta(days=before_days)
    older = History(sessions=[s for s in logged.sessions if s.date < horizon])
    newer = [s for s in logged.sessions if s.date >= horizon]
    settled = settle(replay_state(BOOK, older, "beginner"), horizon)
    full = replay_state(BOOK, logged, "beginner")
    resumed = replay(BOOK, History(sessions=newer), "beginner", settled=settled)
    keep = horizon - dt.timedelta(days=PAIN_MEMORY_DAYS)
    for family, state in full.families.items():
        other = resumed[family]
        assert (other.step, other.dosage, other.unlocked, other.easy_streak, other.removed_until,
                other.replaced_until) == (state.step, state.dosage, state.unlocked, state.easy_streak,
                                          state.removed_until, state.replaced_until)
        assert other.changes == [c for c in state.changes if c[0] >= keep]


def test_a_settled_state_does_not_serve_a_plan_whose_window_it_folded() -> None:
    person = Profile(pain_now=2, pain_worst_week=3, duration_weeks=5)
    logged = History(sessions=[SessionLog(date=START - dt.timedelta(days=n), pain_before=2, pain_after=2,
                                          items=[item("glute-bridge", "easy")]) for n in range(1, 60)])
    settled = settled_state(BOOK, logged.sessions, person.level)
    assert settled.horizon == horizon_after(START - dt.timedelta(days=1))
    assert settled.serves(BOOK, "beginner", None, START - dt.timedelta(days=1))
    assert not settled.serves(BOOK, "beginner", None, START - dt.timedelta(days=2))
    assert not settled.serves(BOOK, "advanced", None, START)
    assert not settled.serves(BOOK, "beginner", 70, START)


def long_history(sessions: int, seed: int = 3) -> History:
    """``sessions`` daily sessions up to the day before START, built without validation
    (model_construct), so 10,000 take a fraction of a second."""
    rng = random.Random(seed)
    families = sorted(
        entry.id for entry in BOOK
        if entry.family_id == entry.id and entry.category in {"activation", "strength", "mobility", "stretch"}
    )
    ladders = {family: BOOK.ladder(family) for family in families}
    logged = []
    for n in range(sessions):
        items = [
            ItemLog.model_construct(
                exercise=family, variation=rng.choice(ladders[family]), completed=rng.random() < 0.95,
                sets=None, hold_seconds=None, reps=None, skipped=False,
                rating=rng.choice(["easy"] * 8 + ["right"] * 10 + ["hard"] * 2 + ["pain"]),
            )
            for family in rng.sample(families, 6)
        ]
        pain = rng.randint(1, 3)
        logged.append(SessionLog.model_construct(
            date=START - dt.timedelta(days=sessions - n), pain_before=pain, pain_after=pain, items=items,
        ))
    return History.model_construct(sessions=logged)


def test_the_plan_for_10000_sessions_is_the_same_from_the_folded_state_as_by_replay() -> None:
    logged = long_history(10_000)
    person = Profile(pain_now=2, pain_worst_week=3, duration_weeks=500, minutes_per_day=30,
                     tight_areas=["hamstrings", "hip_flexors"], weak_areas=["core"], level="intermediate")
    settled, recent = split(logged, person, START)
    assert settled.sessions == 10_000 - PLANNING_WINDOW_DAYS - 1 and len(recent.sessions) == PLANNING_WINDOW_DAYS + 1
    by_replay = plan(person, BOOK, logged, START, 14)
    assert plan(person, BOOK, recent, START, 14, settled) == by_replay
    assert any(session.items for day in by_replay.days for session in day.sessions)
