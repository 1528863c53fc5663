"""Short lessons: the parts of the method that are explained rather than exercised.

A lesson is a two-minute read (Markdown body plus front matter) with its sources and the
catalogue entries it explains. ``sources`` holds seed file names, which people never see:
pages and the CLI show ``source_labels`` (titles and authors, from lumbo.domain.sources).
Lessons unlock one at a time as a plan goes on: a lesson whose ``unlock_day`` is ``n`` can
be read from the plan's day index ``n`` (day 0 is the first day of the plan). Loading the
packaged files is the job of ``lumbo.adapters.lesson_files``; everything here is pure.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from lumbo.domain.sources import labels

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]
SeedName = Annotated[str, Field(pattern=r"^\d{3}_[0-9a-f]{16}\.txt$")]

#: Words read per minute, used for the "about N minutes" estimate (a common adult figure).
WORDS_PER_MINUTE = 200

_WORD = re.compile(r"[A-Za-z0-9']+")


class Lesson(BaseModel):
    """One lesson: front matter fields plus the Markdown body."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    title: str = Field(min_length=3, max_length=80)
    summary: str = Field(min_length=10, max_length=240, description="One sentence")
    unlock_day: int = Field(ge=0, le=365, description="Plan day index (0 = first day) it opens on")
    # Seed file names (e.g. 004_c5e5c944d4373c86.txt); shown to people as source_labels.
    sources: list[SeedName] = Field(min_length=1, description="The articles the lesson draws on")
    related_exercises: list[Slug] = Field(default_factory=list)
    body: str = Field(min_length=1, description="Markdown (see lumbo.reports.markdown)")

    @property
    def source_labels(self) -> list[str]:
        """The articles behind the lesson as people see them: title and author, no file names."""
        return labels(self.sources)

    @property
    def word_count(self) -> int:
        return len(_WORD.findall(self.body))

    @property
    def reading_minutes(self) -> int:
        """Whole minutes to read the body, at least 1."""
        return max(1, round(self.word_count / WORDS_PER_MINUTE))


class LessonError(ValueError):
    """The lessons do not fit together (a duplicate id, two lessons on one unlock day)."""


def check_lessons(lessons: Iterable[Lesson]) -> list[Lesson]:
    """Validate the set as a whole and return it ordered by unlock day.

    Ids must be unique and unlock days distinct, so exactly one lesson opens on each
    unlock day.
    """
    ordered = sorted(lessons, key=lambda lesson: lesson.unlock_day)
    seen_ids: set[str] = set()
    seen_days: dict[int, str] = {}
    for lesson in ordered:
        if lesson.id in seen_ids:
            raise LessonError(f"duplicate lesson id {lesson.id!r}")
        seen_ids.add(lesson.id)
        if lesson.unlock_day in seen_days:
            raise LessonError(
                f"lessons {seen_days[lesson.unlock_day]!r} and {lesson.id!r} "
                f"both unlock on day {lesson.unlock_day}"
            )
        seen_days[lesson.unlock_day] = lesson.id
    return ordered


def unknown_exercises(lessons: Iterable[Lesson], known_ids: Iterable[str]) -> dict[str, list[str]]:
    """Related exercise ids that are not in ``known_ids``, per lesson id (empty when all fit)."""
    known = set(known_ids)
    problems: dict[str, list[str]] = {}
    for lesson in lessons:
        missing = [slug for slug in lesson.related_exercises if slug not in known]
        if missing:
            problems[lesson.id] = missing
    return problems


def plan_day_index(plan_start: dt.date, today: dt.date) -> int:
    """Days since the plan started (0 on the first day; 0 before it starts)."""
    return max(0, (today - plan_start).days)


def unlocked(lessons: Iterable[Lesson], plan_day_index: int) -> list[Lesson]:
    """The lessons open on ``plan_day_index``, in unlock order."""
    return [lesson for lesson in _ordered(lessons) if lesson.unlock_day <= plan_day_index]


def locked(lessons: Iterable[Lesson], plan_day_index: int) -> list[Lesson]:
    """The lessons still closed on ``plan_day_index``, in unlock order."""
    return [lesson for lesson in _ordered(lessons) if lesson.unlock_day > plan_day_index]


def next_lesson(lessons: Iterable[Lesson], plan_day_index: int) -> Lesson | None:
    """The next lesson to unlock after ``plan_day_index``, or None when all are open."""
    waiting = locked(lessons, plan_day_index)
    return waiting[0] if waiting else None


def newest_unlocked(lessons: Iterable[Lesson], plan_day_index: int) -> Lesson | None:
    """The most recently opened lesson (the one to show as "today's lesson")."""
    opened = unlocked(lessons, plan_day_index)
    return opened[-1] if opened else None


def for_exercise(lessons: Iterable[Lesson], exercise_id: str) -> list[Lesson]:
    """The lessons that explain a catalogue entry, in unlock order."""
    return [lesson for lesson in _ordered(lessons) if exercise_id in lesson.related_exercises]


def find(lessons: Iterable[Lesson], lesson_id: str) -> Lesson | None:
    return next((lesson for lesson in lessons if lesson.id == lesson_id), None)


def close_matches(lessons: Iterable[Lesson], lesson_id: str, limit: int = 3) -> list[str]:
    """Lesson ids that look like ``lesson_id`` (for "did you mean" messages)."""
    ids = [lesson.id for lesson in lessons]
    matches = difflib.get_close_matches(lesson_id, ids, n=limit, cutoff=0.5)
    if not matches:
        matches = [slug for slug in ids if lesson_id and lesson_id in slug][:limit]
    return matches


def _ordered(lessons: Iterable[Lesson]) -> Sequence[Lesson]:
    return sorted(lessons, key=lambda lesson: (lesson.unlock_day, lesson.id))
