"""`lumbo plan` and `lumbo schema` (filled in by the core work)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    return None
