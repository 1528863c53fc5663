"""The `lumbo` command. Each command group lives in its own module with a `register(app)`.

Heavy modules (FastAPI, SQLAlchemy, WeasyPrint) are imported inside the commands that need
them, so `lumbo --help` and `lumbo plan` start fast.
"""

from __future__ import annotations

import importlib
import os
import sys
from functools import cache
from typing import Annotated

import typer

# One module per command group; each defines register(app).
COMMAND_MODULES = (
    "lumbo.cli.plan",
    "lumbo.cli.serve",
    "lumbo.cli.reports",
    "lumbo.cli.lessons",
    "lumbo.cli.figure",
    "lumbo.cli.catalogue",
)
#: Which module holds which command, so that `lumbo plan` imports only what it needs.
#: A command missing here still works: then every module is loaded.
MODULE_OF_COMMAND = {
    "plan": "lumbo.cli.plan",
    "schema": "lumbo.cli.plan",
    "serve": "lumbo.cli.serve",
    "handout": "lumbo.cli.reports",
    "calendar": "lumbo.cli.reports",
    "fhir": "lumbo.cli.reports",
    "export": "lumbo.cli.reports",
    "import": "lumbo.cli.reports",
    "lesson": "lumbo.cli.lessons",
    "audit": "lumbo.cli.lessons",
    "figure": "lumbo.cli.figure",
    "catalogue": "lumbo.cli.catalogue",
    "exercise": "lumbo.cli.catalogue",
}


def version_text() -> str:
    """``lumbo X.Y.Z`` from the installed package's metadata."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"lumbo {version('lumbo')}"
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "lumbo (version unknown: the package is not installed)"


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
def _full_app() -> typer.Typer:
    return build_app()


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # `from lumbo.cli.main import app` (tests, docs) gets every command
        return _full_app()
    raise AttributeError(name)


def run() -> None:
    """Entry point: usage errors (a missing option, a word that is not a number) become one
    line on stderr and exit code 2, like every other bad input. Bare ``lumbo`` prints the help.
    """
    from lumbo.cli.common import fail

    app = build_app(sys.argv[1] if len(sys.argv) > 1 else None)
    command = typer.main.get_command(app)
    try:
        result = command.main(prog_name="lumbo", standalone_mode=False)
    except typer.Abort:
        fail("stopped")
    except typer.TyperException as error:  # the base of typer's bundled click errors
        if type(error).__name__ == "NoArgsIsHelpError":  # bare `lumbo`: print the help, exit 0
            typer.echo(error.format_message() if hasattr(error, "format_message") else str(error))
            return
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        context = getattr(error, "ctx", None)
        hint = f" (try '{context.command_path} --help')" if context is not None else ""
        fail(f"{message}{hint}")
    except BrokenPipeError:  # `lumbo catalogue | head`: the reader left; stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
    except (ValueError, OverflowError, RecursionError) as error:
        # Last resort: the commands check their input first, so reaching this means some
        # input still slipped through; it stays one line and exit code 2, not a traceback.
        text = str(error).splitlines()[0] if str(error) else type(error).__name__
        fail(f"cannot use this input: {text}")
    if isinstance(result, int) and result:
        raise SystemExit(result)
