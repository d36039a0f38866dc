from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    WORKDAY = "workday", _("Working day")
    WEEKEND = "weekend", _("Weekend")
    HOLIDAY = "holiday", _("Public holiday")
    MAKEUP = "makeup", _("Make-up working day")


WORKING_KINDS = frozenset({DayKind.WORKDAY, DayKind.MAKEUP})


class DaySource(models.TextChoices):
    PACKAGE = "package", _("Official schedule")
    FILE = "file", _("Loaded from a file")
    ADMIN = "admin", _("Corrected by an administrator")
    PROVISIONAL = "provisional", _("Provisional (暂定): weekends and statutory holidays only")


# Days an administrator decided on; synchronising with the official package never touches them.
PROTECTED_SOURCES = frozenset({DaySource.FILE, DaySource.ADMIN})


class WorkingDay(models.Model):
    """One calendar day, Asia/Shanghai: whether people work, and why.

    Every day of a covered year has a row; a day without a row is a day without data, and
    deadline arithmetic refuses to guess it (see lianxin.calendar.deadlines).
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    note = models.CharField(
        _("note"),
        max_length=60,
        blank=True,
        help_text=_("The holiday's name, e.g. 国庆节; for a make-up working day, its holiday."),
    )
    source = models.CharField(_("source"), max_length=12, choices=DaySource.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        indexes = [models.Index(fields=["kind", "date"], name="calendar_day_kind_date")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(is_working_day=True, kind__in=[DayKind.WORKDAY, DayKind.MAKEUP])
                    | Q(is_working_day=False, kind__in=[DayKind.WEEKEND, DayKind.HOLIDAY])
                ),
                name="calendar_day_kind_matches_flag",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


class ChangeAction(models.TextChoices):
    SYNC = "sync", _("Synchronised with the official schedule")
    LOAD = "load", _("Loaded a schedule file")
    CORRECT = "correct", _("Corrected a day")
    PROVISIONAL = "provisional", _("Made a provisional calendar")


class CalendarChange(models.Model):
    """The calendar's audit trail: every synchronisation, file load and correction."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=12, choices=ChangeAction.choices)
    year = models.IntegerField(_("year"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=300)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content = models.TextField(_("file content"), blank=True)

    class Meta:
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.summary}"
