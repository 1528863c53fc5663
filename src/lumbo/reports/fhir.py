"""FHIR export: a Bundle a clinic's system can read.

FHIR version: ``fhir.resources`` 7 ships FHIR R5 at its top level and R4B (4.3.0) in
``fhir.resources.R4B``; it has no plain R4 module. R4B keeps R4's Patient, CarePlan,
Observation and Bundle shapes, so the bundle is built for R4 and validated with the R4B models.

The bundle (``type: collection``) holds:

- a **Patient** with only what lumbo knows: an identifier (lumbo stores no name, birth date
  or address);
- a **CarePlan** (when the decision is a plan) with one activity per exercise of the
  programme: its name and catalogue slug, the dose in words, and the dates it is planned on
  (``scheduledTiming.event``) with the expected minutes per occurrence;
- an **Observation** per logged pain score: LOINC 72514-3 (pain severity, 0-10 numeric
  rating), ``valueInteger``, dated with the session's date; one before and one after each
  session.

Resource ids are UUIDs derived from the profile key and the content's position, so the same
data always gives the same bundle.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from lumbo.domain.model import Decision, History, PlanItem
from lumbo.reports.handout import PAIN_RULE, dose_text

LOINC = "http://loinc.org"
PAIN_CODE = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
EXERCISE_SYSTEM = "urn:lumbo:exercise"
PROFILE_SYSTEM = "urn:lumbo:profile"
_NAMESPACE = uuid.UUID("6f1c2a52-8f0e-5d44-9a3e-1d7b2c4e9a10")

JSON = dict[str, Any]


def _uuid(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "|".join(str(part) for part in parts)))


@dataclass
class _Activity:
    item: PlanItem
    doses: list[str] = field(default_factory=list)
    dates: list[dt.date] = field(default_factory=list)


def _activities(decision: Decision) -> list[_Activity]:
    found: dict[str, _Activity] = {}
    for day in decision.days:
        for session in day.sessions:
            for item in session.items:
                activity = found.setdefault(item.variation, _Activity(item))
                dose = dose_text(item)
                if dose not in activity.doses:
                    activity.doses.append(dose)
                if day.date not in activity.dates:
                    activity.dates.append(day.date)
    return list(found.values())


def _activity_resource(activity: _Activity) -> JSON:
    item = activity.item
    minutes = round(item.estimated_seconds / 60, 1)
    return {
        "detail": {
            "code": {
                "coding": [{"system": EXERCISE_SYSTEM, "code": item.variation, "display": item.name}],
                "text": item.name,
            },
            "status": "scheduled",
            "description": f"{item.name}: {' / '.join(activity.doses)}. {item.why}",
            "scheduledTiming": {
                "event": [day.isoformat() for day in activity.dates],
                "repeat": {
                    "boundsPeriod": {
                        "start": activity.dates[0].isoformat(),
                        "end": activity.dates[-1].isoformat(),
                    },
                    "duration": max(minutes, 0.1),
                    "durationUnit": "min",
                },
            },
        }
    }


def _care_plan(decision: Decision, patient_ref: str, profile_key: str, today: dt.date) -> JSON:
    dates = [day.date for day in decision.days]
    plan: JSON = {
        "resourceType": "CarePlan",
        "id": _uuid(profile_key, "careplan", dates[0] if dates else today),
        "status": "active",
        "intent": "plan",
        "category": [{"text": "Home exercise programme for lower back pain"}],
        "title": "lumbo exercise programme",
        "subject": {"reference": patient_ref},
        "created": today.isoformat(),
        "activity": [_activity_resource(activity) for activity in _activities(decision)],
        "note": [{"text": PAIN_RULE}],
    }
    if decision.stage_reason:
        plan["description"] = f"Stage: {decision.stage}. {decision.stage_reason}"
    if dates:
        plan["period"] = {"start": min(dates).isoformat(), "end": max(dates).isoformat()}
    return plan


def _pain_observation(
    patient_ref: str, profile_key: str, date: dt.date, index: int, when: str, score: int
) -> JSON:
    return {
        "resourceType": "Observation",
        "id": _uuid(profile_key, "pain", date, index, when),
        "status": "final",
        "category": [
            {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
        ],
        "code": {
            "coding": [{"system": LOINC, "code": PAIN_CODE, "display": PAIN_DISPLAY}],
            "text": "Pain now, 0 (none) to 10 (worst imaginable)",
        },
        "subject": {"reference": patient_ref},
        "effectiveDateTime": date.isoformat(),
        "valueInteger": score,
        "note": [{"text": f"Reported {when} an exercise session in lumbo."}],
    }


def build_bundle(
    decision: Decision | None,
    history: History | None = None,
    *,
    profile_key: str = "lumbo",
    now: dt.datetime | None = None,
) -> JSON:
    """The FHIR Bundle as plain JSON-ready data (see the module docstring for its content)."""
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    patient_id = _uuid(profile_key, "patient")
    patient_ref = f"urn:uuid:{patient_id}"
    resources: list[JSON] = [
        {
            "resourceType": "Patient",
            "id": patient_id,
            "identifier": [{"system": PROFILE_SYSTEM, "value": profile_key}],
        }
    ]
    if decision is not None and decision.status == "plan":
        resources.append(_care_plan(decision, patient_ref, profile_key, moment.date()))
    sessions = sorted((history or History()).sessions, key=lambda session: session.date)
    per_day: dict[dt.date, int] = {}
    for session in sessions:
        index = per_day[session.date] = per_day.get(session.date, -1) + 1
        for when, score in (("before", session.pain_before), ("after", session.pain_after)):
            resources.append(
                _pain_observation(patient_ref, profile_key, session.date, index, when, score)
            )
    return {
        "resourceType": "Bundle",
        "id": _uuid(profile_key, "bundle", moment.isoformat()),
        "type": "collection",
        "timestamp": moment.isoformat(),
        "entry": [
            {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource} for resource in resources
        ],
    }


def validate_bundle(bundle: JSON) -> None:
    """Check the bundle against the FHIR models; raises ValueError on any problem."""
    from fhir.resources.R4B.bundle import Bundle

    try:
        Bundle.parse_obj(bundle)
    except Exception as error:  # pydantic v1's ValidationError; keep the dependency local
        raise ValueError(f"the FHIR bundle does not validate: {error}") from error
