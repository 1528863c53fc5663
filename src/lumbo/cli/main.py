"""The `lumbo` command. Each command group lives in its own module with a `register(app)`.

Heavy modules (FastAPI, SQLAlchemy, WeasyPrint) are imported inside the commands that need
them, so `lumbo --help` and `lumbo plan` start fast. This module imports no Typer: a plainly
well-formed `lumbo plan` runs without it (`lumbo.cli.quick`); everything else goes through
the Typer app of `lumbo.cli.app`.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

# One module per command group; each defines register(app).
COMMAND_MODULES = (
    "lumbo.cli.plan",
    "lumbo.cli.serve",
    "lumbo.cli.reports",
    "lumbo.cli.lessons",
    "lumbo.cli.figure",
    "lumbo.cli.catalogue",
    "lumbo.cli.state",
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
    "state": "lumbo.cli.state",
}


def version_text() -> str:
    """``lumbo X.Y.Z`` from the installed package's metadata."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"lumbo {version('lumbo')}"
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "lumbo (version unknown: the package is not installed)"


def build_app(command: str | None = None) -> typer.Typer:
    """The Typer app with every command, or only the module that holds ``command``."""
    from lumbo.cli.app import build_app as build

    return build(command)


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # `from lumbo.cli.main import app` (tests, docs) gets every command
        from lumbo.cli.app import full_app

        return full_app()
    raise AttributeError(name)


def run() -> None:
    """Entry point: usage errors (a missing option, a word that is not a number) become one
    line on stderr and exit code 2, like every other bad input. Bare ``lumbo`` prints the help.
    """
    from lumbo.cli.plugins import without_plugins

    arguments = sys.argv[1:]
    # `lumbo serve` keeps pydantic's plugins (a web app may be instrumented); no other
    # command uses them, and looking for them costs ~10 % of `lumbo plan`'s start.
    with without_plugins(enabled=arguments[:1] != ["serve"]):
        _run(arguments)


def _run(arguments: list[str]) -> None:
    from lumbo.cli.quick import run_quick

    result: object = None
    try:
        if not run_quick(arguments):
            from lumbo.cli.app import run_typer

            result = run_typer()
    except BrokenPipeError:  # `lumbo catalogue | head`: the reader left; stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
    except (ValueError, OverflowError, RecursionError) as error:
        from lumbo.cli.common import fail

        # Last resort: the commands check their input first, so reaching this means some
        # input still slipped through; it stays one line and exit code 2, not a traceback.
        text = str(error).splitlines()[0] if str(error) else type(error).__name__
        fail(f"cannot use this input: {text}")
    if isinstance(result, int) and result:
        raise SystemExit(result)
