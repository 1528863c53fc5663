"""docs/cli.md lists every command and every option, so the reference cannot go stale."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from lumbo.cli.main import build_app

DOC = Path(__file__).parents[2] / "docs" / "cli.md"


def sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## lumbo (\S+)\n", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


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


def test_the_check_sees_a_missing_section() -> None:
    assert "plan" in sections() and "no-such-command" not in sections()
