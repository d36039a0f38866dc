"""Periods of the figures: a day, week, month, quarter, year or any range of dates, read from
the URL (so that a view can be shared) and checked with messages a person can act on."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

KINDS = (
    ("day", _("Day")),
    ("week", _("Week")),
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("year", _("Year")),
    ("range", _("Dates")),
)
MAX_DAYS = 3 * 366 + 1
EARLIEST = datetime.date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    kind: str = "range"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def grain(self) -> str:
        """The time step of charts over this period."""
        if self.days <= 45:
            return "day"
        if self.days <= 190:
            return "week"
        return "month"

    @property
    def label(self) -> str:
        if self.kind == "month":
            return gettext("%(year)d-%(month)02d") % {
                "year": self.start.year,
                "month": self.start.month,
            }
        if self.kind == "year":
            return str(self.start.year)
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def previous(self) -> Period:
        """The period just before, of the same kind (the month before a month …)."""
        if self.kind == "month":
            end = self.start - datetime.timedelta(days=1)
            return Period(end.replace(day=1), end, "month")
        if self.kind == "quarter":
            end = self.start - datetime.timedelta(days=1)
            return Period(_quarter_start(end), end, "quarter")
        if self.kind == "year":
            return Period(
                self.start.replace(year=self.start.year - 1),
                self.start - datetime.timedelta(days=1),
                "year",
            )
        length = datetime.timedelta(days=self.days)
        return Period(self.start - length, self.end - length, self.kind)

    def query(self) -> dict:
        if self.kind == "range":
            return {"period": "range", "start": self.start.isoformat(), "end": self.end.isoformat()}
        return {"period": self.kind, "at": self.start.isoformat()}


def _quarter_start(day: datetime.date) -> datetime.date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def period_of(kind: str, at: datetime.date) -> Period:
    if kind == "day":
        return Period(at, at, kind)
    if kind == "week":
        start = at - datetime.timedelta(days=at.weekday())
        return Period(start, start + datetime.timedelta(days=6), kind)
    if kind == "month":
        start = at.replace(day=1)
        following = (start + datetime.timedelta(days=32)).replace(day=1)
        return Period(start, following - datetime.timedelta(days=1), kind)
    if kind == "quarter":
        start = _quarter_start(at)
        following = (start + datetime.timedelta(days=95)).replace(day=1)
        return Period(start, following - datetime.timedelta(days=1), kind)
    if kind == "year":
        return Period(at.replace(month=1, day=1), at.replace(month=12, day=31), kind)
    raise ValueError(kind)


def parse_day(text: str) -> datetime.date:
    """2026-11-05, 2026-11 (its first day) or 2026 (its first day)."""
    text = (text or "").strip()
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text)
    if not match:
        raise ValueError(text)
    year, month, day = (int(g) if g else 1 for g in match.groups())
    return datetime.date(year, month, day)


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=KINDS, required=False)
    at = forms.CharField(label=_("Which"), required=False, max_length=10)
    start = forms.CharField(label=_("From"), required=False, max_length=10)
    end = forms.CharField(label=_("To"), required=False, max_length=10)

    def _day(self, name: str) -> datetime.date | None:
        text = self.cleaned_data.get(name) or ""
        if not text.strip():
            return None
        try:
            value = parse_day(text)
        except ValueError:
            self.add_error(name, _("Enter a date such as 2026-11-05 (or a month, 2026-11)."))
            return None
        if not (EARLIEST <= value <= timezone.localdate() + datetime.timedelta(days=366)):
            self.add_error(name, _("Choose a date between 2000 and next year."))
            return None
        return value

    def clean(self):
        data = super().clean()
        kind = data.get("period") or "month"
        today = timezone.localdate()
        if kind == "range":
            start, end = self._day("start"), self._day("end")
            if self.errors:
                return data
            start = start or today.replace(day=1)
            end = end or today
            if start > end:
                raise forms.ValidationError(
                    _("The start date (%(start)s) lies after the end date (%(end)s)."),
                    params={"start": start.isoformat(), "end": end.isoformat()},
                    code="inverted",
                )
            period = Period(start, end, "range")
        else:
            at = self._day("at")
            if self.errors:
                return data
            period = period_of(kind, at or today)
        if period.days > MAX_DAYS:
            raise forms.ValidationError(
                _("Choose a period of at most three years; this one has %(days)d days."),
                params={"days": period.days},
                code="too_long",
            )
        data["value"] = period
        return data

    @property
    def value(self) -> Period:
        return self.cleaned_data["value"]


def default_period() -> Period:
    return period_of("month", timezone.localdate())
