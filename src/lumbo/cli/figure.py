"""`lumbo figure ID -o FILE.svg`: write an exercise's figure as an SVG file."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from lumbo.cli.common import UserError, check_target, fail, shown, write_output

#: What every exercise id looks like: lower-case words joined by hyphens.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ID_CHARS = 80


def figure(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="Exercise id, e.g. glute-bridge.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where to write the SVG (- for standard output); without it, print it.",
        ),
    ] = None,
    width: Annotated[int, typer.Option(metavar="PX", help="Width in pixels.", min=40, max=4000)] = 320,
    animate: Annotated[
        bool, typer.Option("--animate", help="Move between the key frames (CSS animation).")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")] = False,
) -> None:
    """Draw one exercise as an SVG figure.

    Example: lumbo figure glute-bridge -o glute-bridge.svg
    """
    from lumbo.reports.figures import FigureNotFound, PoseFileError, render_svg

    try:
        if output is not None:
            check_target(output, force=force, what="the figure")
    except UserError as error:
        fail(str(error))
    if len(exercise_id) > MAX_ID_CHARS or not SLUG.fullmatch(exercise_id):
        # The id becomes a file name: never let it leave the poses folder or be too long.
        fail(f"unknown exercise {shown(exercise_id)}; ids look like glute-bridge (see 'lumbo catalogue')")
    try:
        svg = render_svg(exercise_id, width=width, animate=animate)
    except FigureNotFound as error:
        hint = f"; did you mean: {', '.join(error.suggestions)}?" if error.suggestions else ""
        fail(f"unknown exercise {shown(exercise_id)}{hint}")
    except PoseFileError as error:
        fail(f"the figure of {shown(exercise_id)} is broken: {str(error).splitlines()[0]}")
    if output is None:
        sys.stdout.write(svg + "\n")
        return
    try:
        # A drawing holds no personal data: a new file gets the usual mode (the umask decides).
        write_output(output, (svg + "\n").encode("utf-8"), force=force, private=False, what="the figure")
    except UserError as error:
        fail(str(error))


def register(app: typer.Typer) -> None:
    app.command(name="figure")(figure)
