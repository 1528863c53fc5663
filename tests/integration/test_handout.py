"""The printable handout: a real PDF from a typical profile, read back with pypdf."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from lumbo.adapters.catalogue_files import default_catalogue
from lumbo.domain.model import Decision, History, ItemLog, RedFlags, SessionLog
from lumbo.reports.handout import (
    DISCLAIMER,
    PAIN_RULE,
    PROGRESS_WEEKS,
    clinician_sign_groups,
    clinician_signs,
    day_label,
    exercise_cards,
    figure_frames,
    figure_svg,
    handout_pdf,
    progress_section,
    render_html,
    render_pdf,
)
from lumbo.services import decide, records
from tests.seeds import seed_index
from tests.unit.test_calendar import START, typical_profile

TODAY = dt.date(2026, 3, 1)
ROOT = Path(__file__).parents[2]
TEMPLATES = ROOT / "src" / "lumbo" / "reports" / "templates"
A4 = (595, 842)
LETTER = (612, 792)


def history() -> History:
    return History(
        sessions=[
            SessionLog(
                date=dt.date(2026, 2, 1) + dt.timedelta(days=2 * n),
                pain_before=6 - n // 3,
                pain_after=5 - n // 3,
                items=[ItemLog(exercise="forearm-plank", hold_seconds=15 + 2 * n, rating="right")],
            )
            for n in range(12)
        ]
    )


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class Pdf:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.reader = PdfReader(io.BytesIO(data))
        self.pages = [flat(page.extract_text() or "") for page in self.reader.pages]

    @property
    def text(self) -> str:
        return " ".join(self.pages)

    def size(self) -> tuple[int, int]:
        box = self.reader.pages[0].mediabox
        return round(float(box.width)), round(float(box.height))

    def strokes(self) -> int:
        """How many paths the whole document strokes (XObject forms included)."""
        count = 0

        def visit(operator: bytes, *_: object) -> None:
            nonlocal count
            count += operator in (b"S", b"s", b"B", b"b")

        for page in self.reader.pages:
            page.extract_text(visitor_operand_before=visit)
        return count


@pytest.fixture(scope="module")
def plan() -> Decision:
    decision = decide(typical_profile(), history(), START, 7)
    assert decision.status == "plan"
    return decision


@pytest.fixture(scope="module")
def a4(plan: Decision) -> Pdf:
    return Pdf(handout_pdf(plan, history=history(), paper="a4", today=TODAY))


@pytest.fixture(scope="module")
def letter(plan: Decision) -> Pdf:
    return Pdf(handout_pdf(plan, history=None, paper="letter", today=TODAY))


def planned_names(decision: Decision) -> set[str]:
    return {item.name for day in decision.days for s in day.sessions for item in s.items}


def test_a4_handout_has_the_week_the_exercises_and_a_progress_page(a4: Pdf, plan: Decision) -> None:
    assert a4.data.startswith(b"%PDF-")
    assert a4.size() == A4
    cards = exercise_cards(plan, default_catalogue())
    assert 3 <= len(a4.pages) <= 2 + len(cards)
    assert "Your week" in a4.pages[0]
    assert "Discomfort is okay; pain is not" in a4.pages[0]
    assert "see a clinician" in a4.pages[0]
    assert "Your progress in the last 12 weeks" in a4.pages[-1]
    assert "12 sessions logged in the last 12 weeks, from 1 February 2026 to 23 February 2026" in a4.pages[-1]
    for day in plan.days:
        assert day_label(day.date) in a4.pages[0]


def logged_on(*days: dt.date) -> History:
    return History(
        sessions=[
            SessionLog(date=day, pain_before=4, pain_after=3,
                       items=[ItemLog(exercise="forearm-plank", hold_seconds=20, rating="right")])
            for day in days
        ]
    )


def test_the_progress_section_covers_the_last_12_weeks_up_to_today() -> None:
    assert PROGRESS_WEEKS == records.RECENT_WEEKS == 12  # the weeks the stored handouts read
    first_day = TODAY - dt.timedelta(days=7 * 12 - 1)
    too_old = first_day - dt.timedelta(days=1)
    later = TODAY + dt.timedelta(days=1)
    history = logged_on(too_old, dt.date(2025, 6, 1), later, TODAY, first_day)
    progress = progress_section(history, default_catalogue(), TODAY)
    assert progress is not None
    assert (progress.sessions, progress.first, progress.last, progress.weeks) == (2, first_day, TODAY, 12)
    assert too_old.isoformat() not in progress.pain and first_day.isoformat() in progress.pain
    # Only sessions from before the period (or after the day it is made): no section at all.
    assert progress_section(logged_on(too_old, later), default_catalogue(), TODAY) is None
    # The calendar's six weeks end on the day the handout is made, not on the last session.
    three_weeks_ago = TODAY - dt.timedelta(days=21)
    calendar = progress_section(logged_on(first_day, three_weeks_ago), default_catalogue(), TODAY)
    assert calendar is not None
    last_sunday = TODAY + dt.timedelta(days=6 - TODAY.weekday())
    assert f"to {last_sunday.isoformat()}: 1 day with a session, 0 planned days missed" in calendar.adherence
    html = render_html(decide(typical_profile(), history, START, 7), history=history, today=TODAY)
    assert "2 sessions logged in the last 12 weeks" in flat(html)
    one_day = render_html(decide(typical_profile(), history, START, 7), history=logged_on(TODAY), today=TODAY)
    assert f"1 session logged in the last 12 weeks, on {TODAY.day} {TODAY.strftime('%B %Y')}." in flat(one_day)


def test_every_planned_exercise_is_named_once_with_its_dose(a4: Pdf, plan: Decision) -> None:
    text = a4.text
    for name in planned_names(plan):
        assert name in text, name
    for card in exercise_cards(plan, default_catalogue()):
        for dose in card.doses:
            assert dose in text


def test_page_breaks_never_split_an_exercise(a4: Pdf, plan: Decision) -> None:
    for card in exercise_cards(plan, default_catalogue()):
        assert card.entry is not None, f"{card.slug} is not in the catalogue"
        first_cue = flat(card.entry.cues[0])[:40]
        last_line = flat(card.entry.safety[-1])[:40]
        pages = [n for n, page in enumerate(a4.pages) if card.name in page and first_cue in page]
        assert pages, f"{card.name}: its name and first cue are not on one page"
        assert any(last_line in a4.pages[n] for n in pages), f"{card.name} is split across pages"


def test_figures_are_embedded(plan: Decision) -> None:
    html = render_html(plan, today=TODAY)
    figures = html.count('src="data:image/svg+xml;base64,')
    drawn = [card for card in exercise_cards(plan, default_catalogue()) if figure_svg(card.slug, None, 0, 320)]
    assert drawn, "no planned exercise has a drawing"
    # One figure per still exercise, two (start and end) per moving one.
    assert figures == sum(2 if figure_frames(card.slug) > 1 else 1 for card in drawn)
    with_figures = Pdf(render_pdf(html))
    without = Pdf(render_pdf(render_html(plan, today=TODAY, figure=lambda *_: None)))
    # Every figure strokes at least one line (limbs); nothing else differs between the two.
    assert with_figures.strokes() - without.strokes() >= figures


def test_letter_paper_and_no_progress_page_without_history(letter: Pdf, a4: Pdf) -> None:
    assert letter.size() == LETTER
    assert "Your progress" not in letter.text
    assert "Your week" in letter.pages[0]
    assert "Discomfort is okay; pain is not" in letter.pages[0]  # the safety box fits page 1


def test_only_system_fonts_are_embedded(a4: Pdf) -> None:
    fonts: set[str] = set()
    for page in a4.reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    assert all(re.search(r"DejaVu|Liberation", name) for name in fonts), fonts


def test_a_referral_gives_one_page_and_no_exercises() -> None:
    profile = typical_profile().model_copy(update={"red_flags": RedFlags(saddle_numbness=True)})
    referral = decide(profile, None, START, 7)
    pdf = Pdf(handout_pdf(referral, paper="a4", today=TODAY))
    assert len(pdf.pages) == 1
    assert "Please see a clinician before exercising" in pdf.text
    assert "This is an emergency." in pdf.text
    for reason in referral.reasons:
        assert flat(reason) in pdf.text
    assert "How to do it".upper() not in pdf.text.upper()
    plan = decide(typical_profile(), None, START, 7)
    assert not any(name in pdf.text for name in planned_names(plan))


def test_unknown_paper_is_refused(plan: Decision) -> None:
    with pytest.raises(ValueError, match="a4, letter"):
        render_html(plan, paper="a5")  # type: ignore[arg-type]


def test_handout_words_copy_nothing_from_the_seeds() -> None:
    index = seed_index()
    texts = {path.name: re.sub(r"<[^>]+>|\{[%{#].*?[%}#]\}", " ", path.read_text()) for path in TEMPLATES.glob("handout*")}
    texts["constants"] = " | ".join(
        [PAIN_RULE, DISCLAIMER, *clinician_signs(), *(group.advice for group in clinician_sign_groups())]
    )
    texts["docs/reports.md"] = (ROOT / "docs" / "reports.md").read_text()
    for name, text in texts.items():
        assert index.shared_runs(text) == [], name
