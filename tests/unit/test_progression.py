"""Progression rules from the history, one test per rule."""

from __future__ import annotations

import datetime as dt

from lumbo.domain.model import Decision, History, PlanItem
from lumbo.domain.planning import plan
from tests.unit.factories import history, log, profile, session, small_catalogue

START = dt.date(2026, 11, 23)
CATALOGUE = small_catalogue()


def day(n: int) -> dt.date:
    return START - dt.timedelta(days=n)


def planned(logged: History, family: str, **fields: object) -> PlanItem | None:
    decision = plan(profile(minutes_per_day=60, **fields), CATALOGUE, logged, START, 7)
    for plan_day in decision.days:
        for s in plan_day.sessions:
            for item in s.items:
                if item.exercise == family:
                    return item
    return None


def notes(logged: History) -> list[str]:
    decision: Decision = plan(profile(minutes_per_day=60), CATALOGUE, logged, START, 7)
    return decision.notes


def test_holds_grow_towards_the_target() -> None:
    first = planned(history(), "forearm-plank")
    assert first is not None and first.hold_seconds == 15
    logged = history(*(session(day(10 - n), log("forearm-plank", "right", "forearm-plank-knees", hold_seconds=60)) for n in range(3)))
    grown = planned(logged, "forearm-plank")
    assert grown is not None and grown.variation == "forearm-plank-knees" and grown.hold_seconds == 30


def test_holds_stop_at_the_target_until_the_ladder_climbs() -> None:
    logged = history(*(session(day(40 - n), log("forearm-plank", "right", "forearm-plank-knees")) for n in range(30)))
    item = planned(logged, "forearm-plank")
    assert item is not None and item.variation == "forearm-plank-knees" and item.hold_seconds == 60


def test_two_easy_sessions_at_target_climb_the_ladder() -> None:
    at_target = [session(day(40 - n), log("forearm-plank", "right", "forearm-plank-knees")) for n in range(10)]
    one_easy = history(*at_target, session(day(5), log("forearm-plank", "easy", "forearm-plank-knees")))
    item = planned(one_easy, "forearm-plank")
    assert item is not None and item.variation == "forearm-plank-knees"
    two_easy = history(*one_easy.sessions, session(day(4), log("forearm-plank", "easy", "forearm-plank-knees")))
    item = planned(two_easy, "forearm-plank")
    assert item is not None and item.variation == "forearm-plank"
    assert any("move on to" in note for note in notes(two_easy))


def test_reps_grow_within_8_to_12_then_sets_grow() -> None:
    two = history(*(session(day(30 - n), log("glute-bridge", "right")) for n in range(2)))
    item = planned(two, "glute-bridge")
    assert item is not None and (item.sets, item.reps) == (1, 12)
    three = history(*(session(day(30 - n), log("glute-bridge", "right")) for n in range(3)))
    item = planned(three, "glute-bridge")
    assert item is not None and (item.sets, item.reps) == (2, 8)


def test_hard_rating_or_missed_dose_does_not_progress() -> None:
    hard = history(*(session(day(10 - n), log("glute-bridge", "hard")) for n in range(4)))
    short = history(*(session(day(10 - n), log("glute-bridge", "easy", reps=3)) for n in range(4)))
    for logged in (hard, short):
        item = planned(logged, "glute-bridge")
        assert item is not None and (item.sets, item.reps) == (1, 10)


def test_pain_rating_steps_one_easier() -> None:
    logged = history(session(day(3), log("glute-bridge", "pain", "single-leg-glute-bridge")))
    item = planned(logged, "glute-bridge", level="intermediate")
    assert item is not None and item.variation == "glute-bridge"


def test_pain_at_the_bottom_of_a_ladder_replaces_it_for_seven_days() -> None:
    logged = history(session(day(2), log("quadruped-plank", "pain")))
    decision = plan(profile(minutes_per_day=60), CATALOGUE, logged, START, 10)
    by_date = {d.date: {i.exercise for s in d.sessions for i in s.items} for d in decision.days}
    assert all("quadruped-plank" not in ex for date, ex in by_date.items() if date < day(2) + dt.timedelta(days=7))
    assert any("quadruped-plank" in ex for date, ex in by_date.items() if date >= day(2) + dt.timedelta(days=7))


def test_no_progression_in_the_seven_days_after_pain() -> None:
    painful = [session(day(6), log("forearm-plank", "pain", "forearm-plank-knees"))]
    easy_after = [session(day(5 - n), log("forearm-plank", "easy", "forearm-plank-knees")) for n in range(5)]
    without = planned(history(*painful), "forearm-plank")
    with_easy = planned(history(*painful, *easy_after), "forearm-plank")
    assert without is not None and with_easy is not None
    assert (with_easy.variation, with_easy.hold_seconds) == (without.variation, without.hold_seconds)


def test_two_pain_ratings_within_14_days_remove_the_exercise() -> None:
    logged = history(
        session(day(12), log("glute-bridge", "pain")),
        session(day(3), log("glute-bridge", "pain")),
    )
    assert planned(logged, "glute-bridge") is None
    assert any("Glute bridge" in note and "hurt twice" in note for note in notes(logged))


def test_rising_pain_means_referral_advice_and_no_progression_anywhere() -> None:
    rising = history(
        *(session(day(13 - 3 * n), log("glute-bridge", "easy"), before=1 + n, after=1 + n) for n in range(5))
    )
    decision = plan(profile(minutes_per_day=60), CATALOGUE, rising, START, 7)
    assert "see a doctor" in decision.notes[0]
    item = planned(rising, "glute-bridge")
    assert item is not None and (item.sets, item.reps) == (1, 10)


def test_steady_pain_is_not_rising() -> None:
    steady = history(*(session(day(13 - 3 * n), log("glute-bridge", "easy"), before=3, after=3) for n in range(5)))
    decision = plan(profile(minutes_per_day=60), CATALOGUE, steady, START, 7)
    assert not any("rising" in note for note in decision.notes)
