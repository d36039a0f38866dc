"""Deadlines are computed from the calendar table, in Asia/Shanghai, and never guessed."""

import datetime
import zoneinfo

import pytest
from django.utils import translation

from lianxin.calendar import deadlines, official, services
from lianxin.calendar.deadlines import SHANGHAI, CalendarMissing
from lianxin.calendar.models import DayKind, WorkingDay

D = datetime.date


def at(year, month, day, hour=10, minute=0, tz=SHANGHAI):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=tz)


def test_a_case_received_on_2026_09_30_with_7_working_days_is_due_on_10_15(working_calendar):
    # The official 2026 notice: National Day 10-01..10-07 off, Saturday 10-10 worked (调休上班).
    # The table, read the way the deadline reads it, day by day after the day of receipt:
    days = WorkingDay.objects.filter(date__gte=D(2026, 10, 1), date__lte=D(2026, 10, 15))
    counted = [row.date for row in days if row.is_working_day]
    assert counted == [
        D(2026, 10, 8),
        D(2026, 10, 9),
        D(2026, 10, 10),  # the make-up Saturday counts
        D(2026, 10, 12),
        D(2026, 10, 13),
        D(2026, 10, 14),
        D(2026, 10, 15),
    ]
    assert WorkingDay.objects.get(date=D(2026, 10, 10)).kind == DayKind.MAKEUP

    due = deadlines.add_working_days(at(2026, 9, 30, 16, 30), 7)

    assert due == datetime.datetime(2026, 10, 15, 23, 59, 59, tzinfo=SHANGHAI)
    assert due.date() == counted[-1]


def test_the_make_up_saturday_really_moves_the_deadline(working_calendar, admin_user):
    # Were 2026-10-10 a plain Saturday, the 7th working day would be Friday 10-16.
    services.working_day_correct(
        actor=admin_user, day=D(2026, 10, 10), kind=DayKind.WEEKEND, note=""
    )
    assert deadlines.add_working_days(at(2026, 9, 30), 7).date() == D(2026, 10, 16)


def test_the_day_of_receipt_is_not_counted_whatever_the_hour(working_calendar):
    early = deadlines.add_working_days(at(2026, 11, 23, 0, 1), 1)  # Monday just after midnight
    late = deadlines.add_working_days(at(2026, 11, 23, 23, 59), 1)
    assert early == late == datetime.datetime(2026, 11, 24, 23, 59, 59, tzinfo=SHANGHAI)


def test_the_local_date_is_the_shanghai_date(working_calendar):
    # 2026-11-26 17:00 UTC is already Friday 11-27 01:00 in Shanghai: the next working day
    # after Friday is Monday 11-30.
    start = datetime.datetime(2026, 11, 26, 17, 0, tzinfo=datetime.UTC)
    due = deadlines.add_working_days(start, 1)
    assert due == datetime.datetime(2026, 11, 30, 23, 59, 59, tzinfo=SHANGHAI)
    assert due.utcoffset() == datetime.timedelta(hours=8)


def test_a_case_received_on_a_holiday_starts_counting_after_it(working_calendar):
    assert deadlines.add_working_days(at(2026, 10, 3), 1).date() == D(2026, 10, 8)
    assert deadlines.add_working_days(at(2026, 10, 3), 0).date() == D(2026, 10, 3)


def test_spring_festival_2026_with_its_two_make_up_saturdays(working_calendar):
    # Off 02-15..02-23, Saturdays 02-14 and 02-28 worked.
    assert deadlines.add_working_days(at(2026, 2, 13), 1).date() == D(2026, 2, 14)
    assert deadlines.add_working_days(at(2026, 2, 14), 1).date() == D(2026, 2, 24)
    assert deadlines.add_working_days(at(2026, 2, 24), 4).date() == D(2026, 2, 28)


def test_naive_datetimes_and_negative_days_are_refused(working_calendar):
    with pytest.raises(ValueError):
        deadlines.add_working_days(datetime.datetime(2026, 9, 30, 10), 7)
    with pytest.raises(ValueError):
        deadlines.add_working_days(at(2026, 9, 30), -1)
    with pytest.raises(ValueError):
        deadlines.add_hours(datetime.datetime(2026, 9, 30, 10), 2)


def _a_year_without_data():
    """The first year after those the package covers, made certainly empty."""
    year = official.covered_years()[-1] + 1
    WorkingDay.objects.filter(date__gte=D(year, 1, 1)).delete()
    return year


def test_a_deadline_crossing_into_a_year_without_data_raises_calendar_missing(working_calendar):
    year = _a_year_without_data()
    start = at(year - 1, 12, 28)
    with pytest.raises(CalendarMissing) as excinfo:
        deadlines.add_working_days(start, 7)
    assert excinfo.value.years == [year]
    with translation.override("zh-hans"):
        assert f"{year}" in str(excinfo.value) and "没有" in str(excinfo.value)
    # A limit that ends before the new year is still computed.
    assert deadlines.add_working_days(at(year - 1, 12, 21), 1).year == year - 1


def test_is_working_day_refuses_to_guess_a_day_without_data(working_calendar):
    year = _a_year_without_data()
    with pytest.raises(CalendarMissing) as excinfo:
        deadlines.is_working_day(D(year, 3, 2))  # would be a plain weekday, but nobody knows
    assert excinfo.value.years == [year]
    assert deadlines.is_working_day(D(2026, 10, 10)) is True
    assert deadlines.is_working_day(D(2026, 10, 5)) is False


def test_a_single_missing_day_is_a_missing_year_too(working_calendar):
    WorkingDay.objects.filter(date=D(2026, 10, 12)).delete()
    with pytest.raises(CalendarMissing) as excinfo:
        deadlines.add_working_days(at(2026, 9, 30), 7)
    assert excinfo.value.years == [2026]


def test_add_hours_crosses_midnight_and_holidays_in_clock_hours(working_calendar):
    assert deadlines.add_hours(at(2026, 9, 30, 23, 0), 2) == at(2026, 10, 1, 1, 0)
    assert deadlines.add_hours(at(2026, 12, 31, 22, 30), 24) == at(2027, 1, 1, 22, 30)
    # Given in another zone, answered in Shanghai time (UTC+8 all year, no daylight saving).
    # New York springs forward at 02:00 that night; two clock hours are still two hours.
    elsewhere = datetime.datetime(2026, 3, 8, 1, 30, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    answer = deadlines.add_hours(elsewhere, 2)
    assert answer.tzinfo == SHANGHAI
    assert answer - elsewhere == datetime.timedelta(hours=2)
    assert answer.replace(tzinfo=None) == datetime.datetime(2026, 3, 8, 16, 30)


def test_working_days_between_is_the_inverse_of_add_working_days(working_calendar):
    start = at(2026, 9, 30)
    for n in (0, 1, 3, 7, 15, 30):
        assert deadlines.working_days_between(start, deadlines.add_working_days(start, n)) == n


def test_working_days_between_counts_how_long_a_deadline_has_passed(working_calendar):
    due = datetime.datetime(2026, 10, 15, 23, 59, 59, tzinfo=SHANGHAI)
    assert deadlines.working_days_between(due, at(2026, 10, 15, 23, 0)) == 0
    assert deadlines.working_days_between(due, at(2026, 10, 16, 9, 0)) == 1
    assert deadlines.working_days_between(due, at(2026, 10, 18, 9, 0)) == 1  # Sunday
    assert deadlines.working_days_between(due, at(2026, 10, 19, 9, 0)) == 2
    assert deadlines.working_days_between(at(2026, 10, 19), due) == 0


def test_working_days_between_names_every_year_without_data(working_calendar):
    year = _a_year_without_data()
    with pytest.raises(CalendarMissing) as excinfo:
        deadlines.working_days_between(at(year - 1, 12, 1), at(year + 1, 1, 5))
    assert excinfo.value.years == [year, year + 1]


def test_one_query_at_most_for_a_sweep_of_many_deadlines(
    working_calendar, django_assert_max_num_queries
):
    starts = [at(2026, 1, 1) + datetime.timedelta(hours=7 * i) for i in range(400)]
    with django_assert_max_num_queries(1):
        due = [deadlines.add_working_days(s, 15) for s in starts]
        late = [deadlines.working_days_between(d, at(2026, 12, 31)) for d in due]
    assert due[0].date() == D(2026, 1, 22) and late[0] > 200
    # The next sweep runs on the cached calendar.
    with django_assert_max_num_queries(0):
        deadlines.add_working_days(at(2026, 6, 1), 7)


def test_a_correction_is_seen_by_the_next_deadline(working_calendar, admin_user):
    assert deadlines.add_working_days(at(2026, 11, 26), 1).date() == D(2026, 11, 27)
    services.working_day_correct(
        actor=admin_user, day=D(2026, 11, 27), kind=DayKind.HOLIDAY, note="停电"
    )
    assert deadlines.add_working_days(at(2026, 11, 26), 1).date() == D(2026, 11, 30)


def test_another_process_notices_a_change_through_the_shared_token(working_calendar, monkeypatch):
    deadlines.add_working_days(at(2026, 11, 26), 1)  # warm this process's cache
    # Another process changes the table and replaces the token; this one has not been told.
    WorkingDay.objects.filter(date=D(2026, 11, 27)).update(
        kind=DayKind.HOLIDAY, is_working_day=False
    )
    from django.core.cache import cache

    cache.set(deadlines.TOKEN_KEY, "changed-elsewhere", timeout=None)
    monkeypatch.setattr(deadlines, "CHECK_INTERVAL", 0)
    assert deadlines.add_working_days(at(2026, 11, 26), 1).date() == D(2026, 11, 30)
