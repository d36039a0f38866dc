"""Outreach: going out to people. Visits (走访, the 民情日记), reception days (接待日) and their
visitors, check-ins with paired communities (报到), talks (谈心), activities and briefings
(主题活动, 政策宣讲) with attendance, and each representative's duties (履职).

Outreach reads the directory and creates cases through lianxin.cases.services; neither of
those knows about outreach (the one-way flow of DESIGN.md)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


# --- Visits --------------------------------------------------------------------------------
class Visit(models.Model):
    """One visit to a household or a resident: an entry of the visitor's 民情日记."""

    community = models.ForeignKey(
        "directory.Community",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("community"),
    )
    household = models.ForeignKey(
        "directory.Household",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
        verbose_name=_("household"),
    )
    resident = models.ForeignKey(
        "directory.Resident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
        verbose_name=_("resident"),
    )
    visited_at = models.DateTimeField(_("visited"))
    visitors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="outreach_visits",
        verbose_name=_("who went"),
    )
    met = models.CharField(_("whom they met"), max_length=100, blank=True)
    heard = models.TextField(_("what was heard"))
    # [{"tag": "低保户", "question": "问衣食住行：…", "answer": "…"}]: the prompts of the
    # household's care tags as they were when the visit was logged, with the answers.
    answers = models.JSONField(_("answers to the visit questions"), default=list, blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_done_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    # The follow-up date the talker was last reminded of (the sweep reminds once per date).
    follow_up_reminded_on = models.DateField(null=True, blank=True, editable=False)
    cases = models.ManyToManyField(
        "cases.Case", blank=True, related_name="visits", verbose_name=_("cases")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at", "-pk"]
        # A visit names a household or a resident (services.visit_log); either may later
        # leave the roster, and the diary entry stays with what was heard.
        indexes = [
            models.Index(fields=["community", "visited_at"]),
            models.Index(fields=["follow_up_on"]),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.visited_at):%Y-%m-%d} {self.whom}"

    def get_absolute_url(self) -> str:
        return reverse("outreach:visit_detail", args=[self.pk])

    @property
    def whom(self) -> str:
        if self.household_id:
            return str(self.household)
        return self.resident.name if self.resident_id else self.met


# --- Reception days ------------------------------------------------------------------------
class ReceptionStatus(models.TextChoices):
    DRAFT = "draft", _("Not yet published")
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Held, summary written")
    CANCELLED = "cancelled", _("Cancelled")


class ReceptionDay(models.Model):
    """党代表接待日: representatives receive residents at a place and time announced at least
    two days before (see services.reception_publish for the exact rule)."""

    community = models.ForeignKey(
        "directory.Community",
        on_delete=models.PROTECT,
        related_name="reception_days",
        verbose_name=_("community"),
    )
    representatives = models.ManyToManyField(
        "directory.Representative",
        related_name="reception_days",
        verbose_name=_("representatives"),
    )
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReceptionStatus.choices,
        default=ReceptionStatus.DRAFT,
    )
    publish_at = models.DateTimeField(
        _("shown on the public site from"),
        null=True,
        blank=True,
        help_text=_("Set when published; residents see the reception day from this time."),
    )
    announced_at = models.DateTimeField(_("residents told"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    summarised_at = models.DateTimeField(_("summary written"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="reception_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["community", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.community} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("outreach:reception_detail", args=[self.pk])


class ReceptionVisitor(models.Model):
    """A person who came to a reception day and the problem they raised (one case each)."""

    reception = models.ForeignKey(
        ReceptionDay,
        on_delete=models.CASCADE,
        related_name="visitors",
        verbose_name=_("reception day"),
    )
    resident = models.ForeignKey(
        "directory.Resident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resident"),
    )
    name = models.CharField(_("name"), max_length=50, blank=True)
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="reception_visitor",
        verbose_name=_("case"),
    )
    arrived_at = models.DateTimeField(_("arrived"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("reception visitor")
        verbose_name_plural = _("reception visitors")
        ordering = ["reception", "arrived_at", "pk"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.resident.name if self.resident_id else self.name


# --- Check-ins -----------------------------------------------------------------------------
class CheckIn(models.Model):
    """报到: a representative reports in to a community they are paired with."""

    representative = models.ForeignKey(
        "directory.Representative",
        on_delete=models.CASCADE,
        related_name="check_ins",
        verbose_name=_("representative"),
    )
    community = models.ForeignKey(
        "directory.Community",
        on_delete=models.PROTECT,
        related_name="check_ins",
        verbose_name=_("community"),
    )
    checked_in_at = models.DateTimeField(_("checked in"))
    note = models.TextField(pgettext_lazy("check-in", "what was done"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-checked_in_at", "-pk"]
        indexes = [models.Index(fields=["representative", "checked_in_at"])]

    def __str__(self) -> str:
        return f"{self.representative} → {self.community} {timezone.localtime(self.checked_in_at):%Y-%m-%d}"


# --- Talks ---------------------------------------------------------------------------------
class TalkReason(models.TextChoices):
    MOOD = "mood", _("Mood swing")
    SETBACK = "setback", _("Setback or confusion")
    PROMOTION = "promotion", _("Promotion or award")
    ROUTINE = "routine", _("Routine talk")


class Talk(models.Model):
    """谈心: a heart-to-heart talk. The notes are for the talker and supervisors only."""

    talker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="outreach_talks",
        verbose_name=_("talker"),
    )
    # A resident removed from the roster takes the notes of talks about them along.
    resident = models.ForeignKey(
        "directory.Resident",
        on_delete=models.CASCADE,
        related_name="talks",
        verbose_name=pgettext_lazy("talk", "talked with"),
    )
    community = models.ForeignKey(
        "directory.Community",
        on_delete=models.PROTECT,
        related_name="talks",
        verbose_name=_("community"),
    )
    reason = models.CharField(
        pgettext_lazy("talk", "reason"), max_length=20, choices=TalkReason.choices
    )
    held_at = models.DateTimeField(_("held"))
    notes = models.TextField(pgettext_lazy("talk", "notes"))
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_done_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    # The follow-up date the talker was last reminded of (the sweep reminds once per date).
    follow_up_reminded_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        ordering = ["-held_at", "-pk"]
        indexes = [
            models.Index(fields=["talker", "held_at"]),
            models.Index(fields=["community", "held_at"]),
            models.Index(fields=["follow_up_on"]),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.held_at):%Y-%m-%d} {self.resident} ({self.get_reason_display()})"

    def get_absolute_url(self) -> str:
        return reverse("outreach:talk_detail", args=[self.pk])


# --- Activities ----------------------------------------------------------------------------
class ActivityKind(models.TextChoices):
    SPEECH = "speech", _("Themed speech")
    BRIEFING = "briefing", _("Policy briefing")
    LEGAL = "legal", _("Legal education")
    OUTING = "outing", _("Outing")
    TRAINING = "training", _("Training")
    VOLUNTEER = "volunteer", _("Volunteer service")
    OTHER = "other", _("Other activity")


def new_sign_in_token() -> str:
    return secrets.token_urlsafe(12)


class Activity(models.Model):
    """主题活动 or 政策宣讲 for the residents of one or more communities."""

    kind = models.CharField(
        pgettext_lazy("activity", "kind"), max_length=20, choices=ActivityKind.choices
    )
    topic = models.CharField(_("topic"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    communities = models.ManyToManyField(
        "directory.Community", related_name="activities", verbose_name=_("communities")
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organised by"),
    )
    sign_in_token = models.CharField(
        max_length=32, unique=True, default=new_sign_in_token, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("outreach:activity_detail", args=[self.pk])


class SignInMethod(models.TextChoices):
    STAFF = "staff", _("Signed in by staff")
    QR = "qr", _("Scanned the QR code")


class Attendance(models.Model):
    """One person at one activity. A resident of the directory, or someone who signed in with
    a phone the directory does not know: then only the phone's blind index and masked form are
    kept, never the number."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("activity")
    )
    resident = models.ForeignKey(
        "directory.Resident",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("resident"),
    )
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone_index = models.CharField(max_length=64, editable=False, blank=True)
    phone_masked = models.CharField(_("phone"), max_length=20, editable=False, blank=True)
    method = models.CharField(
        _("signed in"), max_length=10, choices=SignInMethod.choices, default=SignInMethod.STAFF
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    signed_in_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["activity", "signed_in_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "resident"],
                condition=Q(resident__isnull=False),
                name="attendance_once_per_resident",
            ),
            models.UniqueConstraint(
                fields=["activity", "phone_index"],
                condition=~Q(phone_index=""),
                name="attendance_once_per_phone",
            ),
            models.CheckConstraint(
                condition=Q(resident__isnull=False) | ~Q(name=""),
                name="attendance_has_resident_or_name",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.resident.name if self.resident_id else self.name


# --- Duties --------------------------------------------------------------------------------
class DutyPeriod(models.TextChoices):
    YEAR = "year", _("per year")
    QUARTER = "quarter", _("per quarter")


class DutyMetric(models.TextChoices):
    VISITS = "visits", _("Visits")
    RECEPTIONS = "receptions", _("Reception days hosted")
    PAIRED_RESIDENTS = "paired_residents", _("Paired residents")
    CHECK_INS = "check_ins", _("Check-ins")
    PROPOSALS = "proposals", _("Proposals")
    TALKS = "talks", _("Talks")


class DutyRule(models.Model):
    """What every representative should do in a year, e.g. at least 12 visits per year, or
    one reception day per quarter."""

    year = models.PositiveSmallIntegerField(_("year"))
    metric = models.CharField(_("duty"), max_length=20, choices=DutyMetric.choices)
    period = models.CharField(
        _("period"), max_length=10, choices=DutyPeriod.choices, default=DutyPeriod.YEAR
    )
    minimum = models.PositiveSmallIntegerField(_("at least"))
    note = models.CharField(pgettext_lazy("duty rule", "note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("duty rule")
        verbose_name_plural = _("duty rules")
        ordering = ["-year", "metric", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "metric", "period"], name="duty_rule_once_per_metric_and_period"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.year} {self.get_metric_display()} {self.get_period_display()} ≥ {self.minimum}"
        )


class DutyRuleSet(models.Model):
    """The name a year's duty rules go by, e.g. 六个一 (the district's six duties)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    name = models.CharField(_("name of the duty rules"), max_length=40)

    class Meta:
        verbose_name = _("duty rule set")
        verbose_name_plural = _("duty rule sets")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class Proposal(models.Model):
    """意见建议: a representative's proposal to the party committee, handled as a case of type
    建议 (appeal type "suggestion")."""

    representative = models.ForeignKey(
        "directory.Representative",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("representative"),
    )
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="proposal", verbose_name=_("case")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.representative}: {self.case.title}"
