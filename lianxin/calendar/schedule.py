"""A year's holiday schedule written by hand, in a small TOML file (see data/2026.toml).

    year = 2027
    title = "国务院办公厅关于2027年部分节假日安排的通知"   # optional, kept in the change log

    [[holiday]]
    name = "国庆节"
    start = 2027-10-01
    end = 2027-10-07
    in_lieu = [2027-10-06, 2027-10-07]   # optional: weekdays given off in exchange (调休)

    [[makeup_workday]]
    date = 2027-09-26
    name = "国庆节"

Every date inside a holiday range is a day off; a make-up working day (调休上班) is a Saturday or
Sunday worked; every other Monday to Friday is a working day and every other weekend day is not.

`parse_schedule` checks the whole file and raises ValidationError with every problem it found,
in words an administrator can act on; it never touches the database.
"""

from __future__ import annotations

import datetime
import itertools
import tomllib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from lianxin.calendar.models import DayKind
from lianxin.calendar.official import IN_LIEU_SUFFIX, DaySpec, dates_of_year

MAX_FILE_BYTES = 64 * 1024
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_NAME_LENGTH = 40
TOP_KEYS = ("year", "title", "holiday", "makeup_workday")
HOLIDAY_KEYS = ("name", "start", "end", "in_lieu")
MAKEUP_KEYS = ("date", "name")


@dataclass
class Schedule:
    year: int
    title: str
    days: list[DaySpec]

    @property
    def holiday_count(self) -> int:
        return sum(1 for d in self.days if d.kind == DayKind.HOLIDAY)

    @property
    def makeup_count(self) -> int:
        return sum(1 for d in self.days if d.kind == DayKind.MAKEUP)


def weekday_name(day: datetime.date) -> str:
    return str(WEEKDAYS[day.weekday()])


def _as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return None
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _unknown_keys(table: dict, allowed: tuple[str, ...]) -> list[str]:
    return sorted(str(k) for k in table if k not in allowed)


def _decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is too large (at most %(size)d KB); a year's schedule is much smaller.")
            % {"size": MAX_FILE_BYTES // 1024}
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 text; save it as UTF-8 and try again.")
        ) from None


def parse_schedule(content: bytes | str) -> Schedule:
    """Read and check a schedule file; every day of its year comes back, in order."""
    text = _decode(content)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(
            _("The file is not valid TOML: %(detail)s") % {"detail": exc}
        ) from None
    errors: list[str] = []

    unknown = _unknown_keys(data, TOP_KEYS)
    if unknown:
        errors.append(
            _("Unknown entries %(keys)s; a schedule file has only %(allowed)s.")
            % {"keys": "、".join(unknown), "allowed": "、".join(TOP_KEYS)}
        )
    year = data.get("year")
    if year is None:
        raise ValidationError(
            [*errors, _("The file does not say which year it is for (year = 2027).")]
        )
    if not isinstance(year, int) or isinstance(year, bool):
        raise ValidationError([*errors, _("The year must be a whole number, such as year = 2027.")])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            [
                *errors,
                _("The year %(year)s is not plausible (from %(min)s to %(max)s).")
                % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR},
            ]
        )
    title = data.get("title", "")
    if not isinstance(title, str):
        errors.append(_("The title must be text in quotation marks."))
        title = ""

    def in_year(day: datetime.date, where: str) -> bool:
        if day.year != year:
            errors.append(
                _("%(where)s: %(date)s is not in %(year)s, the year of this file.")
                % {"where": where, "date": day.isoformat(), "year": year}
            )
            return False
        return True

    def name_of(entry: dict, where: str) -> str:
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            errors.append(
                _('%(where)s: the name is missing (e.g. name = "国庆节").') % {"where": where}
            )
            return ""
        if len(name.strip()) > MAX_NAME_LENGTH:
            errors.append(
                _("%(where)s: the name is longer than %(max)d characters.")
                % {"where": where, "max": MAX_NAME_LENGTH}
            )
        return name.strip()[:MAX_NAME_LENGTH]

    def date_of(entry: dict, key: str, where: str) -> datetime.date | None:
        if key not in entry:
            errors.append(
                _("%(where)s: %(key)s is missing (e.g. %(key)s = %(year)s-10-01).")
                % {"where": where, "key": key, "year": year}
            )
            return None
        day = _as_date(entry[key])
        if day is None:
            errors.append(
                _("%(where)s: %(key)s = %(value)s is not a date (write it as %(year)s-10-01).")
                % {"where": where, "key": key, "value": entry[key], "year": year}
            )
            return None
        return day if in_year(day, where) else None

    def tables(key: str) -> list[dict]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            errors.append(
                _("%(key)s must be written as [[%(key)s]] tables, one per entry.") % {"key": key}
            )
            return []
        return value

    # 1. Holidays: named ranges inside the year, not overlapping.
    holidays: list[tuple[datetime.date, datetime.date, str, set[datetime.date]]] = []
    holiday_tables = tables("holiday")
    for number, entry in enumerate(holiday_tables, start=1):
        where = _("Holiday %(number)d") % {"number": number}
        unknown = _unknown_keys(entry, HOLIDAY_KEYS)
        if unknown:
            errors.append(
                _("%(where)s: unknown entries %(keys)s (allowed: %(allowed)s).")
                % {"where": where, "keys": "、".join(unknown), "allowed": "、".join(HOLIDAY_KEYS)}
            )
        name = name_of(entry, where)
        if name:
            where = _("Holiday %(number)d (%(name)s)") % {"number": number, "name": name}
        start, end = date_of(entry, "start", where), date_of(entry, "end", where)
        if start is None or end is None:
            continue
        if end < start:
            errors.append(
                _("%(where)s: it ends (%(end)s) before it starts (%(start)s).")
                % {"where": where, "start": start.isoformat(), "end": end.isoformat()}
            )
            continue
        in_lieu: set[datetime.date] = set()
        raw_in_lieu = entry.get("in_lieu", [])
        if not isinstance(raw_in_lieu, list):
            raw_in_lieu = [raw_in_lieu]
        for value in raw_in_lieu:
            day = _as_date(value)
            if day is None:
                errors.append(
                    _("%(where)s: in_lieu holds %(value)s, which is not a date.")
                    % {"where": where, "value": value}
                )
            elif not start <= day <= end:
                errors.append(
                    _("%(where)s: the day off in lieu %(date)s is outside the holiday.")
                    % {"where": where, "date": day.isoformat()}
                )
            elif day.weekday() >= 5:
                errors.append(
                    _(
                        "%(where)s: %(date)s is a %(weekday)s; only a weekday can be given off in lieu."
                    )
                    % {"where": where, "date": day.isoformat(), "weekday": weekday_name(day)}
                )
            else:
                in_lieu.add(day)
        holidays.append((start, end, name, in_lieu))
    if not holiday_tables:
        errors.append(
            _("The file lists no holidays ([[holiday]]); every year's schedule has some.")
        )
    holidays.sort(key=lambda h: h[0])
    for (_s1, e1, n1, _l1), (s2, _e2, n2, _l2) in itertools.pairwise(holidays):
        if s2 <= e1:
            errors.append(
                _("The holidays %(first)s and %(second)s overlap on %(date)s.")
                % {"first": n1 or "?", "second": n2 or "?", "date": s2.isoformat()}
            )

    off: dict[datetime.date, str] = {}
    for start, end, name, in_lieu in holidays:
        day = start
        while day <= end:
            off[day] = name + (IN_LIEU_SUFFIX if day in in_lieu else "")
            day += datetime.timedelta(days=1)

    # 2. Make-up working days: a Saturday or Sunday, outside every holiday, once each.
    makeup: dict[datetime.date, str] = {}
    for number, entry in enumerate(tables("makeup_workday"), start=1):
        where = _("Make-up working day %(number)d") % {"number": number}
        unknown = _unknown_keys(entry, MAKEUP_KEYS)
        if unknown:
            errors.append(
                _("%(where)s: unknown entries %(keys)s (allowed: %(allowed)s).")
                % {"where": where, "keys": "、".join(unknown), "allowed": "、".join(MAKEUP_KEYS)}
            )
        name = name_of(entry, where)
        day = date_of(entry, "date", where)
        if day is None:
            continue
        if day.weekday() < 5:
            errors.append(
                _(
                    "%(where)s: %(date)s is a %(weekday)s, already a working day; a make-up "
                    "working day is a Saturday or Sunday."
                )
                % {"where": where, "date": day.isoformat(), "weekday": weekday_name(day)}
            )
        elif day in off:
            errors.append(
                _("%(where)s: %(date)s falls inside the holiday %(holiday)s.")
                % {"where": where, "date": day.isoformat(), "holiday": off[day]}
            )
        elif day in makeup:
            errors.append(
                _("%(where)s: %(date)s is listed twice.")
                % {"where": where, "date": day.isoformat()}
            )
        else:
            makeup[day] = name

    if errors:
        raise ValidationError(errors)

    days = []
    for day in dates_of_year(year):
        if day in off:
            days.append(DaySpec(day, DayKind.HOLIDAY, off[day]))
        elif day in makeup:
            days.append(DaySpec(day, DayKind.MAKEUP, makeup[day]))
        else:
            days.append(DaySpec(day, DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WORKDAY))
    return Schedule(year=year, title=title.strip(), days=days)
