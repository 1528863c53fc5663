"""`lumbo figure ID -o FILE.svg`: write an exercise's figure as an SVG file.

`lumbo figure --sheet -o sheet.html` writes a contact sheet of every figure (plan size,
player size, the other side and each key frame) for reviewing them all at once.
"""

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
    exercise_id: Annotated[
        str | None, typer.Argument(metavar="ID", help="Exercise id, e.g. glute-bridge.", show_default=False)
    ] = None,
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
    side: Annotated[
        str | None,
        typer.Option(metavar="left|right", help="The side that works (per-side exercises mirror for right)."),
    ] = None,
    frame: Annotated[
        int | None, typer.Option(metavar="N", help="Draw key frame N alone (0 = the start, -1 = the end).")
    ] = None,
    sheet: Annotated[
        bool, typer.Option("--sheet", help="Write an HTML contact sheet of every figure instead of one figure.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")] = False,
) -> None:
    """Draw one exercise as an SVG figure.

    Example: lumbo figure side-plank --side right -o side-plank-right.svg
    """
    from lumbo.drawing.figures import FigureNotFound, PoseFileError, frame_count, render_svg

    try:
        if output is not None:
            check_target(output, force=force, what="the figure")
    except UserError as error:
        fail(str(error))
    if side is not None and side not in ("left", "right"):
        fail(f"--side must be left or right, not {shown(side)}")
    if sheet:
        _write_sheet(output, force=force)
        return
    if exercise_id is None:
        fail("give an exercise id (e.g. lumbo figure glute-bridge), or --sheet for every figure")
    if len(exercise_id) > MAX_ID_CHARS or not SLUG.fullmatch(exercise_id):
        # The id becomes a file name: never let it leave the poses folder or be too long.
        fail(f"unknown exercise {shown(exercise_id)}; ids look like glute-bridge (see 'lumbo catalogue')")
    try:
        count = frame_count(exercise_id)
        if frame is not None and not -count <= frame < count:
            frames = "one key frame: --frame takes 0" if count == 1 else f"{count} key frames: --frame takes 0 to {count - 1}"
            fail(f"{shown(exercise_id)} has {frames} (or -1 for the last)")
        svg = render_svg(exercise_id, width=width, animate=animate, side=side, frame=frame)  # type: ignore[arg-type]
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


def _write_sheet(output: Path | None, *, force: bool) -> None:
    from lumbo.drawing.sheet import sheet_html

    html = sheet_html()
    if output is None or str(output) == "-":
        sys.stdout.write(html + "\n")
        return
    try:
        write_output(output, (html + "\n").encode("utf-8"), force=force, private=False, what="the contact sheet")
    except UserError as error:
        fail(str(error))


def register(app: typer.Typer) -> None:
    app.command(name="figure")(figure)
