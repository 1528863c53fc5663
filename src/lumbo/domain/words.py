"""The controlled vocabularies of lumbo: area, equipment, condition and category words
(and ``plural``, to count things in sentences).

These words are a public contract (profiles, catalogue files and plans use them); add
words freely, rename none.
"""

from typing import Literal, get_args

Area = Literal[
    "calves",
    "hamstrings",
    "hip_flexors",
    "glutes",
    "adductors",
    "abs",
    "lats",
    "thoracic",
    "pecs",
    "neck",
    "low_back",
]
Equipment = Literal[
    "mat",
    "foam_roller",
    "ball",
    "peanut",
    "block",
    "chair",
    "step",
    "table",
    "wall",
    "door_frame",
    "band",
    "bar",
    "weights",
    "suspension_trainer",
    "bench",
]
Condition = Literal[
    "herniated_disc",
    "spinal_stenosis",
    "spondylolisthesis",
    "recent_back_surgery",
    "osteoporosis",
    "pregnancy",
]
#: Areas a person feels are weak or "switched off" (seed 002: inactive areas get activation).
WeakArea = Literal["glutes", "core", "upper_back"]
#: What the person most wants back; it changes the plan's emphasis, never its safety rules.
Goal = Literal["less_pain", "sit_longer", "lift_and_garden", "return_to_sport", "gym_lifting"]
Category = Literal[
    "relief", "release", "stretch", "mobility", "activation", "strength", "posture", "breathing"
]
Level = Literal["beginner", "intermediate", "advanced"]
Stage = Literal["relief", "activation", "maintenance"]
Frequency = Literal["daily", "every_other_day", "weekly"]
Rating = Literal["easy", "right", "hard", "pain"]
PainTrend = Literal["improving", "same", "worsening"]
SleepQuality = Literal["good", "fair", "poor"]
Position = Literal[
    "standing",
    "lying_on_back",
    "lying_on_front",
    "lying_on_side",
    "kneeling",
    "half_kneeling",
    "seated",
    "quadruped",
    "hanging",
    "squatting",
]

AREAS: tuple[str, ...] = get_args(Area)
WEAK_AREAS: tuple[str, ...] = get_args(WeakArea)
GOALS: tuple[str, ...] = get_args(Goal)
EQUIPMENT: tuple[str, ...] = get_args(Equipment)
CONDITIONS: tuple[str, ...] = get_args(Condition)
CATEGORIES: tuple[str, ...] = get_args(Category)
LEVELS: tuple[str, ...] = get_args(Level)
LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}


def plural(count: int, word: str) -> str:
    """'1 exercise', '3 exercises'."""
    return f"{count} {word}{'' if count == 1 else 's'}"
