"""Workbench panels of outreach: a representative's duties this year, reception days coming
up, and follow-ups of talks and visits that are due."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.core.workbench import Panel
from lianxin.outreach import selectors


def duties_panel(user):
    rep = selectors.representative_of(user)
    if rep is None:
        return None
    year = timezone.localdate().year
    [progress] = selectors.duty_progress(year=year, representatives=[rep])
    if not progress.rules:
        return None
    return Panel(
        title=_("My duties this year"),
        template="outreach/_duties_panel.html",
        context={"progress": progress, "year": year, "rep": rep},
        order=20,
    )


def receptions_panel(user):
    if user.role not in selectors.RECORDERS:
        return None
    soon = timezone.now() + datetime.timedelta(days=14)
    receptions = list(selectors.reception_list(user, upcoming=True).filter(starts_at__lte=soon)[:5])
    if not receptions:
        return None
    return Panel(
        title=_("Reception days coming up"),
        template="outreach/_receptions_panel.html",
        context={"receptions": receptions},
        order=30,
    )


def follow_ups_panel(user):
    if user.role not in selectors.RECORDERS:
        return None
    due = selectors.follow_ups_due(user)
    if not due["talks"] and not due["visits"]:
        return None
    return Panel(
        title=_("Follow-ups due"),
        template="outreach/_follow_ups_panel.html",
        context={**due, "today": timezone.localdate()},
        order=40,
    )
