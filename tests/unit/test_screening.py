"""Each rule of the red-flag screen, named after the rule, pinned to literal answers.

Safety rules are pinned, not mirrored: every table below is written out by hand from
docs/planner.md ("1. The screen"), and nothing here imports the code's own tables
(EMERGENCY_FLAGS, URGENT_FLAGS, CONDITION_REASONS, WHAT_TO_DO, ADULT_AGE) for an expected
answer. Deleting a flag from a table, moving it to another urgency, changing a reason's words
or the adult age makes a test here fail. docs/testing.md says how mutation testing checks that.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lumbo.domain.model import RedFlags
from lumbo.domain.screening import screen
from lumbo.services import decide
from tests.unit.factories import profile

# flag -> urgency, one line each, as docs/planner.md states them.
FLAG_URGENCY: dict[str, str] = {
    "saddle_numbness": "emergency",
    "bladder_or_bowel_change": "emergency",
    "leg_weakness_worsening": "emergency",
    "major_trauma": "urgent",
    "fever_or_unwell": "urgent",
    "unexplained_weight_loss": "urgent",
    "history_of_cancer": "urgent",
    "night_pain_unrelenting": "urgent",
}

# flag -> the reason the person reads, word for word.
FLAG_REASON: dict[str, str] = {
    "saddle_numbness": "You have numbness between your legs or around your back passage.",
    "bladder_or_bowel_change": "You have a new change in how your bladder or bowels work.",
    "leg_weakness_worsening": "A leg or foot is getting weaker.",
    "major_trauma": "Your pain began with a fall, a crash or a heavy blow.",
    "fever_or_unwell": "You have a fever or feel generally unwell.",
    "unexplained_weight_loss": "You have lost weight without trying.",
    "history_of_cancer": "You have or have had cancer.",
    "night_pain_unrelenting": "Your pain at night does not ease in any position.",
}

# condition -> (urgency, reason): every listed condition refers before starting.
CONDITION_OUTCOME: dict[str, tuple[str, str]] = {
    "herniated_disc": ("before_starting", "You have a herniated (slipped) disc."),
    "spinal_stenosis": ("before_starting", "You have spinal stenosis."),
    "spondylolisthesis": ("before_starting", "You have spondylolisthesis."),
    "recent_back_surgery": ("before_starting", "You had back surgery recently."),
    "osteoporosis": ("before_starting", "You have osteoporosis."),
    "pregnancy": ("before_starting", "You are pregnant."),
}

# the other exclusions: profile fields -> (urgency, reason).
BELOW_KNEE = "Your pain spreads down a leg below the knee."
WORSENING = "Your pain keeps getting worse."
UNDER_18 = "lumbo's programme is written for adults, and you are under 18."
EXCLUSION_OUTCOME: list[tuple[dict[str, object], tuple[str, str]]] = [
    ({"leg_pain_below_knee": True}, ("before_starting", BELOW_KNEE)),
    ({"pain_trend": "worsening"}, ("before_starting", WORSENING)),
    ({"age": 17}, ("before_starting", UNDER_18)),
    # Pregnancy however it is said: the yes/no question or the condition word.
    ({"pregnant": True}, ("before_starting", "You are pregnant.")),
]

# urgency -> what to do, word for word.
WHAT_TO_DO: dict[str, str] = {
    "emergency": (
        "Please get medical help now: call your local emergency number or go to an emergency "
        "department today. These signs can mean pressure on the nerves at the base of the spine, "
        "which needs checking straight away. Do not start exercises."
    ),
    "urgent": (
        "Please see a doctor within the next day or two and tell them what you told lumbo. "
        "Hold off on these exercises until a clinician has checked you."
    ),
    "before_starting": (
        "Please talk to a doctor or physiotherapist before you start. Take your answers with you; "
        "once they say exercise is right for you, lumbo can build your plan."
    ),
}

URGENCY_RANK = {"emergency": 0, "urgent": 1, "before_starting": 2}


def test_the_pinned_tables_cover_every_answer_the_intake_can_give() -> None:
    # A new warning sign or condition in the model must be added here by hand, with its urgency.
    from lumbo.domain.words import CONDITIONS

    assert set(RedFlags.model_fields) == set(FLAG_URGENCY) == set(FLAG_REASON)
    assert set(CONDITIONS) == set(CONDITION_OUTCOME)


@pytest.mark.parametrize("flag", list(FLAG_URGENCY))
def test_each_red_flag_refers_at_its_pinned_urgency(flag: str) -> None:
    decision = screen(profile(red_flags=RedFlags(**{flag: True})))
    assert decision is not None
    assert (decision.status, decision.urgency) == ("refer", FLAG_URGENCY[flag])
    assert decision.reasons == [FLAG_REASON[flag]]
    assert decision.what_to_do == WHAT_TO_DO[FLAG_URGENCY[flag]]
    assert decision.days == [] and decision.stage is None


@pytest.mark.parametrize("flag", ["saddle_numbness", "bladder_or_bowel_change", "leg_weakness_worsening"])
def test_cauda_equina_signs_refer_as_emergency(flag: str) -> None:
    decision = screen(profile(red_flags=RedFlags(**{flag: True})))
    assert decision is not None and decision.urgency == "emergency"


@pytest.mark.parametrize(
    "flag",
    [
        "major_trauma",
        "fever_or_unwell",
        "unexplained_weight_loss",
        "history_of_cancer",
        "night_pain_unrelenting",
    ],
)
def test_other_red_flags_refer_as_urgent(flag: str) -> None:
    decision = screen(profile(red_flags=RedFlags(**{flag: True})))
    assert decision is not None and decision.urgency == "urgent"


@pytest.mark.parametrize("condition", list(CONDITION_OUTCOME))
def test_each_listed_condition_refers_before_starting(condition: str) -> None:
    decision = screen(profile(conditions=[condition]))
    urgency, reason = CONDITION_OUTCOME[condition]
    assert decision is not None
    assert (decision.status, decision.urgency, decision.reasons) == ("refer", urgency, [reason])
    assert decision.what_to_do == WHAT_TO_DO[urgency]


@pytest.mark.parametrize(("fields", "outcome"), EXCLUSION_OUTCOME)
def test_seed_exclusions_refer_before_starting(fields: dict[str, object], outcome: tuple[str, str]) -> None:
    decision = screen(profile(**fields))
    urgency, reason = outcome
    assert decision is not None
    assert (decision.status, decision.urgency, decision.reasons) == ("refer", urgency, [reason])
    assert decision.what_to_do == WHAT_TO_DO[urgency]


def test_a_condition_named_twice_is_listed_once() -> None:
    decision = screen(profile(conditions=["osteoporosis", "osteoporosis"]))
    assert decision is not None and decision.reasons == ["You have osteoporosis."]


@pytest.mark.parametrize(("age", "refers"), [(0, True), (17, True), (18, False), (19, False), (120, False)])
def test_the_adult_age_is_18_at_its_edge(age: int, refers: bool) -> None:
    decision = screen(profile(age=age))
    assert (decision is not None) is refers
    if refers:
        assert decision is not None and decision.reasons == [UNDER_18]


def test_an_unknown_age_is_not_a_reason_to_refer() -> None:
    assert screen(profile(age=None)) is None


@pytest.mark.parametrize(("trend", "refers"), [("worsening", True), ("same", False), ("improving", False)])
def test_only_a_worsening_trend_refers(trend: str, refers: bool) -> None:
    assert (screen(profile(pain_trend=trend)) is not None) is refers


def test_leg_pain_that_stays_above_the_knee_does_not_refer() -> None:
    assert screen(profile(leg_pain_below_knee=False)) is None


def test_most_urgent_reason_wins_and_every_reason_is_listed() -> None:
    decision = screen(
        profile(
            red_flags=RedFlags(major_trauma=True, saddle_numbness=True),
            conditions=["osteoporosis"],
        )
    )
    assert decision is not None and decision.urgency == "emergency"
    assert decision.reasons == [
        FLAG_REASON["saddle_numbness"],
        FLAG_REASON["major_trauma"],
        "You have osteoporosis.",
    ]
    assert decision.what_to_do == WHAT_TO_DO["emergency"]


def test_urgent_outranks_before_starting() -> None:
    decision = screen(profile(red_flags=RedFlags(history_of_cancer=True), leg_pain_below_knee=True))
    assert decision is not None and decision.urgency == "urgent"
    assert decision.reasons == [FLAG_REASON["history_of_cancer"], BELOW_KNEE]
    assert decision.what_to_do == WHAT_TO_DO["urgent"]


def test_every_before_starting_reason_is_listed_most_urgent_group_first() -> None:
    decision = screen(
        profile(
            age=17,
            pain_trend="worsening",
            leg_pain_below_knee=True,
            conditions=["spinal_stenosis"],
            red_flags=RedFlags(fever_or_unwell=True, leg_weakness_worsening=True),
        )
    )
    assert decision is not None and decision.urgency == "emergency"
    assert decision.reasons == [
        FLAG_REASON["leg_weakness_worsening"],
        FLAG_REASON["fever_or_unwell"],
        "You have spinal stenosis.",
        BELOW_KNEE,
        WORSENING,
        UNDER_18,
    ]


def test_a_clear_profile_passes_the_screen() -> None:
    assert screen(profile(age=18)) is None
    assert screen(profile()) is None


@given(
    flags=st.sets(st.sampled_from(list(FLAG_URGENCY))),
    conditions=st.lists(st.sampled_from(list(CONDITION_OUTCOME)), max_size=3),
    below_knee=st.booleans(),
    trend=st.sampled_from(["improving", "same", "worsening"]),
    age=st.none() | st.integers(min_value=0, max_value=120),
)
def test_any_answers_refer_at_the_most_urgent_pinned_level(
    flags: set[str], conditions: list[str], below_knee: bool, trend: str, age: int | None
) -> None:
    decision = screen(
        profile(
            red_flags=RedFlags(**{flag: True for flag in flags}),
            conditions=conditions,
            leg_pain_below_knee=below_knee,
            pain_trend=trend,
            age=age,
        )
    )
    expected = [FLAG_URGENCY[flag] for flag in flags]
    expected += [CONDITION_OUTCOME[condition][0] for condition in conditions]
    if below_knee or trend == "worsening" or (age is not None and age <= 17):
        expected.append("before_starting")
    if not expected:
        assert decision is None
        return
    urgency = min(expected, key=URGENCY_RANK.__getitem__)
    assert decision is not None and decision.status == "refer" and decision.urgency == urgency
    assert set(decision.reasons) >= {FLAG_REASON[flag] for flag in flags}
    assert len(decision.reasons) == len(flags) + len(set(conditions)) + below_knee + (
        trend == "worsening"
    ) + (age is not None and age <= 17)


def test_the_planner_doc_states_the_same_table() -> None:
    # docs/planner.md is what a clinician reads: each flag's line there names the same urgency.
    text = (Path(__file__).parents[2] / "docs" / "planner.md").read_text(encoding="utf-8")
    for flag, urgency in FLAG_URGENCY.items():
        lines = [line for line in text.splitlines() if f"`{flag}`" in line and line.startswith("|")]
        assert lines, f"docs/planner.md has no table line for {flag}"
        assert all(re.search(rf"`{urgency}`", line) for line in lines), (flag, lines)
    assert re.search(r"age under 18.*`before_starting`", text)


def test_decide_never_plans_for_a_referral() -> None:
    decision = decide(profile(red_flags=RedFlags(fever_or_unwell=True)))
    assert decision.status == "refer" and decision.days == [] and decision.stage is None


@pytest.mark.parametrize("flag", list(FLAG_URGENCY))
def test_decide_refers_for_every_red_flag(flag: str) -> None:
    decision = decide(profile(red_flags=RedFlags(**{flag: True})))
    assert (decision.status, decision.urgency) == ("refer", FLAG_URGENCY[flag]) and decision.days == []


def test_pregnancy_said_twice_is_one_reason_and_postpartum_is_not_a_referral() -> None:
    both = screen(profile(pregnant=True, conditions=["pregnancy"]))
    assert both is not None and both.reasons == ["You are pregnant."]
    # After the birth lumbo plans, with the precautions the planner adds (no planks yet).
    assert screen(profile(postpartum_months=4)) is None
    assert screen(profile(pregnant=False)) is None
