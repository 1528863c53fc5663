"""Each rule of the red-flag screen, named after the rule."""

from __future__ import annotations

import pytest

from lumbo.domain.model import RedFlags
from lumbo.domain.screening import EMERGENCY_FLAGS, URGENT_FLAGS, screen
from lumbo.services import decide
from tests.unit.factories import profile, small_catalogue


@pytest.mark.parametrize("flag", sorted(EMERGENCY_FLAGS))
def test_cauda_equina_signs_refer_as_emergency(flag: str) -> None:
    decision = screen(profile(red_flags=RedFlags(**{flag: True})))
    assert decision is not None
    assert (decision.status, decision.urgency) == ("refer", "emergency")
    assert decision.days == [] and decision.what_to_do


@pytest.mark.parametrize("flag", sorted(URGENT_FLAGS))
def test_other_red_flags_refer_as_urgent(flag: str) -> None:
    decision = screen(profile(red_flags=RedFlags(**{flag: True})))
    assert decision is not None and decision.urgency == "urgent"


@pytest.mark.parametrize(
    "fields",
    [
        {"conditions": ["herniated_disc"]},
        {"conditions": ["pregnancy"]},
        {"leg_pain_below_knee": True},
        {"pain_trend": "worsening"},
        {"age": 16},
    ],
)
def test_seed_exclusions_refer_before_starting(fields: dict[str, object]) -> None:
    decision = screen(profile(**fields))
    assert decision is not None and decision.urgency == "before_starting"
    assert len(decision.reasons) == 1


def test_most_urgent_reason_wins_and_every_reason_is_listed() -> None:
    decision = screen(
        profile(
            red_flags=RedFlags(major_trauma=True, saddle_numbness=True),
            conditions=["osteoporosis"],
        )
    )
    assert decision is not None and decision.urgency == "emergency"
    assert len(decision.reasons) == 3


def test_a_clear_profile_passes_the_screen() -> None:
    assert screen(profile(age=18)) is None


def test_decide_never_plans_for_a_referral() -> None:
    decision = decide(profile(red_flags=RedFlags(fever_or_unwell=True)), catalogue=small_catalogue())
    assert decision.status == "refer" and decision.days == [] and decision.stage is None
