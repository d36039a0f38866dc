"""Workbench panel of assistance: applications waiting for the reader's review or payment."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lianxin.assistance import selectors, services
from lianxin.assistance.models import AidStatus
from lianxin.core.workbench import Panel

LIMIT = 8


def reviews_panel(user):
    candidates = (
        selectors.applications_visible_to(user)
        .filter(status__in=[AidStatus.REVIEWING, AidStatus.APPROVED])
        .select_related("scheme", "resident", "community__subdistrict")
        .order_by("due_at", "submitted_at")[:50]
    )
    waiting = [
        app
        for app in candidates
        if services.review_refusal(user, app) is None or selectors.can_record_payment(user, app)
    ][:LIMIT]
    if not waiting:
        return None
    return Panel(
        title=_("Aid applications waiting for you"),
        template="assistance/_reviews_panel.html",
        context={"applications": waiting},
        order=25,
    )
