"""The representative's connected record (连心链条): what came of the year's contacts — the
cases they raised and how those ended, and what other rooms add (proposals and their
answers, the projects that came from them, commitments, aid applied for).

Rooms above outreach register a section function from their AppConfig.ready():

    from lianxin.outreach import record
    record.register(my_section)          # my_section(representative, year) -> Section | None

A section counts outcomes (`outcomes`, shown above its table and in the summary) and lists its
rows; the duty record page, its PDF and its .xlsx show every section, so the connected record
is part of the 履职档案. Outreach names none of those rooms.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from lianxin.cases.models import SATISFIED_LEVELS, Case, CaseStatus


@dataclass
class Section:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    outcomes: list[tuple[str, object]] = field(default_factory=list)
    order: int = 100


_SECTIONS: list[Callable] = []


def register(function: Callable) -> None:
    if function not in _SECTIONS:
        _SECTIONS.append(function)


def sections_for(representative, year: int) -> list[Section]:
    found = [s for s in (fn(representative, year) for fn in [cases_raised, *_SECTIONS]) if s]
    return sorted(found, key=lambda s: s.order)


def cases_raised(representative, year: int) -> Section | None:
    """Cases the representative recorded in the year, and how they ended (two queries)."""
    from lianxin.outreach.selectors import local_bounds

    if not representative.user_id:
        return None
    lower, upper = local_bounds(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    # Proposals are recorded as cases too; they have their own section (their answers).
    cases = Case.objects.filter(
        received_by_id=representative.user_id,
        received_at__gte=lower,
        received_at__lt=upper,
        proposal__isnull=True,
    )
    figures = cases.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status__in=[CaseStatus.RESOLVED, CaseStatus.CLOSED])),
        open=Count(
            "pk",
            filter=Q(
                status__in=[
                    CaseStatus.RECEIVED,
                    CaseStatus.RESPONDING,
                    CaseStatus.REFERRED,
                    CaseStatus.REPLIED,
                ]
            ),
        ),
        satisfied=Count(
            "pk",
            filter=Q(ratings__satisfaction__in=SATISFIED_LEVELS, ratings__is_callback=False),
            distinct=True,
        ),
    )
    rows = [
        [c.number, c.received_at, c.title, c.get_status_display()]
        for c in cases.order_by("received_at")[:200]
    ]
    return Section(
        title=_("Cases raised"),
        headers=[_("Number"), _("Received"), _("Title"), _("Status")],
        rows=rows,
        outcomes=[
            (_("raised"), figures["total"]),
            (_("resolved"), figures["done"]),
            (_("still open"), figures["open"]),
            (_("rated satisfied by the resident"), figures["satisfied"]),
        ],
        order=10,
    )
