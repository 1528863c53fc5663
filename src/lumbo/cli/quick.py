"""`lumbo plan` without Typer: the command scripts run most, started in a fraction of the time.

Importing Typer and building its parameters (each one a pydantic ``TypeAdapter``) costs
~12 % of `lumbo plan`'s start (~30 ms on a quiet machine). So ``run_quick`` reads the
arguments of `lumbo plan` itself, but only when they are plainly well formed: each known
option at most once, as ``--opt VALUE`` or ``--opt=VALUE``, every value printable and not
starting with ``-``, ``--days`` plain digits. Anything else (``--help``, a misspelt or
repeated option, a missing value, a value Typer would have to convert or refuse) returns
False and Typer runs the command as before, so every usage message is still Typer's. Both
paths call ``plan_text``.

This module imports no Typer; `lumbo.cli.plan` (the Typer command) imports it.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

#: The value options of `lumbo plan` and their parameter names; ``--json`` is the one flag.
PLAN_OPTIONS = {"--profile": "profile", "--history": "history", "--start": "start", "--days": "days"}
JSON_FLAG = "--json"
DEFAULT_DAYS = 7
MAX_DAYS = 366
_DIGITS = re.compile(r"[0-9]{1,9}")
#: Typer's shell completion is asked for through this variable; leave that to Typer.
_COMPLETION_VARIABLE = "_LUMBO_COMPLETE"


class PlanArguments(NamedTuple):
    profile: Path
    history: Path | None
    start: str | None
    days: int
    as_json: bool


def plan_text(
    profile: Path, history: Path | None, start: str | None, days: int, as_json: bool
) -> str:
    """The output of `lumbo plan` (exits with one line on bad input): the checks, then one service."""
    from lumbo.cli.common import UserError, check_range, fail, load_model, parse_start
    from lumbo.domain.model import History, Profile
    from lumbo.services import decide

    try:
        first_day = parse_start(start)
        check_range(first_day, days, MAX_DAYS)
        person = load_model(profile, Profile, "profile")
        logged = load_model(history, History, "history") if history is not None else History()
    except UserError as error:
        fail(str(error))
    decision = decide(person, logged, first_day, days)
    if as_json:
        return decision.model_dump_json(indent=2)
    from lumbo.cli.render import render_decision

    return render_decision(decision)


def parse_plan_arguments(arguments: Sequence[str]) -> PlanArguments | None:
    """The parameters of `lumbo plan ARGUMENTS`, or None unless they are plainly well formed."""
    found: dict[str, str] = {}
    position = 0
    while position < len(arguments):
        word = arguments[position]
        position += 1
        if word == JSON_FLAG:
            name, value = "as_json", "true"
        else:
            option, equals, value = word.partition("=")
            if option not in PLAN_OPTIONS:
                return None
            if not equals:
                if position >= len(arguments):
                    return None
                value = arguments[position]
                position += 1
            name = PLAN_OPTIONS[option]
            if not value or value.startswith("-") or not value.isprintable():
                return None
        if name in found:
            return None
        found[name] = value
    if "profile" not in found:
        return None
    days = found.get("days", str(DEFAULT_DAYS))
    if not _DIGITS.fullmatch(days):
        return None
    history = found.get("history")
    return PlanArguments(
        profile=Path(found["profile"]),
        history=Path(history) if history is not None else None,
        start=found.get("start"),
        days=int(days),
        as_json="as_json" in found,
    )


def _plain_stdout() -> bool:
    """Whether writing to stdout is what Typer's ``echo`` would do too (no re-encoding)."""
    stream = sys.stdout
    if stream is None or os.name == "nt":
        return False
    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "ascii").name != "ascii"
    except LookupError:
        return False


def echo(text: str) -> None:
    """Print ``text`` and a newline, exactly as ``typer.echo`` does."""
    if "\x1b" in text or not _plain_stdout():  # Typer strips or wraps these: let it
        import typer

        typer.echo(text)
        return
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def run_quick(arguments: Sequence[str]) -> bool:
    """Run ``lumbo ARGUMENTS`` here when it is a plainly well-formed `lumbo plan`; else False."""
    if not arguments or arguments[0] != "plan" or _COMPLETION_VARIABLE in os.environ:
        return False
    parsed = parse_plan_arguments(arguments[1:])
    if parsed is None:
        return False
    try:
        echo(plan_text(*parsed))
    except EOFError:  # as Typer does: a newline, then "stopped"
        from lumbo.cli.common import fail

        print(file=sys.stderr)
        fail("stopped")
    except KeyboardInterrupt:  # as Typer does: exit code 130, no message
        raise SystemExit(130) from None
    return True

