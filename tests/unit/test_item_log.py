"""ItemLog: an item done or attempted carries its rating; a skipped one is never rated."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from lumbo.domain.model import ItemLog

DONE = {"exercise": "glute-bridge", "reps": 10}


def test_a_skipped_item_is_not_completed_and_not_rated() -> None:
    item = ItemLog.model_validate({**DONE, "skipped": True, "completed": False, "rating": None})
    assert (item.skipped, item.completed, item.rating) == (True, False, None)
    assert ItemLog.model_validate(item.model_dump(mode="json")) == item  # round-trips as JSON


@pytest.mark.parametrize("rating", ["easy", "right", "hard", "pain"])
def test_an_item_done_or_attempted_keeps_its_rating(rating: str) -> None:
    for completed in (True, False):
        item = ItemLog.model_validate({**DONE, "completed": completed, "rating": rating})
        assert (item.rating, item.skipped) == (rating, False)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "rating is missing"),  # no longer "about right" by default: that invented data
        ({"rating": None}, "rating is missing"),
        ({"completed": False}, "rating is missing"),
        ({"skipped": True, "completed": False, "rating": "right"}, "a skipped item is not rated"),
        ({"skipped": True, "completed": False, "rating": "pain"}, "a skipped item is not rated"),
        ({"skipped": True}, "a skipped item is not completed"),
        ({"skipped": True, "completed": True}, "a skipped item is not completed"),
        ({"skipped": 1, "completed": False}, "must be true or false"),
        ({"skipped": False, "rating": "meh"}, "rating"),
    ],
)
def test_what_would_invent_or_hide_a_rating_is_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ItemLog.model_validate({**DONE, **fields})


def test_the_schema_shows_rating_nullable_and_skipped() -> None:
    properties = ItemLog.model_json_schema()["properties"]
    assert properties["skipped"]["default"] is False
    assert {"type": "null"} in properties["rating"]["anyOf"]
    assert "rating" not in ItemLog.model_json_schema().get("required", [])
