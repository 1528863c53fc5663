"""Progression from the history: replay every logged item, oldest first, into a state per
exercise family (current ladder step and dose).

Rules (each a function below, named after the rule; docs/planner.md section 5):
- Entry step (``entry_step`` / ``starting_step``): every ladder starts at its first step, or
  at a later step only when the catalogue lists the person's level in that step's
  ``start_levels`` (and the step suits the level). A ``loaded`` step is never an entry step
  (seed 001_398ed349542a118e.txt: hold the plank 60 s *before* adding load; seed
  004_c5e5c944d4373c86.txt: the hip hinge before the deadlift). A ladder with a
  ``back_bending`` step starts at its first (gentlest) step for beginners and people over
  OLDER_ADULT_AGE, whatever ``start_levels`` says. A ladder whose first step is loaded or
  above the person's level has no entry step: it is not planned for them.
- Unlocking: a step above the entry step is reached only by climbing (below). A logged
  variation above the highest step reached so far is *not* followed: it may hurt (the pain
  rule applies), it never moves the plan up.
- Holds grow by HOLD_STEP_SECONDS towards the step's ``target_hold_seconds`` (seed targets:
  plank 60 s then load, side plank 45 s per side, bridge hold 60 s then load;
  001_398ed349542a118e.txt, 004_c5e5c944d4373c86.txt). Reps grow by one within 8-12, then
  sets grow 1 -> 3 with reps back at 8 (003_f946f2588c8df1e8.txt: 1-3 sets of 8-12).
- Growth needs the item completed at the prescribed dose and rated ``easy`` or ``right``.
- A skipped item (``ItemLog.skipped``) was not done: it changes nothing (no growth, no
  climb, no easy-streak reset, no pain rule, no step followed) and does not count as logged.
- At the target, two sessions in a row rated ``easy`` climb to the ladder's next step,
  which starts at its own starting dose.
- Pain is heard across the movement *pattern* (``Exercise.pattern_id``; seed 004: discomfort
  is okay, pain is not). A ``pain`` rating: the rated family goes to the step below the step
  that hurt (or, when that was the bottom step, is replaced for PAIN_FREEZE_DAYS); every
  other family of the pattern steps down one step (at the bottom of its ladder: back to its
  beginner starting dose); and no family of the pattern progresses for PAIN_FREEZE_DAYS
  days, the pain day counting as day 1.
- Two ``pain`` ratings for one pattern within PAIN_REPEAT_WINDOW_DAYS (the first pain day
  counting as day 1) remove the whole pattern for PATTERN_REMOVAL_DAYS days from the second:
  every family of the pattern has ``removed_until`` (mirrored in ``replaced_until``).
- Notes (``FamilyState.changes``) name the exercise the person actually did, as logged, and
  the date it hurt.
- ``frozen_from``: no progression from logs on or after that date (used when pain is
  worsening, lumbo.domain.stages.worsening); pain ratings still step down.

Folded, not replayed (docs/planner.md section 6): ``fold(state, session, catalogue)`` is
the pure step that updates a ``Progression`` (every family's state, and what the rules read
of older logs) with one session; ``replay`` is ``reduce(fold, ...)`` over the history,
oldest session first. ``settle(state, horizon)`` is the record a store keeps beside its logs:
every session before ``horizon`` folded, and nothing kept that no rule reads from there on,
so the planner needs only that record and the sessions of the last PLANNING_WINDOW_DAYS.

For the planner:
- ``starting_step(catalogue, family, profile)``: where a family not in the history starts;
- ``blocked_patterns(states, day)``: the patterns removed on ``day`` (plan nothing of them);
- ``FamilyState.removed_on(day)`` / ``blocked_on(day)``: one family removed / left out that day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from lumbo.domain.catalogue import Catalogue, Exercise
from lumbo.domain.model import History, ItemLog, Profile, SessionLog
from lumbo.domain.words import LEVEL_RANK

HOLD_STEP_SECONDS = 5
REPS_MIN, REPS_MAX = 8, 12
SETS_MAX = 3
EASY_SESSIONS_TO_CLIMB = 2
PAIN_FREEZE_DAYS = 7
PAIN_REPEAT_WINDOW_DAYS = 14
PATTERN_REMOVAL_DAYS = 14
#: Back-bending ladders start at their gentlest step for people older than this.
OLDER_ADULT_AGE = 60
#: Dose growth applies to these categories; stretches, release and relief keep their dose.
GROWING_CATEGORIES = frozenset({"activation", "strength", "mobility"})
#: How far back the planner reads the logs themselves (stage, flare, worsening, the pause of
#: progression and the plan's notes all look at most this far back from the start): older
#: sessions reach it only through the folded state (``settle``).
PLANNING_WINDOW_DAYS = 28
#: What the rules read of a folded session's dates from a given day on: pains within
#: PAIN_FREEZE_DAYS (the freeze) and PAIN_REPEAT_WINDOW_DAYS (two pains) before it.
PAIN_MEMORY_DAYS = max(PAIN_FREEZE_DAYS, PAIN_REPEAT_WINDOW_DAYS)


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
    #: The movement pattern of the family (its base entry's ``pattern_id``).
    pattern: str = ""
    #: The highest step reached: the entry step, or a step climbed to. Logged steps above it
    #: are not followed.
    unlocked: str = ""
    easy_streak: int = 0
    #: Days a ``pain`` rating was heard on this family's pattern (any family of it).
    pain_dates: list[dt.date] = field(default_factory=list)
    #: The whole pattern is out of the plan before this day (two pain ratings).
    removed_until: dt.date | None = None
    #: This family is left out before this day (pain at the bottom step, or pattern removal).
    replaced_until: dt.date | None = None
    #: What changed and when, in words for the plan's notes.
    changes: list[tuple[dt.date, str]] = field(default_factory=list)

    @property
    def removed(self) -> bool:
        """Removal without an end: no rule does that since pattern removals are timed (see
        ``removed_until`` / ``removed_on``); kept False for older callers."""
        return False

    def frozen_on(self, day: dt.date) -> bool:
        """No progression within PAIN_FREEZE_DAYS after the last pain heard on the pattern
        (the pain day is day 1, so day PAIN_FREEZE_DAYS is still frozen)."""
        if not self.pain_dates:
            return False  # the common case, without building a generator
        return any(0 <= (day - pain).days < PAIN_FREEZE_DAYS for pain in self.pain_dates)

    def removed_on(self, day: dt.date) -> bool:
        return self.removed_until is not None and day < self.removed_until

    def blocked_on(self, day: dt.date) -> bool:
        """Left out of the plan on ``day``: its pattern removed, or the family replaced."""
        return self.removed_on(day) or (self.replaced_until is not None and day < self.replaced_until)


def blocked_patterns(states: Mapping[str, FamilyState], day: dt.date) -> set[str]:
    """The movement patterns removed on ``day`` by the repeated-pain rule: the planner plans
    no entry whose ``pattern_id`` is in this set."""
    return {state.pattern for state in states.values() if state.removed_on(day)}


def older_adult(age: int | None) -> bool:
    return age is not None and age > OLDER_ADULT_AGE


def bends_back(ladder: Iterable[Exercise]) -> bool:
    return any(step.back_bending for step in ladder)


def entry_step(catalogue: Catalogue, family: str, level: str, age: int | None = None) -> Exercise | None:
    """Where the ladder starts for this person (module docstring, "Entry step"), or None
    when its first step is loaded or above their level. Looked up once per catalogue,
    family, level and age group."""
    key = (family, level, older_adult(age))
    known = _ladders(catalogue).entry_steps
    if key in known:
        return known[key]
    found = known[key] = _entry_step(catalogue, family, level, key[2])
    return found


def _entry_step(catalogue: Catalogue, family: str, level: str, older: bool) -> Exercise | None:
    ladder = [catalogue[slug] for slug in catalogue.ladder_steps(family)]
    first = ladder[0]
    if first.loaded or not first.suits_level(level):
        return None
    if bends_back(ladder) and (level == "beginner" or older):
        return first  # back-bending work: the gentlest step first
    entry = first
    for step in ladder[1:]:
        if level in step.start_levels and step.suits_level(level) and not step.loaded:
            entry = step
    return entry


def starting_step(catalogue: Catalogue, family: str, profile: Profile) -> Exercise | None:
    """The entry step of ``family`` for this person (their level and age)."""
    return entry_step(catalogue, family, profile.level, profile.age)


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
        return Dosage(dosage.sets, dosage.reps, min(dosage.hold_seconds + HOLD_STEP_SECONDS, target))
    reps = dosage.reps or REPS_MIN
    if reps < REPS_MAX:
        return Dosage(dosage.sets, reps + 1, dosage.hold_seconds)
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


@dataclass(frozen=True)
class Progression:
    """The folded state: every family's state after the sessions folded so far, and what
    the rules still read of those sessions (pains per pattern, the families ever logged, the
    first day). It depends on the person's level and age and on the catalogue (its
    fingerprint, ``catalogue_key``): another level, age or catalogue needs a fresh replay.

    ``horizon`` is set by ``settle``: every session before it is folded, none on or after it.
    """

    catalogue: str
    level: str
    age: int | None
    families: dict[str, FamilyState] = field(default_factory=dict)
    #: Pain ratings heard per pattern: (day, the exercise that hurt), oldest first.
    pattern_pains: dict[str, tuple[tuple[dt.date, str], ...]] = field(default_factory=dict)
    #: Families logged at least once (``logged_families``).
    logged: frozenset[str] = frozenset()
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    #: How many sessions were folded.
    sessions: int = 0
    horizon: dt.date | None = None

    def serves(self, catalogue: Catalogue, level: str, age: int | None, start: dt.date) -> bool:
        """Whether a plan from ``start`` may use this settled state with the sessions from its
        horizon on: the same catalogue, level and age, and no session the planner reads itself
        (the PLANNING_WINDOW_DAYS before the start, and later ones) folded already."""
        return (
            self.catalogue == catalogue_key(catalogue)
            and self.level == level
            and self.age == age
            and (self.horizon is None or self.horizon <= start - dt.timedelta(days=PLANNING_WINDOW_DAYS))
        )


_CATALOGUE_KEYS: weakref.WeakKeyDictionary[Catalogue, str] = weakref.WeakKeyDictionary()


def catalogue_key(catalogue: Catalogue) -> str:
    """A fingerprint of the catalogue's entries: a folded state made with another catalogue
    (an upgrade changed a ladder or a dose) is not used."""
    key = _CATALOGUE_KEYS.get(catalogue)
    if key is None:
        digest = hashlib.sha256()
        for entry in catalogue:
            digest.update(entry.model_dump_json().encode("utf-8"))
        key = _CATALOGUE_KEYS[catalogue] = digest.hexdigest()[:32]
    return key


def initial(catalogue: Catalogue, level: str, age: int | None = None) -> Progression:
    """The state before any session: no family started yet."""
    return Progression(catalogue_key(catalogue), level, age)


class _Ladders:
    """Ladder ranks, pattern members and entry steps of one catalogue, looked up once."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.ranks: dict[str, dict[str, int]] = {}
        self.members: dict[str, list[str]] = {}
        #: (family, level, older adult) -> the entry step (``entry_step``).
        self.entry_steps: dict[tuple[str, str, bool], Exercise | None] = {}


_LADDERS: weakref.WeakKeyDictionary[Catalogue, _Ladders] = weakref.WeakKeyDictionary()


def _ladders(catalogue: Catalogue) -> _Ladders:
    found = _LADDERS.get(catalogue)
    if found is None:
        found = _LADDERS[catalogue] = _Ladders(catalogue)
    return found


class _Replay:
    """The bookkeeping of one fold: it starts from a state and never changes it, copying a
    family's state (or a pattern's pains) the first time the session touches it."""

    def __init__(self, catalogue: Catalogue, start: Progression) -> None:
        self.catalogue = catalogue
        self.level = start.level
        self.age = start.age
        self.states: dict[str, FamilyState] = dict(start.families)
        self.pattern_pains: dict[str, list[tuple[dt.date, str]]] = {}
        self._pains = start.pattern_pains
        self._owned: set[str] = set()
        self._lookups = _ladders(catalogue)

    def rank(self, family: str, step: str) -> int:
        ranks = self._lookups.ranks.get(family)
        if ranks is None:
            ranks = {slug: n for n, slug in enumerate(self.catalogue.ladder_steps(family))}
            self._lookups.ranks[family] = ranks
        return ranks[step]

    def members(self, pattern: str) -> list[str]:
        """Every family of the pattern, in catalogue order."""
        found = self._lookups.members.get(pattern)
        if found is None:
            found = [
                entry.id
                for entry in self.catalogue
                if entry.family_id == entry.id and entry.pattern_id == pattern
            ]
            self._lookups.members[pattern] = found
        return found

    def pains(self, pattern: str) -> list[tuple[dt.date, str]]:
        """The pattern's pains, as a list this fold may extend."""
        found = self.pattern_pains.get(pattern)
        if found is None:
            found = self.pattern_pains[pattern] = list(self._pains.get(pattern, ()))
        return found

    def state(self, family: str) -> FamilyState:
        state = self.states.get(family)
        if state is None:
            step = (
                entry_step(self.catalogue, family, self.level, self.age)
                or self.catalogue[self.catalogue.ladder_steps(family)[0]]  # done anyway: its first step
            )
            state = FamilyState(
                family,
                step.id,
                starting_dosage(step, self.level),
                pattern=self.catalogue[family].pattern_id,
                unlocked=step.id,
            )
        elif family in self._owned:
            return state
        else:
            state = _copy(state)
        self.states[family] = state
        self._owned.add(family)
        return state

    def fold(self, session: SessionLog, frozen: bool) -> set[str]:
        """Apply every item of the session; the families logged in it."""
        logged: set[str] = set()
        for item in session.items:
            if item.skipped:
                continue  # not done: no rule applies (module docstring)
            # The variation's family, else the exercise's (``_family_of``); the step done is
            # the variation when the catalogue has it (of that family), else the planned one.
            variation = self.catalogue.get(item.variation) if item.variation is not None else None
            family = variation.family_id if variation is not None else _family_of(self.catalogue, item)
            if family is None:
                continue  # an exercise no longer in the catalogue: keep the log, skip the rule
            logged.add(family)
            state = self.state(family)
            logged_step = variation if variation is not None else self.catalogue[state.step]
            if item.rating == "pain":
                pain_is_heard_across_the_pattern(self, state, logged_step, session.date)
                continue
            if logged_step.id != state.step and not follow_logged_step(
                self, state, logged_step, session.date, frozen
            ):
                continue  # another step than planned, not followed: it does not count
            apply_item(self.catalogue, state, item, session.date, self.level, frozen)
        return logged


def _copy(state: FamilyState) -> FamilyState:
    """A copy this fold may change (``dataclasses.replace`` is several times slower)."""
    return FamilyState(
        state.family,
        state.step,
        state.dosage,
        state.pattern,
        state.unlocked,
        state.easy_streak,
        list(state.pain_dates),
        state.removed_until,
        state.replaced_until,
        list(state.changes),
    )


def fold(
    state: Progression,
    session: SessionLog,
    catalogue: Catalogue,
    frozen_from: dt.date | None = None,
) -> Progression:
    """``state`` with one more session applied (sessions are folded oldest first). Pure:
    ``state`` is left as it was. ``frozen_from``: no progression from logs on or after it."""
    return fold_all(state, [session], catalogue, frozen_from)


def by_date(sessions: Iterable[SessionLog]) -> list[SessionLog]:
    """Oldest first; sessions of one day keep their order (a stable sort)."""
    return sorted(sessions, key=lambda logged: logged.date)


def fold_all(
    state: Progression,
    sessions: Sequence[SessionLog],
    catalogue: Catalogue,
    frozen_from: dt.date | None = None,
) -> Progression:
    """``reduce(fold, ...)`` over the sessions, oldest first, done in one replay: each
    family's state (and each pattern's pains) is copied once, not once per session. Pure:
    ``state`` is left as it was."""
    ordered = by_date(sessions)
    if not ordered:
        return state
    run = _Replay(catalogue, state)
    logged: set[str] = set()
    for session in ordered:
        logged |= run.fold(session, frozen_from is not None and session.date >= frozen_from)
    pains = state.pattern_pains
    if run.pattern_pains:
        pains = {**pains, **{pattern: tuple(found) for pattern, found in run.pattern_pains.items()}}
    first, last = ordered[0].date, ordered[-1].date
    return Progression(
        state.catalogue,
        state.level,
        state.age,
        run.states,
        pains,
        state.logged | logged if not logged <= state.logged else state.logged,
        first if state.first_date is None else min(state.first_date, first),
        last if state.last_date is None else max(state.last_date, last),
        state.sessions + len(ordered),
        state.horizon,
    )


def replay_state(
    catalogue: Catalogue,
    history: History,
    level: str,
    frozen_from: dt.date | None = None,
    age: int | None = None,
) -> Progression:
    """The folded state of the whole history, from nothing."""
    return fold_all(initial(catalogue, level, age), history.sessions, catalogue, frozen_from)


def replay(
    catalogue: Catalogue,
    history: History,
    level: str,
    frozen_from: dt.date | None = None,
    age: int | None = None,
    settled: Progression | None = None,
) -> dict[str, FamilyState]:
    """Every family's state after the whole history, oldest session first. With ``settled``
    (``settle``), ``history`` holds the sessions from its horizon on, folded onto it."""
    start = settled if settled is not None else initial(catalogue, level, age)
    return fold_all(start, history.sessions, catalogue, frozen_from).families


def settle(state: Progression, horizon: dt.date | None) -> Progression:
    """The record to store: ``state`` (every session before ``horizon``, none after) without
    what no rule reads from ``horizon`` on: pain dates, pains and notes more than
    PAIN_MEMORY_DAYS before it (the plan's notes reach back 14 days from a start at least
    PLANNING_WINDOW_DAYS after the horizon)."""
    if horizon is None:
        if state.sessions:
            raise ValueError("a state with folded sessions needs a horizon after them")
        return replace(state, horizon=None)
    if state.last_date is not None and state.last_date >= horizon:
        raise ValueError(f"the horizon {horizon} must come after every folded session")
    keep = horizon - dt.timedelta(days=PAIN_MEMORY_DAYS)
    families = {
        family: replace(
            family_state,
            pain_dates=[day for day in family_state.pain_dates if day >= keep],
            changes=[change for change in family_state.changes if change[0] >= keep],
        )
        for family, family_state in state.families.items()
    }
    pains = {
        pattern: kept
        for pattern, found in state.pattern_pains.items()
        if (kept := tuple(pain for pain in found if pain[0] >= keep))
    }
    return replace(state, families=families, pattern_pains=pains, horizon=horizon)


def horizon_after(latest: dt.date | None) -> dt.date | None:
    """Where the settled state ends when the latest logged session is on ``latest``: the
    sessions of the PLANNING_WINDOW_DAYS up to it stay logs the planner reads itself, so
    a plan from that day on can use the settled state."""
    return None if latest is None else latest - dt.timedelta(days=PLANNING_WINDOW_DAYS)


def settled_state(
    catalogue: Catalogue, sessions: Sequence[SessionLog], level: str, age: int | None = None
) -> Progression:
    """The settled state of these sessions, rebuilt from nothing (``horizon_after`` the
    latest of them)."""
    horizon = horizon_after(max((session.date for session in sessions), default=None))
    older = [session for session in sessions if horizon is not None and session.date < horizon]
    return settle(fold_all(initial(catalogue, level, age), older, catalogue), horizon)


def follow_logged_step(
    run: _Replay, state: FamilyState, logged: Exercise, day: dt.date, frozen: bool
) -> bool:
    """The person did another step of the ladder than planned: follow them down, or up to
    the highest step already reached, unless progression is paused or the family is out."""
    if frozen or state.frozen_on(day) or state.blocked_on(day):
        return False
    if run.rank(state.family, logged.id) > run.rank(state.family, state.unlocked):
        return False  # not unlocked yet: only the climb rule opens it
    state.step = logged.id
    state.dosage = starting_dosage(logged, run.level)
    state.easy_streak = 0
    return True


def apply_item(
    catalogue: Catalogue,
    state: FamilyState,
    item: ItemLog,
    day: dt.date,
    level: str,
    frozen: bool = False,
) -> None:
    """Update one family's state with one logged item of its current step (not ``pain``:
    pain is heard by the pattern, see ``pain_is_heard_across_the_pattern``)."""
    entry = catalogue[state.step]
    if item.skipped or state.removed_on(day):
        return  # skipped: not done, so neither growth nor a broken easy streak
    if item.rating == "hard" or item.rating == "pain" or not met_prescription(item, state.dosage):
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
    ladder = catalogue.ladder_steps(state.family)
    state.step = harder.id
    if not state.unlocked or ladder.index(harder.id) > ladder.index(state.unlocked):
        state.unlocked = harder.id
    state.dosage = starting_dosage(harder, "beginner")
    state.easy_streak = 0
    state.changes.append(
        (
            day,
            f"{entry.name} felt easy at its target twice in a row, so you move on to {harder.name}.",
        )
    )


def pattern_words(pattern: str) -> str:
    return pattern.replace("-", " ").replace("_", " ")


def pain_is_heard_across_the_pattern(
    run: _Replay, rated: FamilyState, hurt: Exercise, day: dt.date
) -> None:
    """A ``pain`` rating for ``hurt`` (the step the person did): the rated family steps
    below it, the pattern's other families step down one, none progresses for
    PAIN_FREEZE_DAYS; a second pain on the pattern within PAIN_REPEAT_WINDOW_DAYS removes
    the whole pattern for PATTERN_REMOVAL_DAYS."""
    pattern = rated.pattern
    pains = run.pains(pattern)
    pains.append((day, hurt.name))
    others = [run.state(family) for family in run.members(pattern) if family != rated.family]
    for state in (rated, *others):
        state.easy_streak = 0
        state.pain_dates.append(day)
    recent = [(when, name) for when, name in pains if 0 <= (day - when).days < PAIN_REPEAT_WINDOW_DAYS]
    pain_steps_below_the_step_that_hurt(run.catalogue, rated, hurt, day, announce=len(recent) < 2)
    for state in others:
        pain_steps_the_pattern_down(run.catalogue, state)
    if len(recent) >= 2:
        two_pains_remove_the_pattern(rated, others, recent, pattern, day)
    elif others and rated.changes and rated.changes[-1][0] == day:
        # One sentence per pain report: what hurt, what replaces it, and what else changes.
        when, text = rated.changes[-1]
        rated.changes[-1] = (
            when,
            f"{text} The other {pattern_words(pattern)} exercises step down too and hold their "
            f"level until {(day + dt.timedelta(days=PAIN_FREEZE_DAYS)).isoformat()}.",
        )


def pain_steps_below_the_step_that_hurt(
    catalogue: Catalogue, state: FamilyState, hurt: Exercise, day: dt.date, announce: bool = True
) -> None:
    ladder = catalogue.ladder_steps(state.family)
    when = day.isoformat()
    if hurt.easier is None:
        state.step = hurt.id  # the bottom step hurt: it stays the step, but is swapped out
        state.dosage = starting_dosage(hurt, "beginner")
        state.replaced_until = max(
            state.replaced_until or day, day + dt.timedelta(days=PAIN_FREEZE_DAYS)
        )
        if announce:
            state.changes.append(
                (
                    day,
                    f"{hurt.name} hurt on {when}, so something else takes its place until "
                    f"{state.replaced_until.isoformat()}.",
                )
            )
        return
    easier = catalogue[hurt.easier]
    if ladder.index(easier.id) < ladder.index(state.step):
        state.step = easier.id
        state.dosage = starting_dosage(easier, "beginner")
    current = catalogue[state.step]
    if announce:
        state.changes.append((day, f"{hurt.name} hurt on {when}, so you do the easier {current.name} for now."))


def pain_steps_the_pattern_down(catalogue: Catalogue, state: FamilyState) -> None:
    """Another family of a pattern that hurt: one step down, or at the bottom of its ladder
    back to its beginner starting dose."""
    entry = catalogue[state.step]
    if entry.easier is not None:
        state.step = entry.easier
        entry = catalogue[entry.easier]
    state.dosage = starting_dosage(entry, "beginner")


def two_pains_remove_the_pattern(
    rated: FamilyState,
    others: list[FamilyState],
    recent: list[tuple[dt.date, str]],
    pattern: str,
    day: dt.date,
) -> None:
    until = day + dt.timedelta(days=PATTERN_REMOVAL_DAYS)
    for state in (rated, *others):
        state.removed_until = max(state.removed_until or until, until)
        state.replaced_until = max(state.replaced_until or until, until)
    hurt = " and ".join(f"{name} on {when.isoformat()}" for when, name in recent)
    rated.changes.append(
        (
            day,
            f"{hurt} hurt within {PAIN_REPEAT_WINDOW_DAYS} days, so every {pattern_words(pattern)} "
            f"exercise is out of your plan until {until.isoformat()}. "
            "Mention it to a clinician if the pain lingers.",
        )
    )


def _family_of(catalogue: Catalogue, item: ItemLog) -> str | None:
    for slug in (item.variation, item.exercise):
        entry = catalogue.get(slug) if slug is not None else None
        if entry is not None:
            return entry.family_id
    return None


def logged_families(catalogue: Catalogue, history: History) -> set[str]:
    """The families the person has logged at least once (any date; skipped items do not
    count): what "no new exercise" allows while pain is worsening."""
    return {
        family
        for session in history.sessions
        for item in session.items
        if not item.skipped and (family := _family_of(catalogue, item)) is not None
    }
