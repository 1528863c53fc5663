"""The planner: profile + catalogue + history + dates -> a deterministic plan.

How a day is built (docs/planner.md explains each rule with its seed):
1. the stage (lumbo.domain.stages) decides which entries may be used (``Exercise.stages``);
2. candidates are grouped in priority order (GROUPS_BY_STAGE); release work only for areas
   that are all tight, stretches only when one target is tight (seed 002_e14ac49bdaa1a107.txt),
   posture work for long desk days or tight pecs/neck/thoracic (seed 001_398ed349542a118e.txt);
3. each entry's ``frequency`` picks its days: daily, every other training day, or 1-2 times a
   week (seeds 000 and 001); daily activation becomes every other day in maintenance;
4. the progression state (lumbo.domain.progression) sets each family's step and dose;
5. equipment: the first option the person has; else the entry's alternatives; else an
   easier step; else the entry is left out;
6. items are added in priority order while they fit the minutes per day;
7. drills within a group rotate every ROTATION_WEEKS weeks (seed 003_f946f2588c8df1e8.txt).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lumbo.domain.catalogue import Catalogue, Exercise
from lumbo.domain.lifestyle import needs_sitting_breaks
from lumbo.domain.model import Decision, History, PlanDay, PlanItem, PlanSession, Profile
from lumbo.domain.progression import Dosage, FamilyState, replay, starting_dosage, starting_step
from lumbo.domain.stages import RISING_WINDOW_DAYS, choose_stage, pain_rising
from lumbo.domain.timing import item_seconds, minutes, training_days
from lumbo.domain.words import Stage

ROTATION_WEEKS = 3
POSTURE_AREAS = frozenset({"pecs", "neck", "thoracic"})
SHORT_ROUTINE_MINUTES = 7
DESK_BREAK_EXERCISE = "posture-check"
NOTES_LOOKBACK_DAYS = 14

#: The four activation drills of seed 000_4e3ddc84ba866f2f.txt for the lumbo-pelvic-hip complex.
CORE_ACTIVATION = (
    "glute-bridge",
    "side-lying-hip-abduction",
    "quadruped-plank",
    "side-plank-hip-lift",
)
#: Seed 001_398ed349542a118e.txt: the three hip stretches, once or twice a day; they come
#: first for their areas, other stretches for the same area rotate in behind them.
HIP_STRETCHES = ("hip-flexor-stretch", "hamstring-stretch", "piriformis-stretch")
#: Seed 004_c5e5c944d4373c86.txt: a ~5-minute routine of hip mobility, glutes and core.
SHORT_ROUTINE = (
    "hip-90-90",
    "glute-bridge",
    "forearm-plank",
    "core-bracing",
    "diaphragmatic-breathing",
)

DISCOMFORT_RULE = (
    "Discomfort is okay; pain is not. Stop any exercise that hurts and log it as 'pain': "
    "lumbo will make it easier or swap it next time."
)


@dataclass(frozen=True)
class Context:
    profile: Profile
    catalogue: Catalogue
    stage: Stage
    tight: frozenset[str]
    posture_needed: bool
    states: dict[str, FamilyState]


Rule = Callable[[Exercise, Context], bool]


def _is(category: str) -> Rule:
    return lambda entry, ctx: entry.category == category and not entry.posture


def targets_allowed(entry: Exercise, ctx: Context) -> bool:
    """Seed 002: work only the areas that are tight. Release needs every target tight, a
    stretch one tight target; posture work and the other categories are not limited."""
    if entry.posture:
        return True
    if entry.category == "release":
        return bool(entry.targets) and set(entry.targets) <= ctx.tight
    if entry.category == "stretch":
        return bool(set(entry.targets) & ctx.tight)
    return True


def release_for_tight_areas(entry: Exercise, ctx: Context) -> bool:
    return entry.category == "release" and bool(entry.targets) and set(entry.targets) <= ctx.tight


def stretch_for_tight_areas(frequency: str) -> Rule:
    def rule(entry: Exercise, ctx: Context) -> bool:
        return (
            entry.category == "stretch"
            and not entry.posture
            and entry.frequency == frequency
            and bool(set(entry.targets) & ctx.tight)
        )

    return rule


def posture_when_needed(entry: Exercise, ctx: Context) -> bool:
    return entry.posture and ctx.posture_needed


def core_activation(entry: Exercise, ctx: Context) -> bool:
    return entry.id in CORE_ACTIVATION


def other_activation(entry: Exercise, ctx: Context) -> bool:
    return entry.category == "activation" and entry.id not in CORE_ACTIVATION


def short_routine(entry: Exercise, ctx: Context) -> bool:
    return entry.id in SHORT_ROUTINE


@dataclass(frozen=True)
class Group:
    name: str
    rule: Rule
    #: Entries taken first, in this order (the seeds' own lists); the rest follow by id.
    first: tuple[str, ...] = ()
    rotate: bool = False
    #: Cover each tight area once (release, stretches) instead of taking every member.
    cover: bool = False


RELIEF_GROUPS = (
    Group("relief", _is("relief")),
    Group("breathing", _is("breathing")),
    Group("release", release_for_tight_areas, cover=True),
    Group("stretch", stretch_for_tight_areas("daily"), cover=True),
    Group("posture", posture_when_needed),
)
ACTIVE_GROUPS = (
    Group("activation", core_activation, first=CORE_ACTIVATION),
    Group("release", release_for_tight_areas, cover=True),
    Group("stretch", stretch_for_tight_areas("daily"), cover=True),
    Group("strength", _is("strength"), rotate=True),
    Group("posture", posture_when_needed),
    Group("weekly stretch", stretch_for_tight_areas("weekly"), cover=True),
    Group("mobility", _is("mobility"), rotate=True),
    Group("more activation", other_activation, rotate=True),
    Group("breathing", _is("breathing")),
)
SHORT_GROUPS = (Group("short routine", short_routine, first=SHORT_ROUTINE), *ACTIVE_GROUPS)
#: The order items are done in within a session, by category: breathe first, release,
#: then stretch, then activate (seed 002); low-back stretches after activation (seed 000).
SESSION_ORDER = (
    "breathing",
    "relief",
    "release",
    "mobility",
    "stretch",
    "activation",
    "strength",
    "weekly stretch",
    "posture",
)


def session_rank(item: Chosen) -> int:
    key = "weekly stretch" if item.group == "weekly stretch" else item.entry.category
    return SESSION_ORDER.index(key) if key in SESSION_ORDER else len(SESSION_ORDER)


@dataclass(frozen=True)
class Chosen:
    group: str
    entry: Exercise
    family: str
    dosage: Dosage
    equipment: list[str]
    seconds: int


def plan(
    profile: Profile, catalogue: Catalogue, history: History, start: dt.date, days: int
) -> Decision:
    """A plan for a profile that passed the screen (call lumbo.services.decide, which screens)."""
    stage = choose_stage(profile, history, start)
    rising = pain_rising(history, start)
    frozen_from = start - dt.timedelta(days=RISING_WINDOW_DAYS) if rising else None
    states = replay(catalogue, history, profile.level, frozen_from)
    ctx = Context(
        profile=profile,
        catalogue=catalogue,
        stage=stage.stage,
        tight=frozenset(profile.tight_areas),
        posture_needed=needs_sitting_breaks(profile.desk_hours_per_day)
        or bool(POSTURE_AREAS & set(profile.tight_areas)),
        states=states,
    )
    plan_days = [
        PlanDay(date=day, sessions=day_sessions(ctx, day, index, per_week))
        for day, index, per_week in training_days(start, days, profile.days_per_week)
    ]
    return Decision(
        status="plan",
        stage=stage.stage,
        stage_reason=stage.reason,
        days=plan_days,
        notes=plan_notes(ctx, start, rising),
    )


def plan_notes(ctx: Context, start: dt.date, rising: bool) -> list[str]:
    notes = [DISCOMFORT_RULE]
    if rising:
        notes.insert(
            0,
            "Your pain has been rising over the last two weeks. Please see a doctor or "
            "physiotherapist; until then lumbo keeps every exercise at its current level.",
        )
    since = start - dt.timedelta(days=NOTES_LOOKBACK_DAYS)
    changes = sorted(
        (day, text)
        for state in ctx.states.values()
        for day, text in state.changes
        if since <= day < start
    )
    notes.extend(text for _, text in changes)
    for state in ctx.states.values():
        if state.removed:
            note = f"{ctx.catalogue[state.step].name} is left out because it hurt twice within two weeks."
            if note not in notes:
                notes.append(note)
    return notes


def groups_for(ctx: Context) -> tuple[Group, ...]:
    if ctx.stage == "relief":
        return RELIEF_GROUPS
    if ctx.profile.minutes_per_day <= SHORT_ROUTINE_MINUTES:
        return SHORT_GROUPS
    return ACTIVE_GROUPS


def scheduled(entry: Exercise, ctx: Context, index: int, per_week: int) -> bool:
    """Whether the entry's frequency puts it on this training day (index within the week)."""
    frequency = entry.frequency
    if ctx.stage == "maintenance" and entry.category == "activation" and frequency == "daily":
        frequency = "every_other_day"
    if frequency == "daily":
        return True
    if frequency == "every_other_day":
        return index % 2 == 0
    weekly = {min(1, per_week - 1)} | ({per_week - 1} if per_week >= 4 else set())
    return index in weekly


def rotation_block(day: dt.date) -> int:
    return day.toordinal() // (7 * ROTATION_WEEKS)


def rotated(entries: list[Exercise], block: int) -> list[Exercise]:
    if not entries:
        return entries
    shift = block % len(entries)
    return entries[shift:] + entries[:shift]


def family_bases(catalogue: Catalogue) -> list[Exercise]:
    return [entry for entry in catalogue if entry.family_id == entry.id]


def day_sessions(ctx: Context, day: dt.date, index: int, per_week: int) -> list[PlanSession]:
    budget = ctx.profile.minutes_per_day * 60
    sessions: list[PlanSession] = []
    if needs_sitting_breaks(ctx.profile.desk_hours_per_day) and ctx.stage != "relief":
        desk_break = choose_item(ctx, ctx.catalogue.get(DESK_BREAK_EXERCISE), "posture", day)
        if desk_break is not None and desk_break.seconds <= budget // 3:
            budget -= desk_break.seconds
            sessions.append(
                PlanSession(
                    title="Desk break: stand up, reset your posture, move",
                    estimated_minutes=minutes(desk_break.seconds),
                    items=[to_item(desk_break)],
                )
            )
    chosen = fill(
        ctx, day, index, per_week, budget, exclude={DESK_BREAK_EXERCISE} if sessions else set()
    )
    if chosen:
        chosen.sort(key=session_rank)
        seconds = sum(item.seconds for item in chosen)
        sessions.insert(
            0,
            PlanSession(
                title=SESSION_TITLES[ctx.stage],
                estimated_minutes=minutes(seconds),
                items=[to_item(item) for item in chosen],
            ),
        )
    # Whole minutes of all sessions must fit the budget too; drop the desk break if not.
    while (
        len(sessions) > 1
        and sum(s.estimated_minutes for s in sessions) > ctx.profile.minutes_per_day
    ):
        sessions.pop()
    return sessions


SESSION_TITLES: dict[str, str] = {
    "relief": "Gentle relief",
    "activation": "Release, stretch and activate",
    "maintenance": "Keep your back strong",
}


def fill(
    ctx: Context, day: dt.date, index: int, per_week: int, budget: int, exclude: set[str]
) -> list[Chosen]:
    chosen: list[Chosen] = []
    used_families: set[str] = set(exclude)
    used_seconds = 0
    bases = family_bases(ctx.catalogue)
    block = rotation_block(day)
    for group in groups_for(ctx):
        members = [
            entry
            for entry in bases
            if ctx.stage in entry.stages
            and group.rule(entry, ctx)
            and scheduled(entry, ctx, index, per_week)
        ]
        members.sort(key=lambda entry: entry.id)
        if group.rotate or group.cover:
            members = rotated(members, block + index)
        if group.cover:
            members.sort(key=lambda entry: entry.id not in HIP_STRETCHES)
        if group.first:
            members.sort(key=lambda entry: group.first.index(entry.id) if entry.id in group.first else len(group.first))
        covered: set[str] = set()
        for entry in members:
            tight_targets = set(entry.targets) & ctx.tight
            if entry.family_id in used_families or (group.cover and tight_targets <= covered):
                continue
            item = choose_item(ctx, entry, group.name, day)
            if item is None or item.family in used_families:
                continue
            if used_seconds + item.seconds > budget:
                item = shorter(item)
                if item is None or used_seconds + item.seconds > budget:
                    continue
            chosen.append(item)
            used_families.add(item.family)
            used_seconds += item.seconds
            covered |= set(item.entry.targets) & ctx.tight
    return chosen


def choose_item(ctx: Context, base: Exercise | None, group: str, day: dt.date) -> Chosen | None:
    """The step and dose of a family for this person on this day, with equipment they have."""
    if base is None:
        return None
    state = ctx.states.get(base.family_id)
    if state is not None:
        if state.removed or (state.replaced_until is not None and day < state.replaced_until):
            return None
        entry, dosage = ctx.catalogue[state.step], state.dosage
    else:
        start = starting_step(ctx.catalogue, base.family_id, ctx.profile.level)
        if start is None:
            return None  # even the easiest step is above this person's level
        entry, dosage = start, starting_dosage(start, ctx.profile.level)
    for candidate in with_fallbacks(ctx.catalogue, entry):
        equipment = candidate.equipment_for(ctx.profile.equipment)
        if equipment is None or ctx.stage not in candidate.stages or not targets_allowed(candidate, ctx):
            continue
        if candidate.id != entry.id:
            other = ctx.states.get(candidate.family_id)
            if other is not None and (other.removed or (other.replaced_until or day) > day):
                continue
            if other is not None and other.step == candidate.id:
                dosage = other.dosage
            elif candidate.suits_level(ctx.profile.level):
                dosage = starting_dosage(candidate, ctx.profile.level)
            else:
                continue
        return make_chosen(group, candidate, dosage, equipment)
    return None


def with_fallbacks(catalogue: Catalogue, entry: Exercise) -> Iterable[Exercise]:
    """The entry, its alternatives, then each easier step (and that step's alternatives)."""
    current: Exercise | None = entry
    while current is not None:
        yield current
        for alternative in current.alternatives:
            yield catalogue[alternative]
        current = catalogue.get(current.easier) if current.easier else None


def make_chosen(group: str, entry: Exercise, dosage: Dosage, equipment: list[str]) -> Chosen:
    seconds = item_seconds(
        dosage.sets,
        dosage.reps,
        dosage.hold_seconds,
        entry.dose.seconds_per_rep,
        entry.dose.rest_seconds,
        entry.per_side,
    )
    return Chosen(group, entry, entry.family_id, dosage, equipment, seconds)


def shorter(item: Chosen) -> Chosen | None:
    """The same item with one set, when it had more (to fit a tight budget)."""
    if item.dosage.sets <= 1:
        return None
    dosage = Dosage(1, item.dosage.reps, item.dosage.hold_seconds)
    return make_chosen(item.group, item.entry, dosage, item.equipment)


def to_item(item: Chosen) -> PlanItem:
    entry = item.entry
    return PlanItem(
        exercise=item.family,
        variation=entry.id,
        name=entry.name,
        category=entry.category,
        sets=item.dosage.sets,
        reps=item.dosage.reps,
        hold_seconds=item.dosage.hold_seconds,
        per_side=entry.per_side,
        rest_seconds=entry.dose.rest_seconds,
        estimated_seconds=item.seconds,
        equipment=item.equipment,
        why=entry.why,
    )


def swapped_item(entry: Exercise, replaced: PlanItem, level: str, equipment: Iterable[str]) -> PlanItem:
    """``entry`` in place of a planned item (the person chose a swap): its starting dose for
    their level, timed like every planned item."""
    chosen = make_chosen(
        "swap", entry, starting_dosage(entry, level), entry.equipment_for(equipment) or []
    )
    item = to_item(chosen)
    return item.model_copy(update={"why": f"Swapped in for {replaced.name}. {entry.why}"})


def with_items(session: PlanSession, items: list[PlanItem]) -> PlanSession:
    """The session with other items, its minutes recomputed."""
    seconds = sum(item.estimated_seconds for item in items)
    return session.model_copy(update={"items": items, "estimated_minutes": minutes(seconds)})
