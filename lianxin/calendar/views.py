"""The calendar for administrators: a month at a time, and which years have data."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from lianxin.calendar import selectors
from lianxin.calendar.deadlines import format_years
from lianxin.calendar.models import DayKind

WEEKDAY_HEADERS = [
    pgettext_lazy("calendar column", "Mon"),
    pgettext_lazy("calendar column", "Tue"),
    pgettext_lazy("calendar column", "Wed"),
    pgettext_lazy("calendar column", "Thu"),
    pgettext_lazy("calendar column", "Fri"),
    pgettext_lazy("calendar column", "Sat"),
    pgettext_lazy("calendar column", "Sun"),
]


def _month_param(request, today: datetime.date) -> tuple[int, int]:
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
    except ValueError:
        return today.year, today.month
    if not (1900 <= year <= 2200 and 1 <= month <= 12):
        return today.year, today.month
    return year, month


@login_required
def month(request):
    if not selectors.can_view_calendar(request.user):
        raise Http404
    today = timezone.localdate()
    year, month_number = _month_param(request, today)
    first = datetime.date(year, month_number, 1)
    previous = first - datetime.timedelta(days=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    status = selectors.calendar_status(today=today)
    # Newest first; years before last year fold away (they rarely matter and run to 2004).
    summaries = [(y, status.summaries.get(y)) for y in sorted(status.checked, reverse=True)]
    recent = [row for row in summaries if row[0] >= today.year - 1 or row[1] is None]
    older = [row for row in summaries if row not in recent]
    context = {
        "first": first,
        "today": today,
        "weeks": selectors.month_weeks(year, month_number),
        "headers": WEEKDAY_HEADERS,
        "previous": previous,
        "following": following,
        "status": status,
        "blocking_label": format_years(status.blocking),
        "recent": recent,
        "older": older,
        "older_first": older[-1][0] if older else None,
        "older_last": older[0][0] if older else None,
        "kinds": DayKind,
        "years": range(min(status.checked), max(status.checked) + 1),
        "months": range(1, 13),
    }
    return render(request, "calendar/month.html", context)
