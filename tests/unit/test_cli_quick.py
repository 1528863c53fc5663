"""`lumbo plan` without Typer (lumbo.cli.quick) does exactly what the Typer command does,
and the start-up savings (no Typer, no PyYAML, no pydantic plugin discovery) hold."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lumbo.cli import main, plugins, quick
from lumbo.cli.quick import PlanArguments, parse_plan_arguments

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "profile.json"
HISTORY = ROOT / "examples" / "history.json"


def test_plainly_well_formed_arguments_are_read() -> None:
    assert parse_plan_arguments(["--profile", "me.json"]) == PlanArguments(Path("me.json"), None, None, 7, False)
    assert parse_plan_arguments(
        ["--json", "--days=14", "--start", "2026-11-23", "--history=h.json", "--profile", "p.json"]
    ) == PlanArguments(Path("p.json"), Path("h.json"), "2026-11-23", 14, True)


@pytest.mark.parametrize(
    "arguments",
    [
        [],  # --profile is required: Typer says so
        ["--json"],
        ["--profile"],  # no value
        ["--profile", "a.json", "--profile", "b.json"],  # repeated
        ["--profile", "a.json", "--json", "--json"],
        ["--profile", "a.json", "--help"],
        ["--profile", "a.json", "--days", "x"],
        ["--profile", "a.json", "--days", "-3"],
        ["--profile", "a.json", "--days", " 7"],
        ["--profile", "a.json", "--days", "\N{ARABIC-INDIC DIGIT SEVEN}"],
        ["--profile", "a.json", "--days="],
        ["--profile", "--json"],  # Typer would take "--json" as the file name
        ["--profile", "a.json", "--json=yes"],
        ["--profile", "a.json", "extra"],
        ["--profile", "a.json", "--"],
        ["--prof", "a.json"],
        ["--profile", "a\nb.json"],
        ["--profile", "\udcff.json"],  # undecodable bytes from the command line
        ["--profile", ""],
    ],
)
def test_anything_unusual_is_left_to_typer(arguments: list[str]) -> None:
    assert parse_plan_arguments(arguments) is None


def _outcome(
    arguments: list[str], quick_path: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["lumbo", *arguments])
    if not quick_path:
        monkeypatch.setattr(quick, "run_quick", lambda _arguments: False)
    code = 0
    try:
        main.run()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    captured = capsys.readouterr()
    monkeypatch.undo()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    "arguments",
    [
        ["plan", "--profile", str(EXAMPLE), "--start", "2026-11-23", "--json"],
        ["plan", "--profile", str(EXAMPLE), "--history", str(HISTORY), "--start", "2026-11-23", "--days=3"],
        ["plan", "--profile", "no-such-file.json"],
        ["plan", "--profile", str(EXAMPLE), "--start", "23/11/2026"],
        ["plan", "--profile", str(EXAMPLE), "--start", "2200-12-30", "--days", "9"],
        ["plan", "--profile", str(EXAMPLE), "--days", "0"],
        ["plan", "--profile", str(EXAMPLE), "--days", "367"],
        ["plan", "--profile", str(ROOT / "examples"), "--json"],
        ["plan", "--profile", str(EXAMPLE), "--history", str(EXAMPLE), "--start", "2026-11-23"],
    ],
)
def test_the_quick_path_prints_what_typer_prints(
    arguments: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert parse_plan_arguments(arguments[1:]) is not None  # really the quick path
    quick_outcome = _outcome(arguments, True, monkeypatch, capsys)
    typer_outcome = _outcome(arguments, False, monkeypatch, capsys)
    assert quick_outcome == typer_outcome
    code, out, err = quick_outcome
    if code:
        assert code == 2 and out == "" and err.startswith("lumbo: ") and err.count("\n") == 1


def test_a_run_leaves_the_environment_and_pydantic_as_they_were(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(plugins.VARIABLE, raising=False)
    loader_before = sys.modules.get(plugins.LOADER)
    code, out, _ = _outcome(
        ["plan", "--profile", str(EXAMPLE), "--start", "2026-11-23", "--json"], True, monkeypatch, capsys
    )
    assert code == 0 and out.startswith("{")
    assert plugins.VARIABLE not in os.environ
    assert sys.modules.get(plugins.LOADER) is loader_before


def test_the_plugin_stand_in_answers_like_pydantic_and_hands_over_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(plugins.VARIABLE, raising=False)
    monkeypatch.delitem(sys.modules, plugins.LOADER, raising=False)
    from pydantic import BaseModel

    with plugins.without_plugins() as active:
        assert active and os.environ[plugins.VARIABLE] == "__all__"
        stand_in = sys.modules[plugins.LOADER]

        class Point(BaseModel):  # pydantic asks the stand-in for the plugins
            x: int

        assert Point(x=1).x == 1
        assert list(stand_in.get_plugins()) == []
        assert stand_in.PYDANTIC_ENTRY_POINT_GROUP == "pydantic"  # from the real loader
        assert sys.modules[plugins.LOADER] is not stand_in
    assert plugins.VARIABLE not in os.environ


def test_your_own_plugin_setting_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(plugins.VARIABLE, "")
    monkeypatch.delitem(sys.modules, plugins.LOADER, raising=False)
    with plugins.without_plugins() as active:
        assert not active and plugins.LOADER not in sys.modules
    assert os.environ[plugins.VARIABLE] == ""


def test_lumbo_plan_starts_without_typer_yaml_or_plugin_discovery(tmp_path: Path) -> None:
    code = (
        "import sys; sys.argv = ['lumbo', 'plan', '--profile', sys.argv[1], '--start', '2026-11-23', '--json']\n"
        "from lumbo.cli.main import run\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "heavy = ('typer', 'yaml', 'importlib.metadata', 'sqlalchemy', 'fastapi', 'rich')\n"
        "print([name for name in heavy if name in sys.modules], file=sys.stderr)\n"
    )
    env = {**os.environ, "LUMBO_CACHE_DIR": str(tmp_path)}
    env.pop(plugins.VARIABLE, None)
    for _ in range(2):  # the first run writes the catalogue snapshot
        result = subprocess.run(
            [sys.executable, "-c", code, str(EXAMPLE)], capture_output=True, text=True, env=env, check=True
        )
    assert result.stdout.startswith("{")
    assert result.stderr.strip() == "[]"
