from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.calendar import deadlines, selectors
from lianxin.calendar.deadlines import format_years
from lianxin.core.workbench import Panel


def missing_years_panel(user):
    """For administrators, at the top: this year or next has no complete calendar."""
    if not selectors.can_view_calendar(user):
        return None
    years = selectors.blocking_years()
    if not years:
        return None
    provisional = sorted(deadlines.provisional_years() & set(years))
    return Panel(
        title=_("Working-day calendar: official schedule missing"),
        template="calendar/_missing_panel.html",
        context={
            "wide": True,
            "years": years,
            "label": format_years(years),
            "provisional": provisional,
            "provisional_label": format_years(provisional),
            "without": [y for y in years if y not in provisional],
            "load_url": reverse("admin:calendar_workingday_load"),
            "month_url": reverse("calendar:month"),
        },
        order=10,
    )
