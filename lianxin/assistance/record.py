"""Assistance's part of the representative's connected record: aid applied for, and paid."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from lianxin.assistance.models import AidApplication, AidStatus
from lianxin.outreach.record import Section
from lianxin.outreach.selectors import local_bounds


def aid_section(representative, year: int) -> Section | None:
    if not representative.user_id:
        return None
    lower, upper = local_bounds(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    applications = AidApplication.objects.filter(
        applicant_id=representative.user_id, submitted_at__gte=lower, submitted_at__lt=upper
    )
    figures = applications.aggregate(
        n=Count("pk"),
        paid=Count("pk", filter=Q(status=AidStatus.PAID)),
        amount=Sum("payment__amount"),
    )
    if not figures["n"]:
        return None
    rows = [
        [
            a.number,
            a.submitted_at,
            a.resident.name,
            a.scheme.name,
            f"{a.amount:,.2f}",
            a.get_status_display(),
        ]
        for a in applications.select_related("resident", "scheme").order_by("submitted_at")
    ]
    return Section(
        title=_("Aid applied for"),
        headers=[
            _("Number"),
            _("Submitted"),
            _("Resident"),
            _("Aid scheme"),
            _("Amount"),
            _("Status"),
        ],
        rows=rows,
        outcomes=[
            (_("applications"), figures["n"]),
            (_("paid"), figures["paid"]),
            (_("yuan paid"), f"{figures['amount'] or 0:,.2f}"),
        ],
        order=50,
    )
