"""loads_strict: the JSON every entry point reads refuses what lumbo never accepts."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lumbo.domain.bounds import MAX_JSON_DEPTH, StrictJsonError, check_date, loads_strict


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"pain_now": 1, "pain_now": 9}', "twice"),
        ("[" * 100_000, "nested"),
        ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), "nested"),
        ("1" * 5000, "digits"),
        ('{"a": "x\\u0000y"}', "NUL"),
        ('{"a\\u0000": 1}', "NUL"),
        ("NaN", "not a number"),
        ("-Infinity", "not a number"),
        ("1e999", "too large"),
    ],
)
def test_refused(text: str, reason: str) -> None:
    with pytest.raises(StrictJsonError, match=reason):
        loads_strict(text)


def test_nesting_up_to_the_limit_is_fine() -> None:
    depth = MAX_JSON_DEPTH
    assert loads_strict("[" * depth + "]" * depth) is not None


def test_text_that_is_not_json_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        loads_strict("{not json")
    with pytest.raises(ValueError):
        loads_strict(b"\xff\xfe\x00")


no_nul = st.text(st.characters(blacklist_characters="\x00"), max_size=8)
plain_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**15), 10**15) | no_nul,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(no_nul, inner, max_size=4),
    max_leaves=20,
)


@given(plain_json)
def test_ordinary_documents_read_as_the_standard_library_reads_them(value: object) -> None:
    text = json.dumps(value)
    assert loads_strict(text) == json.loads(text)


def test_dates_outside_the_range_are_named() -> None:
    import datetime as dt

    assert check_date(dt.date(2026, 1, 1)) == dt.date(2026, 1, 1)
    with pytest.raises(ValueError, match="start must be between 1900-01-01 and 2200-12-31"):
        check_date(dt.date(9999, 12, 31), "start")
