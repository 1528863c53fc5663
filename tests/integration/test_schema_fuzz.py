"""schemathesis against the served OpenAPI schema, with every check (`--checks all`).

Whatever it sends: never a 5xx, and every answer (errors included: 400, 403, 404, 409,
413, 415, 422) has a documented status, content type and body shape. A bounded number of
examples per operation keeps this well under a minute; it runs on SQLite and on
PostgreSQL (which rejects some text SQLite accepts, such as NUL bytes).

One check is narrowed, for a stated reason:

- ``positive_data_acceptance`` ("schema-valid input is accepted"): a 422 is allowed when the
  rule it enforces is one JSON Schema cannot state: a cross-field rule (pain this week at
  least pain now), a date outside 1900-2200, an unknown catalogue slug, an export document
  that is not one. Such refusals carry no ``errors`` list, or only ``value_error`` entries
  (a validator's own message). A 422 for anything the schema does state (a missing field,
  a wrong type, a bound, an unknown key) still fails: that is schema and validator
  disagreeing.
Invalid input must be refused (``negative_data_rejection``) without exception: the models
take numbers and yes/no answers strictly and dates only as ISO text, so pydantic's lax
conversions (``true`` as an age, ``0`` as a date) are refused; ``test_lax_conversions_are_refused``
pins the cases that were once accepted.
"""

from __future__ import annotations

import itertools
from urllib.parse import urlsplit

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import positive_data_acceptance
from schemathesis.openapi.checks import RejectedPositiveData

EXAMPLES_PER_OPERATION = 10  # per operation and mode (valid / invalid input)


def positive_data_acceptance_beyond_schema(ctx, response, case):  # type: ignore[no-untyped-def]
    """positive_data_acceptance, except for a 422 whose rule the schema cannot state."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if response.status_code == 422:
            body = response.json()
            problems = body.get("errors", []) if isinstance(body, dict) else None
            if isinstance(problems, list) and all(
                isinstance(problem, dict) and problem.get("type") == "value_error" for problem in problems
            ):
                return None
        raise


def test_no_input_makes_the_server_fail_or_leave_the_schema(client: TestClient) -> None:
    # Start from a stored profile so that plan, progress and session routes do real work.
    saved = client.put("/api/v1/profile", json={"pain_now": 3, "pain_worst_week": 4, "duration_weeks": 3})
    assert saved.status_code == 200, saved.text
    # The app answers only its own addresses (DNS rebinding): talk to it as 127.0.0.1.
    base_url = str(client.base_url).rstrip("/")
    host = urlsplit(base_url).netloc
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", client.app, headers={"Host": host})
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14

    for operation, mode in itertools.product(operations, schemathesis.GenerationMode):

        @given(case=operation.as_strategy(mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def call(case: schemathesis.Case) -> None:
            # No `checks=`: schemathesis runs every built-in check (as `--checks all`).
            case.call_and_validate(
                base_url=base_url,
                excluded_checks=[positive_data_acceptance],
                additional_checks=[positive_data_acceptance_beyond_schema],
            )

        try:
            call()
        except Unsatisfiable:
            # An operation without parameters or body has no invalid input to make.
            assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label


def test_every_error_answer_is_documented(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            for status in ("400", "403", "404", "409", "413", "415", "422"):
                assert status in responses, f"{method.upper()} {path} does not document {status}"
                body = responses[status]["content"]["application/json"]["schema"]["$ref"]
                assert body.endswith("/ValidationErrorBody" if status == "422" else "/ErrorBody")


LAX_CONVERSIONS = [
    ("PUT", "/api/v1/profile", {"pain_now": 3, "pain_worst_week": 4, "duration_weeks": 3, "age": True}),
    ("POST", "/api/v1/screen", {"major_trauma": 0}),
    ("POST", "/api/v1/sessions", {"date": 0}),
    ("POST", "/api/v1/sessions", {"session_index": False}),
    ("GET", "/api/v1/progress?today=0", None),
]


@pytest.mark.parametrize(("method", "url", "body"), LAX_CONVERSIONS)
def test_lax_conversions_are_refused(
    client: TestClient, method: str, url: str, body: dict[str, object] | None
) -> None:
    client.put("/api/v1/profile", json={"pain_now": 3, "pain_worst_week": 4, "duration_weeks": 3})
    response = client.request(method, url, json=body)
    assert response.status_code == 422, response.text
