"""Insight keeps only what it derives: rollups of the casework, the facts each case last
contributed, the versioned scoring settings, and which monthly reports were sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The counters of one (dimension, key, day). Which day a counter is filed under is part of
# each metric's definition (metrics.py); facts.py decides, rollup.py adds.
CASE_COUNTERS = (
    "received",  # day received
    "resp_in_time",  # day the first response fell due
    "resp_late",
    "resp_open",  # no response yet: overdue once the day has passed
    "done_in_time",  # day the handling of the current round fell due
    "done_late",
    "done_open",
    "reopened",  # day of each reopening
)
RATING_COUNTERS = (
    "rated",  # residents' own ratings, day rated
    "solved",
    "sat5",
    "sat4",
    "sat3",
    "sat2",
    "sat1",
    "cb_rated",  # callbacks (回访) recorded by staff, day recorded
    "cb_solved",
    "cb_sat5",
    "cb_sat4",
    "cb_sat3",
    "cb_sat2",
    "cb_sat1",
)
REFERRAL_COUNTERS = (
    "ref_received",  # day referred
    "ref_returned",
    "acc_in_time",  # day acceptance fell due
    "acc_late",
    "acc_open",
    "reply_in_time",  # day the reply fell due
    "reply_late",
    "reply_open",
    "ftr_cases",  # day of the first lead referral
    "ftr_kept",
)
COUNTERS = CASE_COUNTERS + RATING_COUNTERS + REFERRAL_COUNTERS
# Counters of work still waiting: they count as missed only once their day has passed.
OPEN_COUNTERS = ("resp_open", "done_open", "acc_open", "reply_open")


class Dimension(models.TextChoices):
    DISTRICT = "district", _("Whole district")
    COMMUNITY = "community", _("Community")
    CATEGORY = "category", _("Category")
    CHANNEL = "channel", _("Channel")
    # Crossed with the community, so that one community's figures split by channel and
    # category too (key "<community>:<channel or category>").
    COMMUNITY_CHANNEL = "comm_ch", _("Community and channel")
    COMMUNITY_CATEGORY = "comm_cat", _("Community and category")
    URGENCY = "urgency", _("Urgency")
    REPRESENTATIVE = "rep", _("Representative (cases recorded)")
    DEPARTMENT_LEAD = "dept_lead", _("Department as lead")
    DEPARTMENT_ASSISTING = "dept_assist", _("Department as assisting")


class DayFigures(models.Model):
    """One day of one unit (a community, a department as lead, a channel …): counters only.

    Kept in the same transaction as the case step that changes them (rollup.py), and
    rebuilt from the cases by `lianxin insight rebuild`."""

    dim = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)
    key = models.CharField(_("unit"), max_length=40)
    day = models.DateField(_("day"))
    received = models.IntegerField(default=0)
    resp_in_time = models.IntegerField(default=0)
    resp_late = models.IntegerField(default=0)
    resp_open = models.IntegerField(default=0)
    done_in_time = models.IntegerField(default=0)
    done_late = models.IntegerField(default=0)
    done_open = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    solved = models.IntegerField(default=0)
    sat5 = models.IntegerField(default=0)
    sat4 = models.IntegerField(default=0)
    sat3 = models.IntegerField(default=0)
    sat2 = models.IntegerField(default=0)
    sat1 = models.IntegerField(default=0)
    cb_rated = models.IntegerField(default=0)
    cb_solved = models.IntegerField(default=0)
    cb_sat5 = models.IntegerField(default=0)
    cb_sat4 = models.IntegerField(default=0)
    cb_sat3 = models.IntegerField(default=0)
    cb_sat2 = models.IntegerField(default=0)
    cb_sat1 = models.IntegerField(default=0)
    ref_received = models.IntegerField(default=0)
    ref_returned = models.IntegerField(default=0)
    acc_in_time = models.IntegerField(default=0)
    acc_late = models.IntegerField(default=0)
    acc_open = models.IntegerField(default=0)
    reply_in_time = models.IntegerField(default=0)
    reply_late = models.IntegerField(default=0)
    reply_open = models.IntegerField(default=0)
    ftr_cases = models.IntegerField(default=0)
    ftr_kept = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("daily figures")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(fields=["dim", "key", "day"], name="dayfigures_unique"),
        ]
        indexes = [
            models.Index(fields=["dim", "day"], name="dayfigures_dim_day"),
            # "Overdue now" reads only the days that still hold open work.
            models.Index(
                fields=["dim", "key", "day"],
                condition=Q(reply_open__gt=0) | Q(done_open__gt=0),
                name="dayfigures_open_work",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dim}:{self.key} {self.day}"


class CaseFacts(models.Model):
    """What one case last contributed to the rollups (facts.py), so that the next step of the
    case can take back exactly that and add its new contribution."""

    case = models.OneToOneField(
        "cases.Case", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    facts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("case facts")
        verbose_name_plural = _("case facts")

    def __str__(self) -> str:
        return f"case {self.case_id}"


def default_points() -> dict:
    return {"5": 100, "4": 80, "3": 60, "2": 20, "1": 0}


class ScoreSettings(models.Model):
    """Weights, points and the sample threshold. Never edited in place: every change is a new
    version, and each score says which version it used."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    weight_response = models.PositiveSmallIntegerField(_("weight of the response rate (%)"))
    weight_resolution = models.PositiveSmallIntegerField(_("weight of the resolution rate (%)"))
    weight_satisfaction = models.PositiveSmallIntegerField(_("weight of the satisfaction rate (%)"))
    points = models.JSONField(_("points per satisfaction level"), default=default_points)
    min_sample = models.PositiveSmallIntegerField(
        _("minimum sample"),
        help_text=_("A unit with fewer cases in a rate's denominator is shown as 样本不足."),
    )
    reason = models.CharField(_("reason for the change"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("from"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("score settings")
        verbose_name_plural = _("score settings")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_response__lte=100)
                & Q(weight_resolution__lte=100)
                & Q(weight_satisfaction__lte=100),
                name="scoresettings_weights_are_percentages",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class MonthlyReport(models.Model):
    """A monthly report (民情分析报告) sent to the supervisors: each month once."""

    month = models.DateField(_("month"), unique=True)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("monthly report sent")
        verbose_name_plural = _("monthly reports sent")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
