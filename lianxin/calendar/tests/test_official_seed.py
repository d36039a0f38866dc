"""The calendar holds the official schedule: every year the package covers, day by day, and
agrees with a second, independent source (the `holidays` package)."""

import datetime
import re

import chinese_calendar
import holidays
import pytest
from chinese_calendar import constants

from lianxin.calendar import official, services
from lianxin.calendar.models import CalendarChange, DayKind, DaySource, WorkingDay


def _table(year=None):
    rows = WorkingDay.objects.all()
    if year:
        rows = rows.filter(
            date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
        )
    return {d.date: d for d in rows}


def _assert_matches_package(table):
    years = official.covered_years()
    for year in years:
        for day in official.dates_of_year(year):
            row = table.get(day)
            assert row is not None, f"{day} has no row"
            assert row.is_working_day == chinese_calendar.is_workday(day), day
            _on_holiday, name = chinese_calendar.get_holiday_detail(day)
            if day in constants.workdays:
                assert row.kind == DayKind.MAKEUP
                assert row.note == official.HOLIDAY_NAMES_ZH[name]
            elif day in constants.holidays:
                assert row.kind == DayKind.HOLIDAY
                assert row.note.startswith(official.HOLIDAY_NAMES_ZH[name])
                assert row.note.endswith("（调休）") == (day in constants.in_lieu_days)
            else:
                assert row.kind == (DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WORKDAY)
                assert row.note == ""


def test_a_fresh_migrate_holds_every_year_the_package_covers_day_by_day(db):
    table = _table()
    years = official.covered_years()
    assert years[0] == 2004 and years[-1] >= 2026
    assert len(table) == sum(len(official.dates_of_year(y)) for y in years)
    assert {d.year for d in table} == set(years)
    _assert_matches_package(table)
    assert {r.source for r in table.values()} == {DaySource.PACKAGE}


def test_sync_fills_an_empty_table_exactly_like_the_package(db):
    WorkingDay.objects.all().delete()
    report = services.calendar_sync()
    assert report.created == sum(len(official.dates_of_year(y)) for y in official.covered_years())
    _assert_matches_package(_table())
    change = CalendarChange.objects.get()
    assert change.action == "sync" and "chinesecalendar" in change.summary


def test_sync_is_idempotent(db):
    report = services.calendar_sync()
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == WorkingDay.objects.count()
    assert not CalendarChange.objects.exists()


def test_sync_adds_a_missing_year_and_repairs_a_package_day(db):
    WorkingDay.objects.filter(date__year=2025).delete()
    WorkingDay.objects.filter(date=datetime.date(2026, 10, 1)).update(
        kind=DayKind.WORKDAY, is_working_day=True, note=""
    )
    report = services.calendar_sync()
    assert report.created == 365 and report.updated == 1
    _assert_matches_package(_table())


def test_every_holiday_name_of_the_package_is_translated():
    names = set(constants.holidays.values()) | set(constants.workdays.values())
    assert names <= set(official.HOLIDAY_NAMES_ZH), names - set(official.HOLIDAY_NAMES_ZH)


def test_national_day_2026_reads_in_chinese(db):
    table = _table(2026)
    assert [table[datetime.date(2026, 10, d)].note for d in (1, 5, 6)] == [
        "国庆节",
        "国庆节",
        "国庆节（调休）",
    ]
    assert table[datetime.date(2026, 10, 10)].kind == DayKind.MAKEUP
    assert table[datetime.date(2026, 10, 10)].get_kind_display() == "调休上班"


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_the_holidays_package_agrees_on_every_statutory_holiday(db, year):
    """A second source: every day holidays.China lists is a day off in our table; the days it
    says were 'substituted from' a weekend are make-up working days in our table."""
    table = _table(year)
    listed = holidays.China(years=year)
    assert len(listed) >= 15
    for day, name in listed.items():
        assert not table[day].is_working_day, f"{day} {name} is a working day in our table"
        substituted = re.search(r"substituted from (\d\d)/(\d\d)/(\d{4})", name)
        if substituted:
            month, dom, y = (int(g) for g in substituted.groups())
            worked = table[datetime.date(y, month, dom)]
            assert worked.kind == DayKind.MAKEUP and worked.is_working_day, worked


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_make_up_working_days_are_weekend_days_and_weekdays_off_are_holidays(db, year):
    table = _table(year)
    listed = holidays.China(years=year)
    makeup = [d for d, row in table.items() if row.kind == DayKind.MAKEUP]
    assert makeup, "every recent year has make-up working days"
    assert all(d.weekday() >= 5 for d in makeup)
    weekdays_off = [d for d, row in table.items() if d.weekday() < 5 and not row.is_working_day]
    assert weekdays_off and all(d in listed for d in weekdays_off)
