"""`lumbo lesson [ID]` and `lumbo audit`: the short lessons and the lifestyle audit."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lumbo.cli.common import UserError, fail, load_model, shown

if TYPE_CHECKING:
    from lumbo.domain.lessons import Lesson

WIDTH = 78


def _lessons() -> tuple[Lesson, ...]:
    from lumbo.adapters.lesson_files import default_lessons
    from lumbo.domain.lessons import LessonError

    try:
        return default_lessons()
    except LessonError as error:
        fail(f"the packaged lessons are broken: {error}")


def _summary_json(lesson: Lesson) -> dict[str, object]:
    return {
        "id": lesson.id,
        "title": lesson.title,
        "summary": lesson.summary,
        "unlock_day": lesson.unlock_day,
        "reading_minutes": lesson.reading_minutes,
        "sources": lesson.source_labels,
        "related_exercises": lesson.related_exercises,
    }


def render_list(lessons: tuple[Lesson, ...] | list[Lesson], day: int | None) -> str:
    width = max(len(lesson.id) for lesson in lessons)
    lines = [f"{'day':>4}  {'id':<{width}}  title"]
    for lesson in lessons:
        mark = ""
        if day is not None:
            mark = "  (open)" if lesson.unlock_day <= day else "  (locked)"
        lines.append(f"{lesson.unlock_day:>4}  {lesson.id:<{width}}  {lesson.title}{mark}")
    return "\n".join(lines)


def render_lesson(lesson: Lesson) -> str:
    from lumbo.reports.markdown import to_text

    minutes = "minute" if lesson.reading_minutes == 1 else "minutes"
    parts = [
        f"{lesson.title}\n{'=' * len(lesson.title)}",
        textwrap.fill(lesson.summary, width=WIDTH),
        f"About {lesson.reading_minutes} {minutes} to read; opens on day {lesson.unlock_day} of the plan.",
        to_text(lesson.body, width=WIDTH).rstrip(),
    ]
    if lesson.related_exercises:
        parts.append(
            textwrap.fill(
                "Related exercises: " + ", ".join(lesson.related_exercises),
                width=WIDTH,
                subsequent_indent="  ",
                break_on_hyphens=False,
            )
        )
    if lesson.source_labels:
        parts.append(sources_note(lesson.source_labels))
    return "\n\n".join(parts)


def sources_note(labels: list[str]) -> str:
    """The "Where this comes from" note: one wrapped line per article (title and author)."""
    from lumbo.domain.sources import HEADING

    lines = [f"{HEADING}:"]
    for text in labels:
        lines.append(textwrap.fill(text, width=WIDTH, initial_indent="  - ", subsequent_indent="    "))
    return "\n".join(lines)


def lesson_command(
    lesson_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="A lesson id; leave out to list every lesson.")
    ] = None,
    day: Annotated[
        int | None,
        typer.Option("--day", metavar="N", help="Plan day index (0 = first day): mark which lessons are open."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """List the short lessons, or print one of them.

    Example: lumbo lesson discomfort-or-pain
    """
    from lumbo.domain.lessons import close_matches, find

    lessons = _lessons()
    if day is not None and day < 0:
        fail(f"--day must be 0 or more (0 is the first day of the plan), not {day}")
    if lesson_id is None:
        if as_json:
            listing = [
                {**_summary_json(lesson), **({"open": lesson.unlock_day <= day} if day is not None else {})}
                for lesson in lessons
            ]
            typer.echo(json.dumps(listing, indent=2))
        else:
            typer.echo(render_list(lessons, day))
        return
    lesson = find(lessons, lesson_id)
    if lesson is None:
        matches = close_matches(lessons, lesson_id)
        hint = f"; did you mean: {', '.join(matches)}?" if matches else "; run 'lumbo lesson' to list them"
        fail(f"unknown lesson {shown(lesson_id)}{hint}")
    if as_json:
        typer.echo(json.dumps({**_summary_json(lesson), "body": lesson.body}, indent=2))
    else:
        typer.echo(render_lesson(lesson))


def audit_command(
    profile: Annotated[
        Path, typer.Option("--profile", metavar="FILE", help="The intake profile (JSON).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the suggestions as JSON.")] = False,
) -> None:
    """Print lifestyle suggestions (sitting, sleep, activity, weight) for a profile.

    Example: lumbo audit --profile me.json
    """
    from lumbo.domain.lifestyle import audit
    from lumbo.domain.model import Profile
    from lumbo.domain.sources import label, where_this_comes_from

    try:
        person = load_model(profile, Profile, "profile")
    except UserError as error:
        fail(str(error))
    suggestions = audit(person)
    if as_json:
        # "source" is the article's title and author, never the file name lumbo keeps inside.
        listing = [{**item.model_dump(), "source": label(item.source) or ""} for item in suggestions]
        typer.echo(json.dumps(listing, indent=2))
        return
    if not suggestions:
        typer.echo("Nothing to suggest: your desk hours, sleep, activity and weight answers look fine.")
        return
    blocks = []
    for item in suggestions:
        lines = [
            item.title,
            "-" * len(item.title),
            textwrap.fill(item.suggestion, width=WIDTH),
            textwrap.fill(f"Why: {item.reason}", width=WIDTH, subsequent_indent="  "),
        ]
        note = where_this_comes_from([item.source])
        if note is not None:
            lines.append(textwrap.fill(note, width=WIDTH, subsequent_indent="  "))
        blocks.append("\n".join(lines))
    typer.echo("\n\n".join(blocks))


def register(app: typer.Typer) -> None:
    app.command("lesson")(lesson_command)
    app.command("audit")(audit_command)
