"""The intake profile, the session history and the plan: lumbo's public data shapes.

Field names are a public contract (clinic integrations and tests use them): add fields
freely, rename none. Every model forbids unknown keys so that a typo is reported instead
of silently ignored.

Everything that can come in from outside is bounded here (see lumbo.domain.bounds): dates
lie within 1900-01-01..2200-12-31, counts and durations have a ceiling, and free text
refuses NUL characters (no database stores them, and PostgreSQL refuses them outright).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from lumbo.domain.bounds import MAX_COUNTER, AsWritten, BoundedDate
from lumbo.domain.words import (
    Area,
    Condition,
    Equipment,
    Goal,
    Level,
    PainTrend,
    Rating,
    SleepQuality,
    Stage,
    WeakArea,
)

PainScore = Annotated[int, Field(ge=0, le=10, description="0 = no pain, 10 = worst imaginable")]


def refuse_nul(value: str) -> str:
    """``value`` unless it holds a NUL character: PostgreSQL refuses them and other code
    cuts text there. (Half surrogate pairs, the other text no page can encode, pydantic's
    ``str`` refuses already.)"""
    if "\x00" in value:
        raise ValueError("the text holds a NUL character (\\u0000)")
    return value


#: Text that can be stored and shown: every string a person types, and every stored one.
Text = Annotated[str, AfterValidator(refuse_nul)]
#: A whole number a stored plan may hold (sets, seconds, minutes...): never negative, never huge.
Count = Annotated[int, Field(ge=0, le=MAX_COUNTER)]


# What comes in (profile, red flags, logs) is also ``AsWritten``: `true` is not an age and `0`
# is not an answer to a warning-sign question (pydantic would otherwise convert them). The
# plan's own models skip that check: lumbo builds them, and it costs time per item.


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RedFlags(Strict, AsWritten):
    """Warning signs that need a clinician, not an exercise plan. All default to false."""

    saddle_numbness: bool = Field(False, description="Numbness between the legs or around the back passage")
    bladder_or_bowel_change: bool = Field(False, description="New trouble passing or holding urine or stool")
    leg_weakness_worsening: bool = Field(False, description="A leg or foot getting weaker")
    major_trauma: bool = Field(False, description="The pain started with a fall, crash or blow")
    fever_or_unwell: bool = Field(False, description="Fever, chills or feeling generally unwell")
    unexplained_weight_loss: bool = Field(False, description="Weight loss without trying")
    history_of_cancer: bool = Field(False, description="Cancer now or in the past")
    night_pain_unrelenting: bool = Field(False, description="Pain at night that no position eases")


# The lifestyle audit of seed 003_f946f2588c8df1e8.txt (see lumbo.domain.lifestyle).
class Lifestyle(Strict, AsWritten):
    """Everyday habits that can add to back pain: exercise, sleep, sports and weight."""

    exercise_days_per_week: int = Field(0, ge=0, le=7)
    sleep_hours: float = Field(7.5, ge=0, le=24)
    sleep_quality: SleepQuality = "good"
    sports: list[Annotated[Text, Field(min_length=1, max_length=60)]] = Field(
        default_factory=list, max_length=10
    )
    overweight: bool = False


class HardActivity(Strict, AsWritten):
    """An activity that is hard now, scored 0 (cannot do it) to 10 (as before the pain)."""

    name: Text = Field(min_length=1, max_length=80)
    score: int = Field(ge=0, le=10)


class Profile(Strict, AsWritten):
    """What a person tells lumbo at intake."""

    age: int | None = Field(None, ge=0, le=120)
    pain_now: PainScore
    pain_worst_week: PainScore
    duration_weeks: int = Field(ge=0, le=5200)
    pain_trend: PainTrend = "same"
    leg_pain_below_knee: bool = False
    red_flags: RedFlags = Field(default_factory=RedFlags)
    conditions: list[Condition] = Field(default_factory=list)
    tight_areas: list[Area] = Field(default_factory=list)
    equipment: list[Equipment] = Field(default_factory=list)
    minutes_per_day: int = Field(15, ge=5, le=90)
    days_per_week: int = Field(5, ge=1, le=7)
    level: Level = "beginner"
    desk_hours_per_day: float = Field(0, ge=0, le=24)
    lifestyle: Lifestyle = Field(default_factory=Lifestyle)
    hard_activities: list[HardActivity] = Field(default_factory=list, max_length=3)
    weak_areas: list[WeakArea] = Field(
        default_factory=list, description="Areas that feel weak or switched off: more activation for them"
    )
    goal: Goal | None = Field(None, description="What the person most wants back; changes emphasis only")
    pregnant: bool = False
    postpartum_months: int | None = Field(
        None, ge=0, le=600, description="Whole months since giving birth; leave out when it does not apply"
    )
    hip_stretches_per_day: int = Field(
        1, ge=1, le=2, description="Hip stretches once or twice a day (twice adds a short second session)"
    )
    chair_at_home: bool = Field(True, description="A sturdy chair is assumed unless this is false")

    @model_validator(mode="after")
    def _worst_at_least_now(self) -> Profile:
        if self.pain_worst_week < self.pain_now:
            raise ValueError("pain_worst_week must be at least pain_now")
        return self


#: The most form faults one item's log keeps.
MAX_FAULTS = 8
#: A form fault of the camera coach, by its id: a lower-case slug such as ``hips-sag``.
FaultId = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class ItemLog(Strict, AsWritten):
    """One exercise of a logged session.

    An item the person did (completed, or attempted and stopped) carries their rating. A
    skipped item is recorded as skipped, not completed and never rated: lumbo does not
    invent a rating for what was not done, and progression treats it as not done.
    """

    # exercise: the catalogue family slug; variation: the ladder step's slug.
    exercise: Text = Field(
        min_length=1, max_length=80, description="The exercise, by the id of its basic version (e.g. glute-bridge)"
    )
    variation: Text | None = Field(
        None, max_length=80, description="The version actually done, by its id (e.g. single-leg-glute-bridge)"
    )
    completed: bool = True
    sets: int | None = Field(None, ge=0, le=20)
    hold_seconds: int | None = Field(None, ge=0, le=3600)
    reps: int | None = Field(None, ge=0, le=500)
    rating: Rating | None = Field(
        None, description="How it felt: required for an item done or attempted; null when skipped"
    )
    skipped: bool = Field(
        False, description="Skipped, not done: then completed is false and rating is null"
    )
    # The camera coach's numbers (docs/camera.md). The planner reads none of them: a measured
    # result counts exactly as a self-reported one.
    measured: bool = Field(
        False, description="The hold or reps were counted by the camera coach, not reported by the person"
    )
    form_score: float | None = Field(
        None,
        ge=0,
        le=1,
        allow_inf_nan=False,
        strict=True,  # as written: true or "0.5" is not a score
        description="Measured items only: the share of the tracked time spent in position (0-1)",
    )
    faults: list[FaultId] = Field(
        default_factory=list,
        max_length=MAX_FAULTS,
        description="Measured items only: the form faults the camera saw, by id (e.g. hips-sag)",
    )

    @model_validator(mode="after")
    def _rated_unless_skipped(self) -> ItemLog:
        if self.skipped:
            if self.completed:
                raise ValueError("a skipped item is not completed: send completed false with skipped true")
            if self.rating is not None:
                raise ValueError("a skipped item is not rated: send rating null with skipped true")
        elif self.rating is None:
            raise ValueError(
                "rating is missing: rate an item done or attempted (easy, right, hard or pain), "
                "or send skipped true for one not done"
            )
        if not self.measured and (self.form_score is not None or self.faults):
            raise ValueError(
                "form_score and faults come from the camera: send them with measured true"
            )
        return self


class SessionLog(Strict, AsWritten):
    """A session the person did, with pain before and after."""

    date: BoundedDate
    pain_before: PainScore
    pain_after: PainScore
    items: list[ItemLog] = Field(default_factory=list, max_length=100)


class History(Strict, AsWritten):
    """Every logged session, in any order (lumbo sorts them by date)."""

    sessions: list[SessionLog] = Field(default_factory=list)


# The plan shapes below are made by the planner, but also come back in through an import
# (stored plans): their counts are bounded too, their texts free of NUL.


class PlanItem(Strict):
    exercise: Text
    variation: Text
    name: Text
    category: Text
    sets: Count
    reps: Count | None
    hold_seconds: Count | None
    per_side: bool
    rest_seconds: Count
    estimated_seconds: Count
    equipment: list[Text]
    why: Text


class PlanSession(Strict):
    title: Text
    estimated_minutes: Count
    items: list[PlanItem]


class PlanDay(Strict):
    date: BoundedDate
    sessions: list[PlanSession]


Urgency = Literal["emergency", "urgent", "before_starting"]


class Decision(Strict):
    """What lumbo decides for a profile: a referral or a plan (the JSON of `lumbo plan`)."""

    status: Literal["plan", "refer"]
    urgency: Urgency | None = None
    reasons: list[Text] = Field(default_factory=list)
    what_to_do: Text | None = None
    stage: Stage | None = None
    stage_reason: Text | None = None
    days: list[PlanDay] = Field(default_factory=list)
    notes: list[Text] = Field(default_factory=list)
