"""Errors the use cases raise; every message says what was wrong and what to do.

    RecordsError                 base of everything below (never a bug: always the input)
    +-- NotFound                 no such session, or no profile yet        -> HTTP 404
    +-- Conflict                 the request clashes with what is stored   -> HTTP 409
    +-- InvalidInput             a value the store cannot accept           -> HTTP 422
        +-- BadDocument          an import file that is malformed or newer -> HTTP 422

Entry points translate them (CLI: one line, exit 2; API: JSON with this message).
"""

from __future__ import annotations


class RecordsError(Exception):
    """Base class; ``str(error)`` is one sentence fit to show the person."""


class NotFound(RecordsError):
    pass


class Conflict(RecordsError):
    pass


class InvalidInput(RecordsError):
    pass


class BadDocument(InvalidInput):
    pass
