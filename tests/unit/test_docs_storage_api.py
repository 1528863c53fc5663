"""docs/storage.md names every setting and docs/api.md every API route, so neither goes stale."""

from __future__ import annotations

import re
from pathlib import Path

from lumbo.config import _ENV_FIELDS, Settings

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_setting_is_documented() -> None:
    text = (DOCS / "storage.md").read_text(encoding="utf-8")
    assert set(_ENV_FIELDS.values()) == set(Settings.model_fields)
    for variable in _ENV_FIELDS:
        assert f"`{variable}`" in text, f"{variable} is missing from docs/storage.md"


def test_every_api_route_is_documented() -> None:
    from fastapi.routing import APIRoute

    from lumbo.web.api import router

    text = (DOCS / "api.md").read_text(encoding="utf-8")
    documented = {
        (method, re.sub(r"\{[^}]+\}", "{}", path))
        for method, path in re.findall(r"`(GET|PUT|POST|DELETE) (/[^ `?]*)", text)
    }
    for route in router.routes:
        assert isinstance(route, APIRoute)
        path = re.sub(r"\{[^}]+\}", "{}", route.path.removeprefix("/api/v1"))
        for method in route.methods:
            assert (method, path) in documented, f"{method} {route.path} is missing from docs/api.md"


def test_every_api_error_status_is_documented() -> None:
    from lumbo.web.api_errors import ERROR_RESPONSES

    text = (DOCS / "api.md").read_text(encoding="utf-8")
    errors = text[text.index("## Errors") :].split("\n## ", 1)[0]
    documented = {int(status) for status in re.findall(r"^\| (\d{3}) \|", errors, flags=re.MULTILINE)}
    assert documented == {int(status) for status in ERROR_RESPONSES}
