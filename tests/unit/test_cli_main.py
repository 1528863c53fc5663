"""The lazy command loading in lumbo.cli.main: every command works when loaded alone."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from lumbo.cli.main import MODULE_OF_COMMAND, build_app

runner = CliRunner()


def command_names(app: typer.Typer) -> set[str]:
    """Commands and command groups (``lumbo state check``: the group ``state``)."""
    return {info.name for info in [*app.registered_commands, *app.registered_groups] if info.name}


def test_every_command_is_mapped_to_its_module() -> None:
    assert command_names(build_app()) == set(MODULE_OF_COMMAND)


def test_each_command_runs_when_only_its_module_is_loaded() -> None:
    for command in MODULE_OF_COMMAND:
        result = runner.invoke(build_app(command), [command, "--help"])
        assert result.exit_code == 0, (command, result.output)
        assert "Usage" in result.output
