"""The planner: profile + catalogue + history + dates -> a deterministic plan.

How a day is built (docs/planner.md explains each rule with its seed):
1. the stage (lumbo.domain.stages) decides which entries may be used (``Exercise.stages``);
2. candidates come group by group in priority order (groups_for); release work only
   for areas that are all tight, stretches only when one target is tight (seed
   002_e14ac49bdaa1a107.txt), except the low-back stretch everyone gets 1-2 times a week
   (seed 000_4e3ddc84ba866f2f.txt) and work for the person's weak areas (seed 002) and goal;
3. each entry's ``frequency`` picks its days: daily, every other training day, or 1-2 times a
   week (seeds 000 and 001); daily activation becomes every other day in maintenance;
4. the progression state (lumbo.domain.progression) sets each family's step and dose;
5. equipment: the first option the person has (a chair is assumed); else the entry's
   alternatives; else an easier step; else the entry is left out;
6. session composition (``fill``): at most MAX_ITEMS items and one per movement pattern;
   the first CORE_ITEMS candidates (plus every item aimed at a tight or weak area and the
   weekly low-back stretch), then doses grow, then more items up to MAX_ITEMS;
7. items are ordered by position (on the feet -> seated -> kneeling -> lying, or the
   reverse) and by release -> stretch -> activate within a position (seed 002);
8. drills within a group rotate every ROTATION_WEEKS weeks (seed 003_f946f2588c8df1e8.txt).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from lumbo.domain.catalogue import Catalogue, Exercise
from lumbo.domain.lifestyle import needs_sitting_breaks
from lumbo.domain.model import Decision, History, PlanDay, PlanItem, PlanSession, Profile
from lumbo.domain.progression import (
    GROWING_CATEGORIES,
    Dosage,
    FamilyState,
    Progression,
    blocked_patterns,
    logged_families,
    replay,
    starting_dosage,
    starting_step,
)
from lumbo.domain.stages import Worsening, choose_stage, worsening, worsening_advice
from lumbo.domain.timing import item_seconds, minutes, training_days
from lumbo.domain.words import Stage

ROTATION_WEEKS = 3
POSTURE_AREAS = frozenset({"pecs", "neck", "thoracic"})
SHORT_ROUTINE_MINUTES = 7
DESK_BREAK_EXERCISE = "posture-check"
NOTES_LOOKBACK_DAYS = 14

#: Session composition (issue 9): never more than MAX_ITEMS exercises, one per pattern; the
#: first CORE_ITEMS by priority (seed routines hold 3-5), then doses grow, then more items.
MAX_ITEMS = 8
CORE_ITEMS = 5
#: Dose growth to fill time: sets up to 3 (seed 003: 1-3 sets), stretches up to 2 sets;
#: holds by HOLD_STEP up to the step's target and at most HOLD_GROWTH_STEPS steps above the
#: dose progression gave (a harder hold is earned by logs, not by spare minutes).
GROWN_SETS = 3
GROWN_STRETCH_SETS = 2
HOLD_STEP = 5
HOLD_GROWTH_STEPS = 2
#: Back-bending work is not daily in the first two weeks of the programme (issue 9).
BACK_BENDING_EASE_IN_DAYS = 14
#: Pregnancy and the first year after birth: no planks or sit-up-like work until a
#: clinician has checked for abdominal separation and the pelvic floor.
POSTPARTUM_CHECK_MONTHS = 12
PLANK_LIKE_PATTERNS = frozenset(
    {"plank", "side-plank", "crunch", "sit-up", "curl-up", "forearm-plank", "quadruped-plank",
     "side-plank-hip-lift"}
)
#: Steps that load the abdominal wall like a sit-up although their pattern is gentle.
SIT_UP_LIKE_STEPS = frozenset({"pelvic-tilt-leg-lowers"})

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
#: The areas of the second hip-stretch session, each with its seed-001 stretch.
HIP_STRETCH_AREAS = (
    ("hip_flexors", "hip-flexor-stretch"),
    ("hamstrings", "hamstring-stretch"),
    ("glutes", "piriformis-stretch"),
)
HIP_STRETCH_HOLD_SECONDS = 30
#: Seed 004_c5e5c944d4373c86.txt: a ~5-minute daily routine of hip mobility, glutes and core,
#: with its daily short plank. With tight areas, the breathing drill (the last) gives way to
#: the stretch of the tightest area.
SHORT_ROUTINE = (
    "hip-90-90",
    "glute-bridge",
    "forearm-plank",
    "core-bracing",
    "diaphragmatic-breathing",
)
SHORT_ROUTINE_SWAPPED = "diaphragmatic-breathing"
#: Seed 002's "inactive" areas: the work that wakes each one up, by family or pattern id,
#: in order of preference. Weak areas come first and get up to WEAK_AREA_ITEMS items each.
WEAK_AREA_WORK: dict[str, tuple[str, ...]] = {
    "glutes": ("glute-bridge", "side-lying-hip-abduction", "fire-hydrant", "glute-bridge-hold",
               "reverse-hyperextension"),
    "core": ("quadruped-plank", "forearm-plank", "plank", "dead-bug", "bird-dog", "side-plank",
             "core-bracing", "pelvic-tilt"),
    "upper_back": ("row", "band-row", "towel-row", "table-row", "inverted-row", "pull-up", "pull",
                   "bar-hang", "hang", "thoracic-extension", "kneeling-thoracic-extension"),
}
WEAK_AREA_ITEMS = 2
WEAK_AREA_WORDS = {"glutes": "glutes", "core": "core", "upper_back": "upper back"}
#: The goal changes emphasis only: these families or patterns move to the front of the
#: queue (after weak areas); stage, level, frequency, equipment and safety rules still apply.
GOAL_EMPHASIS: dict[str, tuple[str, ...]] = {
    "less_pain": (),
    "sit_longer": ("posture", "posture-check", "chest-stretch", "thoracic-extension"),
    "lift_and_garden": ("hinge", "hip-hinge", "squat", "bodyweight-squat"),
    "return_to_sport": ("hip-rotation", "squat", "bodyweight-squat", "anti-rotation"),
    "gym_lifting": ("hinge", "hip-hinge", "squat", "bodyweight-squat", "bridge"),
}
GOAL_WORDS = {
    "less_pain": "have less pain day to day",
    "sit_longer": "sit longer in comfort",
    "lift_and_garden": "lift and garden",
    "return_to_sport": "return to your sport",
    "gym_lifting": "lift in the gym",
}
AREA_WORDS = {"hip_flexors": "hip flexors", "low_back": "lower back", "pecs": "chest"}
#: Where a body is, from on the feet (0) to lying (3): a session runs through these blocks
#: once, one way or the other, so nobody gets down and up more than once.
POSITION_BLOCK = {
    "standing": 0,
    "hanging": 0,
    "squatting": 0,
    "seated": 1,
    "kneeling": 2,
    "half_kneeling": 2,
    "quadruped": 2,
    "lying_on_back": 3,
    "lying_on_front": 3,
    "lying_on_side": 3,
}

DISCOMFORT_RULE = (
    "Discomfort is okay; pain is not. Stop any exercise that hurts and log it as 'pain': "
    "lumbo will make it easier or swap it next time."
)


def usable_equipment(profile: Profile) -> frozenset[str]:
    """What the person has, plus a chair: assumed in every home unless they say otherwise."""
    have = set(profile.equipment)
    if profile.chair_at_home:
        have.add("chair")
    return frozenset(have)


def programme_start(history: History, start: dt.date) -> dt.date:
    """The first logged session, or the plan's start when nothing is logged yet."""
    return min((session.date for session in history.sessions), default=start)


@dataclass(frozen=True)
class Context:
    profile: Profile
    catalogue: Catalogue
    stage: Stage
    tight: frozenset[str]
    posture_needed: bool
    states: dict[str, FamilyState]
    #: The programme's first day (``programme_start``); unknown -> back-bending work stays
    #: every other day throughout (the safe side of the two-week rule).
    started: dt.date | None = None
    #: While pain is worsening, only these families may be planned (no new exercise);
    #: None otherwise.
    known: frozenset[str] | None = None
    equipment: frozenset[str] = field(init=False)
    bases: tuple[Exercise, ...] = field(init=False)
    abdominal_check: bool = field(init=False)
    #: Patterns removed by pain, per day (lumbo.domain.progression.blocked_patterns).
    blocked: dict[dt.date, frozenset[str]] = field(init=False)
    #: Each group's members for this person, sorted by id (the rules read only the context).
    members: dict[Group, list[Exercise]] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "equipment", usable_equipment(self.profile))
        object.__setattr__(
            self,
            "bases",
            tuple(
                entry
                for entry in self.catalogue
                if entry.family_id == entry.id and self.stage in entry.stages
            ),
        )
        object.__setattr__(self, "abdominal_check", needs_abdominal_check(self.profile))
        object.__setattr__(self, "blocked", {})
        object.__setattr__(self, "members", {})


def needs_abdominal_check(profile: Profile) -> bool:
    """Pregnant, or fewer than POSTPARTUM_CHECK_MONTHS months since giving birth."""
    return profile.pregnant or (
        profile.postpartum_months is not None and profile.postpartum_months < POSTPARTUM_CHECK_MONTHS
    )


def pregnancy_note(profile: Profile) -> str | None:
    """The plan's note for pregnancy and the first year after birth (plan_notes shows it)."""
    if not needs_abdominal_check(profile):
        return None
    when = "While you are pregnant" if profile.pregnant else "In the first year after giving birth"
    return (
        f"{when}, lumbo leaves out planks and sit-up-like exercises until a doctor, midwife or "
        "women's health physiotherapist has checked your tummy muscles for separation and your "
        "pelvic floor. That is a normal precaution, not a sign that anything is wrong; once "
        "they say yes, these exercises can come back."
    )


def plank_like(entry: Exercise) -> bool:
    """Planks, side planks and sit-up-like work (by pattern, family or step)."""
    return (
        entry.pattern_id in PLANK_LIKE_PATTERNS
        or entry.family_id in PLANK_LIKE_PATTERNS
        or entry.id in SIT_UP_LIKE_STEPS
    )


def no_planks_before_abdominal_check(entry: Exercise, ctx: Context) -> bool:
    return ctx.abdominal_check and plank_like(entry)


def back_bending_rests_today(entry: Exercise, ctx: Context, day: dt.date) -> bool:
    """Back-bending work every other day (never two days running) in the first
    BACK_BENDING_EASE_IN_DAYS days of the programme."""
    if not entry.back_bending:
        return False
    if ctx.started is None:
        return day.toordinal() % 2 == 1
    offset = (day - ctx.started).days
    return 0 <= offset < BACK_BENDING_EASE_IN_DAYS and offset % 2 == 1


def pattern_blocked_by_pain(entry: Exercise, ctx: Context, day: dt.date) -> bool:
    """Two pain ratings remove a whole pattern for a while (lumbo.domain.progression): skip
    it when choosing, so another pattern can take its place."""
    return entry.pattern_id in patterns_blocked_on(ctx, day)


def patterns_blocked_on(ctx: Context, day: dt.date) -> frozenset[str]:
    """``blocked_patterns`` of the context's states, worked out once per day."""
    blocked = ctx.blocked.get(day)
    if blocked is None:
        blocked = ctx.blocked[day] = frozenset(blocked_patterns(ctx.states, day))
    return blocked


def allowed_today(entry: Exercise, ctx: Context, day: dt.date) -> bool:
    """The safety rules every chosen step must pass, whatever the group or goal."""
    return not (
        no_planks_before_abdominal_check(entry, ctx)
        or back_bending_rests_today(entry, ctx, day)
        or pattern_blocked_by_pain(entry, ctx, day)
        or no_new_exercise_while_worsening(entry, ctx)
    )


#: Gentle enough to offer even while pain is worsening (seed 000's relief movements, which
#: may each be skipped, and slow breathing): they add no load to progress from.
GENTLE_CATEGORIES = frozenset({"relief", "breathing"})


def no_new_exercise_while_worsening(entry: Exercise, ctx: Context) -> bool:
    """Worsening pain (stages.worsening): only families the person has done stay planned,
    besides the gentle relief movements and breathing."""
    return (
        ctx.known is not None
        and entry.family_id not in ctx.known
        and entry.category not in GENTLE_CATEGORIES
    )


Rule = Callable[[Exercise, Context], bool]
#: Which areas an entry covers for a group (cover groups take each area once, or N times).
Cover = Callable[[Exercise, Context], frozenset[str]]
#: The first half of an item's one-sentence "why" (empty: the entry's own why stands alone).
Reason = Callable[[Exercise, Context], str]


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


def tightest_area(ctx: Context) -> str | None:
    """The area the person named first."""
    return ctx.profile.tight_areas[0] if ctx.profile.tight_areas else None


def stretch_for_tightest_area(entry: Exercise, ctx: Context) -> bool:
    area = tightest_area(ctx)
    return (
        area is not None
        and entry.category == "stretch"
        and not entry.posture
        and entry.frequency == "daily"
        and area in entry.targets
    )


def low_back_stretch_for_everyone(entry: Exercise, ctx: Context) -> bool:
    """Seed 000: low-back stretches 1-2 times a week for everyone past relief."""
    return entry.category == "stretch" and entry.frequency == "weekly" and "low_back" in entry.targets


def posture_when_needed(entry: Exercise, ctx: Context) -> bool:
    return entry.posture and (ctx.posture_needed or ctx.profile.goal == "sit_longer")


def core_activation(entry: Exercise, ctx: Context) -> bool:
    return entry.id in CORE_ACTIVATION


def other_activation(entry: Exercise, ctx: Context) -> bool:
    return entry.category == "activation" and entry.id not in CORE_ACTIVATION


def short_routine(entry: Exercise, ctx: Context) -> bool:
    if entry.id == SHORT_ROUTINE_SWAPPED and ctx.tight:
        return False
    return entry.id in SHORT_ROUTINE


def _named(entry: Exercise, names: Sequence[str]) -> bool:
    return entry.family_id in names or entry.pattern_id in names or entry.id in names


def _rank_in(entry: Exercise, names: Sequence[str]) -> int:
    """The first name the entry answers to; a family named outright before its pattern."""
    for rank, name in enumerate(names):
        if name in (entry.id, entry.family_id):
            return 2 * rank
        if name == entry.pattern_id:
            return 2 * rank + 1
    return 2 * len(names)


def weak_areas_served(entry: Exercise, ctx: Context) -> frozenset[str]:
    if entry.category in {"release", "relief", "breathing"}:
        return frozenset()
    return frozenset(area for area in ctx.profile.weak_areas if _named(entry, WEAK_AREA_WORK[area]))


def weak_area_activation(entry: Exercise, ctx: Context) -> bool:
    return bool(weak_areas_served(entry, ctx))


def goal_emphasis(entry: Exercise, ctx: Context) -> bool:
    goal = ctx.profile.goal
    if goal is None or entry.category in {"release", "relief"}:
        return False
    return _named(entry, GOAL_EMPHASIS[goal])


def tight_cover(entry: Exercise, ctx: Context) -> frozenset[str]:
    return frozenset(entry.targets) & ctx.tight


def low_back_cover(entry: Exercise, ctx: Context) -> frozenset[str]:
    return frozenset({"low_back"})


def tightest_cover(entry: Exercise, ctx: Context) -> frozenset[str]:
    return frozenset({"tightest"})


def words(areas: Iterable[str]) -> str:
    names = [AREA_WORDS.get(area, area.replace("_", " ")) for area in sorted(areas)] or ["areas"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def for_tight_areas(entry: Exercise, ctx: Context) -> str:
    return f"Chosen for your tight {words(tight_cover(entry, ctx))}"


def for_weekly_tight_areas(entry: Exercise, ctx: Context) -> str:
    return f"A once- or twice-a-week stretch for your tight {words(tight_cover(entry, ctx))}"


def for_weak_areas(entry: Exercise, ctx: Context) -> str:
    served = [WEAK_AREA_WORDS[area] for area in sorted(weak_areas_served(entry, ctx))]
    return f"Chosen to wake up your {' and '.join(served)}, which you said feel weak"


def for_goal(entry: Exercise, ctx: Context) -> str:
    goal = ctx.profile.goal
    return f"Brought forward for your goal to {GOAL_WORDS[goal]}" if goal else ""


def for_posture(entry: Exercise, ctx: Context) -> str:
    if ctx.profile.goal == "sit_longer":
        return "Posture work for your goal to sit longer in comfort"
    if needs_sitting_breaks(ctx.profile.desk_hours_per_day):
        return "Posture work for your long desk days"
    return f"Posture work for your tight {words(POSTURE_AREAS & ctx.tight)}"


def fixed(text: str) -> Reason:
    return lambda entry, ctx: text


@dataclass(frozen=True)
class Group:
    name: str
    rule: Rule
    #: Entries taken first, in this order (the seeds' own lists); the rest follow by id.
    first: tuple[str, ...] = ()
    rotate: bool = False
    #: Cover areas (each ``cover_times`` times) instead of taking every member.
    cover: Cover | None = None
    cover_times: int = 1
    #: Taken even when the session already holds CORE_ITEMS items (aimed at this person).
    always: bool = False
    #: Skip the tight-area check of seed 002 (the group has its own reason for the area).
    open_targets: bool = False
    #: Scheduled daily whatever the entry's frequency (seed 004's daily routine).
    daily: bool = False
    #: Sort members by WEAK_AREA_WORK / GOAL_EMPHASIS order.
    order: Callable[[Exercise, Context], int] | None = None
    reason: Reason = lambda entry, ctx: ""


def weak_order(entry: Exercise, ctx: Context) -> int:
    """The entry's place in the lists of the weak areas it serves: an area whose list does not
    name it must not give it a place (that would tie work its own area ranks apart)."""
    areas = weak_areas_served(entry, ctx) or ctx.profile.weak_areas
    return min(_rank_in(entry, WEAK_AREA_WORK[area]) for area in areas)


def goal_order(entry: Exercise, ctx: Context) -> int:
    return _rank_in(entry, GOAL_EMPHASIS[ctx.profile.goal]) if ctx.profile.goal else 0


RELIEF = "A gentle movement for a sore back while the pain settles"
DRILL = "One of the four daily drills for the muscles around the pelvis"
STRENGTH = "Core and back strength, every other day"
LOW_BACK = "A low-back stretch everyone does once or twice a week once the muscles around it work well"
ROUTINE = "Part of the short daily routine"

WEAK_GROUP = Group(
    "weak areas", weak_area_activation, cover=weak_areas_served, cover_times=WEAK_AREA_ITEMS,
    always=True, open_targets=True, order=weak_order, reason=for_weak_areas,
)
GOAL_GROUP = Group("goal", goal_emphasis, order=goal_order, open_targets=True, reason=for_goal)
RELIEF_GROUPS = (
    Group("relief", _is("relief"), reason=fixed(RELIEF)),
    Group("breathing", _is("breathing"), reason=fixed("Breathing work that is gentle enough for a sore day")),
    Group("release", release_for_tight_areas, cover=tight_cover, always=True, reason=for_tight_areas),
    Group("stretch", stretch_for_tight_areas("daily"), cover=tight_cover, always=True, reason=for_tight_areas),
    Group("posture", posture_when_needed, reason=for_posture),
)
ACTIVE_GROUPS = (
    WEAK_GROUP,
    GOAL_GROUP,
    Group("activation", core_activation, first=CORE_ACTIVATION, reason=fixed(DRILL)),
    Group("release", release_for_tight_areas, cover=tight_cover, always=True, reason=for_tight_areas),
    Group("stretch", stretch_for_tight_areas("daily"), cover=tight_cover, always=True, reason=for_tight_areas),
    Group("low-back stretch", low_back_stretch_for_everyone, cover=low_back_cover, always=True,
          open_targets=True, reason=fixed(LOW_BACK)),
    Group("strength", _is("strength"), rotate=True, reason=fixed(STRENGTH)),
    Group("posture", posture_when_needed, reason=for_posture),
    Group("weekly stretch", stretch_for_tight_areas("weekly"), cover=tight_cover, always=True,
          reason=for_weekly_tight_areas),
    Group("mobility", _is("mobility"), rotate=True),
    Group("more activation", other_activation, rotate=True),
    Group("breathing", _is("breathing")),
)
SHORT_GROUPS = (
    # The tightest area's stretch is taken first: in five minutes the routine cannot also
    # hold it, so it replaces the routine's last item(s) instead of being the one left out.
    Group("tightest area", stretch_for_tightest_area, cover=tightest_cover, always=True,
          reason=lambda entry, ctx: f"Part of your short routine, for your tight "
          f"{words([tightest_area(ctx) or 'areas'])}"),
    Group("short routine", short_routine, first=SHORT_ROUTINE, daily=True, reason=fixed(ROUTINE)),
    *ACTIVE_GROUPS,
)
HIP_STRETCH_GROUP = Group(
    "hip stretch", lambda entry, ctx: True, open_targets=True,
    reason=fixed("Hip stretches once or twice a day, and you chose twice"),
)
DESK_BREAK_GROUP = Group("posture", posture_when_needed, reason=fixed("A short break from sitting"))
#: The order items are done in within a position, by category: breathe first, release,
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
    weekly = item.group in {"weekly stretch", "low-back stretch"}
    key = "weekly stretch" if weekly else item.entry.category
    return SESSION_ORDER.index(key) if key in SESSION_ORDER else len(SESSION_ORDER)


def position_block(item: Chosen | PlanItem | Exercise, catalogue: Catalogue | None = None) -> int:
    if isinstance(item, Chosen):
        return POSITION_BLOCK[item.entry.position]
    if isinstance(item, Exercise):
        return POSITION_BLOCK[item.position]
    assert catalogue is not None
    return POSITION_BLOCK[catalogue[item.variation].position]


def up_down_transitions(blocks: Sequence[int]) -> int:
    """How many times a session goes from on the feet to the floor or back."""
    on_feet = [block == 0 for block in blocks]
    return sum(1 for before, after in itertools.pairwise(on_feet) if before != after)


def category_inversions(items: Sequence[Chosen]) -> int:
    ranks = [session_rank(item) for item in items]
    return sum(1 for i, early in enumerate(ranks) for late in ranks[i + 1 :] if early > late)


def session_order(items: Sequence[Chosen]) -> list[Chosen]:
    """Grouped by position, on the feet first or lying first (whichever keeps release ->
    stretch -> activate better; on a tie, on the feet first), category order within each."""
    down = sorted(items, key=lambda item: (position_block(item), session_rank(item)))
    up = sorted(items, key=lambda item: (-position_block(item), session_rank(item)))
    return down if category_inversions(down) <= category_inversions(up) else up


@dataclass(frozen=True)
class Chosen:
    group: str
    entry: Exercise
    family: str
    dosage: Dosage
    equipment: list[str]
    seconds: int
    why: str = ""
    #: The dose before time-filling growth (holds grow at most HOLD_GROWTH_STEPS above it).
    prescribed: Dosage | None = None


def plan(
    profile: Profile,
    catalogue: Catalogue,
    history: History,
    start: dt.date,
    days: int,
    settled: Progression | None = None,
) -> Decision:
    """A plan for a profile that passed the screen (call lumbo.services.decide, which screens).

    ``settled``: the folded state of the sessions before its horizon (progression.settle);
    then ``history`` holds only the sessions from the horizon on, and the plan is the one the
    whole history gives (no rule reads an older log itself)."""
    if settled is not None and not settled.serves(catalogue, profile.level, profile.age, start):
        raise ValueError("the settled progression state does not serve this plan: replay the history")
    stage = choose_stage(profile, history, start)
    worse = worsening(history, start)
    # Worsening pain pauses every progression: logs of the window move no dose or step.
    states = replay(catalogue, history, profile.level, worse.since if worse else None, profile.age, settled)
    ctx = Context(
        profile=profile,
        catalogue=catalogue,
        stage=stage.stage,
        tight=frozenset(profile.tight_areas),
        posture_needed=needs_sitting_breaks(profile.desk_hours_per_day)
        or bool(POSTURE_AREAS & set(profile.tight_areas)),
        states=states,
        started=settled.first_date if settled and settled.first_date else programme_start(history, start),
        known=frozenset(logged_families(catalogue, history)) | (settled.logged if settled else frozenset())
        if worse
        else None,
    )
    # Worsening adds no new exercise and pain removes patterns: both are rules of the
    # filler (allowed_today); checked again here so no later change can slip one through.
    known = ctx.known

    def kept(day: dt.date, sessions: list[PlanSession]) -> list[PlanSession]:
        blocked = patterns_blocked_on(ctx, day)
        if not blocked and known is None:
            return sessions
        result = []
        for session in sessions:
            items = [
                item
                for item in session.items
                if catalogue[item.variation].pattern_id not in blocked
                and (known is None or item.exercise in known or item.category in GENTLE_CATEGORIES)
            ]
            if items:
                result.append(session if len(items) == len(session.items) else with_items(session, items))
        return result

    plan_days = [
        PlanDay(date=day, sessions=kept(day, day_sessions(ctx, day, index, per_week)))
        for day, index, per_week in training_days(start, days, profile.days_per_week)
    ]
    planned_any = any(session.items for plan_day in plan_days for session in plan_day.sessions)
    return Decision(
        status="plan",
        stage=stage.stage,
        stage_reason=stage.reason,
        days=plan_days,
        notes=plan_notes(ctx, start, worse, planned_any),
    )


def plan_notes(
    ctx: Context, start: dt.date, worse: Worsening | None, planned_any: bool = True
) -> list[str]:
    """Worsening first (a clinician), then the discomfort rule, the pregnancy precaution and
    the changes of the last NOTES_LOOKBACK_DAYS days."""
    notes = [DISCOMFORT_RULE]
    if worse is not None:
        notes.insert(0, worsening_advice(worse, planned_any))
    precaution = pregnancy_note(ctx.profile)
    if precaution is not None:
        notes.append(precaution)
    since = start - dt.timedelta(days=NOTES_LOOKBACK_DAYS)
    changes = sorted(
        (
            (day, text)
            for state in ctx.states.values()
            for day, text in state.changes
            if since <= day < start
        ),
        key=lambda change: change[0],
    )
    notes.extend(text for _, text in changes)
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
    """The day's sessions: the main one, the second hip-stretch session when the person
    chose hip stretches twice a day, and a desk break for long desk days. No exercise twice
    in one day, and all of them within the minutes per day."""
    budget = ctx.profile.minutes_per_day * 60
    desk_break: Chosen | None = None
    if needs_sitting_breaks(ctx.profile.desk_hours_per_day) and ctx.stage != "relief":
        desk_break = choose_item(ctx, ctx.catalogue.get(DESK_BREAK_EXERCISE), DESK_BREAK_GROUP, day)
        if desk_break is not None and desk_break.seconds <= budget // 3:
            budget -= minutes(desk_break.seconds) * 60
        else:
            desk_break = None
    used = {desk_break.family} if desk_break is not None else set()
    reserve = hip_session_reserve(ctx, budget) if ctx.profile.hip_stretches_per_day == 2 else 0
    chosen = fill(ctx, day, index, per_week, budget - reserve, exclude=used)
    sessions: list[PlanSession] = []
    if chosen:
        sessions.append(as_session(SESSION_TITLES[ctx.stage], session_order(chosen)))
        budget -= minutes(sum(item.seconds for item in chosen)) * 60
    used |= {item.family for item in chosen}
    if reserve:
        stretches = hip_stretch_session(ctx, day, used, budget)
        if stretches:
            sessions.append(as_session(HIP_SESSION_TITLE, session_order(stretches)))
    if desk_break is not None:
        sessions.append(as_session(DESK_BREAK_TITLE, [desk_break]))
    # A safety net: whole minutes of all sessions must fit the budget; drop the last extra.
    while (
        len(sessions) > 1
        and sum(s.estimated_minutes for s in sessions) > ctx.profile.minutes_per_day
    ):
        sessions.pop()
    return sessions


def as_session(title: str, items: Sequence[Chosen]) -> PlanSession:
    seconds = sum(item.seconds for item in items)
    return PlanSession(title=title, estimated_minutes=minutes(seconds), items=[to_item(item) for item in items])


SESSION_TITLES: dict[str, str] = {
    "relief": "Gentle relief",
    "activation": "Release, stretch and activate",
    "maintenance": "Keep your back strong",
}
TIGHT_AREA_GROUPS = frozenset({"release", "stretch"})
HIP_SESSION_TITLE = "Hip stretches, second time today"
DESK_BREAK_TITLE = "Desk break: stand up, reset your posture, move"


def candidates(ctx: Context, day: dt.date, index: int, per_week: int) -> Iterator[tuple[Group, Exercise]]:
    """(group, family base) in priority order, each group's members rotated and sorted."""
    block = rotation_block(day)
    for group in groups_for(ctx):
        members = [
            entry
            for entry in group_members(ctx, group)
            if group.daily or scheduled(entry, ctx, index, per_week)
        ]
        if not members:
            continue
        if group.rotate or group.cover is not None:
            members = rotated(members, block + index)
        if group.cover is not None:
            members.sort(key=lambda entry: entry.id not in HIP_STRETCHES)
        if group.first:
            members.sort(key=lambda entry: group.first.index(entry.id) if entry.id in group.first else len(group.first))
        if group.order is not None:
            order = group.order
            members.sort(key=lambda entry: order(entry, ctx))
        for entry in members:
            yield group, entry


def group_members(ctx: Context, group: Group) -> list[Exercise]:
    """The family bases the group's rule takes for this person, by id (computed once)."""
    members = ctx.members.get(group)
    if members is None:
        members = sorted((entry for entry in ctx.bases if group.rule(entry, ctx)), key=lambda entry: entry.id)
        ctx.members[group] = members
    return members


@dataclass
class Session:
    """A session being filled: its items, their families, patterns and seconds."""

    budget: int
    families: set[str]
    items: list[Chosen] = field(default_factory=list)
    patterns: set[str] = field(default_factory=set)
    seconds: int = 0
    covered: dict[str, Counter[str]] = field(default_factory=dict)

    def takes(self, item: Chosen) -> Chosen | None:
        """The item as it fits (with one set if need be), or None: full, a repeat of a
        family or pattern already in, or no time left."""
        if len(self.items) >= MAX_ITEMS or item.family in self.families:
            return None
        if item.entry.pattern_id in self.patterns:
            return None
        if self.seconds + item.seconds > self.budget:
            shortened = shorter(item)
            if shortened is None or self.seconds + shortened.seconds > self.budget:
                return None
            item = shortened
        return item

    def add(self, item: Chosen, areas: frozenset[str] = frozenset(), group: str = "") -> None:
        self.items.append(item)
        self.families.add(item.family)
        self.patterns.add(item.entry.pattern_id)
        self.seconds += item.seconds
        counts = self.covered.get(group)
        if counts is None:
            counts = self.covered[group] = Counter()
        if areas:
            counts.update(areas)

    def needs(self, group: Group, areas: frozenset[str]) -> bool:
        counts = self.covered.get(group.name, _NOTHING_COVERED)
        return any(counts[area] < group.cover_times for area in areas)


#: Read only: what a session that has covered nothing yet counts (a Counter reads 0).
_NOTHING_COVERED: Counter[str] = Counter()


def fill(
    ctx: Context, day: dt.date, index: int, per_week: int, budget: int, exclude: set[str]
) -> list[Chosen]:
    """Session composition (docs/planner.md, "Composing a session"):
    1. candidates in priority order: the first CORE_ITEMS, plus every item of an ``always``
       group (tight areas, weak areas, the weekly low-back stretch), while they fit;
    2. doses grow (``grow_doses``) while time is left;
    3. the candidates passed over in step 1 are added, in order, up to MAX_ITEMS, and their
       doses grow too.
    Never more than MAX_ITEMS items, never two of one family or one pattern."""
    session = Session(budget, set(exclude))
    later: list[tuple[Group, Exercise]] = []
    for group, entry in candidates(ctx, day, index, per_week):
        if len(session.items) >= MAX_ITEMS:
            break
        if not group.always and len(session.items) >= CORE_ITEMS:
            later.append((group, entry))
            continue
        take(ctx, session, group, entry, day)
    grow_doses(session, lambda item: spare_time_may_grow(ctx, item, day))
    for group, entry in later:
        if len(session.items) >= MAX_ITEMS:
            break
        take(ctx, session, group, entry, day)
    grow_doses(session, lambda item: spare_time_may_grow(ctx, item, day))
    return session.items


def spare_time_may_grow(ctx: Context, item: Chosen, day: dt.date) -> bool:
    """Spare minutes never grow a dose that progression holds still: not while pain is
    worsening (every progression paused) and not within the freeze after a pain rating."""
    if ctx.known is not None:
        return False
    state = ctx.states.get(item.family)
    return state is None or not state.frozen_on(day)


def take(ctx: Context, session: Session, group: Group, entry: Exercise, day: dt.date) -> None:
    if entry.family_id in session.families:
        return
    areas = group.cover(entry, ctx) if group.cover is not None else frozenset()
    if group.cover is not None and not session.needs(group, areas):
        return
    item = choose_item(ctx, entry, group, day)
    if item is None:
        return
    fitted = session.takes(item)
    if fitted is not None:
        session.add(fitted, areas, coverage_key(group, fitted))


def coverage_key(group: Group, item: Chosen) -> str:
    """Release that falls back to a stretch (no roller, no ball) covers the area's stretch."""
    if group.name in TIGHT_AREA_GROUPS and item.entry.category in TIGHT_AREA_GROUPS:
        return item.entry.category
    return group.name


def grown(item: Chosen) -> Chosen | None:
    """One step of time-filling growth: one more set (up to GROWN_SETS, stretches
    GROWN_STRETCH_SETS), then a hold HOLD_STEP longer (within the step's target and at most
    HOLD_GROWTH_STEPS steps above the prescribed hold); None when it cannot grow."""
    entry, dosage = item.entry, item.dosage
    if entry.posture or entry.category not in GROWING_CATEGORIES | {"stretch"}:
        return None
    most_sets = GROWN_STRETCH_SETS if entry.category == "stretch" else GROWN_SETS
    if dosage.sets < most_sets:
        return regrown(item, Dosage(dosage.sets + 1, dosage.reps, dosage.hold_seconds))
    target = entry.dose.target_hold_seconds
    prescribed = item.prescribed or dosage
    if dosage.hold_seconds is None or target is None or prescribed.hold_seconds is None:
        return None
    limit = min(target, prescribed.hold_seconds + HOLD_STEP * HOLD_GROWTH_STEPS)
    if dosage.hold_seconds >= limit:
        return None
    return regrown(item, Dosage(dosage.sets, None, min(dosage.hold_seconds + HOLD_STEP, limit)))


def grow_doses(session: Session, may_grow: Callable[[Chosen], bool]) -> None:
    """Grow doses one step at a time, item by item in priority order, while they fit."""
    growing = True
    while growing:
        growing = False
        for position, item in enumerate(session.items):
            bigger = grown(item) if may_grow(item) else None
            if bigger is None or session.seconds - item.seconds + bigger.seconds > session.budget:
                continue
            session.items[position] = bigger
            session.seconds += bigger.seconds - item.seconds
            growing = True


def hip_session_reserve(ctx: Context, budget: int) -> int:
    """Time kept for the second hip-stretch session: its three stretches, at most a third
    of the day."""
    seconds = 0
    for _, slug in HIP_STRETCH_AREAS:
        entry = ctx.catalogue.get(slug)
        if entry is not None and ctx.stage in entry.stages:
            seconds += hip_stretch_seconds(entry)
    return min(minutes(seconds) * 60, (budget // 3) // 60 * 60)


def hip_stretch_seconds(entry: Exercise) -> int:
    return item_seconds(1, None, HIP_STRETCH_HOLD_SECONDS, entry.dose.seconds_per_rep,
                        entry.dose.rest_seconds, entry.per_side)


def hip_stretch_session(ctx: Context, day: dt.date, used: set[str], budget: int) -> list[Chosen]:
    """Seed 001: hip stretches once or twice a day. The second time: one 30-s stretch per
    hip area (hip flexors, hamstrings, piriformis), the seed-001 stretch unless the main
    session already holds it, then another daily stretch of the area."""
    session = Session(budget, set(used))
    for area, first in HIP_STRETCH_AREAS:
        options = sorted(
            (
                entry
                for entry in ctx.bases
                if entry.category == "stretch"
                and not entry.posture
                and entry.frequency == "daily"
                and area in entry.targets
            ),
            key=lambda entry: (entry.id != first, entry.id),
        )
        for entry in options:
            if entry.family_id in session.families:
                continue
            item = choose_item(ctx, entry, HIP_STRETCH_GROUP, day)
            if item is None:
                continue
            item = regrown(item, Dosage(1, None, HIP_STRETCH_HOLD_SECONDS))
            fitted = session.takes(item)
            if fitted is not None:
                session.add(fitted)
                break
    return session.items


def choose_item(ctx: Context, base: Exercise | None, group: Group, day: dt.date) -> Chosen | None:
    """The step and dose of a family for this person on this day, with equipment they have."""
    if base is None:
        return None
    state = ctx.states.get(base.family_id)
    if state is not None:
        if state.removed or (state.replaced_until is not None and day < state.replaced_until):
            return None
        entry, dosage = ctx.catalogue[state.step], state.dosage
    else:
        start = starting_step(ctx.catalogue, base.family_id, ctx.profile)
        if start is None:
            return None  # even the easiest step is above this person's level
        entry, dosage = start, starting_dosage(start, ctx.profile.level)
    for candidate in with_fallbacks(ctx.catalogue, entry):
        equipment = candidate.equipment_for(ctx.equipment)
        if (
            equipment is None
            or ctx.stage not in candidate.stages
            # A group open to every area opens it for its own ladder, not for a stand-in
            # from another family (an untight area's stretch must not slip in that way).
            or not ((group.open_targets and candidate.family_id == entry.family_id) or targets_allowed(candidate, ctx))
            or not allowed_today(candidate, ctx, day)
        ):
            continue
        if candidate.id != entry.id:
            other = ctx.states.get(candidate.family_id)
            if other is not None and (other.removed or (other.replaced_until or day) > day):
                continue
            if other is not None and other.step == candidate.id:
                dosage = other.dosage
            elif candidate.suits_level(ctx.profile.level) and unlocked(ctx, candidate, other):
                dosage = starting_dosage(candidate, ctx.profile.level)
            else:
                continue
        why = explained(group.reason(candidate, ctx), candidate)
        return make_chosen(group.name, candidate, dosage, equipment, why)
    return None


def unlocked(ctx: Context, candidate: Exercise, state: FamilyState | None) -> bool:
    """Whether a stand-in step may be done: at or below where its own ladder stands for this
    person (the step reached, or the entry step when the family was never done). An
    alternative must not jump a ladder that logged sessions have not opened."""
    ladder = ctx.catalogue.ladder_steps(candidate.id)
    if state is not None:
        reached = state.step
    else:
        entry = starting_step(ctx.catalogue, candidate.family_id, ctx.profile)
        if entry is None:
            return False
        reached = entry.id
    return reached in ladder and ladder.index(candidate.id) <= ladder.index(reached)


def with_fallbacks(catalogue: Catalogue, entry: Exercise) -> Iterable[Exercise]:
    """The entry, its alternatives, then each easier step (and that step's alternatives)."""
    current: Exercise | None = entry
    while current is not None:
        yield current
        for alternative in current.alternatives:
            yield catalogue[alternative]
        current = catalogue.get(current.easier) if current.easier else None


def make_chosen(
    group: str, entry: Exercise, dosage: Dosage, equipment: list[str], why: str = ""
) -> Chosen:
    seconds = dosed_seconds(entry, dosage)
    return Chosen(group, entry, entry.family_id, dosage, equipment, seconds, why or entry.why, dosage)


def dosed_seconds(entry: Exercise, dosage: Dosage) -> int:
    return item_seconds(
        dosage.sets,
        dosage.reps,
        dosage.hold_seconds,
        entry.dose.seconds_per_rep,
        entry.dose.rest_seconds,
        entry.per_side,
    )


def regrown(item: Chosen, dosage: Dosage) -> Chosen:
    """The same item with another dose (its prescribed dose kept): ``make_chosen`` with the
    item's group, entry, equipment and why, and ``prescribed`` left as it was."""
    entry = item.entry
    return Chosen(
        item.group, entry, entry.family_id, dosage, item.equipment, dosed_seconds(entry, dosage),
        item.why or entry.why, item.prescribed,
    )


def shorter(item: Chosen) -> Chosen | None:
    """The same item with one set, when it had more (to fit a tight budget)."""
    if item.dosage.sets <= 1:
        return None
    return regrown(item, Dosage(1, item.dosage.reps, item.dosage.hold_seconds))


def explained(reason: str, entry: Exercise) -> str:
    """One sentence: why this person gets it, then what it does (the entry's own why)."""
    if not reason:
        return entry.why
    why = entry.why
    if len(why) > 1 and not why[1].isupper():
        why = why[0].lower() + why[1:]
    return f"{reason}: {why}"


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
        why=item.why,
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
