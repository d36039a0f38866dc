"""calendar.W001: this year, or a year that open cases need, has no complete working-day
calendar. (Next year missing is shown to administrators on the workbench and by
`lianxin calendar check`, not on every command: the official schedule is published late in
the year, and a warning that cannot yet be acted on would only teach people to ignore it.)

It reads the database, so it stays quiet when the database is not there yet (before the
first migrate) and lets `lianxin calendar check` give the details.
"""

from __future__ import annotations

from django.core.checks import Warning, register
from django.db import DatabaseError
from django.utils.translation import gettext as _

from lianxin.calendar.deadlines import format_years


def missing_calendar_warnings() -> list[Warning]:
    from lianxin.calendar.selectors import blocking_years

    try:
        missing = blocking_years(include_next_year=False)
    except DatabaseError:
        return []
    if not missing:
        return []
    return [
        Warning(
            _("The working-day calendar has no complete data for %(years)s.")
            % {"years": format_years(missing)},
            hint=_(
                "Deadlines that reach those years fail until the schedule is loaded: upgrade "
                "chinesecalendar and run `lianxin calendar sync`, or load the State Council's "
                "schedule from a file (`lianxin calendar load FILE`, or the admin site: "
                "Working-day calendar › Load a year's schedule). `lianxin calendar check` "
                "lists every year."
            ),
            id="calendar.W001",
        )
    ]


@register()
def calendar_years_check(app_configs=None, databases=None, **kwargs):
    if app_configs is not None and not any(a.label == "calendar" for a in app_configs):
        return []
    return missing_calendar_warnings()
