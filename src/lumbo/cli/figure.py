"""`lumbo figure ID -o FILE.svg`: write an exercise's figure as an SVG file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from lumbo.cli.common import fail


def figure(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help="Exercise id, e.g. glute-bridge.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Where to write the SVG; without it, print it."),
    ] = None,
    width: Annotated[int, typer.Option(help="Width in pixels.", min=40, max=4000)] = 320,
    animate: Annotated[
        bool, typer.Option("--animate", help="Move between the key frames (CSS animation).")
    ] = False,
) -> None:
    """Draw one exercise as an SVG figure.

    Example: lumbo figure glute-bridge -o glute-bridge.svg
    """
    from lumbo.reports.figures import FigureNotFound, PoseFileError, render_svg

    try:
        svg = render_svg(exercise_id, width=width, animate=animate)
    except FigureNotFound as error:
        hint = f"; did you mean: {', '.join(error.suggestions)}?" if error.suggestions else ""
        fail(f"unknown exercise {exercise_id!r}{hint}")
    except PoseFileError as error:
        fail(f"the figure of {exercise_id!r} is broken: {str(error).splitlines()[0]}")
    if output is None:
        sys.stdout.write(svg + "\n")
        return
    try:
        output.write_text(svg + "\n", encoding="utf-8")
    except IsADirectoryError:
        fail(f"cannot write the figure: {output} is a folder; give a file name such as figure.svg")
    except OSError as error:
        fail(f"cannot write the figure to {output}: {error.strerror or error}")


def register(app: typer.Typer) -> None:
    app.command(name="figure")(figure)
