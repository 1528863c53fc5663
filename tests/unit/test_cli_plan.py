"""`lumbo plan` and `lumbo schema` through the real entry point (typer's runner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lumbo.cli.main import app

EXAMPLE = Path(__file__).parents[2] / "examples" / "profile.json"
runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_plan_json_has_the_documented_shape() -> None:
    result = run("plan", "--profile", str(EXAMPLE), "--start", "2026-11-23", "--days", "7", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"status", "urgency", "reasons", "what_to_do", "stage", "days", "notes"}
    assert data["status"] == "plan" and data["urgency"] is None
    day = data["days"][0]
    assert day["date"] == "2026-11-23"
    session = day["sessions"][0]
    assert set(session) >= {"title", "estimated_minutes", "items"}
    item = session["items"][0]
    assert set(item) >= {"exercise", "variation", "sets", "reps", "hold_seconds", "per_side",
                         "rest_seconds", "estimated_seconds", "equipment", "why"}


def test_plan_prints_a_readable_week_by_default() -> None:
    result = run("plan", "--profile", str(EXAMPLE), "--start", "2026-11-23", "--days", "2")
    assert result.exit_code == 0
    assert "Monday 23 November 2026" in result.stdout and "why:" in result.stdout


def test_referral_is_printed_not_a_plan(tmp_path: Path) -> None:
    profile = json.loads(EXAMPLE.read_text())
    profile["red_flags"] = {"bladder_or_bowel_change": True}
    path = tmp_path / "p.json"
    path.write_text(json.dumps(profile))
    result = run("plan", "--profile", str(path), "--json")
    data = json.loads(result.stdout)
    assert (data["status"], data["urgency"], data["days"]) == ("refer", "emergency", [])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "profile file not found"),
        ("{not json", "not valid JSON"),
        ('{"pain_now": 11, "pain_worst_week": 11, "duration_weeks": 1}', "field 'pain_now'"),
        ('{"pain_now": 1, "pain_worst_week": 1, "duration_weeks": 1, "tight_areas": ["toes"]}', "tight_areas.0"),
        ('{"pain_now": 1, "pain_worst_week": 1, "duration_weeks": 1, "colour": "red"}', "colour"),
    ],
)
def test_bad_profile_gives_one_line_and_exit_2(tmp_path: Path, content: str | None, expected: str) -> None:
    path = tmp_path / "profile.json"
    if content is not None:
        path.write_text(content)
    result = run("plan", "--profile", str(path))
    assert result.exit_code == 2
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_unknown_word_names_what_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "profile.json"
    path.write_text('{"pain_now": 1, "pain_worst_week": 1, "duration_weeks": 1, "level": "expert"}')
    result = run("plan", "--profile", str(path))
    assert result.exit_code == 2 and "'beginner', 'intermediate' or 'advanced'" in result.stderr


@pytest.mark.parametrize(("option", "value"), [("--start", "23/11/2026"), ("--days", "0"), ("--days", "400")])
def test_bad_options_give_one_line_and_exit_2(option: str, value: str) -> None:
    result = run("plan", "--profile", str(EXAMPLE), option, value)
    assert result.exit_code == 2 and result.stderr.startswith("lumbo: ")


def test_bad_history_gives_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    path.write_text('{"sessions": [{"date": "2026-11-01", "pain_before": 3, "pain_after": 3, "items": [{"exercise": "x", "rating": "meh"}]}]}')
    result = run("plan", "--profile", str(EXAMPLE), "--history", str(path))
    assert result.exit_code == 2 and "rating" in result.stderr


@pytest.mark.parametrize("name", ["profile", "history", "plan"])
def test_schema_prints_json_schema(name: str) -> None:
    result = run("schema", name)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["type"] == "object"


def test_unknown_schema_is_a_clear_error() -> None:
    result = run("schema", "pizza")
    assert result.exit_code == 2 and "profile, history, plan" in result.stderr


@pytest.mark.parametrize("args", [["plan"], ["plan", "--profile", str(EXAMPLE), "--days", "abc"], ["nope"]])
def test_usage_errors_from_the_real_command_are_one_line(args: list[str]) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "from lumbo.cli.main import run; run()", *args],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("lumbo: ") and len(result.stderr.strip().splitlines()) == 1
