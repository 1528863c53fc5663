"""Use cases. `decide` is the heart: screen first, then plan (see lumbo.services.deciding)."""

from lumbo.services.deciding import decide

__all__ = ["decide"]
