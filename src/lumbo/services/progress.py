"""Progress: what the logs say so far, and the next step the planner will take and why.

The series are plain data; the web pages and the handout draw them as charts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from lumbo.domain.bounds import BoundedDate
from lumbo.domain.model import Decision, History, Profile
from lumbo.domain.words import Rating, Stage
from lumbo.ports import Clock, ProfileVersion, SessionRecord, UnitOfWork
from lumbo.services.shared import (
    RECENT_WEEKS,
    check_weeks,
    check_window,
    clock_or_system,
    first_recent_day,
    history_of,
)

if TYPE_CHECKING:
    from lumbo.domain.catalogue import Catalogue, Exercise
    from lumbo.domain.progression import Dosage, Progression

ADHERENCE_DAYS = 28


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PainPoint(_Shape):
    date: BoundedDate
    pain_before: int
    pain_after: int


class AdherenceDay(_Shape):
    date: dt.date = Field(description="May lie up to four weeks before the earliest date lumbo accepts")
    sessions: int = Field(description="Finished sessions that day")


class ExercisePoint(_Shape):
    date: BoundedDate
    variation: str | None
    sets: int | None
    hold_seconds: int | None
    reps: int | None
    rating: Rating | None = Field(description="null for a skipped item (never rated)")
    completed: bool
    skipped: bool = False
    measured: bool = Field(False, description="Counted by the camera coach")
    form_score: float | None = Field(None, description="Measured only: share of the time in position (0-1)")
    faults: list[str] = Field(default_factory=list, description="Measured only: form faults seen, by id")


class ExerciseSeries(_Shape):
    exercise: str
    points: list[ExercisePoint]


class ScorePoint(_Shape):
    date: BoundedDate
    score: int


class ActivitySeries(_Shape):
    name: str
    points: list[ScorePoint]


class StepChange(_Shape):
    exercise: str
    last_variation: str | None
    next_variation: str
    name: str
    why: str


class NextDose(_Shape):
    """Where an exercise family stands after every log, as the planner's progression sees it."""

    exercise: str = Field(description="The family slug")
    step: str = Field(description="The ladder step to do next")
    name: str
    sets: int
    reps: int | None
    hold_seconds: int | None
    at_target: bool = Field(description="The step's target dose is reached")
    removed: bool = Field(description="Left out of the plan for now: its movement hurt twice within two weeks")
    how_to_progress: str | None
    last_change: str | None = Field(description="The latest change and its reason")


class NextStep(_Shape):
    status: str
    stage: Stage | None
    stage_reason: str | None
    changes: list[StepChange] = Field(
        default_factory=list, description="Exercises whose planned step differs from the last done"
    )
    doses: list[NextDose] = Field(
        default_factory=list, description="Every exercise done so far: its next dose and why"
    )
    notes: list[str] = Field(default_factory=list)


class Progress(_Shape):
    today: BoundedDate
    since: dt.date | None = Field(
        description="The first day of the series (pain, exercises); null: from the first log"
    )
    weeks: int | None = Field(description="The weeks up to today the series cover; null: every log")
    first_session: dt.date | None = Field(
        description="The day of the first finished session, in or before the period (null: none yet)"
    )
    pain: list[PainPoint]
    adherence: list[AdherenceDay] = Field(description=f"The last {ADHERENCE_DAYS} days, oldest first")
    active_days: int = Field(description="Days with a finished session in the adherence window")
    target_days_per_week: int | None
    exercises: list[ExerciseSeries]
    hard_activities: list[ActivitySeries]
    next_step: NextStep | None


def _pain(sessions: list[SessionRecord]) -> list[PainPoint]:
    return [
        PainPoint(date=s.date, pain_before=s.pain_before, pain_after=s.pain_after)
        for s in sessions
        if s.pain_before is not None and s.pain_after is not None
    ]


def _adherence(sessions: list[SessionRecord], today: dt.date) -> list[AdherenceDay]:
    counts: dict[dt.date, int] = defaultdict(int)
    for session in sessions:
        if session.finished:
            counts[session.date] += 1
    first = today - dt.timedelta(days=ADHERENCE_DAYS - 1)
    return [
        AdherenceDay(date=day, sessions=counts.get(day, 0))
        for day in (first + dt.timedelta(days=n) for n in range(ADHERENCE_DAYS))
    ]


def _exercises(sessions: list[SessionRecord]) -> list[ExerciseSeries]:
    series: dict[str, list[ExercisePoint]] = defaultdict(list)
    for session in sessions:
        for logged in session.items:
            item = logged.item
            series[item.exercise].append(
                ExercisePoint(
                    date=session.date,
                    variation=item.variation,
                    sets=item.sets,
                    hold_seconds=item.hold_seconds,
                    reps=item.reps,
                    rating=item.rating,
                    completed=item.completed,
                    skipped=item.skipped,
                    measured=item.measured,
                    form_score=item.form_score,
                    faults=item.faults,
                )
            )
    return [ExerciseSeries(exercise=name, points=points) for name, points in sorted(series.items())]


def _activities(versions: list[ProfileVersion]) -> list[ActivitySeries]:
    # One point per activity and day: the last score saved that day.
    scores: dict[str, dict[dt.date, int]] = defaultdict(dict)
    for version in versions:
        for activity in version.profile.hard_activities:
            scores[activity.name][version.saved_at.date()] = activity.score
    return [
        ActivitySeries(
            name=name,
            points=[ScorePoint(date=day, score=score) for day, score in sorted(by_day.items())],
        )
        for name, by_day in scores.items()
    ]


def _how_to_progress(entry: Exercise, harder: Exercise | None, dosage: Dosage) -> str:
    from lumbo.domain import progression as rules

    if entry.category not in rules.GROWING_CATEGORIES:
        return "Its dose stays the same: it is there to ease or loosen, not to grow."
    if rules.at_target(entry, dosage):
        if harder is None:
            return "This is the top of its ladder at its target dose: keep it going."
        return (
            f"Rate it easy in {rules.EASY_SESSIONS_TO_CLIMB} sessions in a row at this dose "
            f"to move on to {harder.name}."
        )
    if dosage.hold_seconds is not None:
        return (
            "Finish it at this dose and rate it easy or right: the hold then grows by "
            f"{rules.HOLD_STEP_SECONDS} s."
        )
    return (
        "Finish it at this dose and rate it easy or right: you then add a rep "
        f"(up to {rules.REPS_MAX}), and after that a set."
    )


def _doses(
    profile: Profile, history: History, today: dt.date, catalogue: Catalogue, settled: Progression | None
) -> list[NextDose]:
    from lumbo.domain import progression as rules
    from lumbo.domain.stages import worsening

    # The same replay the planner makes (from the stored folded state and the recent logs):
    # worsening pain pauses progression from its window.
    worse = worsening(history, today)
    states = rules.replay(
        catalogue, history, profile.level, worse.since if worse else None, profile.age, settled
    )
    doses = []
    for family, state in sorted(states.items()):
        entry = catalogue.get(state.step)
        if entry is None:
            continue
        harder = catalogue.get(entry.harder) if entry.harder else None
        doses.append(
            NextDose(
                exercise=family,
                step=state.step,
                name=entry.name,
                sets=state.dosage.sets,
                reps=state.dosage.reps,
                hold_seconds=state.dosage.hold_seconds,
                at_target=rules.at_target(entry, state.dosage),
                removed=state.removed_on(today),
                how_to_progress=None if state.removed_on(today) else _how_to_progress(entry, harder, state.dosage),
                last_change=state.changes[-1][1] if state.changes else None,
            )
        )
    return doses


def _next_step(decision: Decision, sessions: list[SessionRecord]) -> NextStep:
    last_done: dict[str, str | None] = {}
    for session in sessions:
        for logged in session.items:
            if logged.item.completed:
                last_done[logged.item.exercise] = logged.item.variation
    changes: dict[str, StepChange] = {}
    for day in decision.days:
        for planned in day.sessions:
            for item in planned.items:
                if item.exercise in changes or item.exercise not in last_done:
                    continue
                if last_done[item.exercise] != item.variation:
                    changes[item.exercise] = StepChange(
                        exercise=item.exercise,
                        last_variation=last_done[item.exercise],
                        next_variation=item.variation,
                        name=item.name,
                        why=item.why,
                    )
    return NextStep(
        status=decision.status,
        stage=decision.stage,
        stage_reason=decision.stage_reason or (decision.what_to_do if decision.status == "refer" else None),
        changes=list(changes.values()),
        notes=list(decision.notes),
    )


def progress(
    uow: UnitOfWork,
    today: dt.date | None = None,
    *,
    clock: Clock | None = None,
    weeks: int | None = RECENT_WEEKS,
) -> Progress:
    """Pain, adherence, per-exercise and hard-activity series of the last ``weeks`` weeks up
    to ``today`` (``None``: from the first log), and the next step.

    Only the period's logs are read, and the next step is planned from the stored folded
    state and the last weeks of logs, as the plan is: the cost does not grow with the years
    of logs before the period.
    """
    from lumbo.adapters.catalogue_files import default_catalogue
    from lumbo.services import decide, folded

    today = today or clock_or_system(clock).today()
    check_window(today, 7, "today")  # the next step looks a week ahead
    check_weeks(weeks)
    since = first_recent_day(today, weeks)
    after_today = today + dt.timedelta(days=1)
    catalogue = default_catalogue()
    recent: list[SessionRecord] = []
    settled: Progression | None = None
    with uow:
        sessions = uow.records.sessions_between(since, after_today)
        first_finished = uow.records.first_finished_date()
        versions = uow.records.profile_versions()
        if versions:
            recent, settled = folded.planning_sessions(uow.records, versions[-1].profile, catalogue, today)
    next_step = None
    if versions:
        profile = versions[-1].profile
        history = history_of([s for s in recent if s.date <= today])
        decision = decide(profile, history, today, 7, catalogue=catalogue, settled=settled)
        doses = _doses(profile, history, today, catalogue, settled) if decision.status == "plan" else []
        next_step = _next_step(decision, sessions).model_copy(update={"doses": doses})
    adherence = _adherence(sessions, today)
    return Progress(
        today=today,
        since=since,
        weeks=weeks,
        first_session=first_finished if first_finished is not None and first_finished <= today else None,
        pain=_pain(sessions),
        adherence=adherence,
        active_days=sum(1 for day in adherence if day.sessions),
        target_days_per_week=versions[-1].profile.days_per_week if versions else None,
        exercises=_exercises(sessions),
        hard_activities=_activities(versions),
        next_step=next_step,
    )


# what changed since the last session

#: One change: the day it was made (the day of the rating that caused it) and what changed.
Change = tuple[dt.date, str]


def since_last_session(changes: Iterable[Change], last_session: dt.date | None) -> list[Change]:
    """The changes made on or after the day of the last finished session, oldest first,
    each once. Nothing before any finished session: there is no "last session" yet.

    Pure: the pages pass the progression's notes (``FamilyState.changes``) and the new
    exercises (``new_for_new_areas``).
    """
    if last_session is None:
        return []
    kept = dict.fromkeys((day, text) for day, text in changes if day >= last_session)
    return sorted(kept, key=lambda change: change[0])  # stable: one day's changes keep their order


def new_for_new_areas(
    before: Profile | None,
    after: Profile,
    saved_on: dt.date,
    planned: Iterable[tuple[str, str]],
    done_families: set[str],
    catalogue: Catalogue,
) -> list[Change]:
    """Exercises the plan brings in because the person now names a tight or weak area they
    did not name before: ``planned`` is (variation, name) pairs from the plan, in order;
    a family already done is not new. Pure."""
    from lumbo.domain.planning import WEAK_AREA_WORDS, WEAK_AREA_WORK, words

    if before is None:
        return []
    new_tight = set(after.tight_areas) - set(before.tight_areas)
    new_weak = set(after.weak_areas) - set(before.weak_areas)
    if not new_tight and not new_weak:
        return []
    found: list[Change] = []
    seen: set[str] = set()
    for variation, name in planned:
        entry = catalogue.get(variation)
        if entry is None or entry.family_id in done_families or entry.family_id in seen:
            continue
        tight = set(entry.targets) & new_tight
        weak = [
            area
            for area in sorted(new_weak)
            if {entry.id, entry.family_id, entry.pattern_id} & set(WEAK_AREA_WORK.get(area, ()))
        ]
        if tight:
            found.append((saved_on, f"New: {name}, because you now say your {words(tight)} feel tight."))
        elif weak:
            areas = " and ".join(WEAK_AREA_WORDS.get(area, area) for area in weak)
            found.append((saved_on, f"New: {name}, because you now say your {areas} feel weak."))
        else:
            continue
        seen.add(entry.family_id)
    return found


_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def plain_dates(text: str) -> str:
    """'hurt on 2026-11-23' -> 'hurt on Monday 23 November': the notes' dates as people say them."""

    def spoken(match: re.Match[str]) -> str:
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return match[0]
        return f"{day.strftime('%A')} {day.day} {day.strftime('%B')}"

    return _ISO_DATE.sub(spoken, text)


def recent_changes(
    uow: UnitOfWork, decision: Decision | None = None, today: dt.date | None = None, *, clock: Clock | None = None
) -> list[Change]:
    """What changed in the plan since the last finished session and why, oldest first:
    steps up and down, exercises left out after pain, exercises new because of a newly
    named tight or weak area. ``decision`` (the plan shown) names the new exercises; without
    it only the progression's changes are listed."""
    from lumbo.adapters.catalogue_files import default_catalogue
    from lumbo.domain import progression as rules
    from lumbo.domain.stages import worsening
    from lumbo.services import folded

    today = today or clock_or_system(clock).today()
    catalogue = default_catalogue()
    with uow:
        versions = uow.records.profile_versions()
        if not versions:
            return []
        # The stored folded state and the last weeks of logs, as the plan reads them: the
        # changes since the last finished session are all among those (services.folded).
        stored, settled = folded.planning_sessions(uow.records, versions[-1].profile, catalogue, today)
    sessions = [s for s in stored if s.date <= today]
    finished = [s for s in sessions if s.pain_before is not None and s.pain_after is not None]
    if not finished:
        return []
    last = max(finished, key=lambda s: (s.date, s.finished_at or s.started_at))
    profile = versions[-1].profile
    history = history_of(sessions)
    worse = worsening(history, today)
    states = rules.replay(
        catalogue, history, profile.level, worse.since if worse else None, profile.age, settled
    )
    changes: list[Change] = [change for state in states.values() for change in state.changes]
    last_moment = last.finished_at or last.started_at
    earlier = [v for v in versions if v.saved_at <= last_moment]
    if decision is not None and decision.status == "plan" and versions[-1].saved_at > last_moment:
        planned = [
            (item.variation, item.name)
            for day in decision.days
            for session in day.sessions
            for item in session.items
        ]
        changes += new_for_new_areas(
            earlier[-1].profile if earlier else None,
            profile,
            max(versions[-1].saved_at.date(), last.date),
            planned,
            rules.logged_families(catalogue, history) | (settled.logged if settled else frozenset()),
            catalogue,
        )
    return [(day, change_text(day, text)) for day, text in since_last_session(changes, last.date)]


def change_text(day: dt.date, text: str) -> str:
    """A progression note as the change list shows it beside its date: "X hurt on <that
    date>" says the date once, and dates read as people say them."""
    return plain_dates(text.replace(f" hurt on {day.isoformat()}", " hurt"))
