"""The calendar in the admin site: look at days by year and kind, correct one, load a year."""

from __future__ import annotations

import datetime
import re

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.calendar import selectors, services
from lianxin.calendar.deadlines import format_years
from lianxin.calendar.forms import ScheduleUploadForm, WorkingDayCorrectionForm
from lianxin.calendar.models import CalendarChange, WorkingDay
from lianxin.calendar.schedule import weekday_name


class YearFilter(admin.SimpleListFilter):
    title = gettext_lazy("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(str(y), str(y)) for y in sorted(selectors.year_summaries(), reverse=True)]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            year = int(self.value())
            return queryset.filter(
                date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
            )
        return queryset


def _missing_context() -> dict:
    years = selectors.blocking_years()
    return {"blocking_years": years, "blocking_label": format_years(years)}


_SEARCH = re.compile(r"^(\d{4})(?:[-./年]?(\d{1,2})(?:[-./月]?(\d{1,2})日?)?月?)?年?$")


@admin.register(WorkingDay)
class WorkingDayAdmin(admin.ModelAdmin):
    """Days come from the official package or a loaded file; an administrator corrects one
    day at a time here (recorded as a correction, kept by later synchronisations)."""

    form = WorkingDayCorrectionForm
    list_display = ("date", "weekday", "kind", "is_working_day", "note", "source", "updated_by")
    list_filter = (YearFilter, "kind", "is_working_day", "source")
    list_select_related = ("updated_by",)
    search_fields = ("date",)
    search_help_text = gettext_lazy("A date such as 2026-10-01, a month 2026-10, or a year 2026.")
    date_hierarchy = "date"
    list_per_page = 62
    fields = (
        "date",
        "weekday",
        "kind",
        "note",
        "is_working_day",
        "source",
        "updated_by",
        "updated_at",
    )
    readonly_fields = ("date", "weekday", "is_working_day", "source", "updated_by", "updated_at")

    @admin.display(description=gettext_lazy("weekday"))
    def weekday(self, obj):
        return weekday_name(obj.date) if obj and obj.date else ""

    def has_add_permission(self, request):
        return False  # a year comes whole, from the package or a file

    def has_delete_permission(self, request, obj=None):
        return False  # a day without data would stop deadlines; correct it instead

    def get_search_results(self, request, queryset, search_term):
        """Search by date: 2026-10-01, 2026-10, 2026 (also 20261001 or 2026年10月1日)."""
        term = search_term.strip()
        if not term:
            return queryset, False
        match = _SEARCH.match(term)
        if not match:
            return queryset.none(), False
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            if day:
                return queryset.filter(date=datetime.date(year, month, day)), False
            if month:
                first = datetime.date(year, month, 1)
                last = (first + datetime.timedelta(days=32)).replace(day=1)
                return queryset.filter(date__gte=first, date__lt=last), False
            return queryset.filter(
                date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
            ), False
        except ValueError:
            return queryset.none(), False

    def save_model(self, request, obj, form, change):
        services.working_day_correct(
            actor=request.user,
            day=obj.date,
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data.get("note", ""),
        )
        obj.refresh_from_db()

    def get_urls(self):
        urls = [
            path(
                "load/",
                self.admin_site.admin_view(self.load_view),
                name="calendar_workingday_load",
            )
        ]
        return urls + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        # Open on the current month rather than on 2004.
        if not request.GET and request.method == "GET":
            today = timezone.localdate()
            return HttpResponseRedirect(f"?date__year={today.year}&date__month={today.month}")
        extra_context = {
            **(extra_context or {}),
            **_missing_context(),
            "load_url": reverse("admin:calendar_workingday_load"),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def load_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = ScheduleUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = services.calendar_load(
                    actor=request.user,
                    content=upload.read(),
                    file_name=upload.name,
                    replace=form.cleaned_data["replace"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                year = report.schedule.year
                messages.success(
                    request,
                    _(
                        "Loaded %(year)s: %(holidays)d holiday days and %(makeup)d make-up "
                        "working days; %(created)d days added, %(updated)d replaced."
                    )
                    % {
                        "year": year,
                        "holidays": report.schedule.holiday_count,
                        "makeup": report.schedule.makeup_count,
                        "created": report.created,
                        "updated": report.updated,
                    },
                )
                changelist = reverse("admin:calendar_workingday_changelist")
                return HttpResponseRedirect(f"{changelist}?year={year}&kind__exact=holiday")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Load a year's schedule"),
            "form": form,
            **_missing_context(),
            "example": EXAMPLE,
        }
        return TemplateResponse(request, "admin/calendar/workingday/load.html", context)


# The format, shown with a real entry of the 2026 notice (the whole year: data/2026.toml).
EXAMPLE = """year = 2026
title = "国务院办公厅关于2026年部分节假日安排的通知"

[[holiday]]
name = "国庆节"
start = 2026-10-01
end = 2026-10-07
in_lieu = [2026-10-06, 2026-10-07]   # 可不写

[[makeup_workday]]
date = 2026-09-20
name = "国庆节"

[[makeup_workday]]
date = 2026-10-10
name = "国庆节"
"""


@admin.register(CalendarChange)
class CalendarChangeAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "year", "summary", "actor", "file_name")
    list_filter = ("action", "year")
    list_select_related = ("actor",)
    readonly_fields = [f.name for f in CalendarChange._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
