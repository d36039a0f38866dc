"""The official holiday schedule as the installed `chinesecalendar` package records it.

The State Council's General Office publishes each year's schedule (节假日安排) around November of
the year before; the package adds it in a new release. Which years it covers is therefore a
property of the installed version: upgrading it and running `lianxin calendar sync` adds years.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import chinese_calendar
from chinese_calendar import constants

from lianxin.calendar.models import WORKING_KINDS, DayKind

# The package names holidays in English (chinese_calendar.Holiday values).
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
IN_LIEU_SUFFIX = "（调休）"
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class DaySpec:
    """What a schedule says about one day."""

    date: datetime.date
    kind: str
    note: str = ""

    @property
    def is_working_day(self) -> bool:
        return self.kind in WORKING_KINDS


def package_version() -> str:
    return chinese_calendar.__version__


def covered_years() -> list[int]:
    """The years the installed package has an official schedule for (its own rule: from the
    first to the last year that has a holiday)."""
    return list(range(min(constants.holidays).year, max(constants.holidays).year + 1))


def holiday_name_zh(name: str) -> str:
    # A name a future release adds stays visible (in English) rather than being dropped;
    # tests check that every name of the installed release is translated.
    return HOLIDAY_NAMES_ZH.get(name, name)


def official_day(day: datetime.date) -> DaySpec:
    if day in constants.workdays:
        return DaySpec(day, DayKind.MAKEUP, holiday_name_zh(constants.workdays[day]))
    if day in constants.holidays:
        note = holiday_name_zh(constants.holidays[day])
        if day in constants.in_lieu_days:
            note += IN_LIEU_SUFFIX
        return DaySpec(day, DayKind.HOLIDAY, note)
    return DaySpec(day, DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WORKDAY)


def dates_of_year(year: int) -> list[datetime.date]:
    day, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    days = []
    while day <= end:
        days.append(day)
        day += ONE_DAY
    return days


def official_year(year: int) -> list[DaySpec]:
    if year not in covered_years():
        raise ValueError(f"chinesecalendar {package_version()} has no schedule for {year}")
    return [official_day(day) for day in dates_of_year(year)]
