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
    "lumbo.cli.lessons",
    "lumbo.cli.figure",
)

for _module in COMMAND_MODULES:
    importlib.import_module(_module).register(app)


def run() -> None:
    app()
