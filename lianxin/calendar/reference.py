"""The official calendar as reference data (see lianxin.core.reference)."""

from __future__ import annotations


def ensure_official_calendar() -> None:
    """Fill the years the installed package covers, if a table flush emptied them."""
    from lianxin.calendar import official, services
    from lianxin.calendar.models import WorkingDay

    years = official.covered_years()
    expected = sum(len(official.dates_of_year(y)) for y in years)
    if WorkingDay.objects.filter(source="package").count() != expected:
        services.calendar_sync()
