"""The packaged lessons, their loader and the unlock rules."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from itertools import pairwise
from pathlib import Path

import pytest

from lumbo.adapters.catalogue_files import default_catalogue
from lumbo.adapters.lesson_files import default_lessons, load_lessons, parse_lesson
from lumbo.domain.lessons import (
    Lesson,
    LessonError,
    check_lessons,
    close_matches,
    find,
    for_exercise,
    locked,
    newest_unlocked,
    next_lesson,
    plan_day_index,
    unknown_exercises,
    unlocked,
)
from lumbo.reports.markdown import to_html
from tests.seeds import SEED_FILES, SEEDS_DIR, seed_index

# About two minutes of reading at 200 words a minute, with some slack either side.
MIN_WORDS, MAX_WORDS = 220, 420


LESSONS = default_lessons()


def make(lesson_id: str, day: int, related: list[str] | None = None) -> Lesson:
    return Lesson(
        id=lesson_id,
        title=f"Lesson {lesson_id}",
        summary="A short made-up lesson for tests.",
        unlock_day=day,
        sources=["000_4e3ddc84ba866f2f.txt"],
        related_exercises=related or [],
        body="Some text.\n",
    )


LESSON_FILE = """---
id: {id}
title: A title
summary: One sentence about it.
unlock_day: {day}
sources: [000_4e3ddc84ba866f2f.txt]
related_exercises: [glute-bridge]
---
## A heading

Body text.
"""


# ---- the packaged lessons -------------------------------------------------------------


def test_between_eight_and_twelve_lessons_load() -> None:
    assert 8 <= len(LESSONS) <= 12


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_each_lesson_reads_in_about_two_minutes(lesson: Lesson) -> None:
    assert MIN_WORDS <= lesson.word_count <= MAX_WORDS, lesson.word_count
    assert lesson.reading_minutes == 2


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_sources_are_seed_files_that_exist(lesson: Lesson) -> None:
    assert set(lesson.sources) <= SEED_FILES
    assert len(set(lesson.sources)) == len(lesson.sources)
    if SEEDS_DIR.is_dir():
        for source in lesson.sources:
            assert (SEEDS_DIR / source).is_file(), source


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_the_text_names_no_seed_and_every_source_has_a_title(lesson: Lesson) -> None:
    # People read the body; the seed file names stay in the front matter (issue 11, item 8).
    text = " ".join([lesson.title, lesson.summary, lesson.body])
    assert not re.search(r"(?i)seed|\d{3}_[0-9a-f]{16}", text)
    assert len(lesson.source_labels) == len(lesson.sources)
    assert all(label.startswith("\u201c") for label in lesson.source_labels)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_summary_is_one_sentence(lesson: Lesson) -> None:
    assert lesson.summary.endswith(".")
    assert not re.search(r"[.!?]\s+[A-Z]", lesson.summary)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_body_uses_only_the_supported_markdown(lesson: Lesson) -> None:
    for line in lesson.body.splitlines():
        assert not line.lstrip().startswith(("```", "|", "<", "![")), line
    assert "<" not in lesson.body
    html = to_html(lesson.body)
    assert set(re.findall(r"</?([a-z0-9]+)", html)) <= {"h2", "h3", "p", "ul", "ol", "li", "strong", "em"}
    text = unescape(re.sub(r"<[^>]+>", "", html))
    assert "#" not in text  # every heading line was recognised


def test_unlock_days_start_at_zero_are_distinct_and_a_few_days_apart() -> None:
    days = [lesson.unlock_day for lesson in LESSONS]
    assert days[0] == 0
    assert days == sorted(set(days))
    gaps = [later - earlier for earlier, later in pairwise(days)]
    assert all(2 <= gap <= 7 for gap in gaps), gaps


def test_safety_lessons_open_first() -> None:
    first_two = {lesson.id for lesson in unlocked(LESSONS, 3)}
    assert first_two == {"discomfort-or-pain", "when-to-see-a-clinician"}


def test_the_issue_topics_are_all_covered() -> None:
    text = " ".join(lesson.body.lower() for lesson in LESSONS)
    for phrase in [
        "lumbo-pelvic-hip complex",
        "discomfort is okay; pain is not",
        "movement",
        "brace",
        "diaphragm",
        "crown high",
        "shoulders back",
        "no slouching",
        "low volume",
        "rotating drills",
        "hip flexors",
        "glutes",
        "emergency",
        "clinician",
    ]:
        assert phrase in text, phrase


def test_clinician_lesson_names_every_red_flag_in_plain_words() -> None:
    body = find(LESSONS, "when-to-see-a-clinician").body.lower()  # type: ignore[union-attr]
    for words in [
        "numb",  # saddle numbness
        "urine or stool",  # bladder or bowel change
        "getting weaker",  # worsening leg weakness
        "fall, a crash",  # major trauma
        "fever",
        "losing weight without trying",
        "cancer",
        "pain at night",
        "keeps getting worse",
        "herniated disc",
    ]:
        assert words in body, words


def test_related_exercises_are_in_the_catalogue() -> None:
    catalogue = default_catalogue()
    assert len(catalogue) > 0
    assert unknown_exercises(LESSONS, catalogue.ids) == {}


def test_unknown_exercises_reports_each_missing_id() -> None:
    lessons = [make("a", 0, ["glute-bridge", "no-such-move"]), make("b", 3, ["glute-bridge"])]
    assert unknown_exercises(lessons, {"glute-bridge"}) == {"a": ["no-such-move"]}


def test_no_lesson_shares_eight_words_with_a_seed() -> None:
    index = seed_index()
    assert len(index.hashes) > 1000  # the seeds really were read
    copied = {}
    for lesson in LESSONS:
        runs = index.shared_runs(" ".join([lesson.title, lesson.summary, lesson.body]))
        if runs:
            copied[lesson.id] = runs
    assert copied == {}


# ---- unlock rules -----------------------------------------------------------------------


def test_unlocked_and_locked_split_by_day_index() -> None:
    lessons = [make("c", 6), make("a", 0), make("b", 3)]
    assert [lesson.id for lesson in unlocked(lessons, 0)] == ["a"]
    assert [lesson.id for lesson in unlocked(lessons, 2)] == ["a"]
    assert [lesson.id for lesson in unlocked(lessons, 3)] == ["a", "b"]
    assert [lesson.id for lesson in unlocked(lessons, 100)] == ["a", "b", "c"]
    assert [lesson.id for lesson in locked(lessons, 3)] == ["c"]
    assert locked(lessons, 6) == []


def test_next_and_newest_lesson() -> None:
    lessons = [make("a", 0), make("b", 3), make("c", 6)]
    assert next_lesson(lessons, 0).id == "b"  # type: ignore[union-attr]
    assert next_lesson(lessons, 5).id == "c"  # type: ignore[union-attr]
    assert next_lesson(lessons, 6) is None
    assert newest_unlocked(lessons, 4).id == "b"  # type: ignore[union-attr]
    assert newest_unlocked([make("late", 2)], 1) is None


def test_plan_day_index_counts_from_the_start_and_never_goes_negative() -> None:
    start = dt.date(2026, 11, 23)
    assert plan_day_index(start, start) == 0
    assert plan_day_index(start, dt.date(2026, 11, 30)) == 7
    assert plan_day_index(start, dt.date(2026, 11, 1)) == 0


def test_lessons_for_an_exercise() -> None:
    lessons = [make("b", 3, ["glute-bridge"]), make("a", 0, ["glute-bridge", "bird-dog"]), make("c", 6)]
    assert [lesson.id for lesson in for_exercise(lessons, "glute-bridge")] == ["a", "b"]
    assert for_exercise(lessons, "cobra") == []


def test_packaged_lessons_are_linked_from_the_exercises_they_explain() -> None:
    assert "core-bracing" in {
        slug for lesson in for_exercise(LESSONS, "core-bracing") for slug in lesson.related_exercises
    }
    assert [lesson.id for lesson in for_exercise(LESSONS, "diaphragmatic-breathing")] == [
        "breathing-with-the-diaphragm"
    ]


def test_find_and_close_matches() -> None:
    lessons = [make("bracing-the-core", 0), make("breathing-with-the-diaphragm", 3)]
    assert find(lessons, "bracing-the-core") is lessons[0]
    assert find(lessons, "nope") is None
    assert close_matches(lessons, "bracing-core") == ["bracing-the-core"]
    assert close_matches(lessons, "diaphragm") == ["breathing-with-the-diaphragm"]
    assert close_matches(lessons, "zzzz") == []


def test_check_lessons_rejects_duplicates() -> None:
    with pytest.raises(LessonError, match="duplicate lesson id 'a'"):
        check_lessons([make("a", 0), make("a", 3)])
    with pytest.raises(LessonError, match="both unlock on day 3"):
        check_lessons([make("a", 3), make("b", 3)])
    assert [lesson.id for lesson in check_lessons([make("b", 3), make("a", 0)])] == ["a", "b"]


# ---- the loader -------------------------------------------------------------------------


def test_loader_reads_front_matter_and_body(tmp_path: Path) -> None:
    (tmp_path / "01-first.md").write_text(LESSON_FILE.format(id="first", day=0), encoding="utf-8")
    (tmp_path / "02-second.md").write_text(LESSON_FILE.format(id="second", day=4), encoding="utf-8")
    lessons = load_lessons(tmp_path)
    assert [lesson.id for lesson in lessons] == ["first", "second"]
    assert lessons[1].unlock_day == 4
    assert lessons[0].related_exercises == ["glute-bridge"]
    assert lessons[0].body == "## A heading\n\nBody text.\n"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("01-x.md", "no front matter\n", "must start with a '---' line"),
        ("01-x.md", "---\nid: x\n", "no closing '---'"),
        ("01-x.md", "---\nid: [x\n---\nbody\n", "not valid YAML"),
        ("01-x.md", "---\n- a list\n---\nbody\n", "must be a mapping"),
        ("01-x.md", LESSON_FILE.format(id="x", day=0).replace("title: A title\n", ""), "field 'title'"),
        ("01-x.md", LESSON_FILE.format(id="x", day=-1), "field 'unlock_day'"),
        ("01-x.md", LESSON_FILE.format(id="x", day=0).replace("000_4e3", "seed-4e3"), "field 'sources"),
        ("01-x.md", LESSON_FILE.format(id="x", day=0).replace("id: x", "id: x\nauthor: me"), "'author'"),
        ("01-x.md", LESSON_FILE.format(id="y", day=0), "must match the file name"),
        ("x.md", LESSON_FILE.format(id="x", day=0), "named NN-<id>.md"),
    ],
)
def test_loader_names_the_file_and_the_problem(tmp_path: Path, name: str, text: str, message: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(LessonError, match=re.escape(name)) as caught:
        load_lessons(tmp_path)
    assert message in str(caught.value)


def test_loader_rejects_prefixes_out_of_unlock_order(tmp_path: Path) -> None:
    (tmp_path / "01-first.md").write_text(LESSON_FILE.format(id="first", day=5), encoding="utf-8")
    (tmp_path / "02-second.md").write_text(LESSON_FILE.format(id="second", day=0), encoding="utf-8")
    with pytest.raises(LessonError, match="NN prefixes must follow the unlock days"):
        load_lessons(tmp_path)


def test_body_cannot_be_set_in_front_matter() -> None:
    with pytest.raises(LessonError, match="'body'"):
        parse_lesson(LESSON_FILE.format(id="x", day=0).replace("id: x", "id: x\nbody: hi"), "01-x.md")
