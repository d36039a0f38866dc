"""The provisional (暂定) calendar of a year whose official schedule is not published yet.

The State Council publishes each year's holiday schedule (节假日安排) late in the year before,
so a case received in December with a 15-working-day limit reaches a year nobody knows yet.
Rather than leave it without a deadline, that year gets a provisional calendar: weekends and
the statutory holidays that the national regulations fix (《全国年节及纪念日放假办法》,
as revised in 2024), with their lunar dates computed, and no make-up working days, which
only the official notice sets. Every deadline falling in it is shown as 暂定, and loading
the official schedule recomputes them (see services.calendar_sync / calendar_load).

Statutory holidays (13 days):
- 元旦 1 January;
- 春节 the lunar new year's eve and the first three days of the first lunar month;
- 清明节 the day of the Qingming solar term;
- 劳动节 1 and 2 May;
- 端午节 the fifth day of the fifth lunar month;
- 中秋节 the fifteenth day of the eighth lunar month;
- 国庆节 1 to 3 October.
"""

from __future__ import annotations

import datetime

import chinese_calendar
from lunardate import LunarDate

from lianxin.calendar.models import DayKind
from lianxin.calendar.official import DaySpec, dates_of_year

ONE_DAY = datetime.timedelta(days=1)
QINGMING = "清明"


def _lunar(year: int, month: int, day: int) -> datetime.date:
    return LunarDate(year, month, day).to_solar_date()


def _qingming(year: int) -> datetime.date:
    for day, name in chinese_calendar.get_solar_terms(
        datetime.date(year, 4, 1), datetime.date(year, 4, 10)
    ):
        if name == QINGMING:
            return day
    raise ValueError(f"no Qingming solar term found in {year}")  # pragma: no cover


def statutory_holidays(year: int) -> dict[datetime.date, str]:
    """The statutory holidays of `year` by the regulations: {date: name}."""
    new_year = _lunar(year, 1, 1)
    days = {datetime.date(year, 1, 1): "元旦"}
    for offset in range(-1, 3):
        days[new_year + offset * ONE_DAY] = "春节"
    days[_qingming(year)] = "清明节"
    days[datetime.date(year, 5, 1)] = days[datetime.date(year, 5, 2)] = "劳动节"
    days[_lunar(year, 5, 5)] = "端午节"
    days[_lunar(year, 8, 15)] = "中秋节"
    for day in (1, 2, 3):
        days[datetime.date(year, 10, day)] = "国庆节"
    return days


def provisional_year(year: int) -> list[DaySpec]:
    """Every day of `year`: a statutory holiday, a weekend day or a working day."""
    holidays = statutory_holidays(year)
    specs = []
    for day in dates_of_year(year):
        if day in holidays:
            specs.append(DaySpec(day, DayKind.HOLIDAY, holidays[day] + "（暂定）"))
        elif day.weekday() >= 5:
            specs.append(DaySpec(day, DayKind.WEEKEND))
        else:
            specs.append(DaySpec(day, DayKind.WORKDAY))
    return specs
