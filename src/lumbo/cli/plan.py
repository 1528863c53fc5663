"""`lumbo plan` and `lumbo schema`: parse, call one service, translate errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from lumbo.cli.common import fail, shown
from lumbo.cli.quick import MAX_DAYS, plan_text

SCHEMAS = ("profile", "history", "plan")


def plan_command(
    profile: Annotated[
        Path, typer.Option("--profile", metavar="FILE", help="The intake profile (JSON).")
    ],
    history: Annotated[
        Path | None,
        typer.Option("--history", metavar="FILE", help="Logged sessions (JSON: {\"sessions\": [...]})."),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--start", metavar="YYYY-MM-DD", help="First day (default: today)."),
    ] = None,
    days: Annotated[
        int, typer.Option("--days", metavar="N", help=f"How many days to plan (1-{MAX_DAYS}).")
    ] = 7,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """Screen a profile and print its plan (or the referral).

    Example: lumbo plan --profile examples/profile.json --history examples/history.json --start 2026-11-23 --json
    """
    # The same work as the quick path `lumbo.cli.quick.run_quick` (which skips Typer).
    typer.echo(plan_text(profile, history, start, days, as_json))


def schema_command(
    name: Annotated[str, typer.Argument(metavar="NAME", help="profile, history or plan")],
) -> None:
    """Print the JSON Schema of a profile, a history or a plan.

    Example: lumbo schema profile > profile.schema.json
    """
    from pydantic import BaseModel

    from lumbo.domain.model import Decision, History, Profile

    models: dict[str, type[BaseModel]] = {"profile": Profile, "history": History, "plan": Decision}
    if name not in models:
        fail(f"unknown schema {shown(name)}; choose one of: {', '.join(SCHEMAS)}")
    typer.echo(json.dumps(models[name].model_json_schema(), indent=2))


def register(app: typer.Typer) -> None:
    app.command("plan")(plan_command)
    app.command("schema")(schema_command)
