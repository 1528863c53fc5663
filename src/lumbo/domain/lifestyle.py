"""The lifestyle audit: a short, personal list of suggestions from the intake profile.

Seed 003_f946f2588c8df1e8.txt opens with a lifestyle audit (weight, exercise, stretching,
sports, how long and how well you sleep, time at a desk). lumbo turns the answers in
``Profile.lifestyle`` and ``Profile.desk_hours_per_day`` into at most one suggestion per
topic, each with the reason and the seed it comes from (``source``: a seed file name, which
people see as the article's title through lumbo.domain.sources; the reasons themselves name
no file and never say "seed"). Nothing is suggested when all is well. The thresholds are
lumbo's own choices (the seeds give no numbers for them) and are documented in
docs/lessons.md:

=================  ==========================================  =======================
topic              suggested when                              source
=================  ==========================================  =======================
sitting-breaks     desk_hours_per_day >= LONG_DESK_HOURS (6)    seed 002 (and 003)
sleep              sleep_hours < SHORT_SLEEP_HOURS (7)          seed 003
                   or sleep_quality == "poor"
activity           exercise_days_per_week < FEW_ACTIVE_DAYS (3) seed 003 (and 000)
weight             overweight is true                           seed 003
=================  ==========================================  =======================

The profile has no field for stretching or mobility work, so that audit question is not
asked here (the plan itself covers it).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from lumbo.domain.model import Profile

#: Desk hours per day from which lumbo suggests sitting breaks (and the planner may add
#: posture checks and "stand up and move" prompts).
LONG_DESK_HOURS = 6.0
#: Suggested interval between breaks from sitting, in minutes (lumbo's rule of thumb).
BREAK_EVERY_MINUTES = (30, 60)
#: Nightly hours of sleep under which lumbo raises sleep.
SHORT_SLEEP_HOURS = 7.0
#: Days of exercise a week under which lumbo suggests more activity.
FEW_ACTIVE_DAYS = 3

SEED_000 = "000_4e3ddc84ba866f2f.txt"
SEED_002 = "002_e14ac49bdaa1a107.txt"
SEED_003 = "003_f946f2588c8df1e8.txt"


class Suggestion(BaseModel):
    """One suggestion about daily life: what to try, why, and the article it rests on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    title: str
    suggestion: str
    reason: str
    # A seed file name (SEED_000...); shown to people only as lumbo.domain.sources.label(source).
    source: str = Field(description="The article the reason comes from")


def audit(profile: Profile) -> list[Suggestion]:
    """The suggestions for ``profile``, most everyday first; empty when all is well."""
    suggestions: list[Suggestion] = []
    desk = sitting_breaks(profile.desk_hours_per_day)
    if desk is not None:
        suggestions.append(desk)
    life = profile.lifestyle
    if life.sleep_hours < SHORT_SLEEP_HOURS or life.sleep_quality == "poor":
        suggestions.append(_sleep(life.sleep_hours, life.sleep_quality))
    if life.exercise_days_per_week < FEW_ACTIVE_DAYS:
        suggestions.append(_activity(life.exercise_days_per_week))
    if life.overweight:
        suggestions.append(_weight())
    return suggestions


def needs_sitting_breaks(desk_hours_per_day: float) -> bool:
    """True for a long desk day (the planner's cue for posture checks and movement prompts)."""
    return desk_hours_per_day >= LONG_DESK_HOURS


def sitting_breaks(desk_hours_per_day: float) -> Suggestion | None:
    if not needs_sitting_breaks(desk_hours_per_day):
        return None
    low, high = BREAK_EVERY_MINUTES
    hours = _hours(desk_hours_per_day)
    return Suggestion(
        id="sitting-breaks",
        title="Break up long sitting",
        suggestion=(
            f"You sit for about {hours} a day. Every {low} to {high} minutes, stand up, walk a "
            "few steps and reset your posture: head tall, shoulders back and down. "
            "A short posture check or hip flexor stretch fits in the same minute."
        ),
        reason=(
            "Hours hunched at a desk leave the hip flexors, hamstrings, calves, lats and pecs "
            "tight, and tight hips keep the glutes from doing their share, so the low back "
            "takes over (a trainer who sees this in many clients with desk jobs; another "
            "trainer puts desk time on a short list of daily habits to check). "
            f"The {low}-{high} minute interval is lumbo's rule of thumb, not a figure from "
            "the articles lumbo follows."
        ),
        source=SEED_002,
    )


def _sleep(hours: float, quality: str) -> Suggestion:
    if hours < SHORT_SLEEP_HOURS and quality == "poor":
        what = f"You sleep about {_hours(hours)} a night and rate it poor."
    elif hours < SHORT_SLEEP_HOURS:
        what = f"You sleep about {_hours(hours)} a night."
    else:
        what = "You rate your sleep as poor."
    return Suggestion(
        id="sleep",
        title="Look at your sleep",
        suggestion=(
            f"{what} Try a steady bedtime and waking time for a couple of weeks and notice "
            "whether your back feels different in the morning. If sleep stays a problem, "
            "mention it to your doctor."
        ),
        reason=(
            "How long and how well you sleep are both on the short list of daily habits that "
            "one trainer suggests checking for anyone with low back pain. The seven-hour mark "
            "is lumbo's own threshold."
        ),
        source=SEED_003,
    )


def _activity(days: int) -> Suggestion:
    counted = "no days" if days == 0 else ("1 day" if days == 1 else f"{days} days")
    return Suggestion(
        id="activity",
        title="Move on more days",
        suggestion=(
            f"You exercise on {counted} a week. Add easy movement you enjoy, such as a walk, "
            "on a few more days; your short lumbo sessions count as well."
        ),
        reason=(
            "One trainer asks whether you exercise as part of checking your daily habits and "
            "favours little and often; another finds that movement, not rest, is what eases "
            "a stiff back. Three days a week is lumbo's own threshold."
        ),
        source=SEED_003,
    )


def _weight() -> Suggestion:
    return Suggestion(
        id="weight",
        title="Weight, if you want to work on it",
        suggestion=(
            "You said you carry extra weight. If you would like to change that, a doctor or "
            "dietitian can help you make a plan that suits you. Nothing in your lumbo plan "
            "depends on it."
        ),
        reason=(
            "Body weight is the first question on one trainer's list of daily habits to "
            "check, among the things that may add to back pain."
        ),
        source=SEED_003,
    )


def _hours(value: float) -> str:
    rounded = round(value, 1)
    number = f"{rounded:g}"
    return f"{number} hour" if rounded == 1 else f"{number} hours"
