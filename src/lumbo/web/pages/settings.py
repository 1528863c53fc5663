"""The settings page: the saved profile, exporting everything as JSON and deleting
everything (after typing the confirmation words)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from lumbo.services import records
from lumbo.web.deps import ClockDep, UowDep
from lumbo.web.pages.common import SWAP_COOKIE, form_data, render, see_other

router = APIRouter(include_in_schema=False)

CONFIRM_DELETE = "delete everything"


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, uow: UowDep, deleted: str = "") -> HTMLResponse:
    return render(
        request,
        "settings.html",
        {
            "nav": "/settings",
            "profile": records.get_profile(uow),
            "deleted": deleted == "1",
            "confirm_words": CONFIRM_DELETE,
        },
    )


@router.get("/settings/export")
def settings_export(uow: UowDep, clock: ClockDep) -> Response:
    document = records.export_document(uow, clock=clock)
    stamp = clock.today().isoformat()
    return JSONResponse(
        document,
        headers={"Content-Disposition": f'attachment; filename="lumbo-export-{stamp}.json"'},
    )


@router.post("/settings/delete", response_class=HTMLResponse)
async def settings_delete(request: Request, uow: UowDep) -> Response:
    data = await form_data(request)
    typed = (data.get("confirm") or [""])[0]
    if typed.strip().lower() != CONFIRM_DELETE:
        return render(
            request,
            "settings.html",
            {
                "nav": "/settings",
                "profile": records.get_profile(uow),
                "deleted": 0,
                "confirm_words": CONFIRM_DELETE,
                "values": {"confirm": typed},
                "errors": {"confirm": f"Type the words '{CONFIRM_DELETE}' to confirm; nothing was deleted."},
            },
            422,
        )
    records.delete_everything(uow)
    # The welcome page says so and clears what this browser keeps (queue, caches): offline.js.
    response = see_other("/?deleted=1")
    response.delete_cookie(SWAP_COOKIE)
    return response
