"""The printable handout: a PDF of the plan (or a one-page referral sheet) for the fridge door.

The HTML comes from Jinja templates in ``lumbo/reports/templates`` and WeasyPrint turns it
into a PDF. WeasyPrint is slow to import, so it is imported inside :func:`render_pdf` only.

Layout choices: black, greys and line styles only (it must read well when printed in
greyscale), system fonts named by family (DejaVu Sans / Liberation Sans, then the generic
``sans-serif``) so nothing is fetched, and ``break-inside: avoid`` on every exercise card.

This module also holds the small text helpers the calendar and FHIR exports share
(:func:`dose_text`, :data:`PAIN_RULE`).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from lumbo.domain.catalogue import Catalogue, Exercise
from lumbo.domain.model import Decision, History, PlanItem, Profile, RedFlags

if TYPE_CHECKING:
    from jinja2 import Environment

    from lumbo.domain.lessons import Lesson

Paper = Literal["a4", "letter"]
PAPERS: tuple[Paper, ...] = ("a4", "letter")

#: How many lessons the handout lists under "Read next" (the first ones of the course).
READ_NEXT = 4

PAIN_RULE = (
    "Discomfort is okay; pain is not. Stop any exercise that hurts or makes your symptoms worse."
)
DISCLAIMER = (
    "A general exercise programme, not medical advice or a diagnosis. "
    "If in doubt, ask a doctor or physiotherapist."
)


def dose_text(item: PlanItem) -> str:
    """The dose as people write it: "2 × 10 reps", "1 × 30 s hold", plus "each side"."""
    if item.reps is not None:
        amount = f"{item.sets} × {item.reps} reps"
    elif item.hold_seconds is not None:
        amount = f"{item.sets} × {item.hold_seconds} s hold"
    else:
        amount = f"{item.sets} set{'s' if item.sets != 1 else ''}"
    return f"{amount}, each side" if item.per_side else amount


def clinician_signs() -> list[str]:
    """When to stop and see a clinician: the screen's warning signs in plain words."""
    signs = [str(info.description) for info in RedFlags.model_fields.values() if info.description]
    signs.append("Pain that keeps getting worse over a week or two, or spreads below the knee")
    return signs


@dataclass
class ExerciseCard:
    """One exercise as the handout shows it (each variation once)."""

    slug: str
    name: str
    doses: list[str]
    days: int
    rest_seconds: int
    why: str
    equipment: list[str]
    entry: Exercise | None
    figure_uri: str | None = None


@dataclass
class DayRow:
    date: dt.date
    sessions: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total_minutes(self) -> int:
        return sum(minutes for _, minutes in self.sessions)


def week_rows(decision: Decision) -> list[DayRow]:
    """One row per calendar day from the first planned day to the last (rest days included)."""
    planned = {
        day.date: [(session.title, session.estimated_minutes) for session in day.sessions]
        for day in decision.days
    }
    if not planned:
        return []
    first, last = min(planned), max(planned)
    return [
        DayRow(day, planned.get(day, []))
        for day in (first + dt.timedelta(days=offset) for offset in range((last - first).days + 1))
    ]


def exercise_cards(decision: Decision, catalogue: Catalogue) -> list[ExerciseCard]:
    """Every planned variation once, in the order it first appears."""
    cards: dict[str, ExerciseCard] = {}
    for day in decision.days:
        seen_today: set[str] = set()
        for session in day.sessions:
            for item in session.items:
                card = cards.get(item.variation)
                if card is None:
                    card = cards[item.variation] = ExerciseCard(
                        slug=item.variation,
                        name=item.name,
                        doses=[],
                        days=0,
                        rest_seconds=item.rest_seconds,
                        why=item.why,
                        equipment=list(item.equipment),
                        entry=catalogue.get(item.variation),
                    )
                dose = dose_text(item)
                if dose not in card.doses:
                    card.doses.append(dose)
                if item.variation not in seen_today:
                    seen_today.add(item.variation)
                    card.days += 1
    return list(cards.values())


def _default_figure(slug: str, name: str) -> str | None:
    try:
        from lumbo.reports.figures import render_svg
    except ImportError:  # pragma: no cover - the figures module ships with lumbo
        return None
    try:
        return render_svg(slug, width=240, title=name)
    except (KeyError, LookupError, FileNotFoundError, ValueError):
        return None  # an exercise without a drawing still gets its card


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@dataclass
class Progress:
    """The charts of the progress page (HTML fragments from lumbo.reports.charts)."""

    pain: str
    adherence: str
    exercises: list[str]
    sessions: int
    first: dt.date
    last: dt.date


def progress_section(history: History | None, catalogue: Catalogue) -> Progress | None:
    """Charts of logged pain, days done and the two most logged holds; None without a history."""
    if history is None or not history.sessions:
        return None
    from lumbo.reports import charts

    ordered = sorted(history.sessions, key=lambda session: session.date)
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
        adherence=charts.adherence_calendar(
            [session.date for session in ordered], end=ordered[-1].date, weeks=6
        ),
        exercises=exercise_charts,
        sessions=len(ordered),
        first=ordered[0].date,
        last=ordered[-1].date,
    )


def read_next(lessons: Sequence[Lesson] | None = None, count: int = READ_NEXT) -> list[Lesson]:
    """The first ``count`` lessons in the order they open (the packaged ones by default)."""
    if lessons is None:
        from lumbo.adapters.lesson_files import default_lessons

        lessons = default_lessons()
    return sorted(lessons, key=lambda lesson: lesson.unlock_day)[:count]


def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(
        loader=PackageLoader("lumbo", "reports/templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(
    decision: Decision,
    *,
    history: History | None = None,
    paper: Paper = "a4",
    catalogue: Catalogue | None = None,
    today: dt.date | None = None,
    figure: Callable[[str, str], str | None] = _default_figure,
    profile: Profile | None = None,
    lessons: Sequence[Lesson] | None = None,
) -> str:
    """The handout as one HTML document (a plan, or a referral sheet for a referral).

    With ``profile``, a plan's handout also lists the lifestyle-audit suggestions
    (lumbo.domain.lifestyle.audit) with their reasons; every plan's handout ends its first
    part with "Read next", the first lessons of the course (``lessons``: the packaged ones
    by default).
    """
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}")
    env = _environment()
    if catalogue is None:
        from lumbo.adapters.catalogue_files import default_catalogue

        catalogue = default_catalogue()
    common = {
        "paper": paper,
        "today": today or dt.date.today(),
        "pain_rule": PAIN_RULE,
        "disclaimer": DISCLAIMER,
        "signs": clinician_signs(),
    }
    if decision.status != "plan":
        return env.get_template("handout_referral.html").render(decision=decision, **common)
    from lumbo.domain.lifestyle import audit

    cards = exercise_cards(decision, catalogue)
    for card in cards:
        svg = figure(card.slug, card.name)
        card.figure_uri = svg_data_uri(svg) if svg else None
    return env.get_template("handout.html").render(
        decision=decision,
        rows=week_rows(decision),
        cards=cards,
        progress=progress_section(history, catalogue),
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
    """The handout for ``decision`` as PDF bytes (``profile`` adds the lifestyle suggestions)."""
    return render_pdf(
        render_html(
            decision, history=history, paper=paper, catalogue=catalogue, today=today, profile=profile
        )
    )
