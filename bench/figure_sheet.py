"""Contact sheet of every exercise figure, as HTML and (with Debian's chromium) a PNG.

    .venv/bin/python bench/figure_sheet.py -o sheet.png            # every figure, plan and player size
    .venv/bin/python bench/figure_sheet.py -o sheet.png glute-bridge bird-dog --side right

Each row shows one exercise: the figure at plan size (280 px), at player size (480 px),
its mirror image (the other side) and its key frames one by one, with the exercise's name,
so a reviewer can look at every figure the way a patient will. Also prints the render time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from lumbo.drawing.figures import clear_caches, load_pose, pose_ids, render_svg
from lumbo.drawing.sheet import sheet_html

CHROMIUM = "/usr/bin/chromium"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="exercise ids (default: every pose file)")
    parser.add_argument("-o", "--output", default="figure-sheet.png", help="PNG (needs chromium) or .html")
    parser.add_argument("--small", action="store_true", help="leave out the player-size column")
    args = parser.parse_args()
    ids = args.ids or pose_ids()
    unknown = [i for i in ids if i not in pose_ids()]
    if unknown:
        print(f"figure_sheet: unknown exercise ids: {', '.join(unknown)}", file=sys.stderr)
        return 2

    timings = []
    for exercise_id in ids:
        clear_caches()
        load_pose(exercise_id)  # reading YAML is not drawing
        start = time.perf_counter()
        render_svg(exercise_id, width=320, animate=True)
        timings.append((time.perf_counter() - start) * 1000)
    print(f"render: median {statistics.median(timings):.2f} ms, max {max(timings):.2f} ms over {len(ids)} figures")

    html = sheet_html(ids, big=not args.small)
    output = Path(args.output)
    if output.suffix == ".html":
        output.write_text(html, encoding="utf-8")
        print(f"wrote {output}")
        return 0
    from playwright.sync_api import sync_playwright

    page_file = output.with_suffix(".html")
    page_file.write_text(html, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 1400, "height": 800})
        page.goto(page_file.resolve().as_uri())
        page.screenshot(path=str(output), full_page=True)
        browser.close()
    print(f"wrote {output} and {page_file}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
