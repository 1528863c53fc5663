"""The FHIR Bundle: Patient, CarePlan of the programme's exercises, pain Observations."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from lumbo.domain.model import Decision, History, ItemLog, RedFlags, SessionLog
from lumbo.reports.fhir import PAIN_CODE, build_bundle, validate_bundle
from lumbo.reports.handout import dose_text
from lumbo.services import decide
from tests.unit.test_calendar import START, typical_profile

NOW = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


def a_history() -> History:
    return History(
        sessions=[
            SessionLog(date=dt.date(2026, 2, 20), pain_before=5, pain_after=4,
                       items=[ItemLog(exercise="glute-bridge", reps=10, rating="right")]),
            SessionLog(date=dt.date(2026, 2, 22), pain_before=4, pain_after=2),
            SessionLog(date=dt.date(2026, 2, 22), pain_before=3, pain_after=3),
        ]
    )


@pytest.fixture(scope="module")
def plan() -> Decision:
    return decide(typical_profile(), a_history(), START, 7)


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_bundle_validates_with_fhir_resources(plan: Decision) -> None:
    bundle = build_bundle(plan, a_history(), now=NOW)
    parsed = Bundle.parse_obj(json.loads(json.dumps(bundle)))  # as read back from the file
    assert parsed.type == "collection"
    kinds = [entry.resource.resource_type for entry in parsed.entry]
    assert kinds.count("Patient") == 1
    assert kinds.count("CarePlan") == 1
    assert kinds.count("Observation") == 6
    validate_bundle(bundle)


def test_patient_holds_only_an_identifier(plan: Decision) -> None:
    (patient,) = resources(build_bundle(plan, None, profile_key="anna", now=NOW), "Patient")
    assert set(patient) == {"resourceType", "id", "identifier"}
    assert patient["identifier"][0]["value"] == "anna"


def test_care_plan_lists_every_planned_exercise_with_dose_and_dates(plan: Decision) -> None:
    bundle = build_bundle(plan, None, now=NOW)
    (care_plan,) = resources(bundle, "CarePlan")
    (patient,) = resources(bundle, "Patient")
    assert care_plan["subject"]["reference"] == f"urn:uuid:{patient['id']}"
    assert care_plan["status"] == "active" and care_plan["intent"] == "plan"
    planned: dict[str, set[str]] = {}
    items = {}
    for day in plan.days:
        for session in day.sessions:
            for item in session.items:
                planned.setdefault(item.variation, set()).add(day.date.isoformat())
                items[item.variation] = item
    activities = {a["detail"]["code"]["coding"][0]["code"]: a["detail"] for a in care_plan["activity"]}
    assert set(activities) == set(planned)
    for slug, detail in activities.items():
        assert set(detail["scheduledTiming"]["event"]) == planned[slug]
        assert dose_text(items[slug]) in detail["description"]
        assert detail["code"]["text"] == items[slug].name
    dates = sorted(d.date for d in plan.days)
    assert care_plan["period"] == {"start": dates[0].isoformat(), "end": dates[-1].isoformat()}


def test_one_dated_loinc_observation_per_logged_pain_score(plan: Decision) -> None:
    observations = resources(build_bundle(plan, a_history(), now=NOW), "Observation")
    expected = sorted(
        (s.date.isoformat(), score)
        for s in a_history().sessions
        for score in (s.pain_before, s.pain_after)
    )
    found = sorted((o["effectiveDateTime"], o["valueInteger"]) for o in observations)
    assert found == expected
    for observation in observations:
        coding = observation["code"]["coding"][0]
        assert (coding["system"], coding["code"]) == ("http://loinc.org", PAIN_CODE)
        assert observation["status"] == "final"
        assert 0 <= observation["valueInteger"] <= 10
    assert len({o["id"] for o in observations}) == len(observations)


def test_same_data_gives_the_same_ids(plan: Decision) -> None:
    first = build_bundle(plan, a_history(), now=NOW)
    second = build_bundle(plan, a_history(), now=NOW + dt.timedelta(hours=1))
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]
    other = build_bundle(plan, a_history(), profile_key="someone-else", now=NOW)
    assert not {e["fullUrl"] for e in first["entry"]} & {e["fullUrl"] for e in other["entry"]}


def test_a_referral_exports_no_care_plan() -> None:
    referral = decide(typical_profile().model_copy(update={"red_flags": RedFlags(fever_or_unwell=True)}))
    bundle = build_bundle(referral, a_history(), now=NOW)
    assert resources(bundle, "CarePlan") == []
    assert len(resources(bundle, "Observation")) == 6
    validate_bundle(bundle)


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", None), ("valueInteger", "high"), ("effectiveDateTime", "2026-13-01"), ("mood", 1)],
)
def test_validation_catches_a_broken_bundle(plan: Decision, field: str, value: object) -> None:
    bundle = build_bundle(plan, a_history(), now=NOW)
    observation = resources(bundle, "Observation")[0]
    if value is None:
        del observation[field]
    else:
        observation[field] = value
    with pytest.raises(ValueError, match="does not validate"):
        validate_bundle(bundle)


def test_a_skipped_item_without_a_rating_exports_and_validates(plan: Decision) -> None:
    skipped = ItemLog(exercise="glute-bridge", skipped=True, completed=False)
    assert skipped.rating is None
    history = History(
        sessions=[SessionLog(date=dt.date(2026, 2, 24), pain_before=4, pain_after=3, items=[skipped])]
    )
    bundle = build_bundle(plan, history, now=NOW)
    validate_bundle(bundle)
    assert [o["valueInteger"] for o in resources(bundle, "Observation")] == [4, 3]
