"""Server-rendered SVG charts for the progress page and the PDF handout.

Every function returns one self-contained HTML fragment::

    <figure class="chart">
      <svg role="img" aria-labelledby="..."> <title>..</title> <desc>..</desc> ... </svg>
      <table> the same numbers, visually hidden but read by screen readers </table>
    </figure>

The fragment needs no stylesheet (the hidden table carries an inline style), so the web
pages and the WeasyPrint handout can drop it in as it is. Pure string building: only the
standard library is used, and every piece of text is escaped.

The public functions:

- ``pain_chart(points)``: pain 0-10 over time (``points`` = ``[(date, pain), ...]``).
- ``adherence_calendar(done, planned, end=..., weeks=...)``: a calendar grid of weeks.
- ``exercise_progress_chart(name, points, unit)``: hold seconds or reps over time.
- ``activity_scores_chart(series)``: 0-10 scores of up to three hard activities over time.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from html import escape

from lumbo.domain.words import plural

Point = tuple[dt.date, float]

_WIDTH = 520
_HEIGHT = 220
_LEFT = 44
_RIGHT = 16
_TOP = 16
_BOTTOM = 40
_INK = "#1f2933"
_GRID = "#d5dbe1"
_LINE_COLOURS = ("#1d4ed8", "#9a3412", "#166534")
_DASHES = ("", "8 5", "2 4")
_MARKERS = ("circle", "square", "diamond")
_HIDDEN = (
    "position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap;border:0"
)
_counter = itertools.count(1)


def _chart_id(kind: str) -> str:
    # Unique per render so that several charts on one page keep distinct aria references.
    return f"chart-{kind}-{next(_counter)}"


def _fmt(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


#: Beyond this many days a date axis names months and years ("Feb 2026"), not days.
LONG_SPAN_DAYS = 300


def _short_date(day: dt.date, long_span: bool = False) -> str:
    if long_span:
        return f"{day.strftime('%b')} {day.year}"
    return f"{day.day} {day.strftime('%b')}"


def weekly(points: Iterable[Point], how: str = "mean") -> list[Point]:
    """One point per week (Monday to Sunday, dated on its Monday): the ``mean`` or the
    ``max`` of the week's values, for charts of many months that would otherwise be a blur.

    Example: ``weekly([(date(2026, 1, 5), 6), (date(2026, 1, 7), 4)])`` -> ``[(date(2026, 1, 5), 5.0)]``.
    """
    if how not in ("mean", "max"):
        raise ValueError(f"how must be mean or max, not {how!r}")
    weeks: dict[dt.date, list[float]] = {}
    for day, value in points:
        weeks.setdefault(day - dt.timedelta(days=day.weekday()), []).append(float(value))
    return [
        (monday, round(sum(values) / len(values), 1) if how == "mean" else max(values))
        for monday, values in sorted(weeks.items())
    ]


def _table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return (
        # The wrapper hides the table: a table itself grows to fit its cells whatever its width.
        f'<div class="chart-data" style="{_HIDDEN}"><table><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _figure(kind: str, svg: str, table: str, caption: str) -> str:
    return (
        f'<figure class="chart chart-{kind}"><figcaption>{escape(caption)}</figcaption>{svg}{table}</figure>'
    )


def _svg_open(chart_id: str, title: str, desc: str, width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" style="max-width:100%;height:auto" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'font-family="system-ui, sans-serif" font-size="13">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>'
    )


def _empty_svg(chart_id: str, title: str, message: str) -> str:
    return (
        _svg_open(chart_id, title, message, _WIDTH, 80)
        + f'<text x="{_WIDTH // 2}" y="44" text-anchor="middle" fill="{_INK}">'
        + f"{escape(message)}</text>"
        + "</svg>"
    )


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "diamond":
        return (
            f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}L{x:.1f} {y + 5:.1f}'
            f'L{x - 5:.1f} {y:.1f}Z" fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def _line_chart(
    kind: str,
    title: str,
    desc: str,
    series: Sequence[tuple[str, Sequence[Point]]],
    y_max: float,
    y_label: str,
) -> str:
    """Lines over a shared date axis; series differ by colour, dash and marker shape."""
    chart_id = _chart_id(kind)
    all_days = sorted({day for _, points in series for day, _ in points})
    first, last = all_days[0], all_days[-1]
    span = max((last - first).days, 1)
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _HEIGHT - _TOP - _BOTTOM

    def x_of(day: dt.date) -> float:
        if first == last:
            return _LEFT + plot_w / 2
        return _LEFT + plot_w * (day - first).days / span

    def y_of(value: float) -> float:
        return _TOP + plot_h * (1 - min(max(value, 0.0), y_max) / y_max)

    parts = [_svg_open(chart_id, title, desc, _WIDTH, _HEIGHT)]
    step = _nice_step(y_max)
    tick = 0.0
    while tick <= y_max + 1e-9:
        y = y_of(tick)
        parts.append(
            f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{_GRID}"/><text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'fill="{_INK}">{_fmt(tick)}</text>'
        )
        tick += step
    parts.append(
        f'<text x="12" y="{_TOP + plot_h / 2:.1f}" fill="{_INK}" text-anchor="middle" '
        f'transform="rotate(-90 12 {_TOP + plot_h / 2:.1f})">{escape(y_label)}</text>'
    )
    long_span = span > LONG_SPAN_DAYS
    labelled = _axis_days(all_days, 4 if long_span else 6)  # "Feb 2026" is wider than "3 Feb"
    for day in labelled:
        x = x_of(day)
        # The end labels align inwards, so "22 Nov" at the right edge is not cut off.
        anchor = "middle"
        if len(labelled) > 1 and day == labelled[0]:
            anchor = "start"
        elif len(labelled) > 1 and day == labelled[-1]:
            anchor = "end"
        parts.append(
            f'<text x="{x:.1f}" y="{_HEIGHT - _BOTTOM + 18}" text-anchor="{anchor}" '
            f'fill="{_INK}">{_short_date(day, long_span)}</text>'
        )
    for index, (_name, points) in enumerate(series):
        colour = _LINE_COLOURS[index % len(_LINE_COLOURS)]
        dash = _DASHES[index % len(_DASHES)]
        ordered = sorted(points)
        if len(ordered) > 1:
            path = " ".join(
                f"{'M' if i == 0 else 'L'}{x_of(day):.1f} {y_of(value):.1f}"
                for i, (day, value) in enumerate(ordered)
            )
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5" '
                f'stroke-linejoin="round" stroke-linecap="round"{dash_attr}/>'
            )
        for day, value in ordered:
            parts.append(_marker(_MARKERS[index % len(_MARKERS)], x_of(day), y_of(value), colour))
    if len(series) > 1:
        for index, (name, _points) in enumerate(series):
            colour = _LINE_COLOURS[index % len(_LINE_COLOURS)]
            x = _LEFT + index * (plot_w / len(series))
            y = _HEIGHT - 8
            parts.append(
                _marker(_MARKERS[index % len(_MARKERS)], x + 6, y - 4, colour)
                + f'<text x="{x + 16:.1f}" y="{y:.1f}" fill="{_INK}">{escape(name[:28])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _nice_step(y_max: float) -> float:
    for step in (1, 2, 5, 10, 15, 20, 30, 60, 120, 300):
        if y_max / step <= 6:
            return float(step)
    return y_max / 5


def _axis_days(days: Sequence[dt.date], count: int = 6) -> list[dt.date]:
    """At most ``count`` evenly spread date labels, always the first and the last."""
    if len(days) <= count:
        return list(days)
    picks = {round(i * (len(days) - 1) / (count - 1)) for i in range(count)}
    return [days[i] for i in sorted(picks)]


def pain_chart(
    points: Sequence[tuple[dt.date, float]], *, title: str = "Pain over time", counted: str = "ratings"
) -> str:
    """Pain (0-10) against date, one point per logged rating (or per week: ``counted`` names
    what the points are in the description, e.g. "weekly averages").

    Example: ``pain_chart([(date(2026, 1, 5), 6), (date(2026, 1, 6), 4)])``.
    """
    if not points:
        empty = _empty_svg(_chart_id("pain"), title, "No pain ratings logged yet.")
        return _figure("pain", empty, "", title)
    ordered = sorted(points)
    first_day, first_value = ordered[0]
    last_day, last_value = ordered[-1]
    desc = (
        f"{len(ordered)} {counted} from {first_day.isoformat()} to {last_day.isoformat()}; "
        f"pain went from {_fmt(first_value)} to {_fmt(last_value)} out of 10."
    )
    svg = _line_chart("pain", title, desc, [("Pain", ordered)], 10, "pain 0-10")
    table = _table(title, ("Date", "Pain (0-10)"), ((d.isoformat(), _fmt(v)) for d, v in ordered))
    return _figure("pain", svg, table, title)


def exercise_progress_chart(
    name: str, points: Sequence[tuple[dt.date, float]], unit: str = "seconds", per: str = "session"
) -> str:
    """Hold seconds or reps of one exercise over time (``unit`` is e.g. "seconds" or "reps";
    ``per`` "session", or "week" for weekly bests)."""
    title = f"{name}: {unit} per {per}" if per == "session" else f"{name}: best {unit} per {per}"
    if not points:
        empty = _empty_svg(_chart_id("exercise"), title, "Nothing logged yet.")
        return _figure("exercise", empty, "", title)
    ordered = sorted(points)
    best = max(value for _, value in ordered)
    desc = (
        f"{len(ordered)} {per}s; first {_fmt(ordered[0][1])} {unit}, "
        f"latest {_fmt(ordered[-1][1])} {unit}, best {_fmt(best)} {unit}."
    )
    y_max = _round_up(best)
    svg = _line_chart("exercise", title, desc, [(name, ordered)], y_max, unit)
    rows = ((d.isoformat(), _fmt(v)) for d, v in ordered)
    table = _table(title, ("Date", unit.capitalize()), rows)
    return _figure("exercise", svg, table, title)


def _round_up(value: float) -> float:
    for top in (10, 20, 30, 60, 90, 120, 180, 300, 600, 1200, 3600):
        if value <= top:
            return float(top)
    return float(value)


def activity_scores_chart(
    series: Mapping[str, Sequence[tuple[dt.date, float]]],
    *,
    title: str = "Hard activities: how well you can do them (0-10)",
) -> str:
    """Scores 0 (cannot do it) to 10 (as before the pain) of each hard activity over time."""
    kept = [(name, sorted(points)) for name, points in series.items() if points][:3]
    if not kept:
        empty = _empty_svg(_chart_id("activities"), title, "No hard activities recorded.")
        return _figure("activities", empty, "", title)
    desc = "; ".join(
        f"{name}: from {_fmt(points[0][1])} to {_fmt(points[-1][1])} out of 10" for name, points in kept
    )
    svg = _line_chart("activities", title, desc + ".", kept, 10, "score 0-10")
    rows = [(name, d.isoformat(), _fmt(v)) for name, points in kept for d, v in points]
    table = _table(title, ("Activity", "Date", "Score (0-10)"), rows)
    return _figure("activities", svg, table, title)


def adherence_calendar(
    done: Iterable[dt.date],
    planned: Iterable[dt.date] = (),
    *,
    end: dt.date | None = None,
    weeks: int = 8,
    title: str = "Sessions done, week by week",
) -> str:
    """A grid of the last ``weeks`` weeks (Monday to Sunday rows, one column per week).

    A filled square with a tick marks a day with a finished session; an outlined square a
    planned day without one; a faint square any other day. Shape and tick carry the
    meaning as well as colour.
    """
    done_days = set(done)
    planned_days = set(planned)
    last = end or max(done_days | planned_days, default=dt.date.today())
    last_sunday = last + dt.timedelta(days=6 - last.weekday())
    first_monday = last_sunday - dt.timedelta(days=7 * weeks - 1)
    cell, gap, left, top = 26, 4, 40, 22
    width = max(left + weeks * (cell + gap) + 8, 240)
    height = top + 7 * (cell + gap) + 30
    chart_id = _chart_id("adherence")
    in_range_done = sorted(d for d in done_days if first_monday <= d <= last_sunday)
    missed = sorted(d for d in planned_days - done_days if first_monday <= d <= min(last, last_sunday))
    desc = (
        f"From {first_monday.isoformat()} to {last_sunday.isoformat()}: "
        f"{plural(len(in_range_done), 'day')} with a session, "
        f"{plural(len(missed), 'planned day')} missed."
    )
    parts = [_svg_open(chart_id, title, desc, width, height)]
    for row, label in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
        y = top + row * (cell + gap) + cell / 2 + 4
        parts.append(f'<text x="{left - 6}" y="{y:.0f}" text-anchor="end" fill="{_INK}">{label}</text>')
    for week in range(weeks):
        monday = first_monday + dt.timedelta(days=7 * week)
        x = left + week * (cell + gap)
        if week % 2 == 0:
            parts.append(
                f'<text x="{x}" y="{top - 8}" fill="{_INK}" font-size="10">{_short_date(monday)}</text>'
            )
        for row in range(7):
            day = monday + dt.timedelta(days=row)
            y = top + row * (cell + gap)
            if day in done_days:
                parts.append(
                    f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" rx="4" fill="#166534">'
                    f"<title>{day.isoformat()}: session done</title></rect>"
                    f'<path d="M{x + 7} {y + 13}l5 5l8-10" fill="none" stroke="#fff" '
                    'stroke-width="2.5"/>'
                )
            elif day in planned_days and day <= last:
                parts.append(
                    f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" rx="4" '
                    f'fill="#fff" stroke="#9a3412" stroke-width="2">'
                    f"<title>{day.isoformat()}: planned, not done</title></rect>"
                )
            else:
                parts.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" rx="4" fill="#eef1f4"/>')
    legend_y = height - 10
    parts.append(
        f'<rect x="{left}" y="{legend_y - 11}" width="12" height="12" rx="2" fill="#166534"/>'
        f'<text x="{left + 16}" y="{legend_y}" fill="{_INK}">done</text>'
        f'<rect x="{left + 60}" y="{legend_y - 11}" width="12" height="12" rx="2" fill="#fff" '
        f'stroke="#9a3412" stroke-width="2"/>'
        f'<text x="{left + 76}" y="{legend_y}" fill="{_INK}">planned, missed</text>'
    )
    parts.append("</svg>")
    rows = [(d.isoformat(), "session done") for d in in_range_done] + [
        (d.isoformat(), "planned, not done") for d in missed
    ]
    table = _table(title, ("Date", "What happened"), sorted(rows))
    return _figure("adherence", "".join(parts), table, title)
