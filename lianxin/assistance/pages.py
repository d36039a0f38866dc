"""What assistance adds to other rooms' pages (registered in apps.py): the aid history on a
resident's page, and "apply for aid" on a visit and a case."""

from __future__ import annotations

from django.template.loader import render_to_string

from lianxin.assistance import selectors


def resident_aid(request, resident) -> str:
    history = selectors.resident_aid_history(request.user, resident)
    can_apply = selectors.can_apply_for(request.user, resident)
    if not history and not can_apply:
        return ""
    return render_to_string(
        "assistance/_resident_aid.html",
        {"resident": resident, "history": history, "can_apply": can_apply},
        request=request,
    )


def visit_aid(request, visit) -> str:
    residents = [visit.resident] if visit.resident_id else []
    if not residents and visit.household_id:
        residents = list(visit.household.members.all())
    if not any(selectors.can_apply_for(request.user, r) for r in residents):
        return ""
    return render_to_string(
        "assistance/_apply_button.html", {"param": "visit", "value": visit.pk}, request=request
    )


def case_aid(request, case) -> str:
    resident = case.reporter_resident if case.reporter_resident_id else None
    if resident is None or not selectors.can_apply_for(request.user, resident):
        return ""
    linked = list(
        case.aid_applications.only("number", "status", "scheme_id").select_related("scheme")
    )
    return render_to_string(
        "assistance/_apply_button.html",
        {"param": "case", "value": case.number, "linked": linked, "open": case.is_open},
        request=request,
    )
