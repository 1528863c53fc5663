"""Progression from the history: replay every logged item, oldest first, into a state per
exercise family (current ladder step and dose).

Rules (each a function below, named after the rule):
- Holds grow by HOLD_STEP_SECONDS towards the step's ``target_hold_seconds`` (seed targets:
  plank 60 s then 2 min then load, side plank 45 s per side, bridge hold 60 s then load;
  001_398ed349542a118e.txt, 004_c5e5c944d4373c86.txt). Reps grow by one within 8-12, then
  sets grow 1 -> 3 with reps back at 8 (003_f946f2588c8df1e8.txt: 1-3 sets of 8-12).
- Growth needs the item completed at the prescribed dose and rated ``easy`` or ``right``.
- At the target, two sessions in a row rated ``easy`` climb to the ladder's next step,
  which starts at its own starting dose.
- A ``pain`` rating: the family drops one step (or, at the bottom, is replaced for
  PAIN_FREEZE_DAYS) and does not progress for PAIN_FREEZE_DAYS days.
- Two ``pain`` ratings for one family within PAIN_REPEAT_WINDOW_DAYS: it is removed.
- ``frozen_from``: no progression from logs on or after that date (used when pain is rising).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from lumbo.domain.catalogue import Catalogue, Exercise
from lumbo.domain.model import History, ItemLog
from lumbo.domain.words import LEVEL_RANK

HOLD_STEP_SECONDS = 5
REPS_MIN, REPS_MAX = 8, 12
SETS_MAX = 3
EASY_SESSIONS_TO_CLIMB = 2
PAIN_FREEZE_DAYS = 7
PAIN_REPEAT_WINDOW_DAYS = 14
#: Nobody starts on an advanced step; advanced steps are reached by progressing.
HIGHEST_STARTING_LEVEL = "intermediate"
#: Dose growth applies to these categories; stretches, release and relief keep their dose.
GROWING_CATEGORIES = frozenset({"activation", "strength", "mobility"})


@dataclass(frozen=True)
class Dosage:
    sets: int
    reps: int | None
    hold_seconds: int | None


@dataclass
class FamilyState:
    family: str
    step: str
    dosage: Dosage
    easy_streak: int = 0
    pain_dates: list[dt.date] = field(default_factory=list)
    removed: bool = False
    replaced_until: dt.date | None = None
    #: What changed and when, in words for the plan's notes.
    changes: list[tuple[dt.date, str]] = field(default_factory=list)

    def frozen_on(self, day: dt.date) -> bool:
        """No progression within PAIN_FREEZE_DAYS after the last pain report."""
        return any(0 <= (day - pain).days < PAIN_FREEZE_DAYS for pain in self.pain_dates)


def starting_step(catalogue: Catalogue, family: str, level: str) -> Exercise | None:
    """The hardest step of the ladder at or below the person's level (capped at
    intermediate), or None when even the easiest step is above their level."""
    cap = min(LEVEL_RANK[level], LEVEL_RANK[HIGHEST_STARTING_LEVEL])
    ladder = [catalogue[slug] for slug in catalogue.ladder(family)]
    suitable = [entry for entry in ladder if LEVEL_RANK[entry.level] <= cap]
    return suitable[-1] if suitable else None


def starting_dosage(entry: Exercise, level: str) -> Dosage:
    """Starting doses by level: beginners 1 set of 8, then 2 sets of 10, then 2 of 12;
    holds start at the catalogue's value plus 5 s per level, capped at the target."""
    rank = LEVEL_RANK[level]
    dose = entry.dose
    if entry.category not in GROWING_CATEGORIES:
        return Dosage(dose.sets, dose.reps, dose.hold_seconds)
    if dose.reps is not None:
        reps = min(max(dose.reps, REPS_MIN) + 2 * rank, REPS_MAX)
        return Dosage(min(dose.sets + rank, 2) if rank else dose.sets, reps, None)
    assert dose.hold_seconds is not None
    hold = dose.hold_seconds + HOLD_STEP_SECONDS * rank
    if dose.target_hold_seconds is not None:
        hold = min(hold, dose.target_hold_seconds)
    return Dosage(dose.sets, None, hold)


def at_target(entry: Exercise, dosage: Dosage) -> bool:
    """Whether the dose has reached the step's target, so the ladder may be climbed."""
    if entry.category not in GROWING_CATEGORIES:
        return True
    if dosage.hold_seconds is not None:
        target = entry.dose.target_hold_seconds
        return target is None or dosage.hold_seconds >= target
    return (dosage.reps or 0) >= REPS_MAX and dosage.sets >= SETS_MAX


def grow(entry: Exercise, dosage: Dosage) -> Dosage:
    """One step of dose growth towards the target."""
    if dosage.hold_seconds is not None:
        target = entry.dose.target_hold_seconds or dosage.hold_seconds
        return replace(dosage, hold_seconds=min(dosage.hold_seconds + HOLD_STEP_SECONDS, target))
    reps = dosage.reps or REPS_MIN
    if reps < REPS_MAX:
        return replace(dosage, reps=reps + 1)
    return Dosage(min(dosage.sets + 1, SETS_MAX), REPS_MIN, None)


def met_prescription(item: ItemLog, dosage: Dosage) -> bool:
    """Completed, and any achieved hold or reps at least what was prescribed."""
    if not item.completed:
        return False
    if dosage.hold_seconds is not None and item.hold_seconds is not None:
        return item.hold_seconds >= dosage.hold_seconds
    if dosage.reps is not None and item.reps is not None:
        return item.reps >= dosage.reps
    return True


def replay(
    catalogue: Catalogue,
    history: History,
    level: str,
    frozen_from: dt.date | None = None,
) -> dict[str, FamilyState]:
    """Every family's state after the whole history, oldest session first."""
    states: dict[str, FamilyState] = {}
    for session in sorted(history.sessions, key=lambda logged: logged.date):
        for item in session.items:
            family = _family_of(catalogue, item)
            if family is None:
                continue  # an exercise no longer in the catalogue: keep the log, skip the rule
            state = states.get(family)
            if state is None:
                step = (
                    _logged_step(catalogue, family, item)
                    or starting_step(catalogue, family, level)
                    or catalogue[catalogue.ladder(family)[0]]  # done anyway: follow the log
                )
                state = FamilyState(family, step.id, starting_dosage(step, level))
                states[family] = state
            frozen = frozen_from is not None and session.date >= frozen_from
            logged = _logged_step(catalogue, family, item)
            if (
                logged is not None
                and logged.id != state.step
                and not (frozen or state.frozen_on(session.date) or state.removed)
            ):
                state.step = logged.id  # the person swapped to another step: follow them
                state.dosage = starting_dosage(logged, level)
                state.easy_streak = 0
            apply_item(catalogue, state, item, session.date, level, frozen)
    return states


def apply_item(
    catalogue: Catalogue,
    state: FamilyState,
    item: ItemLog,
    day: dt.date,
    level: str,
    frozen: bool = False,
) -> None:
    """Update one family's state with one logged item."""
    entry = catalogue[state.step]
    if state.removed:
        return
    if item.rating == "pain":
        pain_steps_down_or_replaces(catalogue, state, day)
        return
    if item.rating == "hard" or not met_prescription(item, state.dosage):
        state.easy_streak = 0
        return
    if frozen or state.frozen_on(day):
        return
    if not at_target(entry, state.dosage):
        state.dosage = grow(entry, state.dosage)
        state.easy_streak = 0
        return
    if item.rating != "easy":
        state.easy_streak = 0
        return
    state.easy_streak += 1
    if state.easy_streak >= EASY_SESSIONS_TO_CLIMB and entry.harder is not None:
        two_easy_sessions_at_target_climb(catalogue, state, day)


def two_easy_sessions_at_target_climb(
    catalogue: Catalogue, state: FamilyState, day: dt.date
) -> None:
    entry = catalogue[state.step]
    assert entry.harder is not None
    harder = catalogue[entry.harder]
    state.step = harder.id
    state.dosage = starting_dosage(harder, "beginner")
    state.easy_streak = 0
    state.changes.append(
        (
            day,
            f"{entry.name} felt easy at its target twice in a row, so you move on to {harder.name}.",
        )
    )


def pain_steps_down_or_replaces(catalogue: Catalogue, state: FamilyState, day: dt.date) -> None:
    entry = catalogue[state.step]
    state.easy_streak = 0
    state.pain_dates.append(day)
    recent = [pain for pain in state.pain_dates if 0 <= (day - pain).days < PAIN_REPEAT_WINDOW_DAYS]
    if len(recent) >= 2:
        state.removed = True
        state.changes.append(
            (
                day,
                f"{entry.name} hurt twice within {PAIN_REPEAT_WINDOW_DAYS} days, so it is out of your plan. "
                "Mention it to a clinician if the pain lingers.",
            )
        )
        return
    if entry.easier is not None:
        easier = catalogue[entry.easier]
        state.step = easier.id
        state.dosage = starting_dosage(easier, "beginner")
        state.changes.append(
            (day, f"{entry.name} hurt, so you do the easier {easier.name} for now.")
        )
    else:
        state.dosage = starting_dosage(entry, "beginner")
        state.replaced_until = day + dt.timedelta(days=PAIN_FREEZE_DAYS)
        state.changes.append(
            (
                day,
                f"{entry.name} hurt, so something else takes its place until "
                f"{state.replaced_until.isoformat()}.",
            )
        )


def _family_of(catalogue: Catalogue, item: ItemLog) -> str | None:
    for slug in (item.variation, item.exercise):
        if slug is not None and slug in catalogue:
            return catalogue[slug].family_id
    return None


def _logged_step(catalogue: Catalogue, family: str, item: ItemLog) -> Exercise | None:
    if item.variation is not None and item.variation in catalogue:
        entry = catalogue[item.variation]
        if entry.family_id == family:
            return entry
    return None
