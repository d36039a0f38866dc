"""Deadlines in working days and clock hours, Asia/Shanghai. Other rooms call only this module.

    from lianxin.calendar import deadlines
    due = deadlines.add_working_days(case.received_at, 7)        # 7 working days
    respond_by = deadlines.add_hours(case.received_at, 2)         # emergencies: 2 clock hours
    late = deadlines.working_days_between(due, timezone.now())    # working days past the deadline

Every answer comes from the WorkingDay table. A day without a row raises CalendarMissing
naming its year; nothing here ever falls back to "Monday to Friday".

Speed: each process keeps the calendar of the years it has looked at (a dict of about 370
dates per year), so a sweep over thousands of cases costs no query per case. The cache is
emptied when the calendar changes: the services call `invalidate()`, which also replaces a
token in the shared Django cache so other processes (web workers, the job worker) notice
within CHECK_INTERVAL seconds; MAX_AGE bounds staleness if that cache is unavailable.
"""

from __future__ import annotations

import contextlib
import datetime
import threading
import time
import uuid
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.utils.functional import lazy
from django.utils.translation import ngettext, pgettext

from lianxin.calendar.models import WorkingDay

SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = datetime.time(23, 59, 59)
ONE_DAY = datetime.timedelta(days=1)
TOKEN_KEY = "lianxin:calendar:token"
CHECK_INTERVAL = 2.0  # seconds between looks at the shared token
MAX_AGE = 300.0  # seconds after which a process reloads whatever the token says


def format_years(years: Iterable[int]) -> str:
    return pgettext("list separator", ", ").join(str(y) for y in sorted(set(years)))


def _missing_message(years: list[int]) -> str:
    return ngettext(
        "The working-day calendar has no data for %(years)s, so this deadline cannot be "
        "computed. An administrator must load that year's official holiday schedule.",
        "The working-day calendar has no data for %(years)s, so this deadline cannot be "
        "computed. An administrator must load those years' official holiday schedules.",
        len(years),
    ) % {"years": format_years(years)}


class CalendarMissing(Exception):
    """A day the computation needed has no row in the calendar. `.years` lists the years.

    str() gives the message in the language active when it is shown, so a sweep can store
    the years and a page can still show the message in the reader's language.
    """

    def __init__(self, years: Iterable[int]):
        self.years = sorted(set(years))
        self.message = lazy(_missing_message, str)(self.years)
        super().__init__(self.years)

    def __str__(self) -> str:
        return str(self.message)


class _Calendar:
    """The per-process cache: {year: {date: is_working_day}} for years looked at."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.years: dict[int, dict[datetime.date, bool]] = {}
        self.provisional: frozenset[int] | None = None
        self.token: str | None = None
        self.checked_at = 0.0
        self.loaded_at = 0.0

    def clear(self) -> None:
        with self.lock:
            self.years = {}
            self.provisional = None
            self.token = None
            self.checked_at = 0.0

    def _refresh(self) -> None:
        now = time.monotonic()
        if now - self.loaded_at > MAX_AGE:
            self.years = {}
            self.provisional = None
            self.loaded_at = now
        if self.token is not None and now - self.checked_at < CHECK_INTERVAL:
            return
        token = _shared_token()
        if token is None or token != self.token:
            self.years = {}
            self.provisional = None
        self.token = token
        self.checked_at = now

    def days(self, first_year: int, last_year: int) -> dict[int, dict[datetime.date, bool]]:
        """The calendar of first_year..last_year, loading the years not yet held in one query.

        A year with no rows comes back as an empty dict (and is remembered as such until the
        calendar changes).
        """
        with self.lock:
            self._refresh()
            wanted = [y for y in range(first_year, last_year + 1) if y not in self.years]
            if wanted:
                loaded: dict[int, dict[datetime.date, bool]] = {y: {} for y in wanted}
                rows = WorkingDay.objects.filter(
                    date__gte=datetime.date(wanted[0], 1, 1),
                    date__lte=datetime.date(wanted[-1], 12, 31),
                ).values_list("date", "is_working_day")
                for day, working in rows:
                    if day.year in loaded:
                        loaded[day.year][day] = working
                self.years.update(loaded)
            return {y: self.years[y] for y in range(first_year, last_year + 1)}

    def provisional_years(self) -> frozenset[int]:
        with self.lock:
            self._refresh()
            if self.provisional is None:
                from lianxin.calendar.models import DaySource

                self.provisional = frozenset(
                    day.year
                    for day in WorkingDay.objects.filter(source=DaySource.PROVISIONAL).dates(
                        "date", "year"
                    )
                )
            return self.provisional


_calendar = _Calendar()


def provisional_years() -> frozenset[int]:
    """Years whose calendar is provisional (暂定): no official schedule yet, only weekends
    and the statutory holidays."""
    return _calendar.provisional_years()


def is_provisional(moment: datetime.datetime | datetime.date | None) -> bool:
    """Whether a deadline falls in a provisional year, and so is shown as 暂定."""
    if moment is None:
        return False
    return local_date(moment).year in provisional_years()


def _shared_token() -> str | None:
    try:
        token = cache.get(TOKEN_KEY)
        if token is None:
            cache.add(TOKEN_KEY, uuid.uuid4().hex, timeout=None)
            token = cache.get(TOKEN_KEY)
        return token
    except Exception:  # an unreachable cache must not stop deadlines; just do not cache
        return None


def invalidate() -> None:
    """The calendar changed: forget it here and tell the other processes."""
    _calendar.clear()
    # If the shared cache is down, MAX_AGE still bounds how long other processes keep old data.
    with contextlib.suppress(Exception):
        cache.set(TOKEN_KEY, uuid.uuid4().hex, timeout=None)


def clear_cache() -> None:
    """Forget this process's copy only (tests, after a rolled-back transaction)."""
    _calendar.clear()


def local_date(moment: datetime.datetime | datetime.date) -> datetime.date:
    """The Asia/Shanghai date of an aware datetime (a plain date is returned as it is)."""
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("deadlines need timezone-aware datetimes")
        return moment.astimezone(SHANGHAI).date()
    return moment


class _Lookup:
    """Day-by-day access for one computation: loads the years it reaches, in one query
    for the first two (a 7- or 15-working-day limit almost never reaches a third)."""

    def __init__(self) -> None:
        self.years: dict[int, dict[datetime.date, bool]] = {}

    def prefetch(self, first_year: int, last_year: int) -> None:
        missing = [y for y in range(first_year, last_year + 1) if y not in self.years]
        if missing:
            self.years.update(_calendar.days(missing[0], missing[-1]))

    def working(self, day: datetime.date) -> bool:
        if day.year not in self.years:
            self.prefetch(day.year, day.year + 1)
        value = self.years[day.year].get(day)
        if value is None:
            raise CalendarMissing([day.year])
        return value


def is_working_day(day: datetime.date) -> bool:
    """Whether people work on this day (a make-up Saturday is a working day).

    An aware datetime is taken at its Asia/Shanghai date. Raises CalendarMissing for a day
    without data.
    """
    return _Lookup().working(local_date(day))


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """The deadline `days` working days after `start`, Asia/Shanghai.

    The rule (as for 12345 hotline time limits):
    1. Take the local (Asia/Shanghai) date of `start`, the day of receipt. It is not counted,
       whatever the time and whether or not it is a working day.
    2. Count the working days that follow it in the calendar table: weekdays that are not
       holidays, and make-up Saturdays or Sundays (调休上班); holidays and weekends are skipped.
    3. The deadline is the end of the Nth such day, 23:59:59 local time. With days=0 it is the
       end of the day of receipt.

    E.g. received Wednesday 2026-09-30, 7 working days: 10-01..10-07 are the National Day
    holiday, so 10-08 (1), 10-09 (2), make-up Saturday 10-10 (3), 10-12..10-15 (4..7); due
    2026-10-15 23:59:59.

    Raises CalendarMissing if any day from the day after receipt up to the deadline has no
    data, and ValueError for a naive datetime or a negative number of days.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = local_date(start)
    lookup = _Lookup()
    counted = 0
    while counted < days:
        day += ONE_DAY
        if lookup.working(day):
            counted += 1
    return datetime.datetime.combine(day, END_OF_DAY, tzinfo=SHANGHAI)


def add_hours(start: datetime.datetime, hours: int) -> datetime.datetime:
    """`start` plus clock hours (emergency limits), as an Asia/Shanghai datetime.

    Working days play no part: 2 hours after 23:00 is 01:00 the next day, holiday or not.
    Computed on absolute time (UTC), so it would stay right even in a zone with daylight
    saving; Shanghai has none.
    """
    local_date(start)  # rejects naive datetimes
    moment = start.astimezone(datetime.UTC) + datetime.timedelta(hours=hours)
    return moment.astimezone(SHANGHAI)


def working_days_between(start: datetime.datetime, end: datetime.datetime) -> int:
    """How many working days have passed from `start` to `end`, Asia/Shanghai.

    Counts the working days after the local date of `start` up to and including the local
    date of `end`: the inverse of add_working_days, so
    working_days_between(s, add_working_days(s, n)) == n. A deadline at 23:59:59 on a
    Thursday is overdue by 1 working day during Friday, and still by 1 on the weekend.
    Returns 0 when `end` is on or before the day of `start`. Raises CalendarMissing naming
    every year in the span that lacks data.
    """
    first, last = local_date(start) + ONE_DAY, local_date(end)
    if last < first:
        return 0
    years = _calendar.days(first.year, last.year)
    count = 0
    missing: set[int] = set()
    day = first
    while day <= last:
        value = years[day.year].get(day)
        if value is None:
            missing.add(day.year)
        elif value:
            count += 1
        day += ONE_DAY
    if missing:
        raise CalendarMissing(missing)
    return count
