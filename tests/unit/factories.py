"""Small, hand-made catalogues and profiles for rule tests (independent of the shipped content)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lumbo.domain.catalogue import Catalogue, Exercise
from lumbo.domain.model import History, ItemLog, Profile, SessionLog

SOURCE = ["000_4e3ddc84ba866f2f.txt"]


def entry(slug: str, **fields: Any) -> Exercise:
    data: dict[str, Any] = {
        "id": slug,
        "name": slug.replace("-", " ").capitalize(),
        "category": "activation",
        "position": "lying_on_back",
        "dose": {"sets": 1, "reps": 10, "rest_seconds": 15, "seconds_per_rep": 3},
        "stages": ["activation", "maintenance"],
        "summary": "A made-up entry for tests.",
        "why": "Because the tests need it.",
        "cues": ["Step one here.", "Step two here.", "Step three here."],
        "mistakes": ["Rushing it."],
        "safety": ["Stop on pain."],
        "sources": SOURCE,
        # One pattern per family unless a test says otherwise (as pattern_id once did).
        "pattern": fields.get("family") or slug,
    }
    data.update(fields)
    return Exercise.model_validate(data)


def hold(seconds: int, target: int | None = None) -> dict[str, Any]:
    return {"sets": 1, "hold_seconds": seconds, "rest_seconds": 10, "target_hold_seconds": target}


def small_catalogue() -> Catalogue:
    return Catalogue(
        [
            entry("hip-swing", category="relief", stages=["relief"], position="standing"),
            entry("lying-hip-circles", category="relief", stages=["relief"], per_side=True),
            entry("diaphragmatic-breathing", category="breathing", stages=["relief", "activation", "maintenance"], dose=hold(60)),
            entry("glute-bridge", family="glute-bridge", harder="single-leg-glute-bridge"),
            entry("single-leg-glute-bridge", family="glute-bridge", easier="glute-bridge",
                  harder="figure-4-glute-bridge", per_side=True, level="intermediate"),
            entry("figure-4-glute-bridge", family="glute-bridge", easier="single-leg-glute-bridge",
                  per_side=True, level="advanced"),
            entry("side-lying-hip-abduction", per_side=True, position="lying_on_side"),
            entry("quadruped-plank", position="quadruped", dose=hold(15, 30)),
            entry("forearm-plank-knees", family="forearm-plank", category="strength", harder="forearm-plank",
                  position="lying_on_front", dose=hold(15, 60), frequency="every_other_day"),
            entry("forearm-plank", category="strength", easier="forearm-plank-knees", harder="forearm-plank-loaded",
                  level="intermediate", position="lying_on_front", dose=hold(20, 120), frequency="every_other_day"),
            entry("forearm-plank-loaded", family="forearm-plank", category="strength", easier="forearm-plank",
                  level="advanced", position="lying_on_front", dose=hold(20, 60), equipment=[["weights"]],
                  frequency="every_other_day"),
            entry("reverse-hyperextension", category="strength", frequency="weekly", position="lying_on_front",
                  harder="reverse-hyperextension-table", family="reverse-hyperextension"),
            entry("reverse-hyperextension-table", category="strength", frequency="weekly", position="lying_on_front",
                  easier="reverse-hyperextension", family="reverse-hyperextension", equipment=[["table"], ["bench"]],
                  alternatives=["reverse-hyperextension"]),
            entry("release-hamstrings", category="release", targets=["hamstrings"], position="seated",
                  equipment=[["ball", "chair"], ["foam_roller"]], dose=hold(45)),
            entry("release-glutes", category="release", targets=["glutes"], equipment=[["ball"], ["foam_roller"]], dose=hold(45)),
            entry("release-thoracic", category="release", targets=["thoracic"], equipment=[["foam_roller"]], dose=hold(45)),
            entry("hamstring-stretch", category="stretch", targets=["hamstrings"], per_side=True, dose=hold(30)),
            entry("hip-flexor-stretch", category="stretch", targets=["hip_flexors"], per_side=True, dose=hold(30),
                  position="half_kneeling"),
            entry("pigeon-stretch", category="stretch", targets=["glutes", "low_back"], per_side=True, dose=hold(30),
                  frequency="weekly"),
            entry("chest-stretch", category="stretch", targets=["pecs"], posture=True, dose=hold(30), position="standing"),
            entry("posture-check", category="posture", posture=True, dose=hold(30), position="standing"),
            entry("lateral-trunk-flexion-stretch", category="stretch", targets=["lats"], per_side=True, dose=hold(30),
                  equipment=[["door_frame"]], position="standing"),
            entry("bar-hang", category="mobility", targets=["lats", "thoracic"], dose=hold(20), equipment=[["bar"]],
                  alternatives=["lateral-trunk-flexion-stretch"], position="hanging"),
            entry("hip-90-90", category="mobility", targets=["glutes"], position="seated"),
        ]
    )


def profile(**fields: Any) -> Profile:
    data: dict[str, Any] = {
        "pain_now": 3,
        "pain_worst_week": 4,
        "duration_weeks": 8,
        "minutes_per_day": 20,
        "days_per_week": 7,
    }
    data.update(fields)
    return Profile.model_validate(data)


def session(day: dt.date, *items: ItemLog, before: int = 3, after: int = 3) -> SessionLog:
    return SessionLog(date=day, pain_before=before, pain_after=after, items=list(items))


def log(exercise: str, rating: str = "easy", variation: str | None = None, **fields: Any) -> ItemLog:
    return ItemLog.model_validate({"exercise": exercise, "variation": variation or exercise, "rating": rating, **fields})


def history(*sessions: SessionLog) -> History:
    return History(sessions=list(sessions))
