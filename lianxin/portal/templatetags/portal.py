from __future__ import annotations

import datetime

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from lianxin.calendar import deadlines

register = template.Library()

LARGE_TEXT_COOKIE = "lx_large_text"


@register.simple_tag
def district_name() -> str:
    return settings.LIANXIN_DISTRICT_NAME or ""


@register.simple_tag(takes_context=True)
def large_text(context) -> bool:
    request = context.get("request")
    return bool(request and request.COOKIES.get(LARGE_TEXT_COOKIE) == "1")


def _day(value: datetime.date) -> str:
    return _("%(date)s (%(weekday)s)") % {
        "date": date_format(value, "DATE_FORMAT"),
        "weekday": date_format(value, "l"),
    }


@register.filter
def plain_date(value) -> str:
    """6月9日 as 2026年6月9日（星期二）: the weekday helps people plan."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return _day(value)


@register.filter
def plain_deadline(value) -> str:
    """A deadline as a person says it: a day for working-day limits (they end at midnight),
    a day and a time for limits counted in hours."""
    if not value:
        return ""
    local = timezone.localtime(value)
    if local.time() >= datetime.time(23, 59):
        text = _("by the end of %(day)s") % {"day": _day(local.date())}
    else:
        text = _("by %(time)s on %(day)s") % {
            "day": _day(local.date()),
            "time": time_format(local.time(), "H:i"),
        }
    if deadlines.is_provisional(value):
        # The official holiday schedule of that year is not out yet: the day may still move.
        text += _(" (provisional: the official holidays of that year are not published yet)")
    return text


@register.filter
def plain_datetime(value) -> str:
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{_day(local.date())} {time_format(local.time(), 'H:i')}"
