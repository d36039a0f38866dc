from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

STATUS_STYLE = {
    "received": ("text-bg-secondary", "inbox"),
    "responding": ("text-bg-info", "telephone"),
    "referred": ("text-bg-primary", "arrow-right-circle"),
    "replied": ("text-bg-warning", "reply"),
    "resolved": ("text-bg-success", "check-circle"),
    "closed": ("text-bg-dark", "archive"),
    "merged": ("text-bg-light border", "intersect"),
    "rejected": ("text-bg-light border", "x-circle"),
    "withdrawn": ("text-bg-light border", "arrow-counterclockwise"),
    "pending": ("text-bg-warning", "hourglass"),
    "accepted": ("text-bg-primary", "check"),
    "returned": ("text-bg-danger", "arrow-return-left"),
    "cancelled": ("text-bg-light border", "slash-circle"),
}


@register.simple_tag
def status_badge(code: str, label: str):
    """A status as text with an icon: never colour alone."""
    style, icon = STATUS_STYLE.get(code, ("text-bg-secondary", "circle"))
    return format_html(
        '<span class="badge {}"><i class="bi bi-{}" aria-hidden="true"></i> {}</span>',
        style,
        icon,
        label,
    )


def _provisional_badge(provisional: bool):
    if not provisional:
        return ""
    return format_html(
        ' <span class="badge text-bg-warning border" title="{}">{}</span>',
        _(
            "The official holiday schedule of this year is not published yet; the deadline may move."
        ),
        _("provisional"),
    )


@register.simple_tag
def due_label(
    due: datetime.datetime | None,
    now: datetime.datetime | None = None,
    done: bool = False,
    provisional: bool = False,
):
    """ "Due in 3 days" / "overdue by 2 days" / "due today 17:30", with an icon, and 暂定
    when the deadline rests on a provisional calendar. Dates never break inside."""
    if due is None:
        return format_html('<span class="text-body-secondary">{}</span>', _("no deadline"))
    return format_html("{}{}", _due_text(due, now, done), _provisional_badge(provisional))


def _due_text(due, now, done):
    now = now or timezone.now()
    local_due = timezone.localtime(due)
    stamp = format_html('<span class="lx-date">{}</span>', local_due.strftime("%m-%d %H:%M"))
    if done:
        return format_html("<span>{}</span>", stamp)
    delta = due - now
    if delta.total_seconds() < 0:
        late = -delta
        if late.days >= 1:
            text = ngettext("overdue by %(n)d day", "overdue by %(n)d days", late.days) % {
                "n": late.days
            }
        else:
            hours = max(1, late.seconds // 3600)
            text = ngettext("overdue by %(n)d hour", "overdue by %(n)d hours", hours) % {"n": hours}
        return format_html(
            '<span class="text-danger fw-bold"><i class="bi bi-exclamation-octagon" '
            'aria-hidden="true"></i> {} <small>({})</small></span>',
            text,
            stamp,
        )
    if local_due.date() == timezone.localdate(now):
        return format_html(
            '<span class="text-warning-emphasis fw-bold"><i class="bi bi-alarm" '
            'aria-hidden="true"></i> {} <span class="lx-date">{}</span></span>',
            _("due today"),
            local_due.strftime("%H:%M"),
        )
    if delta.days >= 1:
        text = ngettext("%(n)d day left", "%(n)d days left", delta.days) % {"n": delta.days}
    else:
        hours = max(1, delta.seconds // 3600)
        text = ngettext("%(n)d hour left", "%(n)d hours left", hours) % {"n": hours}
    return format_html(
        '<span>{} <small class="text-body-secondary">({})</small></span>', text, stamp
    )
