"""Reads of the working-day calendar: which years have data, and a month to look at."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.module_loading import import_string

from lianxin.accounts.models import Role
from lianxin.calendar.models import PROTECTED_SOURCES, DayKind, DaySource, WorkingDay

# Rooms that compute deadlines list here what years they need, as dotted paths of callables
# returning years (e.g. the years of open cases): `lianxin calendar check` and the warnings
# then treat those years like the current one.
NEEDED_YEAR_PROVIDERS: list[str] = [
    "lianxin.cases.selectors.calendar_years_needed",
]


def can_view_calendar(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role == Role.ADMIN


def days_in_year(year: int) -> int:
    return (datetime.date(year + 1, 1, 1) - datetime.date(year, 1, 1)).days


@dataclass
class YearSummary:
    year: int
    days: int
    working: int
    holidays: int
    makeup: int
    corrected: int
    loaded: int
    provisional: int = 0

    @property
    def expected(self) -> int:
        return days_in_year(self.year)

    @property
    def complete(self) -> bool:
        """Every day has data from an official schedule (a provisional day does not count)."""
        return self.days - self.provisional >= self.expected

    @property
    def is_provisional(self) -> bool:
        return self.provisional > 0

    @property
    def missing_days(self) -> int:
        return self.expected - self.days


def year_summaries() -> dict[int, YearSummary]:
    """Every year with at least one day, in one grouped query."""
    rows = (
        WorkingDay.objects.annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(
            days=Count("id"),
            working=Count("id", filter=Q(is_working_day=True)),
            holidays=Count("id", filter=Q(kind=DayKind.HOLIDAY)),
            makeup=Count("id", filter=Q(kind=DayKind.MAKEUP)),
            corrected=Count("id", filter=Q(source=DaySource.ADMIN)),
            loaded=Count("id", filter=Q(source=DaySource.FILE)),
            provisional=Count("id", filter=Q(source=DaySource.PROVISIONAL)),
        )
        .order_by("year")
    )
    return {row["year"]: YearSummary(**row) for row in rows}


def needed_years() -> set[int]:
    years: set[int] = set()
    for dotted in NEEDED_YEAR_PROVIDERS:
        years.update(int(y) for y in import_string(dotted)())
    return years


@dataclass
class CalendarStatus:
    """Which years have data, from the earliest one with data through next year."""

    this_year: int
    summaries: dict[int, YearSummary]
    checked: list[int]
    needed: set[int] = field(default_factory=set)

    @property
    def complete(self) -> list[int]:
        return [y for y in self.checked if y in self.summaries and self.summaries[y].complete]

    @property
    def incomplete(self) -> list[YearSummary]:
        return [
            self.summaries[y]
            for y in self.checked
            if y in self.summaries
            and not self.summaries[y].complete
            and not self.summaries[y].is_provisional
        ]

    @property
    def provisional(self) -> list[int]:
        """Years checked whose calendar is provisional (暂定)."""
        return [y for y in self.checked if y in self.summaries and self.summaries[y].is_provisional]

    @property
    def missing(self) -> list[int]:
        """Years checked that have no data at all."""
        return [y for y in self.checked if y not in self.summaries]

    @property
    def blocking(self) -> list[int]:
        """Years without complete data that deadlines need now: this year, next year and
        the years other rooms say they need."""
        important = {self.this_year, self.this_year + 1} | self.needed
        return sorted(y for y in important if y not in self.complete)

    @property
    def ok(self) -> bool:
        return not self.blocking


def calendar_status(*, today: datetime.date | None = None, summaries=None) -> CalendarStatus:
    today = today or timezone.localdate()
    summaries = year_summaries() if summaries is None else summaries
    needed = needed_years()
    first = min([*summaries, today.year])
    checked = sorted(set(range(first, today.year + 2)) | needed)
    return CalendarStatus(this_year=today.year, summaries=summaries, checked=checked, needed=needed)


def blocking_years(
    *, today: datetime.date | None = None, include_next_year: bool = True
) -> list[int]:
    """This year and next (and needed years) lacking complete official data (a provisional
    year counts as lacking), in one query.

    Without next year it answers "is anything broken right now": what the system check
    reports on every command, while administrators see next year coming on the workbench."""
    today = today or timezone.localdate()
    ahead = {today.year + 1} if include_next_year else set()
    years = sorted({today.year} | ahead | needed_years())
    counts = {
        row["year"]: row["days"]
        for row in WorkingDay.objects.filter(
            date__gte=datetime.date(years[0], 1, 1), date__lte=datetime.date(years[-1], 12, 31)
        )
        .exclude(source=DaySource.PROVISIONAL)
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(days=Count("id"))
        .order_by()
    }
    return [y for y in years if counts.get(y, 0) < days_in_year(y)]


@dataclass
class MonthDay:
    date: datetime.date
    row: WorkingDay | None
    in_month: bool

    @property
    def protected(self) -> bool:
        return self.row is not None and self.row.source in PROTECTED_SOURCES


def month_weeks(year: int, month: int) -> list[list[MonthDay]]:
    """The weeks (Monday first) covering a month, each day with its row, in one query."""
    first = datetime.date(year, month, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    start = first - datetime.timedelta(days=first.weekday())
    end = last + datetime.timedelta(days=6 - last.weekday())
    rows = {
        row.date: row
        for row in WorkingDay.objects.filter(date__gte=start, date__lte=end).select_related(
            "updated_by"
        )
    }
    weeks, day = [], start
    while day <= end:
        week = []
        for _ in range(7):
            week.append(MonthDay(day, rows.get(day), day.month == month))
            day += datetime.timedelta(days=1)
        weeks.append(week)
    return weeks
