"""Form parsing for the HTML pages: raw text in, a model or named problems out.

Every parser takes the submitted form as ``{name: [values]}`` and returns a ``Parsed``:
the model when all is well, otherwise ``errors`` (``{field name: message}``) next to the
``values`` the person typed, so the page can come back with both. Nothing here knows about
HTTP; the labels and plain-language texts of the forms live here as well, so the parsers
and the templates agree on the field names.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from lumbo.domain.model import HardActivity, Profile, RedFlags
from lumbo.domain.words import AREAS, CONDITIONS, EQUIPMENT, GOALS, LEVELS, WEAK_AREAS

ModelT = TypeVar("ModelT", bound=BaseModel)
FormData = Mapping[str, Sequence[str]]

MAX_ACTIVITIES = 3

#: The red-flag questions in plain words, in the order asked (keys are RedFlags fields).
RED_FLAG_QUESTIONS: dict[str, str] = {
    "saddle_numbness": (
        "Do you have numbness or tingling between your legs, around your genitals or "
        "back passage (where you would sit on a saddle)?"
    ),
    "bladder_or_bowel_change": (
        "Since the back pain began, is it newly hard to pass urine, hold it in, or control your bowels?"
    ),
    "leg_weakness_worsening": "Is one of your legs or feet getting weaker, or does a foot catch or drag?",
    "major_trauma": "Did the pain start with a fall, a road accident, a hard tackle or a heavy blow?",
    "fever_or_unwell": "Do you have a fever or chills, or feel generally ill, along with the pain?",
    "unexplained_weight_loss": "Have you lost weight recently without trying to?",
    "history_of_cancer": "Do you have cancer now, or have you had it in the past?",
    "night_pain_unrelenting": (
        "At night, is the pain there whatever position you lie in, with nothing that eases it?"
    ),
}

CONDITION_LABELS: dict[str, str] = {
    "herniated_disc": "A herniated (slipped) disc",
    "spinal_stenosis": "Spinal stenosis (narrowing around the spinal nerves)",
    "spondylolisthesis": "Spondylolisthesis (one vertebra slipped forward)",
    "recent_back_surgery": "Back surgery in recent months",
    "osteoporosis": "Osteoporosis (thinning, fragile bones)",
}
# Pregnancy is not in this list: the form asks "Are you pregnant?" on its own, as a required
# yes/no (an unticked box would read as "no"); a "yes" also sets the "pregnancy" condition.

EQUIPMENT_LABELS: dict[str, str] = {
    "mat": "Exercise mat (a rug or carpet will do)",
    "foam_roller": "Foam roller",
    "ball": "Massage ball (a tennis or lacrosse ball works)",
    "peanut": "Peanut: two balls taped together side by side",
    "block": "Yoga block (or a firm stack of books)",
    "step": "Step or the bottom stair",
    "table": "Sturdy table you can lie across",
    "wall": "A stretch of clear wall",
    "door_frame": "A door frame you can hold",
    "band": "Resistance band",
    "bar": "Pull-up bar or other sturdy bar overhead",
    "weights": "Weights: dumbbell, kettlebell or barbell",
    "suspension_trainer": "Suspension straps (TRX-style)",
    "bench": "Exercise bench or sturdy low bench",
}
# The chair is not in this list either: "Do you have a sturdy chair you can use?" (yes by
# default) sets both chair_at_home and the "chair" equipment word.

AREA_NAMES: dict[str, str] = {
    "calves": "Calves",
    "hamstrings": "Back of the thighs (hamstrings)",
    "hip_flexors": "Front of the hips (hip flexors)",
    "glutes": "Buttocks (glutes)",
    "adductors": "Inner thighs (adductors)",
    "abs": "Belly muscles (abs)",
    "lats": "Sides of the back under the arms (lats)",
    "thoracic": "Upper back (thoracic spine)",
    "pecs": "Chest (pecs)",
    "neck": "Neck",
    "low_back": "Lower back",
}

#: The guided self-check per area: (what to try, what counts as tight). lumbo's own words.
AREA_CHECKS: dict[str, tuple[str, str]] = {
    "calves": (
        "Face a wall with one foot a stride behind the other, back heel down, and bend the front knee.",
        "The back calf pulls hard before the front knee gets past the toes, or the heel lifts.",
    ),
    "hamstrings": (
        "Lie on your back and lift one leg with the knee straight.",
        "The back of the thigh stops the leg well short of pointing at the ceiling.",
    ),
    "hip_flexors": (
        "Kneel on one knee, tuck your tailbone under and shift your weight a little forward.",
        "The front of the back hip pulls straight away, or you can only stay upright by arching.",
    ),
    "glutes": (
        "Lying on your back, rest one ankle on the other knee and draw both legs towards you.",
        "The buttock pulls before the thigh comes close, or one side is far stiffer.",
    ),
    "adductors": (
        "Sit with the soles of your feet together and let your knees drop out to the sides.",
        "Your knees stay high above your hips and the inner thighs pull.",
    ),
    "abs": (
        "Lie face down and press up gently on your hands, leaving your hips on the floor.",
        "The front of the belly pulls before your arms are half straight.",
    ),
    "lats": (
        "Stand with your back to a wall and raise both straight arms overhead.",
        "Your thumbs cannot reach the wall unless your lower back arches away from it.",
    ),
    "thoracic": (
        "Sit tall, cross your arms over your chest and turn your upper body to each side.",
        "Your upper back feels stiff or rounded, or you turn clearly less to one side.",
    ),
    "pecs": (
        "Stand in a doorway with a forearm on the frame at shoulder height and step through.",
        "The chest pulls after a small step, or your shoulders roll forward when you stand relaxed.",
    ),
    "neck": (
        "Sit tall and tip one ear towards its shoulder, then your chin towards your chest.",
        "The side or back of the neck pulls early, or one side moves less than the other.",
    ),
    "low_back": (
        "Stand and bend gently forwards, then backwards, only as far as feels easy.",
        "The lower back feels stiff, like a band across it, in either direction.",
    ),
}

# The texts of the weak-area self-checks, the goals and the hip-stretch choice are in
# intake.html (the page is given no more than the dictionaries above); these are the answers.
HIP_STRETCH_VALUES = ("1", "2")

TREND_OPTIONS = (("improving", "Getting better"), ("same", "About the same"), ("worsening", "Getting worse"))
LEVEL_OPTIONS = (
    ("beginner", "Beginner: little or no regular exercise"),
    ("intermediate", "Intermediate: active a few times a week"),
    ("advanced", "Advanced: train regularly and feel strong"),
)
SLEEP_OPTIONS = (("good", "Good"), ("fair", "Fair"), ("poor", "Poor"))
YES_NO = (("yes", "Yes"), ("no", "No"))

#: What the intake says when a required answer is missing. The server's 422 and the
#: browser's Next button (intake.js, given this as JSON) use the same words. Every question
#: that can lead to a referral (trend, leg pain, pregnancy) is here and never pre-answered.
INTAKE_MISSING: dict[str, str] = {
    "pain_now": "Enter pain now: a whole number from 0 to 10.",
    "pain_worst_week": "Enter worst pain this week: a whole number from 0 to 10.",
    "duration_weeks": "Enter how many weeks: a whole number from 0 to 5200.",
    "pain_trend": "Tell us whether the pain is getting better, staying about the same or getting worse.",
    "leg_pain_below_knee": "Tell us whether the pain spreads below the knee.",
    "chair_at_home": "Please answer yes or no: do you have a sturdy chair?",
    "minutes_per_day": "Enter minutes per day: a whole number from 5 to 90.",
    "days_per_week": "Enter days per week: a whole number from 1 to 7.",
    "hip_stretches_per_day": "Choose once or twice a day.",
    "level": "Choose the level that fits you best.",
    "pregnant": "Please answer yes or no: are you pregnant?",
    "desk_hours_per_day": "Enter hours sitting a day: a number from 0 to 24.",
    "exercise_days_per_week": "Enter days of exercise: a whole number from 0 to 7.",
    "sleep_hours": "Enter hours of sleep: a number from 0 to 24.",
    "sleep_quality": "Choose how well you sleep.",
}


@dataclass
class Parsed(Generic[ModelT]):
    """The outcome of parsing one form: ``model`` when valid, else ``errors``."""

    values: dict[str, str | list[str]]
    errors: dict[str, str] = field(default_factory=dict)
    model: ModelT | None = None

    @property
    def ok(self) -> bool:
        return self.model is not None and not self.errors


def _one(form: FormData, name: str) -> str:
    found = form.get(name) or []
    return found[0].strip() if found else ""


def _number(
    form: FormData,
    name: str,
    errors: dict[str, str],
    low: float,
    high: float,
    *,
    whole: bool = True,
    what: str,
    required: bool = True,
) -> float | None:
    raw = _one(form, name).replace(",", ".")
    kind = "a whole number" if whole else "a number"
    if not raw:
        if required:
            errors[name] = f"Enter {what}: {kind} from {low:g} to {high:g}."
        return None
    try:
        value = float(raw)
    except ValueError:
        errors[name] = f"{what.capitalize()} must be {kind} from {low:g} to {high:g}; you typed '{raw}'."
        return None
    if not math.isfinite(value) or (whole and value != int(value)) or not low <= value <= high:
        errors[name] = f"{what.capitalize()} must be {kind} from {low:g} to {high:g}; you typed '{raw}'."
        return None
    return value


def _choice(
    form: FormData, name: str, options: Sequence[str], errors: dict[str, str], message: str
) -> str | None:
    raw = _one(form, name)
    if raw not in options:
        errors[name] = message
        return None
    return raw


def _many(form: FormData, name: str, allowed: Sequence[str], errors: dict[str, str]) -> list[str]:
    picked = [value for value in form.get(name, []) if value]
    unknown = [value for value in picked if value not in allowed]
    if unknown:
        errors[name] = f"Unknown choice '{unknown[0]}'. Pick from the list."
    return [value for value in allowed if value in picked]


def _raw_values(form: FormData, multi: Sequence[str] = ()) -> dict[str, str | list[str]]:
    values: dict[str, str | list[str]] = {}
    for name, items in form.items():
        values[name] = [str(v) for v in items] if name in multi else (str(items[0]) if items else "")
    return values


def parse_screen(form: FormData) -> Parsed[RedFlags]:
    """The red-flag answers: every question needs a yes or a no."""
    errors: dict[str, str] = {}
    answers: dict[str, bool] = {}
    for name in RED_FLAG_QUESTIONS:
        value = _choice(form, name, ("yes", "no"), errors, "Please answer yes or no.")
        if value is not None:
            answers[name] = value == "yes"
    parsed: Parsed[RedFlags] = Parsed(values=_raw_values(form), errors=errors)
    if not errors:
        parsed.model = RedFlags(**answers)
    return parsed


PROFILE_MULTI = ("conditions", "tight_areas", "weak_areas", "equipment")


def parse_profile(form: FormData, red_flags: RedFlags) -> Parsed[Profile]:
    """The intake form into a Profile (the stored red-flag answers are carried in)."""
    errors: dict[str, str] = {}
    get = form
    age = _number(get, "age", errors, 0, 120, what="your age", required=False)
    pain_now = _number(get, "pain_now", errors, 0, 10, what="pain now")
    pain_worst = _number(get, "pain_worst_week", errors, 0, 10, what="worst pain this week")
    duration = _number(get, "duration_weeks", errors, 0, 5200, what="how many weeks")
    missing = INTAKE_MISSING
    trend = _choice(get, "pain_trend", [v for v, _ in TREND_OPTIONS], errors, missing["pain_trend"])
    leg = _choice(get, "leg_pain_below_knee", ("yes", "no"), errors, missing["leg_pain_below_knee"])
    conditions = _many(get, "conditions", CONDITIONS, errors)
    pregnant = _choice(get, "pregnant", ("yes", "no"), errors, missing["pregnant"])
    postpartum = _number(
        get, "postpartum_months", errors, 0, 600, what="months since giving birth", required=False
    )
    tight = _many(get, "tight_areas", AREAS, errors)
    weak = _many(get, "weak_areas", WEAK_AREAS, errors)
    goal = _choice(
        get, "goal", (*GOALS, ""), errors, "Choose one of the goals, or 'Not sure, or no single goal'."
    )
    chair = _choice(get, "chair_at_home", ("yes", "no"), errors, missing["chair_at_home"])
    equipment = _many(get, "equipment", EQUIPMENT, errors)
    # The separate questions set these two words too, so the lists and the answers agree.
    # Pregnancy keeps its "before starting" referral; either way of saying it counts.
    is_pregnant = pregnant == "yes" or "pregnancy" in conditions
    conditions = [c for c in CONDITIONS if c in conditions or (c == "pregnancy" and is_pregnant)]
    equipment = [
        e for e in EQUIPMENT if (e == "chair" and chair == "yes") or (e != "chair" and e in equipment)
    ]
    minutes = _number(get, "minutes_per_day", errors, 5, 90, what="minutes per day")
    days = _number(get, "days_per_week", errors, 1, 7, what="days per week")
    hip_stretches = _choice(
        get, "hip_stretches_per_day", HIP_STRETCH_VALUES, errors, missing["hip_stretches_per_day"]
    )
    level = _choice(get, "level", LEVELS, errors, missing["level"])
    desk = _number(get, "desk_hours_per_day", errors, 0, 24, whole=False, what="hours sitting a day")
    exercise_days = _number(get, "exercise_days_per_week", errors, 0, 7, what="days of exercise")
    sleep = _number(get, "sleep_hours", errors, 0, 24, whole=False, what="hours of sleep")
    sleep_quality = _choice(
        get, "sleep_quality", [v for v, _ in SLEEP_OPTIONS], errors, missing["sleep_quality"]
    )
    sports_raw = _one(get, "sports")
    sports = [part.strip() for part in sports_raw.split(",") if part.strip()]
    if len(sports) > 10 or any(len(s) > 60 for s in sports):
        errors["sports"] = "List at most 10 sports, each under 60 letters, separated by commas."
    overweight = _one(get, "overweight") == "yes"

    activities: list[HardActivity] = []
    for index in range(1, MAX_ACTIVITIES + 1):
        name = _one(get, f"activity_{index}_name")
        score_field = f"activity_{index}_score"
        if not name and not _one(get, score_field):
            continue
        if not name:
            errors[f"activity_{index}_name"] = "Name the activity this score is for."
            continue
        if len(name) > 80:
            errors[f"activity_{index}_name"] = "Keep the activity under 80 letters."
            continue
        score = _number(get, score_field, errors, 0, 10, what="the score")
        if score is not None:
            activities.append(HardActivity(name=name, score=int(score)))

    if pain_now is not None and pain_worst is not None and pain_worst < pain_now:
        errors["pain_worst_week"] = (
            "Worst pain this week can't be lower than pain now: raise it to at least "
            f"{pain_now:g}, or lower pain now."
        )

    parsed: Parsed[Profile] = Parsed(values=_raw_values(form, PROFILE_MULTI), errors=errors)
    if errors:
        return parsed
    try:
        parsed.model = Profile.model_validate(
            {
                "age": None if age is None else int(age),
                "pain_now": pain_now,
                "pain_worst_week": pain_worst,
                "duration_weeks": duration,
                "pain_trend": trend,
                "leg_pain_below_knee": leg == "yes",
                "red_flags": red_flags,
                "conditions": conditions,
                "tight_areas": tight,
                "equipment": equipment,
                "minutes_per_day": minutes,
                "days_per_week": days,
                "level": level,
                "desk_hours_per_day": desk,
                "lifestyle": {
                    "exercise_days_per_week": exercise_days,
                    "sleep_hours": sleep,
                    "sleep_quality": sleep_quality,
                    "sports": sports,
                    "overweight": overweight,
                },
                "hard_activities": activities,
                "weak_areas": weak,
                "goal": goal or None,
                "pregnant": is_pregnant,
                "postpartum_months": None if postpartum is None else int(postpartum),
                "hip_stretches_per_day": int(hip_stretches or 1),
                "chair_at_home": chair == "yes",
            }
        )
    except ValidationError as error:
        # The checks above mirror the model; this is the safety net for anything they miss.
        for problem in error.errors():
            name = str(problem["loc"][0]) if problem["loc"] else "form"
            parsed.errors.setdefault(name, f"Please check this answer: {problem['msg']}.")
    return parsed


def profile_values(profile: Profile) -> dict[str, str | list[str]]:
    """A saved profile as form values, to fill the intake form when editing."""
    values: dict[str, str | list[str]] = {
        "age": "" if profile.age is None else str(profile.age),
        "pain_now": str(profile.pain_now),
        "pain_worst_week": str(profile.pain_worst_week),
        "duration_weeks": str(profile.duration_weeks),
        "pain_trend": profile.pain_trend,
        "leg_pain_below_knee": "yes" if profile.leg_pain_below_knee else "no",
        "conditions": [c for c in profile.conditions if c != "pregnancy"],
        "pregnant": _pregnant_answer(profile),
        "postpartum_months": "" if profile.postpartum_months is None else str(profile.postpartum_months),
        "tight_areas": list(profile.tight_areas),
        "weak_areas": list(profile.weak_areas),
        "goal": profile.goal or "",
        "hip_stretches_per_day": str(profile.hip_stretches_per_day),
        "chair_at_home": "yes" if profile.chair_at_home else "no",
        "equipment": [e for e in profile.equipment if e != "chair"],
        "minutes_per_day": str(profile.minutes_per_day),
        "days_per_week": str(profile.days_per_week),
        "level": profile.level,
        "desk_hours_per_day": f"{profile.desk_hours_per_day:g}",
        "exercise_days_per_week": str(profile.lifestyle.exercise_days_per_week),
        "sleep_hours": f"{profile.lifestyle.sleep_hours:g}",
        "sleep_quality": profile.lifestyle.sleep_quality,
        "sports": ", ".join(profile.lifestyle.sports),
        "overweight": "yes" if profile.lifestyle.overweight else "",
    }
    for index, activity in enumerate(profile.hard_activities, start=1):
        values[f"activity_{index}_name"] = activity.name
        values[f"activity_{index}_score"] = str(activity.score)
    return values


def _pregnant_answer(profile: Profile) -> str:
    """ "yes", "no", or "" for a profile saved before lumbo asked (so it is asked, not assumed)."""
    if profile.pregnant or "pregnancy" in profile.conditions:
        return "yes"
    return "no" if "pregnant" in profile.model_fields_set else ""


def screen_values(flags: RedFlags) -> dict[str, str | list[str]]:
    """The stored answers to show when the screen is opened again: a "yes" stays ticked (the
    person sees what led to the referral), a "no" does not, so each warning sign is answered
    afresh and never clicked through from last time."""
    return {name: "yes" for name in RED_FLAG_QUESTIONS if getattr(flags, name)}


#: A fresh intake's answers: only where a wrong default is harmless, and the page says so
#: next to each ("We assumed ..."; minutes and days are shown as a suggestion). Pain trend,
#: leg pain and pregnancy can lead to a referral, so they start unanswered; so do sitting
#: hours, active days and sleep, facts only the person knows (docs/web.md, "The intake").
DEFAULT_INTAKE: dict[str, str | list[str]] = {
    "minutes_per_day": "15",
    "days_per_week": "5",
    "level": "beginner",
    "goal": "",
    "hip_stretches_per_day": "1",
    "chair_at_home": "yes",
}
