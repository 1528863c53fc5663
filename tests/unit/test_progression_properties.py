"""Property tests of progression (issue 9): for any profile and history, on the shipped
catalogue, no starting step is loaded; no step is planned above the entry step unless the
step below it has a logged good session; a pain rating blocks progression of its whole
pattern for 7 days; worsening pain pauses every progression and adds nothing new.

The strategies climb ladders on purpose (runs of easy sessions on one step), rate items
``pain``, and make every stage reachable; ``hypothesis.event`` records what each example
reached (run with ``--hypothesis-show-statistics`` to see the counts), and ``assume`` keeps
the comparisons meaningful (non-empty dose maps), so a strategy that stopped producing them
would fail Hypothesis's filter health check instead of passing on empty examples.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

from lumbo.adapters.catalogue_files import default_catalogue
from lumbo.domain.catalogue import Catalogue
from lumbo.domain.model import Decision, History, ItemLog, PlanItem, Profile, SessionLog
from lumbo.domain.planning import GENTLE_CATEGORIES
from lumbo.domain.progression import entry_step, logged_families, replay, starting_step
from lumbo.domain.stages import worsening
from lumbo.domain.words import AREAS, EQUIPMENT, LEVELS
from lumbo.services import decide

START = dt.date(2026, 11, 23)
BOOK: Catalogue = default_catalogue()
SLUGS = sorted(entry.id for entry in BOOK)
FAMILIES = sorted({entry.family_id for entry in BOOK})
LADDERS = [family for family in FAMILIES if len(BOOK.ladder(family)) > 1]
PATTERNS: dict[str, list[str]] = {}
for _family in FAMILIES:
    PATTERNS.setdefault(BOOK[_family].pattern_id, []).append(_family)
#: Families everyone past relief gets (no equipment, activation or strength work).
EVERYDAY = [
    family
    for family in FAMILIES
    if BOOK[family].needs_nothing() and BOOK[family].category in {"activation", "strength"}
    and "activation" in BOOK[family].stages
]
EVERYDAY_LADDERS = [family for family in EVERYDAY if family in LADDERS]
#: Steps of everyday work whose pain has somewhere to go: an easier step, or another family
#: of the pattern.
PAIN_STEPS = [
    entry.id
    for entry in BOOK
    if entry.family_id in EVERYDAY and (entry.easier is not None or len(PATTERNS[entry.pattern_id]) > 1)
]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

pain = st.integers(0, 10)
#: Session pain, mostly low (so maintenance and activation are reached), sometimes any.
session_pain = st.one_of(st.integers(0, 3), st.integers(0, 3), pain)


@st.composite
def profiles(draw: st.DrawFn, max_pain: int = 10, min_minutes: int = 5) -> Profile:
    now = draw(st.integers(0, max_pain))
    return Profile(
        age=draw(st.one_of(st.none(), st.integers(18, 95))),
        pain_now=now,
        pain_worst_week=draw(st.one_of(st.integers(now, min(10, now + 1)), st.integers(now, 10))),
        duration_weeks=draw(st.integers(0, 520)),
        tight_areas=draw(st.lists(st.sampled_from(AREAS), unique=True)),
        equipment=draw(st.lists(st.sampled_from(EQUIPMENT), unique=True)),
        minutes_per_day=draw(st.integers(min_minutes, 90)),
        days_per_week=draw(st.integers(1, 7)),
        level=draw(st.sampled_from(LEVELS)),
        desk_hours_per_day=draw(st.integers(0, 14)),
    )


def item(slug: str, rating: str, completed: bool = True) -> ItemLog:
    return ItemLog(exercise=BOOK[slug].family_id, variation=slug, rating=rating, completed=completed)


@st.composite
def climbing_histories(draw: st.DrawFn) -> History:
    """Runs of easy sessions on chosen ladder steps (enough to reach targets and climb),
    mixed with random items, some rated ``pain``, and random session pain."""
    sessions: list[SessionLog] = []
    ladders = st.one_of(st.sampled_from(EVERYDAY_LADDERS), st.sampled_from(LADDERS))
    for family in draw(st.lists(ladders, max_size=3, unique=True)):
        ladder = BOOK.ladder(family)
        low = draw(st.one_of(st.just(0), st.integers(0, len(ladder) - 1)))
        # Each step for ``stint`` sessions, then the next one up (as a plan that climbed says).
        stint = draw(st.integers(14, 24))
        first = draw(st.integers(20, 60))
        spacing = draw(st.integers(1, 2))
        for n in range(draw(st.integers(0, 40))):
            step = ladder[min(low + n // stint, len(ladder) - 1)]
            rating = draw(st.sampled_from(["easy"] * 12 + ["right", "hard", "pain"]))
            sessions.append(
                SessionLog(date=START - dt.timedelta(days=max(1, first - spacing * n)), pain_before=2, pain_after=2,
                           items=[item(step, rating, rating == "easy" or draw(st.booleans()))])
            )
    for _ in range(draw(st.integers(0, 8))):
        sessions.append(
            SessionLog(
                date=START - dt.timedelta(days=draw(st.integers(1, 40))),
                pain_before=draw(session_pain),
                pain_after=draw(session_pain),
                items=[
                    item(slug, draw(st.sampled_from(["easy", "right", "hard", "pain"])), draw(st.booleans()))
                    for slug in draw(st.lists(st.sampled_from(SLUGS), max_size=4, unique=True))
                ],
            )
        )
    return History(sessions=sessions)


def all_items(decision: Decision) -> Iterator[tuple[dt.date, PlanItem]]:
    for day in decision.days:
        for session in day.sessions:
            for planned in session.items:
                yield day.date, planned


def good_logs(history: History) -> set[str]:
    """Steps with at least one logged good session: completed and rated easy or right."""
    return {
        logged.variation
        for session in history.sessions
        for logged in session.items
        if logged.variation is not None and logged.completed and logged.rating in {"easy", "right"}
    }


@FAST
@given(profiles())
def test_no_starting_step_is_loaded(person: Profile) -> None:
    for family in FAMILIES:
        step = starting_step(BOOK, family, person)
        assert step is None or not step.loaded, family
    decision = decide(person, History(), START, 7, BOOK)
    planned = [BOOK[i.variation] for _, i in all_items(decision)]
    event(f"stage {decision.stage}")
    assert not [entry.id for entry in planned if entry.loaded]


CLIMBED_BRIDGE = History(
    sessions=[
        SessionLog(date=START - dt.timedelta(days=30 - n), pain_before=2, pain_after=2,
                   items=[item("glute-bridge" if n < 16 else "single-leg-glute-bridge", "easy")])
        for n in range(20)
    ]
)
SKIPPED_AHEAD = History(
    sessions=[
        SessionLog(date=START - dt.timedelta(days=20 - n), pain_before=2, pain_after=2,
                   items=[item("single-leg-glute-bridge", "easy"), item("deadlift", "easy")])
        for n in range(20)
    ]
)
CALM = Profile(pain_now=2, pain_worst_week=3, duration_weeks=5, minutes_per_day=30, equipment=["weights"])


@FAST
@given(st.one_of(profiles(max_pain=5, min_minutes=20), profiles()), climbing_histories())
@example(CALM, CLIMBED_BRIDGE)  # climbed: the single-leg bridge is planned, the two-leg one logged well
@example(CALM, SKIPPED_AHEAD)  # logged above the entry step without climbing: not planned
def test_no_step_is_planned_whose_lower_step_has_no_logged_good_session(person: Profile, logged: History) -> None:
    decision = decide(person, logged, START, 7, BOOK)
    event(f"stage {decision.stage}")
    good = good_logs(logged)
    states = replay(BOOK, logged, person.level, age=person.age)
    event("a ladder climbed" if any("move on to" in text for s in states.values() for _, text in s.changes) else "no climb")
    for _, planned in all_items(decision):
        ladder = BOOK.ladder(planned.variation)
        rank = ladder.index(planned.variation)
        entry = entry_step(BOOK, ladder[0], person.level, person.age)
        entry_rank = ladder.index(entry.id) if entry is not None else 0
        if rank > entry_rank:
            event("planned above the entry step")
            assert ladder[rank - 1] in good, (planned.variation, sorted(good))


@FAST
@given(
    profiles(max_pain=5, min_minutes=20),
    climbing_histories(),
    st.sampled_from(PAIN_STEPS),
    st.integers(1, 6),
)
def test_a_pain_rating_blocks_progression_of_its_whole_pattern_for_7_days(
    person: Profile, logged: History, slug: str, days_ago: int
) -> None:
    """Easy logs of every family of the pattern in the days after a pain rating (still within
    the 7 days) change neither the replayed states of the pattern nor the planned doses."""
    person = person.model_copy(update={"days_per_week": 7})
    pain_day = START - dt.timedelta(days=days_ago + 1)
    before = [s for s in logged.sessions if s.date < pain_day]
    pattern = BOOK[slug].pattern_id
    members = PATTERNS[pattern]
    pain_session = SessionLog(date=pain_day, pain_before=2, pain_after=2, items=[item(slug, "pain")])
    easy_after = [
        SessionLog(
            date=pain_day + dt.timedelta(days=n),
            pain_before=2,
            pain_after=2,
            items=[item(step, "easy") for family in members for step in BOOK.ladder(family)[:2]],
        )
        for n in range(1, days_ago + 1)
    ]
    base = History(sessions=[*before, pain_session])
    with_easy = History(sessions=[*before, pain_session, *easy_after])

    def states(history: History) -> dict[str, tuple[str, object]]:
        replayed = replay(BOOK, history, person.level, age=person.age)
        return {family: (replayed[family].step, replayed[family].dosage) for family in members}

    assert states(with_easy) == states(base) and len(states(base)) == len(members) >= 1

    def doses(decision: Decision) -> dict[tuple[dt.date, str], tuple[str, int, int | None, int | None]]:
        return {
            (when, i.exercise): (i.variation, i.sets, i.reps, i.hold_seconds)
            for when, i in all_items(decision)
            if i.exercise in members
        }

    first, second = decide(person, base, START, 7, BOOK), decide(person, with_easy, START, 7, BOOK)
    # The added sessions may earn maintenance (8 sessions over 14 days): another stage plans
    # other work, which is not what this property is about.
    assume(first.stage == second.stage)
    # Likewise the added sessions can start or end "worsening" (which pauses everything and
    # plans only known exercises): a different rule, tested on its own.
    assume((worsening(base, START) is None) == (worsening(with_easy, START) is None))
    planned = doses(first)
    event("pattern planned" if planned else "pattern not planned")
    assume(planned)
    after = doses(second)
    # The easy logs may make another family of the pattern known (one in another position,
    # which the pain does not block), so it can be chosen on more days; what they must not
    # do is move anything on: no step above the one the pain froze, the same doses where
    # both plans hold the exercise that day.
    frozen = states(base)
    for (_, family), (variation, *_) in after.items():
        ladder = BOOK.ladder(family)
        assert ladder.index(variation) <= ladder.index(str(frozen[family][0])), (family, variation)
    common = planned.keys() & after.keys()
    event("the same exercises planned" if common == planned.keys() == after.keys() else "other exercises too")
    assert {key: after[key] for key in common} == {key: planned[key] for key in common}


@st.composite
def worsening_histories(draw: st.DrawFn) -> tuple[History, list[str]]:
    """Sessions over the 28 days before the start whose pain rises by 2 or more from the
    first week, each with items of a few families, some rated easy."""
    families = draw(st.lists(st.sampled_from(EVERYDAY), min_size=1, max_size=4, unique=True))
    low = draw(st.integers(0, 6))
    high = draw(st.integers(low + 2, min(10, low + 4)))
    days = [27, 25, *sorted(draw(st.lists(st.integers(8, 20), min_size=2, max_size=8, unique=True)), reverse=True)]
    sessions = []
    for n, ago in enumerate(days):
        level = low if n < 2 else high
        sessions.append(
            SessionLog(
                date=START - dt.timedelta(days=ago),
                pain_before=level,
                pain_after=level,
                items=[item(draw(st.sampled_from(BOOK.ladder(f))), draw(st.sampled_from(["easy", "right", "hard"])))
                       for f in families],
            )
        )
    return History(sessions=sessions), families


@FAST
@given(profiles(max_pain=5), worsening_histories(), st.integers(1, 6))
def test_a_worsening_history_pauses_all_progression(
    person: Profile, drawn: tuple[History, list[str]], extra: int
) -> None:
    logged, families = drawn
    found = worsening(logged, START)
    assert found is not None
    high = logged.sessions[-1].pain_before
    more = History(
        sessions=[
            *logged.sessions,
            *(
                SessionLog(date=START - dt.timedelta(days=8 + n), pain_before=high, pain_after=high,
                           items=[item(BOOK.ladder(f)[0], "easy") for f in families])
                for n in range(extra)
            ),
        ]
    )
    assert worsening(more, START) is not None
    first = decide(person, logged, START, 7, BOOK)
    second = decide(person, more, START, 7, BOOK)
    event(f"stage {first.stage}; {'items' if any(True for _ in all_items(first)) else 'no items'}")
    assert first.notes[0].startswith("Your pain keeps getting worse")

    def states(history: History) -> dict[str, tuple[str, object]]:
        replayed = replay(BOOK, history, person.level, found.since, person.age)
        return {family: (replayed[family].step, replayed[family].dosage) for family in families}

    assert states(more) == states(logged) and len(states(logged)) == len(families)
    known = logged_families(BOOK, logged)
    assert {i.exercise for _, i in all_items(first) if i.category not in GENTLE_CATEGORIES} <= known
    # Easy logs added inside the window move no step and no dose.
    assert [(w, i.variation, i.sets, i.reps, i.hold_seconds) for w, i in all_items(second)] == [
        (w, i.variation, i.sets, i.reps, i.hold_seconds) for w, i in all_items(first)
    ]
