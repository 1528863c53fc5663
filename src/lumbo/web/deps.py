"""Named FastAPI dependencies shared by the API, the pages and the downloads.

They are ``async def`` on purpose: they only look things up, and FastAPI runs a plain
``def`` dependency in the thread pool (a hand-off per dependency per request).

Routes read as typed signatures::

    @router.get("/thing")
    def thing(uow: UowDep, clock: ClockDep) -> ...
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from lumbo.config import Settings
from lumbo.ports import Clock, UnitOfWork


async def get_uow(request: Request) -> UnitOfWork:
    """A fresh unit of work over the app's database (each service call opens its own transaction)."""
    uow: UnitOfWork = request.app.state.database.unit_of_work()
    return uow


async def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


UowDep = Annotated[UnitOfWork, Depends(get_uow)]
ClockDep = Annotated[Clock, Depends(get_clock)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
