"""The Typer app of `lumbo`: built on demand with only the command module that is needed.

`lumbo.cli.main.run` comes here for every command line except a plainly well-formed
`lumbo plan` (see `lumbo.cli.quick`), so Typer is imported only when it is used.
"""

from __future__ import annotations

import importlib
import sys
from functools import cache
from typing import Annotated, Any

import typer

from lumbo.cli.main import COMMAND_MODULES, MODULE_OF_COMMAND, version_text


def _print_version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


def _group(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print lumbo's version and exit.", is_eager=True, callback=_print_version
        ),
    ] = False,
) -> None:
    """lumbo: a safe, personal exercise coach for everyday lower back pain."""


def build_app(command: str | None = None) -> typer.Typer:
    """The Typer app with every command, or only the module that holds ``command``."""
    app = typer.Typer(
        name="lumbo",
        help="lumbo: a safe, personal exercise coach for everyday lower back pain.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        # Plain help: the Rich panels label every flag `<bool>`, and plain help starts faster.
        rich_markup_mode=None,
    )
    # A callback keeps the app a command group even when only one command is loaded
    # (Typer would otherwise make a lone command the whole program).
    app.callback()(_group)
    module = MODULE_OF_COMMAND.get(command or "")
    for name in (module,) if module else COMMAND_MODULES:
        importlib.import_module(name).register(app)
    return app


@cache
def full_app() -> typer.Typer:
    return build_app()


def run_typer() -> Any:
    """Run the command line in ``sys.argv`` through Typer; usage errors become one line and
    exit code 2."""
    from lumbo.cli.common import fail

    app = build_app(sys.argv[1] if len(sys.argv) > 1 else None)
    command = typer.main.get_command(app)
    try:
        return command.main(prog_name="lumbo", standalone_mode=False)
    except typer.Abort:
        fail("stopped")
    except typer.TyperException as error:  # the base of typer's bundled click errors
        if type(error).__name__ == "NoArgsIsHelpError":  # bare `lumbo`: print the help, exit 0
            typer.echo(error.format_message() if hasattr(error, "format_message") else str(error))
            return None
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        context = getattr(error, "ctx", None)
        hint = f" (try '{context.command_path} --help')" if context is not None else ""
        fail(f"{message}{hint}")
