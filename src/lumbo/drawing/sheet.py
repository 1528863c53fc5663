"""A contact sheet of exercise figures (HTML), for reviewing every figure at once.

Each row holds one exercise: the figure at plan size (280 px) and at player size (480 px),
the other side for per-side exercises, and each key frame alone.
"""

from __future__ import annotations

from html import escape

from lumbo.domain.body import other_side
from lumbo.drawing.figures import frame_count, load_pose, pose_ids, render_svg


def sheet_html(ids: list[str] | None = None, *, big: bool = True) -> str:
    rows = []
    for exercise_id in ids if ids is not None else pose_ids():
        pose = load_pose(exercise_id)
        camera = pose.camera if isinstance(pose.camera, str) else "custom camera"
        cells = [f"<td class=n>{escape(exercise_id)}<br><small>{escape(camera)}</small></td>"]
        cells.append(f"<td>{render_svg(exercise_id, width=280)}</td>")
        if big:
            cells.append(f"<td>{render_svg(exercise_id, width=480)}</td>")
        if pose.working is not None:
            cells.append(f"<td>{render_svg(exercise_id, width=280, side=other_side(pose.working))}<br><small>other side</small></td>")
        count = frame_count(exercise_id)
        if count > 1:
            cells.extend(f"<td>{render_svg(exercise_id, width=200, frame=i)}</td>" for i in range(count))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    style = (
        "body{font:12px sans-serif;margin:8px}td{vertical-align:top;padding:3px;border-bottom:1px solid #ccc}"
        ".n{width:110px}"
    )
    return (
        "<!doctype html><html lang=en><meta charset=utf-8><title>lumbo figures</title>"
        f"<style>{style}</style><table>{''.join(rows)}</table></html>"
    )
