"""Progression rules from the history, one test per rule, each named after its rule.

The catalogue here is hand-made (independent of the shipped content) and gives every entry a
movement pattern, so that the pattern rules have something to act on: the plank pattern holds
the forearm-plank ladder and the quadruped plank, the side-plank pattern the side-plank ladder
and the side plank with hip lift, the bridge pattern the bridge ladder and the held bridge.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lumbo.domain.catalogue import Catalogue
from lumbo.domain.model import Decision, History, PlanItem, SessionLog
from lumbo.domain.planning import GENTLE_CATEGORIES, plan
from lumbo.domain.progression import (
    Dosage,
    FamilyState,
    blocked_patterns,
    entry_step,
    replay,
    starting_step,
)
from lumbo.domain.screening import screen
from tests.unit.factories import entry, history, hold, log, profile, session

START = dt.date(2026, 11, 23)


def ladders() -> Catalogue:
    return Catalogue(
        [
            entry("diaphragmatic-breathing", pattern="breathing", category="breathing",
                  stages=["relief", "activation", "maintenance"], dose=hold(60)),
            entry("hip-swing", pattern="leg-swing", category="relief", stages=["relief"], position="standing"),
            entry("glute-bridge", pattern="bridge", harder="single-leg-glute-bridge"),
            entry("single-leg-glute-bridge", pattern="bridge", family="glute-bridge", easier="glute-bridge",
                  harder="figure-4-glute-bridge", per_side=True, level="intermediate", start_levels=["advanced"]),
            entry("figure-4-glute-bridge", pattern="bridge", family="glute-bridge", easier="single-leg-glute-bridge",
                  per_side=True, level="advanced"),
            entry("glute-bridge-hold", pattern="bridge", category="strength", dose=hold(20, 60),
                  harder="loaded-glute-bridge"),
            entry("loaded-glute-bridge", pattern="bridge", family="glute-bridge-hold", category="strength",
                  dose=hold(20, 60), easier="glute-bridge-hold", level="intermediate", loaded=True),
            entry("side-lying-hip-abduction", pattern="hip-abduction", per_side=True, position="lying_on_side"),
            entry("quadruped-plank", pattern="plank", position="quadruped", dose=hold(15, 30)),
            entry("forearm-plank-knees", pattern="plank", family="forearm-plank", category="strength",
                  harder="forearm-plank", position="lying_on_front", dose=hold(15, 60)),
            entry("forearm-plank", pattern="plank", category="strength", easier="forearm-plank-knees",
                  harder="forearm-plank-loaded", level="intermediate", start_levels=["intermediate", "advanced"],
                  position="lying_on_front", dose=hold(20, 60)),
            entry("forearm-plank-loaded", pattern="plank", family="forearm-plank", category="strength",
                  easier="forearm-plank", level="advanced", loaded=True, position="lying_on_front",
                  dose=hold(20, 60), equipment=[["weights"]]),
            entry("side-plank-hip-lift", pattern="side-plank", per_side=True, position="lying_on_side"),
            entry("side-plank-knees", pattern="side-plank", family="side-plank", category="strength",
                  harder="side-plank", per_side=True, position="lying_on_side", dose=hold(15, 45)),
            entry("side-plank", pattern="side-plank", category="strength", easier="side-plank-knees",
                  level="intermediate", per_side=True, position="lying_on_side", dose=hold(15, 45)),
            entry("hip-hinge", pattern="hinge", category="strength", position="standing", harder="deadlift"),
            entry("deadlift", pattern="hinge", family="hip-hinge", category="strength", position="standing",
                  easier="hip-hinge", level="intermediate", loaded=True, equipment=[["weights"]]),
            entry("sled-push", pattern="push", category="strength", position="standing", loaded=True,
                  equipment=[["weights"]]),
            entry("cobra-forearms", pattern="backbend", family="cobra", category="mobility", position="lying_on_front",
                  harder="cobra", back_bending=True),
            entry("cobra", pattern="backbend", category="mobility", position="lying_on_front",
                  easier="cobra-forearms", level="intermediate", start_levels=["intermediate", "advanced"],
                  back_bending=True),
        ]
    )


CATALOGUE = ladders()


def day(n: int) -> dt.date:
    """``n`` days before the start."""
    return START - dt.timedelta(days=n)


def states(*sessions: SessionLog, level: str = "beginner", **kwargs: Any) -> dict[str, FamilyState]:
    return replay(CATALOGUE, history(*sessions), level, **kwargs)


def planned(decision: Decision, family: str) -> list[tuple[dt.date, PlanItem]]:
    return [(d.date, i) for d in decision.days for s in d.sessions for i in s.items if i.exercise == family]


def make_plan(logged: History, days: int = 7, **fields: object) -> Decision:
    return plan(profile(minutes_per_day=90, **fields), CATALOGUE, logged, START, days)


def at_target_knees() -> list[SessionLog]:
    """Ten completed `right` sessions of the plank from the knees: 15 s grows to its 60 s target."""
    return [session(day(40 - n), log("forearm-plank", "right", "forearm-plank-knees")) for n in range(10)]


# --- entry steps and unlocking (issue 9, item 1) ---------------------------------------


def test_entry_step_is_the_first_step_without_start_levels() -> None:
    for level in ("beginner", "intermediate", "advanced"):
        step = entry_step(CATALOGUE, "side-plank", level)
        assert step is not None and step.id == "side-plank-knees"


def test_entry_step_is_a_later_step_only_where_start_levels_list_the_level() -> None:
    assert entry_step(CATALOGUE, "forearm-plank", "beginner").id == "forearm-plank-knees"  # type: ignore[union-attr]
    assert entry_step(CATALOGUE, "forearm-plank", "intermediate").id == "forearm-plank"  # type: ignore[union-attr]
    assert entry_step(CATALOGUE, "glute-bridge", "intermediate").id == "glute-bridge"  # type: ignore[union-attr]
    assert entry_step(CATALOGUE, "glute-bridge", "advanced").id == "single-leg-glute-bridge"  # type: ignore[union-attr]


def test_loaded_step_is_never_an_entry_step() -> None:
    assert entry_step(CATALOGUE, "forearm-plank", "advanced").id == "forearm-plank"  # type: ignore[union-attr]
    assert entry_step(CATALOGUE, "hip-hinge", "advanced").id == "hip-hinge"  # type: ignore[union-attr]
    assert entry_step(CATALOGUE, "glute-bridge-hold", "advanced").id == "glute-bridge-hold"  # type: ignore[union-attr]
    assert entry_step(CATALOGUE, "sled-push", "advanced") is None  # a ladder that starts loaded


@pytest.mark.parametrize(
    ("level", "age", "expected"),
    [
        ("beginner", 30, "cobra-forearms"),
        ("intermediate", 30, "cobra"),
        ("intermediate", None, "cobra"),
        ("intermediate", 60, "cobra"),
        ("intermediate", 61, "cobra-forearms"),
        ("advanced", 75, "cobra-forearms"),
    ],
)
def test_back_bending_ladder_starts_gentlest_for_beginners_and_over_60(level: str, age: int | None, expected: str) -> None:
    step = entry_step(CATALOGUE, "cobra", level, age)
    assert step is not None and step.id == expected
    start = starting_step(CATALOGUE, "cobra", profile(level=level, age=age))
    assert start is not None and start.id == expected


def test_starting_step_of_an_unlogged_family_is_planned() -> None:
    items = planned(make_plan(history(), level="intermediate", age=40), "cobra")
    assert items and {item.variation for _, item in items} == {"cobra"}
    items = planned(make_plan(history(), level="intermediate", age=70), "cobra")
    assert items and {item.variation for _, item in items} == {"cobra-forearms"}
    items = planned(make_plan(history(), level="advanced", equipment=["weights"]), "hip-hinge")
    assert items and {item.variation for _, item in items} == {"hip-hinge"}


def test_higher_step_is_unlocked_only_by_the_climb_rule() -> None:
    # A beginner logs the plank on the toes (not unlocked) many times: the plan stays on the knees.
    toes = [session(day(30 - n), log("forearm-plank", "easy", "forearm-plank")) for n in range(20)]
    state = states(*toes)["forearm-plank"]
    assert (state.step, state.unlocked, state.dosage) == ("forearm-plank-knees", "forearm-plank-knees", Dosage(1, None, 15))
    # The knees at target, then two easy sessions: the toes are unlocked by the climb.
    climbed = states(*at_target_knees(), *(session(day(5 - n), log("forearm-plank", "easy", "forearm-plank-knees")) for n in range(2)))
    assert climbed["forearm-plank"].step == climbed["forearm-plank"].unlocked == "forearm-plank"


def test_logged_step_at_or_below_the_highest_reached_is_followed() -> None:
    down = states(session(day(5), log("forearm-plank", "right", "forearm-plank-knees")), level="intermediate")
    assert down["forearm-plank"].step == "forearm-plank-knees"
    back_up = states(
        session(day(5), log("forearm-plank", "right", "forearm-plank-knees")),
        session(day(4), log("forearm-plank", "right", "forearm-plank")),
        level="intermediate",
    )
    assert back_up["forearm-plank"].step == "forearm-plank"


# --- doses -----------------------------------------------------------------------------


def test_holds_grow_towards_the_target() -> None:
    assert states(session(day(10), log("forearm-plank", "hard", "forearm-plank-knees")))["forearm-plank"].dosage.hold_seconds == 15
    grown = states(*(session(day(10 - n), log("forearm-plank", "right", "forearm-plank-knees", hold_seconds=60)) for n in range(3)))
    assert grown["forearm-plank"].dosage == Dosage(1, None, 30)


def test_holds_stop_at_the_target_until_the_ladder_climbs() -> None:
    state = states(*(session(day(40 - n), log("forearm-plank", "right", "forearm-plank-knees")) for n in range(30)))["forearm-plank"]
    assert (state.step, state.dosage.hold_seconds) == ("forearm-plank-knees", 60)


def test_two_easy_sessions_at_target_climb_the_ladder() -> None:
    one_easy = [*at_target_knees(), session(day(5), log("forearm-plank", "easy", "forearm-plank-knees"))]
    assert states(*one_easy)["forearm-plank"].step == "forearm-plank-knees"
    two_easy = [*one_easy, session(day(4), log("forearm-plank", "easy", "forearm-plank-knees"))]
    assert states(*two_easy)["forearm-plank"].step == "forearm-plank"
    assert any("move on to" in note for note in make_plan(history(*two_easy)).notes)


def test_reps_grow_within_8_to_12_then_sets_grow() -> None:
    two = states(*(session(day(30 - n), log("glute-bridge", "right")) for n in range(2)))
    assert two["glute-bridge"].dosage == Dosage(1, 12, None)
    three = states(*(session(day(30 - n), log("glute-bridge", "right")) for n in range(3)))
    assert three["glute-bridge"].dosage == Dosage(2, 8, None)


def test_hard_rating_or_missed_dose_does_not_progress() -> None:
    hard = states(*(session(day(10 - n), log("glute-bridge", "hard")) for n in range(4)))
    short = states(*(session(day(10 - n), log("glute-bridge", "easy", reps=3)) for n in range(4)))
    unfinished = states(*(session(day(10 - n), log("glute-bridge", "easy", completed=False)) for n in range(4)))
    for after in (hard, short, unfinished):
        assert after["glute-bridge"].dosage == Dosage(1, 10, None)


# --- pain, heard across the pattern (issue 9, item 3) ------------------------------------


def test_pain_steps_below_the_step_that_hurt() -> None:
    advanced = states(session(day(3), log("glute-bridge", "pain", "single-leg-glute-bridge")), level="advanced")
    assert advanced["glute-bridge"].step == "glute-bridge"
    # An intermediate starts on the two-leg bridge; the single-leg one (not theirs yet) hurt:
    # they keep to the two-leg bridge.
    intermediate = states(session(day(3), log("glute-bridge", "pain", "single-leg-glute-bridge")), level="intermediate")
    assert intermediate["glute-bridge"].step == "glute-bridge" and intermediate["glute-bridge"].replaced_until is None


def test_pain_at_the_bottom_of_a_ladder_replaces_it_for_seven_days() -> None:
    state = states(session(day(2), log("quadruped-plank", "pain")))["quadruped-plank"]
    assert state.replaced_until == day(2) + dt.timedelta(days=7)
    decision = make_plan(history(session(day(2), log("quadruped-plank", "pain"))), days=10)
    dates = {when for when, _ in planned(decision, "quadruped-plank")}
    assert dates and min(dates) == day(2) + dt.timedelta(days=7)


def test_pain_steps_the_other_families_of_the_pattern_down() -> None:
    after = states(session(day(3), log("quadruped-plank", "pain")), level="intermediate")
    assert after["forearm-plank"].step == "forearm-plank-knees"  # one step below its entry step
    assert after["forearm-plank"].pain_dates == [day(3)]
    # At the bottom of its ladder, another family goes back to its beginner starting dose.
    bottom = states(
        *(session(day(20 - n), log("quadruped-plank", "right")) for n in range(3)),
        session(day(3), log("forearm-plank", "pain", "forearm-plank-knees")),
    )
    assert bottom["quadruped-plank"].dosage == Dosage(1, None, 15)
    assert bottom["quadruped-plank"].step == "quadruped-plank" and bottom["quadruped-plank"].replaced_until is None
    # Another pattern is untouched.
    assert "glute-bridge" not in after and after["quadruped-plank"].pattern == "plank"


@pytest.mark.parametrize(("log_day", "grows"), [(7, False), (8, True)])
def test_pain_freezes_the_whole_pattern_for_7_days(log_day: int, grows: bool) -> None:
    """The pain day is day 1: a log on day 7 does not progress the pattern, one on day 8 does."""
    pain_day = day(20)
    after = states(
        session(pain_day, log("quadruped-plank", "pain")),
        session(pain_day + dt.timedelta(days=log_day - 1), log("forearm-plank", "right", "forearm-plank-knees")),
    )
    assert after["forearm-plank"].dosage.hold_seconds == (20 if grows else 15)
    assert after["forearm-plank"].frozen_on(pain_day + dt.timedelta(days=log_day - 1)) is not grows


@pytest.mark.parametrize(("second_on_day", "removed"), [(14, True), (15, False)])
def test_two_pain_ratings_in_a_pattern_within_14_days_remove_it_for_14_days(second_on_day: int, removed: bool) -> None:
    """The first pain day is day 1: a second pain on day 14 removes the whole pattern (both
    families) for 14 days from the second pain; on day 15 it only steps down again."""
    first = day(20)
    second = first + dt.timedelta(days=second_on_day - 1)
    after = states(
        session(first, log("side-plank", "pain", "side-plank-knees")),
        session(second, log("side-plank-hip-lift", "pain")),
    )
    until = second + dt.timedelta(days=14)
    for family in ("side-plank", "side-plank-hip-lift"):
        assert (after[family].removed_until == until) is removed
        assert after[family].blocked_on(until - dt.timedelta(days=1)) is removed
        assert not after[family].removed_on(until)
    assert blocked_patterns(after, until - dt.timedelta(days=1)) == ({"side-plank"} if removed else set())
    assert blocked_patterns(after, until) == set()


def test_removed_pattern_is_left_out_of_the_plan_and_the_plan_says_so() -> None:
    logged = history(
        session(day(10), log("side-plank", "pain", "side-plank-knees")),
        session(day(3), log("side-plank-hip-lift", "pain")),
    )
    decision = make_plan(logged, days=14)
    until = day(3) + dt.timedelta(days=14)
    for family in ("side-plank", "side-plank-hip-lift"):
        dates = {when for when, _ in planned(decision, family)}
        assert all(when >= until for when in dates)
    assert {when for when, _ in planned(decision, "side-plank-hip-lift")}  # back after the 14 days
    assert any(
        "Side plank knees on 2026-11-13" in note
        and "Side plank hip lift on 2026-11-20" in note
        and "every side plank exercise is out of your plan until 2026-12-04" in note
        for note in decision.notes
    )


def test_pain_note_names_the_exercise_done_and_the_date() -> None:
    # A beginner on the knees tried the straight side plank and it hurt: the note names the
    # straight side plank, not the knees step the plan falls back to.
    decision = make_plan(history(session(day(3), log("side-plank", "pain", "side-plank"))))
    hurt = [note for note in decision.notes if "hurt on" in note]
    assert hurt and hurt[0].startswith("Side plank hurt on 2026-11-20")
    assert not any("Side plank knees hurt" in note for note in decision.notes)


# --- worsening pauses progression (issue 9, item 4) --------------------------------------


def worsening_history(*extra: SessionLog) -> History:
    """Pain 3 in the first week of the window, 5 in its last week (8 days before the start,
    so no flare): a 2-point rise over 4 sessions."""
    return history(
        session(day(27), log("glute-bridge", "right"), before=3, after=3),
        session(day(24), log("glute-bridge", "right"), before=3, after=3),
        session(day(12), log("glute-bridge", "easy"), before=4, after=5),
        session(day(8), log("glute-bridge", "easy"), before=5, after=5),
        *extra,
    )


def test_worsening_pauses_every_progression_and_adds_no_new_exercise() -> None:
    logged = worsening_history()
    decision = make_plan(logged)
    items = [item for d in decision.days for s in d.sessions for item in s.items]
    # Only what they have done, besides gentle relief movements and breathing.
    assert items and {item.exercise for item in items if item.category not in GENTLE_CATEGORIES} == {"glute-bridge"}
    more_easy = worsening_history(*(session(day(13 - n), log("glute-bridge", "easy"), before=5, after=5) for n in range(5)))
    again = make_plan(more_easy)
    assert [i.model_dump() for d in again.days for s in d.sessions for i in s.items] == [i.model_dump() for i in items]
    # The window's logs move nothing: the same plan as when every one of them was rated hard.
    held = history(*(s.model_copy(update={"items": [log("glute-bridge", "hard")]}) for s in logged.sessions))
    assert [i.model_dump() for d in make_plan(held).days for s in d.sessions for i in s.items] == [
        i.model_dump() for i in items
    ]


def test_worsening_with_a_flare_plans_only_gentle_movements_and_says_so() -> None:
    # The last session is 2 points above the baseline, 3 days ago: a flare (relief), and
    # worsening: only the gentle relief movements and breathing are planned (nothing that
    # loads), and the first note sends the person to a clinician.
    logged = worsening_history(session(day(3), log("glute-bridge", "easy"), before=5, after=5))
    decision = make_plan(logged)
    assert decision.stage == "relief"
    items = [i for d in decision.days for s in d.sessions for i in s.items]
    assert items and {i.category for i in items} <= GENTLE_CATEGORIES
    assert "nothing new but gentle movements" in decision.notes[0]


def test_worsening_note_comes_first_in_the_words_of_the_intake_referral() -> None:
    decision = make_plan(worsening_history())
    referral = screen(profile(pain_trend="worsening"))
    assert referral is not None and referral.what_to_do is not None
    assert decision.notes[0].startswith("Your pain keeps getting worse: from about 3/10 to 5/10")
    assert referral.what_to_do in decision.notes[0]
    assert "Your pain keeps getting worse." in referral.reasons


def test_steady_pain_is_not_worsening() -> None:
    steady = history(*(session(day(25 - 5 * n), log("glute-bridge", "easy"), before=3, after=3) for n in range(5)))
    decision = make_plan(steady)
    assert not any("worse" in note for note in decision.notes)
    assert {i.exercise for d in decision.days for s in d.sessions for i in s.items} > {"glute-bridge"}
