"""Settings from environment variables (LUMBO_*), built on demand, never at import time.

| variable              | default                                              |
|-----------------------|------------------------------------------------------|
| LUMBO_DATABASE_URL    | sqlite file ``lumbo.sqlite3`` in the user data folder |
| LUMBO_HOST            | 127.0.0.1                                            |
| LUMBO_PORT            | 8765                                                 |
| LUMBO_TIMER_SCALE     | 1.0 (test-only speed-up of the session player timers) |
| LUMBO_ALLOWED_HOSTS   | (none) extra host names the app answers, comma-separated |
| LUMBO_SECRET_KEY      | a random key kept beside the SQLite file            |
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
HOST_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]{0,252})")


class SettingsError(ValueError):
    """An environment variable holds a value lumbo cannot use."""


def default_database_url() -> str:
    """A SQLite file in the platform's user data folder (created when first needed)."""
    import platformdirs

    folder = Path(platformdirs.user_data_dir("lumbo", appauthor=False))
    return f"sqlite:///{folder / 'lumbo.sqlite3'}"


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    database_url: str = Field(default_factory=default_database_url, min_length=1)
    host: str = DEFAULT_HOST
    port: int = Field(DEFAULT_PORT, ge=1, le=65535)
    timer_scale: float = Field(1.0, gt=0, le=1.0, allow_inf_nan=False)
    allowed_hosts: tuple[str, ...] = ()
    secret_key: str | None = Field(None, min_length=16, max_length=512)

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("allowed_hosts")
    @classmethod
    def _plain_host_names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if not HOST_NAME.fullmatch(name):
                raise ValueError(f"{name!r} is not a host name (letters, digits, dots, dashes)")
        return value


_ENV_FIELDS = {
    "LUMBO_DATABASE_URL": "database_url",
    "LUMBO_HOST": "host",
    "LUMBO_PORT": "port",
    "LUMBO_TIMER_SCALE": "timer_scale",
    "LUMBO_ALLOWED_HOSTS": "allowed_hosts",
    "LUMBO_SECRET_KEY": "secret_key",
}


def get_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from ``environ`` (default: the process environment).

    Raises SettingsError naming the variable when a value is unusable.
    """
    env = os.environ if environ is None else environ
    values = {field: env[name] for name, field in _ENV_FIELDS.items() if env.get(name)}
    try:
        return Settings.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        variable = next((n for n, f in _ENV_FIELDS.items() if f == field), field)
        raise SettingsError(f"environment variable {variable}: {first['msg']}") from None
