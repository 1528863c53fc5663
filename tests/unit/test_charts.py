"""The progress charts: well-formed SVG, text alternatives that carry the numbers."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lumbo.drawing.charts import (
    activity_scores_chart,
    adherence_calendar,
    exercise_progress_chart,
    pain_chart,
    weekly,
)

SVG = "{http://www.w3.org/2000/svg}"
MONDAY = dt.date(2026, 3, 2)


def parse(fragment: str) -> ET.Element:
    """The fragment is one <figure> holding an <svg> and (when there is data) a <table>."""
    return ET.fromstring(fragment)


def svg_of(fragment: str) -> ET.Element:
    svg = parse(fragment).find(f"{SVG}svg")
    assert svg is not None
    return svg


def circles(fragment: str) -> list[tuple[float, float]]:
    return [
        (float(c.get("cx", "nan")), float(c.get("cy", "nan"))) for c in svg_of(fragment).iter(f"{SVG}circle")
    ]


def table_rows(fragment: str) -> list[list[str]]:
    table = parse(fragment).find(".//table")
    assert table is not None
    rows = [tr.findall("td") for tr in table.iter("tr")]
    return [[td.text or "" for td in row] for row in rows if row]


def test_pain_chart_has_title_desc_and_a_hidden_table_with_every_point() -> None:
    points = [(MONDAY + dt.timedelta(days=i), pain) for i, pain in enumerate([7, 6, 6, 4, 3])]
    html = pain_chart(points)
    svg = svg_of(html)
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title is not None and title.text == "Pain over time"
    assert desc is not None and "from 7 to 3" in (desc.text or "")
    assert table_rows(html) == [[d.isoformat(), str(p)] for d, p in points]
    caption = parse(html).find("figcaption")
    assert caption is not None and caption.text == "Pain over time"  # a visible title too
    wrapper = parse(html).find("div")
    assert wrapper is not None and "clip" in (wrapper.get("style") or "")  # hidden, still read


def test_pain_points_are_placed_higher_for_more_pain_and_later_to_the_right() -> None:
    html = pain_chart([(MONDAY, 8), (MONDAY + dt.timedelta(days=3), 2)])
    (x1, y1), (x2, y2) = circles(html)
    assert x2 > x1
    assert y1 < y2  # SVG y grows downwards: more pain sits higher


def test_unsorted_points_are_drawn_in_date_order() -> None:
    later, earlier = (MONDAY + dt.timedelta(days=5), 1), (MONDAY, 9)
    html = pain_chart([later, earlier])
    assert [row[0] for row in table_rows(html)] == [MONDAY.isoformat(), later[0].isoformat()]


def test_empty_charts_say_so_instead_of_drawing_nothing() -> None:
    assert "No pain ratings logged yet." in pain_chart([])
    assert "Nothing logged yet." in exercise_progress_chart("Plank", [])
    assert "No hard activities recorded." in activity_scores_chart({})
    for html in (pain_chart([]), exercise_progress_chart("Plank", []), activity_scores_chart({})):
        parse(html)


def test_text_is_escaped() -> None:
    html = exercise_progress_chart("<script>alert(1)</script>", [(MONDAY, 20)])
    assert "<script>" not in html
    parse(html)


def test_exercise_progress_scale_fits_the_best_value() -> None:
    points = [(MONDAY, 20), (MONDAY + dt.timedelta(days=2), 95)]
    html = exercise_progress_chart("Forearm plank", points)
    desc = svg_of(html).find(f"{SVG}desc")
    assert desc is not None and "best 95 seconds" in (desc.text or "")
    ys = [y for _, y in circles(html)]
    assert all(16 <= y <= 200 for y in ys)


def test_activity_chart_distinguishes_series_without_colour_alone() -> None:
    html = activity_scores_chart(
        {
            "Tying shoes": [(MONDAY, 3), (MONDAY + dt.timedelta(days=14), 6)],
            "Lifting a child": [(MONDAY, 2), (MONDAY + dt.timedelta(days=14), 4)],
        }
    )
    svg = svg_of(html)
    dashes = {p.get("stroke-dasharray") for p in svg.iter(f"{SVG}path") if p.get("fill") == "none"}
    assert len(dashes) == 2
    assert "Tying shoes" in html and "Lifting a child" in html
    assert len(table_rows(html)) == 4


def test_adherence_calendar_marks_done_and_missed_days() -> None:
    done = [MONDAY, MONDAY + dt.timedelta(days=1)]
    planned = [*done, MONDAY + dt.timedelta(days=2)]
    html = adherence_calendar(done, planned, end=MONDAY + dt.timedelta(days=6), weeks=4)
    rows = table_rows(html)
    assert [MONDAY.isoformat(), "session done"] in rows
    assert [(MONDAY + dt.timedelta(days=2)).isoformat(), "planned, not done"] in rows
    svg = svg_of(html)
    assert len([r for r in svg.iter(f"{SVG}rect") if r.get("rx") == "4"]) == 4 * 7
    desc = svg.find(f"{SVG}desc")
    assert desc is not None and "2 days with a session, 1 planned day missed" in (desc.text or "")


def test_future_planned_days_are_not_counted_as_missed() -> None:
    html = adherence_calendar([], [MONDAY + dt.timedelta(days=3)], end=MONDAY, weeks=2)
    assert "planned, not done" not in "".join(" ".join(r) for r in table_rows(html))


def test_two_charts_on_one_page_have_distinct_ids() -> None:
    ids = re.findall(r'<title id="([^"]+)"', pain_chart([(MONDAY, 3)]) + pain_chart([(MONDAY, 3)]))
    assert len(ids) == 2 and ids[0] != ids[1]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)), st.integers(0, 10)),
        min_size=1,
        max_size=30,
    )
)
def test_any_pain_series_renders_inside_the_view_box(points: list[tuple[dt.date, int]]) -> None:
    html = pain_chart(points)
    svg = svg_of(html)
    _, _, width, height = (float(v) for v in (svg.get("viewBox") or "").split())
    for x, y in circles(html):
        assert 0 <= x <= width and 0 <= y <= height


def axis_labels(fragment: str) -> list[tuple[str, str]]:
    """The date labels under the plot: (text, text-anchor), left to right."""
    svg = svg_of(fragment)
    height = float(svg.get("viewBox", "0 0 0 0").split()[3])
    return [
        (text.text or "", text.get("text-anchor", ""))
        for text in svg.iter(f"{SVG}text")
        if float(text.get("y", "0")) > height - 40
        and re.fullmatch(r"(\d{1,2} [A-Z][a-z]{2})|([A-Z][a-z]{2} \d{4})", text.text or "")
    ]


def test_weekly_points_are_the_mean_or_the_best_of_each_monday_to_sunday_week() -> None:
    days = [MONDAY + dt.timedelta(days=n) for n in (0, 2, 6, 7, 13, 15)]
    points = list(zip(days, [6, 4, 5, 2, 9, 3], strict=True))
    assert weekly(points) == [(MONDAY, 5.0), (MONDAY + dt.timedelta(days=7), 5.5), (MONDAY + dt.timedelta(days=14), 3.0)]
    assert weekly(points, "max") == [(MONDAY, 6.0), (MONDAY + dt.timedelta(days=7), 9.0), (MONDAY + dt.timedelta(days=14), 3.0)]
    assert weekly(reversed(points)) == weekly(points)
    assert weekly([]) == []
    with pytest.raises(ValueError, match="mean or max"):
        weekly(points, "median")


def test_a_long_span_names_months_and_years_and_the_end_labels_stay_inside() -> None:
    short = [(MONDAY + dt.timedelta(days=n), 3.0) for n in range(60)]
    labels = axis_labels(pain_chart(short))
    assert len(labels) == 6 and all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}", text) for text, _ in labels)
    assert labels[0][1] == "start" and labels[-1][1] == "end"
    assert {anchor for _, anchor in labels[1:-1]} == {"middle"}
    long = [(MONDAY + dt.timedelta(days=7 * n), 3.0) for n in range(80)]
    labels = axis_labels(pain_chart(long))
    assert labels[0] == ("Mar 2026", "start") and len(labels) == 4
    assert labels[-1] == ((MONDAY + dt.timedelta(days=7 * 79)).strftime("%b %Y"), "end")


def test_weekly_charts_say_what_their_points_are() -> None:
    points = [(MONDAY, 4.0), (MONDAY + dt.timedelta(days=7), 3.0)]
    assert "2 weekly averages from" in pain_chart(points, title="Pain", counted="weekly averages")
    chart = exercise_progress_chart("Glute bridge", points, "seconds", per="week")
    assert "Glute bridge: best seconds per week" in chart and "2 weeks; first 4 seconds" in chart
    assert "Glute bridge: seconds per session" in exercise_progress_chart("Glute bridge", points)
