"""The welcome page, the red-flag screen and the intake.

The screen cannot be skipped: without a passed screen the intake sends you to it. Bad
input re-renders the same form with status 422, the problem named next to its field and
everything typed kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from lumbo.services import records
from lumbo.web import forms
from lumbo.web.deps import ClockDep, UowDep
from lumbo.web.pages.common import form_data, referral, render, see_other

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def welcome(request: Request, uow: UowDep) -> HTMLResponse:
    return render(request, "welcome.html", {"has_profile": records.get_profile(uow) is not None})


def _screen_page(
    request: Request, values: Mapping[str, Any], errors: Mapping[str, str], status: int = 200
) -> HTMLResponse:
    return render(
        request,
        "screen.html",
        {"questions": forms.RED_FLAG_QUESTIONS, "values": values, "errors": errors},
        status,
    )


@router.get("/screen", response_class=HTMLResponse)
def screen_form(request: Request, uow: UowDep) -> HTMLResponse:
    latest = records.latest_screen(uow)
    values = forms.screen_values(latest.red_flags) if latest is not None else {}
    return _screen_page(request, values, {})


@router.post("/screen", response_class=HTMLResponse)
async def screen_submit(request: Request, uow: UowDep, clock: ClockDep) -> Response:
    parsed = forms.parse_screen(await form_data(request))
    if parsed.model is None:
        return _screen_page(request, parsed.values, parsed.errors, 422)
    record = records.save_screen_answers(uow, parsed.model, clock=clock)
    if record.decision is not None:
        return referral(request, record.decision)
    return see_other("/intake")


def _intake_page(
    request: Request, values: Mapping[str, Any], errors: Mapping[str, str], status: int = 200
) -> HTMLResponse:
    return render(
        request,
        "intake.html",
        {
            "values": values,
            "errors": errors,
            "trend_options": forms.TREND_OPTIONS,
            "yes_no": forms.YES_NO,
            "level_options": forms.LEVEL_OPTIONS,
            "sleep_options": forms.SLEEP_OPTIONS,
            "condition_labels": forms.CONDITION_LABELS,
            "equipment_labels": forms.EQUIPMENT_LABELS,
            "area_names": forms.AREA_NAMES,
            "area_checks": forms.AREA_CHECKS,
            "missing": forms.INTAKE_MISSING,
        },
        status,
    )


@router.get("/intake", response_class=HTMLResponse)
def intake_form(request: Request, uow: UowDep) -> Response:
    screen = records.latest_screen(uow)
    if screen is None:
        return see_other("/screen")
    if screen.decision is not None and any(screen.red_flags.model_dump().values()):
        # A red flag blocks the intake; a referral from intake answers (leg pain, a condition)
        # does not, so that a wrong answer can be corrected here.
        return referral(request, screen.decision)
    profile = records.get_profile(uow)
    values = forms.profile_values(profile) if profile is not None else dict(forms.DEFAULT_INTAKE)
    return _intake_page(request, values, {})


@router.post("/intake", response_class=HTMLResponse)
async def intake_submit(request: Request, uow: UowDep, clock: ClockDep) -> Response:
    screen = records.latest_screen(uow)
    if screen is None:
        return see_other("/screen")
    parsed = forms.parse_profile(await form_data(request), screen.red_flags)
    if parsed.model is None or parsed.errors:
        return _intake_page(request, parsed.values, parsed.errors, 422)
    saved = records.save_profile(uow, parsed.model, clock=clock)
    if saved.referral is not None:
        return referral(request, saved.referral, change_href="/intake")
    return see_other("/plan")
