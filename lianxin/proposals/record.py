"""Proposals' part of the representative's connected record: each proposal and its answer."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from lianxin.outreach.record import Section
from lianxin.outreach.selectors import local_bounds
from lianxin.proposals.models import SOLVED_OR_PLANNED


def proposals_section(representative, year: int) -> Section | None:
    lower, upper = local_bounds(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    proposals = list(
        representative.proposals.filter(created_at__gte=lower, created_at__lt=upper)
        .select_related("case", "handling__department")
        .order_by("created_at")
    )
    if not proposals:
        return None
    rows, answered, good, satisfied = [], 0, 0, 0
    for p in proposals:
        h = getattr(p, "handling", None)
        if h and h.answered_at:
            answered += 1
            good += h.answer_kind in SOLVED_OR_PLANNED
        satisfied += bool(h and h.rating in ("satisfied", "fairly"))
        rows.append(
            [
                p.case.title,
                h.department.name if h else _("Not assigned"),
                h.get_answer_kind_display()
                if h and h.answered_at
                else _("Awaiting the answer")
                if h
                else "",
                h.get_rating_display() if h and h.rated_at else "",
            ]
        )
    return Section(
        title=_("Proposals and answers"),
        headers=[_("Title"), _("Department to answer"), _("Outcome"), _("Rating")],
        rows=rows,
        outcomes=[
            (_("proposals"), len(proposals)),
            (_("answered"), answered),
            (_("solved or planned"), good),
            (_("answers rated satisfied"), satisfied),
        ],
        order=20,
    )
