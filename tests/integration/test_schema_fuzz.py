"""schemathesis against the served OpenAPI schema: whatever it sends, never a 5xx.

A bounded number of examples per operation keeps this well under a minute; it runs on
SQLite and on PostgreSQL (which rejects some text SQLite accepts, such as NUL bytes).
"""

from __future__ import annotations

import itertools

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error

EXAMPLES_PER_OPERATION = 10  # per operation and mode (valid / invalid input)


def test_no_input_makes_the_server_fail(client: TestClient) -> None:
    # Start from a stored profile so that plan, progress and session routes do real work.
    client.put("/api/v1/profile", json={"pain_now": 3, "pain_worst_week": 4, "duration_weeks": 3})
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", client.app)
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
            response = case.call()
            case.validate_response(response, checks=[not_a_server_error])

        try:
            call()
        except Unsatisfiable:
            # An operation without parameters or body has no invalid input to make.
            assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label
