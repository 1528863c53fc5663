"""Shared helpers for CLI commands: one clear line and exit code 2 for any bad input."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import NoReturn, TypeVar

from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)

EXIT_BAD_INPUT = 2


class UserError(Exception):
    """Bad input from the person at the keyboard; its message is shown as one line."""


def fail(message: str) -> NoReturn:
    """Print one line to stderr and exit with code 2."""
    print(f"lumbo: {message}", file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)


def describe_validation_error(error: ValidationError, what: str) -> str:
    """The first problem of a pydantic error as one line naming the field and what is allowed."""
    first = error.errors()[0]
    location = ".".join(str(part) for part in first["loc"]) or what
    message = first["msg"]
    ctx = first.get("ctx") or {}
    if "expected" in ctx:
        message = f"must be one of {ctx['expected']}"
    extra = f" (and {error.error_count() - 1} more problem(s))" if error.error_count() > 1 else ""
    return f"{what}: field '{location}': {message}{extra}"


def read_json(path: Path, what: str) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{what} file not found: {path}") from None
    except IsADirectoryError:
        raise UserError(f"{what} path is a folder, not a file: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"cannot read {what} file {path}: {error}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UserError(
            f"{what} file {path} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None


def load_model(path: Path, model: type[ModelT], what: str) -> ModelT:
    """Read a JSON file into a model, turning every problem into a UserError."""
    data = read_json(path, what)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise UserError(describe_validation_error(error, what)) from None


def parse_start(value: str | None, option: str = "--start") -> dt.date:
    """A YYYY-MM-DD date from an option, or today when it was not given."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UserError(f"{option} must be a date as YYYY-MM-DD, like 2026-01-31 (got {value!r})") from None


def check_days(days: int, maximum: int, option: str = "--days") -> int:
    if not 1 <= days <= maximum:
        raise UserError(f"{option} must be between 1 and {maximum} (got {days})")
    return days
