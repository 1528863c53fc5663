"""The bodies of the JSON API's error answers, declared for the OpenAPI schema.

Every error under /api/v1 is JSON with one sentence in ``detail``; a 422 from request
validation adds ``errors``, one entry per problem with where it is. The middleware in
``web/security.py`` answers 400 (a Host lumbo does not answer to, a bad Content-Length),
403 (sent from another website), 413 (a body over the limit) and 415 (a body that is not
JSON) before any route runs; the error handlers in ``web/app.py`` answer 404, 409 and 422
for what the services refuse. ``ERROR_RESPONSES`` declares them all on the API router, so
clients (and the schemathesis test) know every answer's shape.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    """``{"detail": "one sentence"}``: what was wrong and what to do."""

    detail: str = Field(description="What was wrong and what to do, in one sentence")


class Problem(BaseModel):
    """One validation problem (pydantic's error entry, without the input it was about)."""

    loc: list[str | int] = Field(description='Where: e.g. ["body", "pain_now"]')
    msg: str = Field(description="What is wrong with it")
    type: str = Field(description="pydantic's error type, e.g. less_than_equal")


class ValidationErrorBody(ErrorBody):
    """A 422: ``detail`` names the first problem; ``errors`` lists every one."""

    errors: list[Problem] = Field(
        default_factory=list,
        description="Each problem with its location (validation errors only; absent for "
        "refusals such as an unknown exercise or a malformed export)",
    )


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {
        "model": ErrorBody,
        "description": "Unknown Host, bad Content-Length, or a body that cannot be read",
    },
    403: {"model": ErrorBody, "description": "Sent from another website: nothing was changed"},
    404: {"model": ErrorBody, "description": "Nothing stored yet (no profile), or no such session"},
    409: {
        "model": ErrorBody,
        "description": "Clashes with what is stored (a finished session, a non-empty import target)",
    },
    413: {"model": ErrorBody, "description": "The body is larger than the limit (1 MB; 20 MB for an import)"},
    415: {"model": ErrorBody, "description": "The body is not sent as application/json"},
    422: {
        "model": ValidationErrorBody,
        "description": "Invalid input: a value out of range, an unknown key or name, an item "
        "done without a rating (or a skipped one with one), a finish without a pain before",
    },
}
