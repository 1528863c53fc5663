"""Load the lessons shipped in ``lumbo/content/lessons`` (Markdown with YAML front matter).

A lesson file is named ``NN-<id>.md`` and looks like::

    ---
    id: moving-beats-resting
    title: Why moving helps more than resting
    summary: One sentence.
    unlock_day: 3
    sources: [000_4e3ddc84ba866f2f.txt]
    related_exercises: [hip-swing]
    ---
    The Markdown body.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from lumbo.domain.lessons import Lesson, LessonError, check_lessons

_FILE_NAME = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")


def lessons_dir() -> Path:
    return Path(str(resources.files("lumbo") / "content" / "lessons"))


def split_front_matter(text: str, name: str) -> tuple[dict[str, object], str]:
    """The YAML front matter (as a mapping) and the Markdown body of a lesson file."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise LessonError(f"{name}: a lesson file must start with a '---' line (front matter)")
    try:
        end = next(index for index in range(1, len(lines)) if lines[index].strip() == "---")
    except StopIteration:
        raise LessonError(f"{name}: the front matter has no closing '---' line") from None
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as error:
        raise LessonError(f"{name}: the front matter is not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise LessonError(f"{name}: the front matter must be a mapping of fields")
    body = "\n".join(lines[end + 1 :]).strip() + "\n"
    return {str(key): value for key, value in data.items()}, body


def parse_lesson(text: str, name: str) -> Lesson:
    """Validate one lesson file's text; ``name`` is used in error messages."""
    front, body = split_front_matter(text, name)
    if "body" in front:
        raise LessonError(f"{name}: 'body' is the Markdown after the front matter, not a field")
    try:
        return Lesson.model_validate({**front, "body": body})
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise LessonError(f"{name}: field '{where}': {first['msg']}") from None


def load_lesson(path: Path) -> Lesson:
    """Read one ``NN-<id>.md`` file; its id must match the file name."""
    match = _FILE_NAME.match(path.name)
    if match is None:
        raise LessonError(f"{path.name}: a lesson file is named NN-<id>.md, e.g. 01-pain-or-not.md")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LessonError(f"{path.name}: cannot read: {error}") from None
    lesson = parse_lesson(text, path.name)
    if lesson.id != match.group(2):
        raise LessonError(f"{path.name}: the id {lesson.id!r} must match the file name")
    return lesson


def load_lessons(directory: Path | None = None) -> list[Lesson]:
    """Every lesson in ``directory`` (default: the packaged ones), ordered by unlock day.

    The ``NN`` prefixes must follow the unlock order, so the folder reads in course order.
    """
    folder = directory or lessons_dir()
    paths = sorted(folder.glob("*.md"))
    lessons = check_lessons(load_lesson(path) for path in paths)
    by_id = {lesson.id: index for index, lesson in enumerate(lessons)}
    for position, path in enumerate(paths):
        match = _FILE_NAME.match(path.name)
        if match is not None and by_id[match.group(2)] != position:
            raise LessonError(f"{path.name}: the NN prefixes must follow the unlock days")
    return lessons


@cache
def default_lessons() -> tuple[Lesson, ...]:
    """The packaged lessons, loaded once per process, ordered by unlock day."""
    return tuple(load_lessons())
