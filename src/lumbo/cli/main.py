"""The `lumbo` command. Each command group lives in its own module with a `register(app)`.

Heavy modules (FastAPI, SQLAlchemy, WeasyPrint) are imported inside the commands that need
them, so `lumbo --help` and `lumbo plan` start fast.
"""

from __future__ import annotations

import importlib
import sys
from functools import cache

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


def _group() -> None:
    """lumbo: a safe, personal exercise coach for everyday lower back pain."""


def build_app(command: str | None = None) -> typer.Typer:
    """The Typer app with every command, or only the module that holds ``command``."""
    app = typer.Typer(
        name="lumbo",
        help="lumbo: a safe, personal exercise coach for everyday lower back pain.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
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
    line on stderr and exit code 2, like every other bad input."""
    from lumbo.cli.common import fail

    app = build_app(sys.argv[1] if len(sys.argv) > 1 else None)
    command = typer.main.get_command(app)
    try:
        result = command.main(prog_name="lumbo", standalone_mode=False)
    except typer.Abort:
        fail("stopped")
    except typer.TyperException as error:  # the base of typer's bundled click errors
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        context = getattr(error, "ctx", None)
        hint = f" (try '{context.command_path} --help')" if context is not None else ""
        fail(f"{message}{hint}")
    if isinstance(result, int) and result:
        raise SystemExit(result)
