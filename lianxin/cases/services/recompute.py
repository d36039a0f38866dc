"""Deadlines that rested on a provisional (暂定) calendar, recomputed when the official
schedule of their year is loaded (the calendar calls `deadlines_confirm` from its hook)."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from lianxin.calendar import deadlines
from lianxin.cases import notifications
from lianxin.cases.models import OPEN_REFERRAL_STATUSES, OPEN_STATUSES, Case, EventKind, Referral
from lianxin.cases.services._common import compute_deadlines, record_event
from lianxin.cases.services.referrals import referral_deadlines

MOVED = gettext_noop(
    "The official holiday schedule of %(year)s has been loaded: deadlines recomputed. "
    "Handling due %(handling)s (was %(was)s, provisional)."
)
CONFIRMED = gettext_noop(
    "The official holiday schedule of %(year)s has been loaded: the deadline %(handling)s "
    "stands (it was provisional)."
)


def _in_years(field: str, years: list[int]) -> Q:
    query = Q()
    for year in years:
        first = datetime.datetime(year, 1, 1, tzinfo=deadlines.SHANGHAI)
        last = datetime.datetime(year + 1, 1, 1, tzinfo=deadlines.SHANGHAI)
        query |= Q(**{f"{field}__gte": first, f"{field}__lt": last})
    return query


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def deadlines_confirm(years: list[int]) -> int:
    """Recompute every open case's and open referral's deadline that falls in `years` (now
    official), each case's with an event on its timeline, and tell the residents whose
    handling deadline moved. Returns how many cases were recomputed."""
    cases = Case.objects.filter(status__in=OPEN_STATUSES).filter(
        _in_years("response_due_at", years) | _in_years("handling_due_at", years)
    )
    count = 0
    for case in cases.select_related("category"):
        start = case.round_started_at or case.received_at
        response_due, handling_due, problem = compute_deadlines(case.category, case.urgency, start)
        was = case.handling_due_at
        Case.objects.filter(pk=case.pk).update(
            response_due_at=response_due, handling_due_at=handling_due, deadline_problem=problem
        )
        case.response_due_at, case.handling_due_at = response_due, handling_due
        year = deadlines.local_date(was).year if was else years[0]
        moved = handling_due != was
        record_event(
            case,
            kind=EventKind.DEADLINE,
            public=True,
            message=(
                MOVED if moved else CONFIRMED,
                {"year": year, "handling": _local(handling_due), "was": _local(was)},
            ),
            data={
                "was": was.isoformat() if was else None,
                "handling_due": handling_due.isoformat() if handling_due else None,
                "official_years": list(years),
            },
        )
        if moved:
            notifications.case_deadline_set(case)
        count += 1
    referrals = Referral.objects.filter(status__in=OPEN_REFERRAL_STATUSES, due_given=False).filter(
        _in_years("due_at", years) | _in_years("accept_due_at", years)
    )
    for referral in referrals.select_related("case__category"):
        accept_due, due = referral_deadlines(referral.case, referral.referred_at)
        Referral.objects.filter(pk=referral.pk).update(accept_due_at=accept_due, due_at=due)
    return count
