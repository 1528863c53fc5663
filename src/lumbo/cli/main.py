"""The `lumbo` command. Each command group lives in its own module with a `register(app)`.

Heavy modules (FastAPI, SQLAlchemy, WeasyPrint) are imported inside the commands that need
them, so `lumbo --help` and `lumbo plan` start fast.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="lumbo",
    help="lumbo: a safe, personal exercise coach for everyday lower back pain.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# One module per command group; each defines register(app).
COMMAND_MODULES = (
    "lumbo.cli.plan",
    "lumbo.cli.serve",
    "lumbo.cli.reports",
    "lumbo.cli.lessons",
    "lumbo.cli.figure",
)

for _module in COMMAND_MODULES:
    importlib.import_module(_module).register(app)


def run() -> None:
    """Entry point: usage errors (a missing option, a word that is not a number) become one
    line on stderr and exit code 2, like every other bad input."""
    from lumbo.cli.common import fail

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
