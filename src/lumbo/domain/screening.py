"""The red-flag screen: always first, and no plan can be made without passing it.

Rules (PRODUCT.md "What the system does", and the seeds' own exclusions):
- cauda equina signs (saddle numbness, bladder or bowel change, worsening leg weakness)
  -> refer, emergency;
- any other red flag -> refer, urgent;
- a listed spine condition or pregnancy, pain below the knee, pain that keeps worsening,
  or age under 18 -> refer, before starting. Seed 003_f946f2588c8df1e8.txt excludes
  traumatic pain and herniated discs and sends worsening pain to a doctor; seed
  001_398ed349542a118e.txt calls its plan generic and asks for an expert's advice first.
The most urgent reason decides the urgency; every reason found is listed.
"""

from __future__ import annotations

from lumbo.domain.model import Decision, Profile, Urgency

EMERGENCY_FLAGS: dict[str, str] = {
    "saddle_numbness": "You have numbness between your legs or around your back passage.",
    "bladder_or_bowel_change": "You have a new change in how your bladder or bowels work.",
    "leg_weakness_worsening": "A leg or foot is getting weaker.",
}
URGENT_FLAGS: dict[str, str] = {
    "major_trauma": "Your pain began with a fall, a crash or a heavy blow.",
    "fever_or_unwell": "You have a fever or feel generally unwell.",
    "unexplained_weight_loss": "You have lost weight without trying.",
    "history_of_cancer": "You have or have had cancer.",
    "night_pain_unrelenting": "Your pain at night does not ease in any position.",
}
CONDITION_REASONS: dict[str, str] = {
    "herniated_disc": "You have a herniated (slipped) disc.",
    "spinal_stenosis": "You have spinal stenosis.",
    "spondylolisthesis": "You have spondylolisthesis.",
    "recent_back_surgery": "You had back surgery recently.",
    "osteoporosis": "You have osteoporosis.",
    "pregnancy": "You are pregnant.",
}

WHAT_TO_DO: dict[Urgency, str] = {
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

ADULT_AGE = 18


def screen(profile: Profile) -> Decision | None:
    """A referral when any warning sign is present; None when the person may go on to a plan."""
    flags = profile.red_flags
    emergency = [text for name, text in EMERGENCY_FLAGS.items() if getattr(flags, name)]
    urgent = [text for name, text in URGENT_FLAGS.items() if getattr(flags, name)]
    conditions = list(profile.conditions)
    if profile.pregnant:
        # The same answer however it is given (the flag, or the condition word): a clinical
        # check before a new exercise programme in pregnancy, as for the listed conditions.
        conditions.append("pregnancy")
    before = [CONDITION_REASONS[condition] for condition in dict.fromkeys(conditions)]
    if profile.leg_pain_below_knee:
        before.append("Your pain spreads down a leg below the knee.")
    if profile.pain_trend == "worsening":
        before.append("Your pain keeps getting worse.")
    if profile.age is not None and profile.age < ADULT_AGE:
        before.append("lumbo's programme is written for adults, and you are under 18.")

    urgency: Urgency
    if emergency:
        urgency = "emergency"
    elif urgent:
        urgency = "urgent"
    elif before:
        urgency = "before_starting"
    else:
        return None
    return Decision(
        status="refer",
        urgency=urgency,
        reasons=emergency + urgent + before,
        what_to_do=WHAT_TO_DO[urgency],
    )
