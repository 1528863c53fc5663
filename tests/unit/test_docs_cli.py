"""docs/cli.md lists every command and every option, so the reference cannot go stale; the
README's command-line examples name only commands, options and files that exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import typer
from typer.testing import CliRunner

from lumbo.cli.common import load_model
from lumbo.cli.main import build_app
from lumbo.domain.model import History, Profile

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "cli.md"
README = ROOT / "README.md"


def sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## lumbo (\S+)\n", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def intro() -> str:
    """The text before the first command's section (the options of `lumbo` itself)."""
    return DOC.read_text(encoding="utf-8").split("\n## lumbo ", 1)[0]


def test_every_command_and_option_is_documented() -> None:
    documented = sections()
    command = typer.main.get_command(build_app())
    missing = []
    for name, sub in command.commands.items():  # type: ignore[attr-defined]
        if name not in documented:
            missing.append(f"command {name}")
            continue
        for param in sub.params:
            for opt in param.opts:
                if opt.startswith("--") and opt not in documented[name]:
                    missing.append(f"{name} {opt}")
    assert missing == []


def test_the_options_of_lumbo_itself_are_documented() -> None:
    command = typer.main.get_command(build_app())
    options = [opt for param in command.params for opt in param.opts if opt.startswith("--")]
    assert "--version" in options
    assert [opt for opt in options if opt != "--help" and opt not in intro()] == []


def test_the_check_sees_a_missing_section() -> None:
    assert "plan" in sections() and "no-such-command" not in sections()


def readme_commands() -> list[list[str]]:
    """The `lumbo` commands in the README's "Using the command line" section, as words."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Using the command line", 1)[1].split("\n## ", 1)[0]
    commands = []
    code = "".join(re.findall(r"^```sh\n(.*?)^```", section, flags=re.MULTILINE | re.DOTALL))
    for line in code.splitlines():
        words = shlex.split(line, comments=True)
        while words and "=" in words[0]:  # VARIABLE=value before the command
            words = words[1:]
        if words and words[0].endswith("bin/lumbo"):
            commands.append(words[1:])
    return commands


def test_readme_examples_name_existing_commands_options_and_files() -> None:
    commands = readme_commands()
    assert len(commands) >= 10
    group = typer.main.get_command(build_app())
    subcommands = group.commands  # type: ignore[attr-defined]
    for words in commands:
        known = {opt for param in group.params for opt in param.opts}
        if words[0] in subcommands:
            sub = subcommands[words[0]]
            known = {opt for param in sub.params for opt in param.opts}
            words = words[1:]
        for word in words:
            if word.startswith("-") and word != "-":
                assert word in known, (words, word)
            if word.startswith("examples/"):
                assert (ROOT / word).is_file(), word


def test_the_example_files_are_valid() -> None:
    load_model(ROOT / "examples" / "profile.json", Profile, "profile")
    history = load_model(ROOT / "examples" / "history.json", History, "history")
    assert len(history.sessions) >= 2


def test_the_readme_plan_with_history_runs_as_written() -> None:
    words = next(words for words in readme_commands() if "--history" in words)
    result = CliRunner().invoke(build_app(), words, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Stage:" in result.stdout
