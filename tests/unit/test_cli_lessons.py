"""`lumbo lesson [ID]` and `lumbo audit --profile FILE`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from lumbo.adapters.lesson_files import default_lessons
from lumbo.cli.main import app

runner = CliRunner()


def write_profile(tmp_path: Path, **fields: Any) -> Path:
    data: dict[str, Any] = {"pain_now": 3, "pain_worst_week": 4, "duration_weeks": 6, **fields}
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_lesson_lists_every_lesson_with_its_unlock_day() -> None:
    result = runner.invoke(app, ["lesson"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["day", "id", "title"]
    assert len(lines) == 1 + len(default_lessons())
    for line, lesson in zip(lines[1:], default_lessons(), strict=True):
        assert line.split()[:2] == [str(lesson.unlock_day), lesson.id]
        assert line.endswith(lesson.title)


def test_lesson_day_marks_open_and_locked() -> None:
    result = runner.invoke(app, ["lesson", "--day", "3"])
    assert result.exit_code == 0
    marks = [line.rsplit("(", 1)[-1] for line in result.stdout.splitlines()[1:]]
    assert marks[:2] == ["open)", "open)"]
    assert set(marks[2:]) == {"locked)"}


def test_lesson_json_lists_summaries() -> None:
    result = runner.invoke(app, ["lesson", "--json", "--day", "0"])
    data = json.loads(result.stdout)
    assert [item["id"] for item in data] == [lesson.id for lesson in default_lessons()]
    assert data[0]["open"] is True and data[1]["open"] is False
    assert {"title", "summary", "unlock_day", "reading_minutes", "sources", "related_exercises"} <= set(data[0])


def test_lesson_id_prints_readable_text() -> None:
    result = runner.invoke(app, ["lesson", "bracing-the-core"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("Bracing the core\n================\n")
    assert "opens on day 12" in text
    assert "Find it in ten seconds\n------" in text
    assert "**" not in text and "## " not in text
    assert "Where this comes from:\n  - \u201cThe exercises you need to be doing if you have lower back pain\u201d" in text
    assert "004_" not in text and "seed" not in text.lower()
    assert "Related exercises: core-bracing" in text
    assert max(len(line) for line in text.splitlines()) <= 78


def test_lesson_id_json_includes_the_markdown_body() -> None:
    result = runner.invoke(app, ["lesson", "discomfort-or-pain", "--json"])
    data = json.loads(result.stdout)
    assert data["id"] == "discomfort-or-pain"
    assert data["body"].startswith("Exercise that helps")


def test_unknown_lesson_is_one_line_exit_2_with_close_matches() -> None:
    result = runner.invoke(app, ["lesson", "bracing-core"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "lumbo: unknown lesson 'bracing-core'; did you mean: bracing-the-core?\n"


def test_unknown_lesson_without_matches_points_to_the_list() -> None:
    result = runner.invoke(app, ["lesson", "qqqq"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "run 'lumbo lesson' to list them" in result.stderr


def test_negative_day_is_refused() -> None:
    result = runner.invoke(app, ["lesson", "--day", "-1"])
    assert result.exit_code == 2
    assert result.stderr.startswith("lumbo: --day must be 0 or more")


def test_audit_prints_the_suggestions(tmp_path: Path) -> None:
    profile = write_profile(
        tmp_path,
        desk_hours_per_day=9,
        lifestyle={"sleep_hours": 5, "sleep_quality": "poor", "exercise_days_per_week": 4},
    )
    result = runner.invoke(app, ["audit", "--profile", str(profile)])
    assert result.exit_code == 0, result.output
    assert "Break up long sitting" in result.stdout
    assert "Look at your sleep" in result.stdout
    assert "Move on more days" not in result.stdout
    assert "Why: " in result.stdout


def test_audit_json(tmp_path: Path) -> None:
    profile = write_profile(tmp_path, lifestyle={"exercise_days_per_week": 1, "overweight": True})
    data = json.loads(runner.invoke(app, ["audit", "--profile", str(profile), "--json"]).stdout)
    assert [item["id"] for item in data] == ["activity", "weight"]
    assert set(data[0]) == {"id", "title", "suggestion", "reason", "source"}


def test_audit_when_all_is_well(tmp_path: Path) -> None:
    profile = write_profile(tmp_path, lifestyle={"exercise_days_per_week": 3})
    result = runner.invoke(app, ["audit", "--profile", str(profile)])
    assert result.exit_code == 0
    assert result.stdout.startswith("Nothing to suggest")
    assert json.loads(runner.invoke(app, ["audit", "--profile", str(profile), "--json"]).stdout) == []


def test_audit_bad_profile_is_one_line_exit_2(tmp_path: Path) -> None:
    profile = write_profile(tmp_path, lifestyle={"sleep_quality": "awful"})
    result = runner.invoke(app, ["audit", "--profile", str(profile)])
    assert result.exit_code == 2
    assert result.stderr.startswith("lumbo: profile: field 'lifestyle.sleep_quality'")
    assert result.stderr.count("\n") == 1
    missing = runner.invoke(app, ["audit", "--profile", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2
    assert missing.stderr.startswith("lumbo: profile file not found")
