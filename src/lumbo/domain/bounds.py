"""Limits on what may enter lumbo, and a strict JSON reader that applies them.

Every date and number that comes in (forms, API, import files, cookies, CLI options) must
lie in a range the rest of the code can compute with: a date in year 9999 plus a week is
not a date, and a 5,000-digit number is not a pain score. The ranges are generous for
people and tight for attackers.

``loads_strict`` reads JSON the way every entry point should: it refuses duplicate keys
(which value would count?), NUL characters (PostgreSQL cannot store them), numbers with
absurdly many digits, ``NaN``/``Infinity``, and documents nested too deeply. Each refusal is
a ``StrictJsonError`` whose message is one sentence fit to show the person.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import types
import typing
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ValidationInfo, field_validator

# Dates and times: anything a person or a record can sensibly hold, with room for a plan to
# run a year past the end without overflowing the date type.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2200, 12, 31)
# Counters and version numbers stored in the database (a 32-bit signed column holds them).
MAX_COUNTER = 1_000_000
# JSON: no number needs more digits than this, no document more nesting.
MAX_NUMBER_DIGITS = 30
MAX_JSON_DEPTH = 64


class StrictJsonError(ValueError):
    """A JSON text lumbo refuses; ``str(error)`` says why in one sentence."""


class OutOfRange(ValueError):
    """A date or number outside what lumbo accepts."""


def check_date(value: dt.date, field: str = "date") -> dt.date:
    """``value`` if it lies within MIN_DATE..MAX_DATE, else OutOfRange naming ``field``."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not MIN_DATE <= day <= MAX_DATE:
        raise OutOfRange(
            f"{field} must be between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()} "
            f"(got {day.isoformat()})"
        )
    return value


def window_fits(start: dt.date, days: int) -> bool:
    """Whether every day of the ``days`` days from ``start`` lies within MIN_DATE..MAX_DATE
    (a plan or a look-ahead must not run past the last date lumbo computes with)."""
    return start >= MIN_DATE and (MAX_DATE - start).days >= days - 1


def _date_in_range(value: dt.date) -> dt.date:
    return check_date(value, "the date")


# Pydantic field types that carry the range check (the message names the field through
# pydantic's location).
def _written_date(value: Any) -> Any:
    """Dates come as date objects or ISO text; a number is not a date (pydantic would read
    ``0`` as 1970-01-01), nor is a bare "0" in a query string."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DAY.match(value.strip()):
        return value
    raise ValueError("must be a date written as YYYY-MM-DD, like 2026-01-31")


def _datetime_in_range(value: dt.datetime) -> dt.datetime:
    check_date(value.date(), "the date")
    if value.tzinfo is not None:
        # Stored in UTC: the day must stay in range there too.
        check_date(value.astimezone(dt.UTC).date(), "the date")
    return value


def _written_moment(value: Any) -> Any:
    if isinstance(value, dt.datetime) or (isinstance(value, str) and _ISO_DAY.match(value.strip())):
        return value
    raise ValueError("must be a date and time written as YYYY-MM-DDTHH:MM:SS, like 2026-01-31T08:30:00Z")


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
BoundedDate = Annotated[dt.date, BeforeValidator(_written_date), AfterValidator(_date_in_range)]
BoundedDateTime = Annotated[
    dt.datetime, BeforeValidator(_written_moment), AfterValidator(_datetime_in_range)
]


def _kinds(annotation: Any) -> set[type]:
    """The plain types a field annotation allows (``int | None`` -> {int, NoneType})."""
    arguments = typing.get_args(annotation) if typing.get_origin(annotation) in (typing.Union, types.UnionType) else ()
    return set(arguments) if arguments else {annotation}


class AsWritten(BaseModel):
    """A model whose whole numbers and yes/no answers are taken as written.

    Pydantic would read ``true`` as the number 1, ``"30"`` as 30 and ``0`` as "no"; for a
    warning-sign answer or an age that is a guess lumbo must not make. (A JSON ``30.0`` is
    still 30, as JSON Schema says.) Field types stay plain, so the JSON Schema is unchanged.
    """

    #: Per class: field name -> "bool" or "int" for the fields this check applies to.
    _as_written_kinds: typing.ClassVar[dict[str, str]] = {}

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        kinds: dict[str, str] = {}
        for name, field in cls.model_fields.items():
            allowed = _kinds(field.annotation)
            if bool in allowed:
                kinds[name] = "bool"
            elif int in allowed:
                kinds[name] = "int"
        cls._as_written_kinds = kinds

    @field_validator("*", mode="before")
    @classmethod
    def _taken_as_written(cls, value: Any, info: ValidationInfo) -> Any:
        kind = cls._as_written_kinds.get(info.field_name or "")
        if kind is None or value is None:
            return value
        if kind == "bool" and not isinstance(value, bool):
            raise ValueError("must be true or false")
        if kind == "int" and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ValueError("must be a whole number")
        return value


def _no_duplicates(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise StrictJsonError(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise StrictJsonError(f"a number has more than {MAX_NUMBER_DIGITS} digits")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS + 10:
        raise StrictJsonError(f"a number has more than {MAX_NUMBER_DIGITS} digits")
    value = float(text)
    if math.isinf(value):
        raise StrictJsonError(f"the number {text} is too large")
    return value


def _refuse_constant(text: str) -> Any:
    raise StrictJsonError(f"{text} is not a number lumbo accepts")


def _depth_and_nul(value: Any) -> None:
    """Refuse NUL characters anywhere and nesting deeper than MAX_JSON_DEPTH (iteratively)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise StrictJsonError("the text holds a NUL character (\\u0000)")
            continue
        if isinstance(item, dict):
            children: Iterable[Any] = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            raise StrictJsonError(f"the document is nested more than {MAX_JSON_DEPTH} levels deep")
        stack.extend((child, depth + 1) for child in children)


def loads_strict(text: str | bytes) -> Any:
    """Parse JSON, refusing what lumbo never accepts (see the module docstring).

    Raises StrictJsonError (a ValueError) for those, and json.JSONDecodeError (also a
    ValueError) for text that is not JSON at all.
    """
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_refuse_constant,
        )
    except RecursionError:
        raise StrictJsonError(
            f"the document is nested more than {MAX_JSON_DEPTH} levels deep"
        ) from None
    _depth_and_nul(value)
    return value
