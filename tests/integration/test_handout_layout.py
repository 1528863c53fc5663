"""The handout's layout (issues 12 and 14): one safety box kept apart from the exercise cues,
the days and the dose per day on every card, a tick sheet on page 1, figures at least a third
of the page wide with start and end side by side, and the per-side words.

Figures come from a recording stand-in (a plain rectangle), so these tests check the layout,
not the drawings; tests/integration/test_handout.py checks the real drawings are embedded.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest

from lumbo.adapters.catalogue_files import default_catalogue
from lumbo.domain.model import Decision, PlanDay, PlanSession
from lumbo.domain.planning import DISCOMFORT_RULE
from lumbo.reports.handout import (
    PAIN_RULE,
    PAPER_WIDTH_MM,
    Paper,
    clinician_signs,
    days_text,
    exercise_cards,
    render_html,
    render_pdf,
    week_tables,
)
from lumbo.services import decide
from tests.integration.test_handout import Pdf, flat
from tests.unit.test_calendar import START, item, typical_profile

TODAY = dt.date(2026, 3, 1)
MON = dt.date(2026, 3, 2)  # START is a Monday
RECT = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="320" height="240">'
    '<rect x="10" y="10" width="380" height="280" fill="none" stroke="#000" stroke-width="4"/></svg>'
)


class Figures:
    """A figure maker that records each request; ``moving`` ids have two key frames."""

    def __init__(self, moving: set[str]) -> None:
        self.moving = moving
        self.calls: list[tuple[str, int | None, str | None]] = []

    def __call__(self, slug: str, frame: int | None, side: str | None) -> str:
        self.calls.append((slug, frame, side))
        return RECT

    def frames(self, slug: str) -> int:
        return 2 if slug in self.moving else 1


def day(offset: int) -> dt.date:
    return MON + dt.timedelta(days=offset)


def known_days() -> Decision:
    """Glute bridge on Mon, Wed, Fri; side plank (one side at a time) every day; a hip flexor
    stretch twice on Tuesday (two sessions)."""
    bridge = item("glute-bridge", name="Glute bridge", reps=10)
    side_plank = item("side-plank-hip-lift", name="Side plank with hip lift", reps=8, per_side=True)
    stretch = item("hip-flexor-stretch", name="Hip flexor stretch", reps=None, hold_seconds=30, per_side=True)
    days = []
    for offset in range(7):
        items = [side_plank] + ([bridge] if offset in (0, 2, 4) else [])
        sessions = [PlanSession(title="Morning", estimated_minutes=8, items=items)]
        if offset == 1:
            sessions += [
                PlanSession(title="Morning", estimated_minutes=1, items=[stretch]),
                PlanSession(title="Evening", estimated_minutes=1, items=[stretch]),
            ]
        days.append(PlanDay(date=day(offset), sessions=sessions))
    return Decision(
        status="plan", stage="activation", stage_reason="For the test.", days=days, notes=[DISCOMFORT_RULE]
    )


def html_of(decision: Decision, paper: Paper = "a4", figures: Figures | None = None) -> str:
    figures = figures or Figures({"glute-bridge"})
    return render_html(decision, paper=paper, today=TODAY, figure=figures, frames=figures.frames)


class Cards(HTMLParser):
    """The text of each card's parts: article id -> class of the part -> list of texts."""

    PARTS = ("avoid-list", "safety-line", "extra", "card-head")

    def __init__(self) -> None:
        super().__init__()
        self.cards: dict[str, dict[str, list[str]]] = {}
        self.card: str | None = None
        self.open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "article":
            self.card = found["id"]
            self.cards[self.card or ""] = {part: [] for part in self.PARTS}
        if tag in ("img", "br"):
            return
        part = found.get("class") if found.get("class") in self.PARTS else None
        self.open.append((tag, part))
        if self.card and tag == "li" and self.part == "avoid-list":
            self.cards[self.card]["avoid-list"].append("")

    @property
    def part(self) -> str | None:
        return next((part for _, part in reversed(self.open) if part), None)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("img", "br"):
            return
        while self.open and self.open.pop()[0] != tag:
            pass
        if tag == "article":
            self.card = None

    def handle_data(self, data: str) -> None:
        if self.card is None or self.part is None:
            return
        texts = self.cards[self.card][self.part]
        if self.part == "avoid-list" and texts:
            texts[-1] += data
        else:
            texts.append(data)


def cards_of(html: str) -> dict[str, dict[str, str | list[str]]]:
    parser = Cards()
    parser.feed(html)
    return {
        card: {
            part: ([flat(text) for text in texts] if part == "avoid-list" else flat(" ".join(texts)))
            for part, texts in parts.items()
        }
        for card, parts in parser.cards.items()
    }


@pytest.fixture(scope="module")
def typical() -> Decision:
    decision = decide(typical_profile(), None, START, 7)
    assert decision.status == "plan"
    return decision


@pytest.fixture(scope="module")
def typical_pdf(typical: Decision) -> Pdf:
    return Pdf(render_pdf(html_of(typical)))


# ---- the safety box ------------------------------------------------------------------------------


def test_one_safety_box_holds_the_stop_rule_and_the_warning_signs(typical: Decision, typical_pdf: Pdf) -> None:
    html = html_of(typical)
    assert html.count('class="safety"') == 1
    # The stop rule once in the whole handout: in the box, not again in the notes or on a card.
    assert typical_pdf.text.count("Discomfort is okay; pain is not") == 1
    assert flat(PAIN_RULE) in typical_pdf.pages[0]
    box = re.search(r'<section class="safety".*?</section>', html, re.S)
    assert box is not None
    for sign in clinician_signs():
        assert unescape(sign) in unescape(box.group(0)), sign
        assert flat(sign)[:40] in typical_pdf.pages[0], sign
    assert "call your local emergency number" in typical_pdf.pages[0]


def test_avoid_lists_only_mistakes_and_each_card_has_its_own_safety_line(typical: Decision) -> None:
    catalogue = default_catalogue()
    cards = cards_of(html_of(typical))
    assert cards
    for card_id, parts in cards.items():
        entry = catalogue[card_id.removeprefix("ex-")]
        assert parts["avoid-list"] == [flat(mistake) for mistake in entry.mistakes], card_id
        for line in entry.safety:
            assert flat(line) in str(parts["safety-line"]), (card_id, line)
            assert all(flat(line)[:30] not in avoid for avoid in parts["avoid-list"]), (card_id, line)


def test_no_safety_line_is_printed_under_avoid(typical: Decision, typical_pdf: Pdf) -> None:
    # Each Avoid item prints one ✗ mark: as many marks as mistakes means no safety line
    # slipped in among them; each card prints one "Safety:" line instead.
    cards = exercise_cards(typical, default_catalogue())
    assert all(card.entry is not None for card in cards)
    assert typical_pdf.text.count("✗") == sum(len(card.entry.mistakes) for card in cards if card.entry)
    assert typical_pdf.text.count("Safety:") == len(cards)
    for card in cards:
        assert card.entry is not None
        assert f"Safety: {flat(card.entry.safety[0])[:30]}" in typical_pdf.text, card.name


# ---- days and doses ----------------------------------------------------------------------------------


def test_each_card_names_its_weekdays_and_its_dose_per_day() -> None:
    decision = known_days()
    cards = {card.slug: card for card in exercise_cards(decision, default_catalogue())}
    assert cards["glute-bridge"].schedule == [("Mon, Wed, Fri", "1 × 10 reps")]
    assert cards["side-plank-hip-lift"].schedule == [("every day", "1 × 8 reps, each side")]
    assert cards["hip-flexor-stretch"].schedule == [("Tue", "1 × 30 s hold, each side, twice a day")]
    pdf = Pdf(render_pdf(html_of(decision)))
    assert "Mon, Wed, Fri: 1 × 10 reps" in pdf.text
    assert "Every day: 1 × 8 reps, each side" in pdf.text
    assert "Tue: 1 × 30 s hold, each side, twice a day" in pdf.text


def test_days_over_several_weeks_and_from_a_midweek_start() -> None:
    wednesday = dt.date(2026, 3, 4)
    assert days_text([wednesday, day(4), day(7)], wednesday, wednesday + dt.timedelta(days=6)) == "Wed, Fri, Mon"
    first, last = MON, MON + dt.timedelta(days=13)
    same = [day(n) for n in (0, 2, 4, 7, 9, 11)]
    assert days_text(same, first, last) == "Mon, Wed, Fri, every week"
    assert days_text([day(n) for n in range(14)], first, last) == "every day"
    assert days_text([day(0), day(2), day(8)], first, last) == "week 1: Mon, Wed; week 2: Tue"
    assert days_text([day(0)], first, last) == "week 1: Mon; week 2: none"
    # A plan of 10 days: the short last week repeats the pattern as far as it goes.
    assert days_text([day(0), day(2), day(7), day(9)], first, MON + dt.timedelta(days=9)) == "Mon, Wed, every week"


# ---- page 1: the week as a tick sheet -------------------------------------------------------------------


def occurrences(decision: Decision, until: dt.date | None = None) -> list[tuple[str, str]]:
    return [
        (plan_day.date.isoformat(), it.variation)
        for plan_day in decision.days
        if until is None or plan_day.date <= until
        for session in plan_day.sessions
        for it in session.items
    ]


def test_page_one_is_the_week_with_a_tick_box_per_day_and_exercise(typical: Decision, typical_pdf: Pdf) -> None:
    wanted = occurrences(typical)
    html = html_of(typical)
    cells = re.findall(r'<td class="tick" data-day="([^"]+)" data-exercise="([^"]+)">(☐+)</td>', html)
    assert sorted((d, slug) for d, slug, boxes in cells for _ in boxes) == sorted(wanted)
    page = typical_pdf.pages[0]
    assert page.count("☐") == len(wanted)
    for name in {it.name for plan_day in typical.days for s in plan_day.sessions for it in s.items}:
        assert name in page, name
    for plan_day in typical.days:
        assert plan_day.date.strftime("%b") in page


def test_twice_a_day_gives_two_boxes_and_rest_days_none() -> None:
    decision = known_days().model_copy(update={"days": known_days().days[:6]})
    decision.days.append(PlanDay(date=day(7), sessions=[]))  # an explicit rest day at the end
    (week, *later) = week_tables(decision)
    rows = {row.slug: row.ticks for _, rows in week.groups for row in rows}
    assert rows["hip-flexor-stretch"] == [0, 2, 0, 0, 0, 0, 0]
    assert rows["glute-bridge"] == [1, 0, 1, 0, 1, 0, 0]
    assert week.minutes[6] == 0  # Sunday: nothing planned
    assert len(later) == 1 and later[0].boxes == 0


def test_a_month_gets_one_tick_sheet_per_week_and_page_one_holds_the_first() -> None:
    decision = decide(typical_profile(), None, START, 28)
    weeks = week_tables(decision)
    assert [len(week.days) for week in weeks] == [7, 7, 7, 7]
    assert sum(week.boxes for week in weeks) == len(occurrences(decision))
    pdf = Pdf(render_pdf(html_of(decision)))
    assert pdf.pages[0].count("☐") == weeks[0].boxes
    assert "Week 2" not in pdf.pages[0] and "Week 2" in pdf.text


# ---- figures -------------------------------------------------------------------------------------------------


def image_boxes(html: str) -> dict[str, list[Any]]:
    """The laid-out <img> boxes of each card (WeasyPrint's own layout, in CSS px)."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=".").render()
    found: dict[str, list[Any]] = {}

    def walk(box: Any, card: str | None) -> None:
        element = getattr(box, "element", None)
        if element is not None and element.tag == "article" and getattr(box, "element_tag", "") == "article":
            card = element.get("id")
        if card and element is not None and element.tag == "img" and type(box).__name__.endswith("ReplacedBox"):
            found.setdefault(card, []).append(box)
        for child in getattr(box, "children", None) or []:
            walk(child, card)

    for page in document.pages:
        walk(page._page_box, None)  # private, but the only way to read the real layout
    return found


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_figures_are_a_third_of_the_page_wide_and_moving_ones_show_start_and_end(paper: Paper) -> None:
    figures = Figures({"glute-bridge"})
    boxes = image_boxes(html_of(known_days(), paper, figures))
    third_px = PAPER_WIDTH_MM[paper] / 3 / 25.4 * 96
    assert set(boxes) == {"ex-glute-bridge", "ex-side-plank-hip-lift", "ex-hip-flexor-stretch"}
    for card, images in boxes.items():
        for image in images:
            assert image.width >= third_px, (card, image.width, third_px)
    start, end = boxes["ex-glute-bridge"]
    assert abs(start.position_y - end.position_y) < 1  # side by side: one row
    assert end.position_x >= start.position_x + start.width
    assert len(boxes["ex-side-plank-hip-lift"]) == 1  # a still exercise: one drawing
    assert ("glute-bridge", 0, None) in figures.calls and ("glute-bridge", -1, None) in figures.calls


def test_per_side_exercises_show_one_side_and_say_then_the_other_side() -> None:
    figures = Figures({"glute-bridge", "side-plank-hip-lift"})
    cards = cards_of(html_of(known_days(), figures=figures))
    assert "then the other side" in str(cards["ex-side-plank-hip-lift"]["extra"])
    assert "then the other side" in str(cards["ex-hip-flexor-stretch"]["extra"])
    assert "other side" not in str(cards["ex-glute-bridge"]["extra"])
    sides = {slug: side for slug, _, side in figures.calls}
    assert sides == {"glute-bridge": None, "side-plank-hip-lift": "left", "hip-flexor-stretch": "left"}
    assert sorted(frame or 0 for slug, frame, _ in figures.calls if slug == "side-plank-hip-lift") == [-1, 0]
