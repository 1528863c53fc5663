"""Spare one-shot commands pydantic's plugin discovery (~10 % of `lumbo plan`'s start).

pydantic looks for plugins (installed packages that declare a ``pydantic`` entry point,
such as Logfire's) when it builds the first model. Its loader, ``pydantic.plugin._loader``,
imports ``importlib.metadata`` as it is imported (which pulls in the ``email`` package,
``zipfile``, ``csv`` ...: about as many instructions as 1.7 bare Python starts) and then
reads every installed package's entry points, even when ``PYDANTIC_DISABLE_PLUGINS`` turns
plugins off.

lumbo's commands use no plugins. So, for the length of one command, ``without_plugins``
sets ``PYDANTIC_DISABLE_PLUGINS=__all__`` (pydantic's documented switch) and puts a
stand-in for the loader module in ``sys.modules`` whose ``get_plugins()`` returns ``()`` —
exactly what pydantic's loader returns under that switch — without importing
``importlib.metadata``. Any other name asked of the stand-in imports the real loader, so
pydantic keeps working whatever it asks for. Afterwards the variable and the stand-in are
taken away again (``run()`` may be called inside another program, e.g. the tests).

Nothing is done when ``PYDANTIC_DISABLE_PLUGINS`` is set already (your choice wins: set it
empty, ``PYDANTIC_DISABLE_PLUGINS=``, to have lumbo's commands load every plugin), when the
loader was imported already, or for `lumbo serve` (see ``lumbo.cli.main``).
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

VARIABLE = "PYDANTIC_DISABLE_PLUGINS"
LOADER = "pydantic.plugin._loader"


class _NoPluginsLoader(types.ModuleType):
    """Stands in for ``pydantic.plugin._loader`` while plugins are switched off."""

    @staticmethod
    def get_plugins() -> tuple[()]:
        return ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            # The import system asks modules for ``__path__`` and the like: a plain module has none.
            raise AttributeError(name)
        # Something we do not stand in for: hand over to the real loader for good.
        if sys.modules.get(LOADER) is self:
            del sys.modules[LOADER]
        return getattr(importlib.import_module(LOADER), name)


@contextmanager
def without_plugins(enabled: bool = True) -> Iterator[bool]:
    """Run the body with pydantic's plugins switched off (see the module's docstring).

    Yields whether it did anything.
    """
    if not enabled or VARIABLE in os.environ or LOADER in sys.modules:
        yield False
        return
    stand_in = _NoPluginsLoader(LOADER, "lumbo: pydantic plugins are off for this command")
    os.environ[VARIABLE] = "__all__"
    sys.modules[LOADER] = stand_in
    try:
        yield True
    finally:
        os.environ.pop(VARIABLE, None)
        if sys.modules.get(LOADER) is stand_in:
            del sys.modules[LOADER]
