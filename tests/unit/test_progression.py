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
from lumbo.domain.model import Decision, History, ItemLog, PlanItem, SessionLog
from lumbo.domain.planning import GENTLE_CATEGORIES, plan
from lumbo.domain.progression import (
    Dosage,
    FamilyState,
    blocked_patterns,
    entry_step,
    logged_families,
    replay,
    starting_dosage,
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


# --- edges pinned by mutation testing (docs/testing.md) ---------------------------------

#: CATALOGUE and a few more hand-made entries: a three-step stretch ladder (stretches keep
#: their dose, so they are always at their target and climb on two easy sessions), a
#: back-bending ladder whose second step lists beginners in ``start_levels``, and doses
#: that show each starting-dose rule.
MORE = Catalogue(
    [
        *CATALOGUE,
        entry("knee-hug", pattern="knee-hug", category="stretch", dose=hold(30), harder="knee-hug-rock"),
        entry("knee-hug-rock", pattern="knee-hug", family="knee-hug", category="stretch", dose=hold(30),
              easier="knee-hug", harder="knee-hug-twist"),
        entry("knee-hug-twist", pattern="knee-hug", family="knee-hug", category="stretch", dose=hold(30),
              easier="knee-hug-rock"),
        entry("sphinx", pattern="sphinx", category="mobility", position="lying_on_front", harder="sphinx-reach",
              back_bending=True),
        entry("sphinx-reach", pattern="sphinx", family="sphinx", category="mobility", position="lying_on_front",
              easier="sphinx", start_levels=["beginner", "intermediate"], back_bending=True),
        entry("dead-bug", pattern="dead-bug", dose={"sets": 1, "reps": 8, "rest_seconds": 15, "seconds_per_rep": 3}),
        entry("bird-dog", pattern="bird-dog", dose={"sets": 3, "reps": 8, "rest_seconds": 15, "seconds_per_rep": 3}),
        entry("wall-sit", pattern="wall-sit", category="strength", dose=hold(15, 20)),
        entry("hollow-hold", pattern="hollow-hold", dose=hold(20)),
    ]
)


def more_states(*sessions: SessionLog, level: str = "beginner") -> dict[str, FamilyState]:
    return replay(MORE, history(*sessions), level)


def knee_hugs(first: int, *steps: str, rating: str = "easy") -> list[SessionLog]:
    """One session a day from ``first`` days before the start, one knee-hug step each."""
    return [session(day(first - n), log("knee-hug", rating, step)) for n, step in enumerate(steps)]


def test_the_pain_day_itself_is_frozen() -> None:
    # Pain on the quadruped plank, then the plank from the knees done well in the same session.
    after = states(
        session(day(20), log("quadruped-plank", "pain"), log("forearm-plank", "right", "forearm-plank-knees"))
    )
    assert after["forearm-plank"].frozen_on(day(20))
    assert after["forearm-plank"].dosage == Dosage(1, None, 15)


def test_a_family_swapped_out_after_pain_is_blocked_for_7_days() -> None:
    state = states(session(day(10), log("quadruped-plank", "pain")))["quadruped-plank"]
    assert state.blocked_on(day(10)) and state.blocked_on(day(4))  # days 1 and 7
    assert not state.blocked_on(day(3))  # day 8
    assert not state.removed_on(day(10))


def test_back_bending_ladder_starts_at_its_first_step_for_beginners_whatever_start_levels_say() -> None:
    assert entry_step(MORE, "sphinx", "beginner", 30).id == "sphinx"  # type: ignore[union-attr]
    assert entry_step(MORE, "sphinx", "intermediate", 30).id == "sphinx-reach"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("slug", "level", "dose"),
    [
        ("glute-bridge", "beginner", Dosage(1, 10, None)),
        ("glute-bridge", "intermediate", Dosage(2, 12, None)),
        ("glute-bridge", "advanced", Dosage(2, 12, None)),
        ("dead-bug", "beginner", Dosage(1, 8, None)),
        ("dead-bug", "intermediate", Dosage(2, 10, None)),
        ("dead-bug", "advanced", Dosage(2, 12, None)),
        ("bird-dog", "beginner", Dosage(3, 8, None)),
        ("forearm-plank-knees", "beginner", Dosage(1, None, 15)),
        ("forearm-plank-knees", "intermediate", Dosage(1, None, 20)),
        ("forearm-plank-knees", "advanced", Dosage(1, None, 25)),
        ("wall-sit", "advanced", Dosage(1, None, 20)),  # 25 s capped at the 20 s target
        ("hollow-hold", "advanced", Dosage(1, None, 30)),  # no target, no cap
        ("diaphragmatic-breathing", "advanced", Dosage(1, None, 60)),  # breathing keeps its dose
        ("hip-swing", "advanced", Dosage(1, 10, None)),  # relief keeps its dose
    ],
)
def test_starting_dose_by_level(slug: str, level: str, dose: Dosage) -> None:
    assert starting_dosage(MORE[slug], level) == dose


def test_reps_ladders_climb_after_3_sets_of_12_and_two_easy_sessions() -> None:
    # 1x10 -> 1x12 -> 2x8 .. 2x12 -> 3x8 .. 3x12: twelve sessions of growth, then two easy.
    logs = [session(day(40 - n), log("glute-bridge", "easy")) for n in range(14)]
    at_3x12 = states(*logs[:13])["glute-bridge"]
    assert (at_3x12.step, at_3x12.dosage) == ("glute-bridge", Dosage(3, 12, None))
    climbed = states(*logs)["glute-bridge"]
    assert (climbed.step, climbed.dosage) == ("single-leg-glute-bridge", Dosage(1, 10, None))


@pytest.mark.parametrize(
    ("done", "grows"), [({"hold_seconds": 14}, False), ({"hold_seconds": 15}, True)]
)
def test_holds_grow_only_when_the_prescribed_hold_was_held(done: dict[str, int], grows: bool) -> None:
    after = states(session(day(5), log("forearm-plank", "right", "forearm-plank-knees", **done)))
    assert after["forearm-plank"].dosage == Dosage(1, None, 20 if grows else 15)


@pytest.mark.parametrize(("reps", "grows"), [(9, False), (10, True)])
def test_reps_grow_only_when_the_prescribed_reps_were_done(reps: int, grows: bool) -> None:
    after = states(session(day(5), log("glute-bridge", "right", reps=reps)))
    assert after["glute-bridge"].dosage == Dosage(1, 11 if grows else 10, None)


@pytest.mark.parametrize(("age", "step"), [(70, "cobra-forearms"), (40, "cobra")])
def test_replay_starts_back_bending_ladders_by_age(age: int, step: str) -> None:
    after = states(session(day(5), log("cobra", "right")), level="intermediate", age=age)
    assert after["cobra"].step == step


def test_a_ladder_without_an_entry_step_logged_anyway_starts_at_its_first_step() -> None:
    after = states(session(day(5), log("sled-push", "right")))["sled-push"]
    assert (after.step, after.dosage) == ("sled-push", Dosage(1, 11, None))


def test_logs_from_the_frozen_from_day_move_nothing() -> None:
    bridge = session(day(5), log("glute-bridge", "right"))
    assert states(bridge, frozen_from=day(5))["glute-bridge"].dosage == Dosage(1, 10, None)
    assert states(bridge, frozen_from=day(4))["glute-bridge"].dosage == Dosage(1, 11, None)
    # While frozen, a logged step below the current one is not followed either.
    knees = session(day(5), log("forearm-plank", "right", "forearm-plank-knees"))
    assert states(knees, level="intermediate", frozen_from=day(10))["forearm-plank"].step == "forearm-plank"


def test_an_item_that_does_not_count_does_not_stop_the_rest_of_the_session() -> None:
    after = states(
        session(
            day(5),
            log("retired-exercise", "right"),  # no longer in the catalogue
            log("quadruped-plank", "pain"),
            log("forearm-plank", "easy", "forearm-plank"),  # not unlocked for a beginner
            log("glute-bridge", "right"),
        )
    )
    assert after["glute-bridge"].dosage == Dosage(1, 11, None)


def test_an_unknown_variation_counts_as_the_planned_step() -> None:
    after = states(session(day(5), log("glute-bridge", "right", "retired-bridge")))
    assert (after["glute-bridge"].step, after["glute-bridge"].dosage) == ("glute-bridge", Dosage(1, 11, None))


def test_a_followed_step_counts_its_log() -> None:
    # An intermediate starts on the toes; the knees (20 s for them) done well grow to 25 s.
    after = states(session(day(5), log("forearm-plank", "right", "forearm-plank-knees")), level="intermediate")
    assert (after["forearm-plank"].step, after["forearm-plank"].dosage) == ("forearm-plank-knees", Dosage(1, None, 25))


def test_logged_step_is_not_followed_while_the_pattern_is_frozen() -> None:
    # Pain on the quadruped plank steps an intermediate's plank down to the knees; the toes
    # logged on day 3 of the freeze are not followed, on day 9 they are.
    pain = session(day(10), log("quadruped-plank", "pain"))
    toes_day_3 = session(day(8), log("forearm-plank", "right", "forearm-plank"))
    assert states(pain, toes_day_3, level="intermediate")["forearm-plank"].step == "forearm-plank-knees"
    toes_day_9 = session(day(2), log("forearm-plank", "right", "forearm-plank"))
    after = states(pain, toes_day_3, toes_day_9, level="intermediate")["forearm-plank"]
    assert (after.step, after.dosage) == ("forearm-plank", Dosage(1, None, 30))


def test_logged_step_is_not_followed_while_the_pattern_is_removed() -> None:
    # Two pains remove the plank pattern until day 5 before the start; day 10 is past the
    # 7-day freeze but inside the removal.
    pains = [session(day(20), log("quadruped-plank", "pain")), session(day(19), log("quadruped-plank", "pain"))]
    toes = session(day(10), log("forearm-plank", "right", "forearm-plank"))
    assert states(*pains, toes, level="intermediate")["forearm-plank"].step == "forearm-plank-knees"


def test_logs_during_a_pattern_removal_move_nothing() -> None:
    pains = [session(day(20), log("quadruped-plank", "pain")), session(day(19), log("quadruped-plank", "pain"))]
    during = states(*pains, session(day(10), log("quadruped-plank", "right")))["quadruped-plank"]
    assert during.dosage == Dosage(1, None, 15)
    after = states(*pains, session(day(4), log("quadruped-plank", "right")))["quadruped-plank"]
    assert after.dosage == Dosage(1, None, 20)


def test_two_pains_swap_out_every_family_of_the_pattern() -> None:
    pains = [session(day(20), log("quadruped-plank", "pain")), session(day(19), log("quadruped-plank", "pain"))]
    after = states(*pains, level="intermediate")
    assert after["forearm-plank"].replaced_until == after["quadruped-plank"].replaced_until == day(5)


def test_two_easy_sessions_at_target_must_be_in_a_row() -> None:
    for between in ("hard", "right"):
        logs = [*at_target_knees(), *(session(day(5 - n), log("forearm-plank", rating, "forearm-plank-knees"))
                                      for n, rating in enumerate(("easy", between, "easy")))]
        assert states(*logs)["forearm-plank"].step == "forearm-plank-knees", between


def test_stretch_ladders_climb_after_two_easy_sessions() -> None:
    after = more_states(*knee_hugs(10, "knee-hug", "knee-hug"))["knee-hug"]
    assert (after.step, after.dosage) == ("knee-hug-rock", Dosage(1, None, 30))


def test_the_easy_streak_starts_again_after_a_climb() -> None:
    after = more_states(*knee_hugs(10, "knee-hug", "knee-hug", "knee-hug-rock"))["knee-hug"]
    assert (after.step, after.easy_streak) == ("knee-hug-rock", 1)


def test_following_a_step_down_starts_a_new_easy_streak() -> None:
    after = more_states(*knee_hugs(10, "knee-hug", "knee-hug", "knee-hug"))["knee-hug"]
    assert (after.step, after.unlocked, after.easy_streak) == ("knee-hug", "knee-hug-rock", 1)


def test_climbing_again_keeps_the_highest_step_reached() -> None:
    # knee-hug -> rock -> twist, back down to knee-hug, then up to rock again: twist stays
    # unlocked, so a logged twist is followed.
    steps = ("knee-hug", "knee-hug", "knee-hug-rock", "knee-hug-rock", "knee-hug", "knee-hug")
    after = more_states(*knee_hugs(20, *steps))["knee-hug"]
    assert (after.step, after.unlocked) == ("knee-hug-rock", "knee-hug-twist")
    again = more_states(*knee_hugs(20, *steps, "knee-hug-twist"), level="beginner")["knee-hug"]
    assert again.step == "knee-hug-twist"


def test_pain_starts_a_new_easy_streak() -> None:
    logs = [
        session(day(20), log("knee-hug", "easy")),
        session(day(19), log("knee-hug", "pain")),
        session(day(10), log("knee-hug", "easy")),
    ]
    after = more_states(*logs)["knee-hug"]
    assert (after.step, after.easy_streak) == ("knee-hug", 1)


def test_pain_in_one_pattern_does_not_count_towards_another() -> None:
    after = states(session(day(10), log("quadruped-plank", "pain")), session(day(5), log("glute-bridge", "pain")))
    assert after["glute-bridge"].removed_until is None and after["quadruped-plank"].removed_until is None
    assert blocked_patterns(after, day(4)) == set()


def test_second_pain_note_is_the_removal_note_only() -> None:
    after = states(
        session(day(20), log("side-plank", "pain", "side-plank-knees")),
        session(day(15), log("side-plank-hip-lift", "pain")),
    )
    assert [text for when, text in after["side-plank-hip-lift"].changes if when == day(15)] == [
        "Side plank knees on 2026-11-03 and Side plank hip lift on 2026-11-08 hurt within 14 days, so every "
        "side plank exercise is out of your plan until 2026-11-22. Mention it to a clinician if the pain lingers."
    ]


def test_pain_note_of_a_pattern_with_one_family_names_no_other_exercises() -> None:
    after = states(session(day(3), log("side-lying-hip-abduction", "pain")))["side-lying-hip-abduction"]
    assert after.changes == [
        (day(3), "Side lying hip abduction hurt on 2026-11-20, so something else takes its place until 2026-11-27.")
    ]


def test_pain_note_says_the_other_exercises_of_the_pattern_hold_until_the_freeze_ends() -> None:
    after = states(session(day(3), log("quadruped-plank", "pain")))["quadruped-plank"]
    assert after.changes == [
        (
            day(3),
            "Quadruped plank hurt on 2026-11-20, so something else takes its place until 2026-11-27. "
            "The other plank exercises step down too and hold their level until 2026-11-27.",
        )
    ]


def test_pain_on_a_higher_step_restarts_the_step_below_at_its_beginner_dose() -> None:
    after = states(session(day(3), log("glute-bridge", "pain", "single-leg-glute-bridge")), level="advanced")
    assert (after["glute-bridge"].step, after["glute-bridge"].dosage) == ("glute-bridge", Dosage(1, 10, None))


def test_pain_on_the_step_above_the_current_one_keeps_the_current_step_and_its_dose() -> None:
    # A beginner at 30 s on the knees tries the toes and it hurts: the knees stay at 30 s.
    grown = [session(day(10 - n), log("forearm-plank", "right", "forearm-plank-knees")) for n in range(3)]
    after = states(*grown, session(day(5), log("forearm-plank", "pain", "forearm-plank")))["forearm-plank"]
    assert (after.step, after.dosage) == ("forearm-plank-knees", Dosage(1, None, 30))


# --- skipped items (issue 11, item 3) ------------------------------------------------------


def skipped(exercise: str, variation: str | None = None) -> ItemLog:
    return ItemLog(exercise=exercise, variation=variation or exercise, skipped=True, completed=False)


def test_a_skipped_item_changes_nothing() -> None:
    """Skipped is not done: no growth, no climb, no easy streak broken, no step followed, and
    a family only ever skipped is planned as if it had never been logged."""
    grown = [session(day(30 - n), log("forearm-plank", "right", "forearm-plank-knees")) for n in range(3)]
    assert states(*grown, session(day(20), skipped("forearm-plank", "forearm-plank-knees"))) == states(*grown)

    # At the target after one easy session, a skip in between keeps the streak: the next
    # easy session is the second in a row, and climbs.
    one_easy = [*at_target_knees(), session(day(5), log("forearm-plank", "easy", "forearm-plank-knees"))]
    with_skip = [*one_easy, session(day(4), skipped("forearm-plank", "forearm-plank-knees"))]
    assert states(*with_skip)["forearm-plank"].easy_streak == 1
    climbed = states(*with_skip, session(day(3), log("forearm-plank", "easy", "forearm-plank-knees")))
    assert climbed["forearm-plank"].step == "forearm-plank"

    # A skipped lower step is not followed down (a done one would be).
    two_easy = [*one_easy, session(day(3), log("forearm-plank", "easy", "forearm-plank-knees"))]
    after_skip = states(*two_easy, session(day(2), skipped("forearm-plank", "forearm-plank-knees")))
    assert after_skip["forearm-plank"].step == "forearm-plank"
    after_done = states(*two_easy, session(day(2), log("forearm-plank", "right", "forearm-plank-knees")))
    assert after_done["forearm-plank"].step == "forearm-plank-knees"

    only_skipped = history(*(session(day(5 - n), skipped("glute-bridge")) for n in range(3)))
    assert "glute-bridge" not in replay(CATALOGUE, only_skipped, "beginner")
    assert logged_families(CATALOGUE, only_skipped) == set()
    assert planned(make_plan(only_skipped), "glute-bridge") == planned(make_plan(history()), "glute-bridge")


def test_an_item_after_a_skipped_one_in_the_same_session_still_counts() -> None:
    # Skipping the first exercise must not make lumbo ignore the rest of that session.
    grown = [session(day(30 - n), log("forearm-plank", "right", "forearm-plank-knees")) for n in range(3)]
    together = session(
        day(20), skipped("glute-bridge"), log("forearm-plank", "right", "forearm-plank-knees")
    )
    apart = session(day(20), log("forearm-plank", "right", "forearm-plank-knees"))
    assert states(*grown, together)["forearm-plank"] == states(*grown, apart)["forearm-plank"]
    assert states(*grown, together)["forearm-plank"] != states(*grown)["forearm-plank"]
