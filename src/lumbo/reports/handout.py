"""The printable handout: a PDF of the plan (or a one-page referral sheet) for the fridge door.

The HTML comes from Jinja templates in ``lumbo/reports/templates`` and WeasyPrint turns it
into a PDF. WeasyPrint is slow to import, so it is imported inside :func:`render_pdf` only.

Layout (docs/reports.md): page 1 is the first week as a tick sheet (exercises by days) with
the safety box under it; then the later weeks, the lifestyle suggestions and lessons; then
one card per exercise (its days and dose per day, large start and end figures, how to do
it, what to avoid, a separate safety line); then the progress charts of the last
:data:`PROGRESS_WEEKS` weeks up to the day the handout is made.

Speed: WeasyPrint's cost is mostly text layout, and flexbox makes it measure every card
several times, so the layout uses fixed tables only. Each figure is drawn once per process
(:func:`figure_svg`, keyed by exercise, side, frame and width) and embedded as a data URI.
bench/handout_bench.py measures it.

Black, greys and line styles only (it must read well in greyscale); system fonts named by
family (DejaVu Sans / Liberation Sans, then ``sans-serif``), so nothing is fetched.

This module also holds the small text helpers the calendar and FHIR exports share
(:func:`dose_text`, :data:`PAIN_RULE`).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from lumbo.domain.catalogue import Catalogue, Exercise
from lumbo.domain.model import Decision, History, PlanItem, Profile, RedFlags
from lumbo.domain.planning import DISCOMFORT_RULE
from lumbo.domain.screening import EMERGENCY_FLAGS, URGENT_FLAGS
from lumbo.services.shared import RECENT_WEEKS, first_recent_day

if TYPE_CHECKING:
    from jinja2 import Environment

    from lumbo.domain.lessons import Lesson

Paper = Literal["a4", "letter"]
PAPERS: tuple[Paper, ...] = ("a4", "letter")
#: Paper widths in millimetres; a figure is at least a third of the page wide.
PAPER_WIDTH_MM: dict[Paper, float] = {"a4": 210.0, "letter": 215.9}
FIGURE_WIDTH_MM = 74.0
FIGURE_HEIGHT_MM = 55.5
#: The width asked of the figure renderer (the PDF scales the drawing to FIGURE_WIDTH_MM).
FIGURE_PX = 320
#: Above this many rows a week table switches to a smaller (still >= 8 pt) font.
COMPACT_ROWS = 11

#: How many lessons the handout lists under "Read next" (the first ones of the course).
READ_NEXT = 4

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

PAIN_RULE = (
    "Discomfort is okay; pain is not. Stop any exercise that hurts or makes your symptoms worse."
)
DISCLAIMER = (
    "A general exercise programme, not medical advice or a diagnosis. "
    "If in doubt, ask a doctor or physiotherapist."
)
WORSENING_SIGN = "Pain that keeps getting worse over a week or two, or spreads below the knee"


def dose_text(item: PlanItem) -> str:
    """The dose as people write it: "2 × 10 reps", "1 × 30 s hold", plus "each side"."""
    if item.reps is not None:
        amount = f"{item.sets} × {item.reps} reps"
    elif item.hold_seconds is not None:
        amount = f"{item.sets} × {item.hold_seconds} s hold"
    else:
        amount = f"{item.sets} set{'s' if item.sets != 1 else ''}"
    return f"{amount}, each side" if item.per_side else amount


@dataclass(frozen=True)
class SignGroup:
    """Warning signs that share one piece of advice (the screen's own urgency levels)."""

    advice: str
    signs: tuple[str, ...]


def clinician_sign_groups() -> list[SignGroup]:
    """The red-flag questions of the screen, in their own words, grouped by how soon to act."""
    asked = {name: str(info.description) for name, info in RedFlags.model_fields.items() if info.description}
    return [
        SignGroup(
            "Get help the same day: call your local emergency number.",
            tuple(asked[name] for name in EMERGENCY_FLAGS if name in asked),
        ),
        SignGroup(
            "See a doctor within a day or two, and hold off on the exercises until then.",
            tuple(asked[name] for name in URGENT_FLAGS if name in asked),
        ),
        SignGroup("Talk to a doctor or physiotherapist before you go on.", (WORSENING_SIGN,)),
    ]


def clinician_signs() -> list[str]:
    """When to stop and see a clinician: the screen's warning signs in plain words."""
    return [sign for group in clinician_sign_groups() for sign in group.signs]


# ---- figures -------------------------------------------------------------------------------

Side = Literal["left", "right"]
#: (exercise id, frame, side) -> SVG text, or None when there is no drawing.
FigureMaker = Callable[[str, "int | None", "Side | None"], "str | None"]


@lru_cache(maxsize=1024)
def figure_svg(exercise_id: str, side: Side | None, frame: int | None, width: int) -> str | None:
    """One figure, drawn once per process (pose files ship with lumbo and do not change)."""
    from lumbo.drawing.figures import render_svg

    try:
        return render_svg(exercise_id, width=width, side=side, frame=frame)
    except (LookupError, ValueError, OSError):
        return None  # an exercise without a drawing still gets its card


@lru_cache(maxsize=512)
def figure_frames(exercise_id: str) -> int:
    """How many key frames the exercise's figure has (1 when it has none or only one)."""
    from lumbo.drawing.figures import frame_count

    try:
        return max(1, frame_count(exercise_id))
    except (LookupError, ValueError, OSError):
        return 1


def default_figure(exercise_id: str, frame: int | None, side: Side | None) -> str | None:
    return figure_svg(exercise_id, side, frame, FIGURE_PX)


@lru_cache(maxsize=1024)
def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@dataclass
class Figure:
    uri: str
    caption: str


def card_figures(
    slug: str, per_side: bool, figure: FigureMaker, frames: Callable[[str], int]
) -> list[Figure]:
    """The start and end positions side by side, or the one position of a still exercise."""
    side: Side | None = "left" if per_side else None
    wanted = [(0, "Start"), (-1, "End")] if frames(slug) > 1 else [(0, "")]
    drawn = [(figure(slug, frame, side), caption) for frame, caption in wanted]
    return [Figure(svg_data_uri(svg), caption) for svg, caption in drawn if svg]


# ---- which days, which dose ----------------------------------------------------------------


def weekday(day: dt.date) -> str:
    return WEEKDAYS[day.weekday()]


def day_label(day: dt.date) -> str:
    """ "Mon 2 Mar" (no leading zero, the same in every locale)."""
    return f"{weekday(day)} {day.day} {day.strftime('%b')}"


def days_text(dates: Sequence[dt.date], first: dt.date, last: dt.date) -> str:
    """Which days of the plan (``first``..``last``) an exercise falls on, in plain words.

    Within one week: "Mon, Wed, Fri" (or "every day"). Over several weeks: the same, plus
    "every week", when each week repeats the first; otherwise week by week.
    """
    chosen = sorted(set(dates))
    weeks: dict[int, list[dt.date]] = {}
    for day in chosen:
        weeks.setdefault((day - first).days // 7, []).append(day)
    span = (last - first).days + 1
    count = (span + 6) // 7

    def names(days: Sequence[dt.date], length: int) -> str:
        return "every day" if len(days) == length else ", ".join(weekday(day) for day in days)

    if count == 1:
        return names(chosen, span)
    pattern = {(day - first).days % 7 for day in weeks.get(0, [])}
    repeats = all(
        {(day - first).days % 7 for day in weeks.get(week, [])}
        == {offset for offset in pattern if week * 7 + offset < span}
        for week in range(count)
    )
    if repeats and pattern:
        return names(weeks[0], 7) + ("" if len(weeks[0]) == 7 else ", every week")
    return "; ".join(
        f"week {week + 1}: {names(weeks[week], 7) if week in weeks else 'none'}" for week in range(count)
    )


def per_day_dose(doses: Sequence[str]) -> str:
    """One day's dose of an exercise: "1 × 30 s hold", "1 × 30 s hold, twice a day"."""
    distinct = list(dict.fromkeys(doses))
    if len(distinct) > 1:
        return " + ".join(doses)
    times = {1: "", 2: ", twice a day"}.get(len(doses), f", {len(doses)} times a day")
    return distinct[0] + times


# ---- the exercise cards ----------------------------------------------------------------------


@dataclass
class ExerciseCard:
    """One exercise as the handout shows it (each variation once)."""

    slug: str
    name: str
    doses: list[str]
    dates: list[dt.date]
    rest_seconds: int
    why: str
    equipment: list[str]
    entry: Exercise | None
    per_side: bool = False
    #: (which days, the dose on each of them): one pair unless the dose changes.
    schedule: list[tuple[str, str]] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    @property
    def days(self) -> int:
        return len(self.dates)


def _daily_doses(decision: Decision) -> dict[str, dict[dt.date, list[str]]]:
    """variation -> date -> the dose of each session that holds it that day."""
    found: dict[str, dict[dt.date, list[str]]] = {}
    for day in decision.days:
        for session in day.sessions:
            for item in session.items:
                found.setdefault(item.variation, {}).setdefault(day.date, []).append(dose_text(item))
    return found


def exercise_cards(decision: Decision, catalogue: Catalogue) -> list[ExerciseCard]:
    """Every planned variation once, in the order it first appears, with its days and doses."""
    if not decision.days:
        return []
    first = min(day.date for day in decision.days)
    last = max(day.date for day in decision.days)
    daily = _daily_doses(decision)
    cards: dict[str, ExerciseCard] = {}
    for day in decision.days:
        for session in day.sessions:
            for item in session.items:
                if item.variation in cards:
                    continue
                entry = catalogue.get(item.variation)
                by_date = daily[item.variation]
                by_dose: dict[str, list[dt.date]] = {}
                for date, doses in sorted(by_date.items()):
                    by_dose.setdefault(per_day_dose(doses), []).append(date)
                cards[item.variation] = ExerciseCard(
                    slug=item.variation,
                    name=item.name,
                    doses=list(dict.fromkeys(dose for doses in by_date.values() for dose in doses)),
                    dates=sorted(by_date),
                    rest_seconds=item.rest_seconds,
                    why=item.why,
                    equipment=list(item.equipment),
                    entry=entry,
                    per_side=item.per_side or bool(entry and entry.per_side),
                    schedule=[(days_text(dates, first, last), dose) for dose, dates in by_dose.items()],
                )
    return list(cards.values())


# ---- the week tick sheets ----------------------------------------------------------------------


@dataclass
class TickRow:
    slug: str
    name: str
    dose: str
    #: Tick boxes per day of the week (0: not that day; 2: twice that day).
    ticks: list[int]


@dataclass
class WeekTable:
    number: int
    days: list[dt.date]
    #: (session title, its rows), in the order the sessions first appear in the week.
    groups: list[tuple[str, list[TickRow]]]
    minutes: list[int]

    @property
    def rows(self) -> int:
        return sum(len(rows) for _, rows in self.groups)

    @property
    def compact(self) -> bool:
        return self.rows + len(self.groups) > COMPACT_ROWS

    @property
    def boxes(self) -> int:
        return sum(sum(row.ticks) for _, rows in self.groups for row in rows)


def week_tables(decision: Decision) -> list[WeekTable]:
    """The plan cut into weeks of seven days from its first day, each as a tick sheet."""
    if not decision.days:
        return []
    first = min(day.date for day in decision.days)
    last = max(day.date for day in decision.days)
    planned = {day.date: day for day in decision.days}
    tables: list[WeekTable] = []
    for number, start in enumerate(range(0, (last - first).days + 1, 7), start=1):
        days = [first + dt.timedelta(days=start + n) for n in range(7) if start + n <= (last - first).days]
        rows: dict[str, TickRow] = {}
        groups: dict[str, list[TickRow]] = {}
        doses: dict[str, list[str]] = {}
        minutes = []
        for column, date in enumerate(days):
            plan_day = planned.get(date)
            sessions = plan_day.sessions if plan_day else []
            minutes.append(sum(session.estimated_minutes for session in sessions))
            for session in sessions:
                for item in session.items:
                    row = rows.get(item.variation)
                    if row is None:
                        row = rows[item.variation] = TickRow(item.variation, item.name, "", [0] * len(days))
                        groups.setdefault(session.title, []).append(row)
                    row.ticks[column] += 1
                    dose = dose_text(item)
                    if dose not in doses.setdefault(item.variation, []):
                        doses[item.variation].append(dose)
        for slug, row in rows.items():
            row.dose = " / ".join(doses[slug])
        tables.append(WeekTable(number, days, list(groups.items()), minutes))
    return tables


# ---- progress, lessons ----------------------------------------------------------------------


#: The progress section covers this many weeks up to the day the handout is made: the
#: progress page's default period, so a long log costs no more.
PROGRESS_WEEKS = RECENT_WEEKS


@dataclass
class Progress:
    """The charts of the progress page (HTML fragments from lumbo.drawing.charts)."""

    pain: str
    adherence: str
    exercises: list[str]
    sessions: int
    first: dt.date
    last: dt.date
    #: The period shown: the ``weeks`` weeks up to the day the handout is made.
    weeks: int = PROGRESS_WEEKS


def progress_section(
    history: History | None, catalogue: Catalogue, today: dt.date, weeks: int = PROGRESS_WEEKS
) -> Progress | None:
    """Charts of the sessions logged in the ``weeks`` weeks up to ``today``: pain after each,
    days done and the two most logged holds. None when none falls in that period.

    The period is applied here, whatever the history holds (a stored one already read for
    the period, or a whole history given as a file), so every handout shows the same span.
    """
    if history is None:
        return None
    since = first_recent_day(today, weeks) or dt.date.min
    ordered = sorted(
        (session for session in history.sessions if since <= session.date <= today),
        key=lambda session: session.date,
    )
    if not ordered:
        return None
    from lumbo.drawing import charts

    held: dict[str, list[tuple[dt.date, float]]] = {}
    for session in ordered:
        for item in session.items:
            if item.completed and item.hold_seconds:
                held.setdefault(item.exercise, []).append((session.date, float(item.hold_seconds)))
    exercise_charts: list[str] = []
    for slug, points in sorted(held.items(), key=lambda pair: (-len(pair[1]), pair[0]))[:2]:
        entry = catalogue.get(slug)
        name = entry.name if entry else slug.replace("-", " ").capitalize()
        exercise_charts.append(charts.exercise_progress_chart(name, points))
    return Progress(
        pain=charts.pain_chart(
            [(session.date, float(session.pain_after)) for session in ordered],
            title="Pain after each session (0-10)",
        ),
        # The six weeks up to the day the handout is made: recent weeks without a session
        # show as such, not cut off at the last one logged.
        adherence=charts.adherence_calendar([session.date for session in ordered], end=today, weeks=6),
        exercises=exercise_charts,
        sessions=len(ordered),
        first=ordered[0].date,
        last=ordered[-1].date,
        weeks=weeks,
    )


def read_next(lessons: Sequence[Lesson] | None = None, count: int = READ_NEXT) -> list[Lesson]:
    """The first ``count`` lessons in the order they open (the packaged ones by default)."""
    if lessons is None:
        from lumbo.adapters.lesson_files import default_lessons

        lessons = default_lessons()
    return sorted(lessons, key=lambda lesson: lesson.unlock_day)[:count]


# ---- rendering ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("lumbo", "reports/templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day_label"] = day_label
    env.filters["weekday"] = weekday
    return env


def render_html(
    decision: Decision,
    *,
    history: History | None = None,
    paper: Paper = "a4",
    catalogue: Catalogue | None = None,
    today: dt.date | None = None,
    figure: FigureMaker = default_figure,
    frames: Callable[[str], int] = figure_frames,
    profile: Profile | None = None,
    lessons: Sequence[Lesson] | None = None,
) -> str:
    """The handout as one HTML document (a plan, or a referral sheet for a referral).

    ``figure(exercise_id, frame, side)`` draws one key frame (None: no drawing) and
    ``frames(exercise_id)`` counts them. With ``profile``, a plan's handout also lists the
    lifestyle-audit suggestions (lumbo.domain.lifestyle.audit) with their reasons; every
    plan's handout lists "Read next", the first lessons of the course (``lessons``: the
    packaged ones by default). The progress section charts only the sessions of the
    PROGRESS_WEEKS weeks up to ``today`` (default: the date it is made).
    """
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}")
    env = _environment()
    if catalogue is None:
        from lumbo.adapters.catalogue_files import default_catalogue

        catalogue = default_catalogue()
    today = today or dt.date.today()
    common: dict[str, Any] = {
        "paper": paper,
        "today": today,
        "pain_rule": PAIN_RULE,
        "disclaimer": DISCLAIMER,
        "sign_groups": clinician_sign_groups(),
        "figure_width_mm": FIGURE_WIDTH_MM,
        "figure_height_mm": FIGURE_HEIGHT_MM,
    }
    if decision.status != "plan":
        return env.get_template("handout_referral.html").render(decision=decision, **common)
    from lumbo.domain.lifestyle import audit

    cards = exercise_cards(decision, catalogue)
    for card in cards:
        card.figures = card_figures(card.slug, card.per_side, figure, frames)
    weeks = week_tables(decision)
    return env.get_template("handout.html").render(
        decision=decision,
        weeks=weeks,
        first=weeks[0].days[0] if weeks else None,
        last=weeks[-1].days[-1] if weeks else None,
        notes=[note for note in decision.notes if note != DISCOMFORT_RULE],
        cards=cards,
        progress=progress_section(history, catalogue, today),
        suggestions=audit(profile) if profile is not None else [],
        lessons=read_next(lessons),
        **common,
    )


def _offline_fetcher() -> object:
    """A URL fetcher that loads ``data:`` URIs only, so rendering never touches the network."""
    try:
        from weasyprint.urls import URLFetcher  # WeasyPrint >= 70
    except ImportError:  # pragma: no cover - older WeasyPrint takes a plain function
        from weasyprint.urls import default_url_fetcher

        def fetch_data_only(url: str, *args: object, **kwargs: object) -> object:
            if not url.startswith("data:"):
                raise ValueError(f"the handout may not load {url}")
            return default_url_fetcher(url)

        return fetch_data_only
    return URLFetcher(allowed_protocols=["data"])


def render_pdf(html: str) -> bytes:
    """Turn handout HTML into PDF bytes."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf: bytes = HTML(string=html, url_fetcher=_offline_fetcher(), base_url=".").write_pdf()
    return pdf


def handout_pdf(
    decision: Decision,
    *,
    history: History | None = None,
    paper: Paper = "a4",
    catalogue: Catalogue | None = None,
    today: dt.date | None = None,
    profile: Profile | None = None,
) -> bytes:
    """The handout for ``decision`` as PDF bytes (``profile`` adds the lifestyle suggestions;
    the progress section covers the PROGRESS_WEEKS weeks up to ``today``)."""
    return render_pdf(
        render_html(decision, history=history, paper=paper, catalogue=catalogue, today=today, profile=profile)
    )
