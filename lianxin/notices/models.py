"""Notices to residents (群发): a short SMS for a policy briefing or an activity that must reach
everyone, sent only to residents who agreed to receive notices and have not opted out, at
most a few per resident per week, never in the quiet hours; residents without a phone are
marked as told in person.

A resident's agreement and opt-out are kept here, one row per resident (the flag shown on
the resident's page); notices read the directory and outreach (an activity's invitees) and
send through lianxin.notify. None of those know about notices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SmsConsent(models.Model):
    """Whether a resident receives notices by SMS: agreed (when, how), and opted out (when,
    how: a reply 'TD' to a notice, or told staff)."""

    resident = models.OneToOneField(
        "directory.Resident", on_delete=models.CASCADE, related_name="sms_consent"
    )
    agreed_at = models.DateTimeField(_("agreed to notices"), null=True, blank=True)
    agreed_how = models.CharField(_("how they agreed"), max_length=100, blank=True)
    opted_out_at = models.DateTimeField(_("opted out"), null=True, blank=True)
    opted_out_how = models.CharField(_("how they opted out"), max_length=100, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SMS consent")
        verbose_name_plural = _("SMS consents")

    def __str__(self) -> str:
        return str(self.resident)

    @property
    def receives(self) -> bool:
        return self.agreed_at is not None and self.opted_out_at is None


class Audience(models.TextChoices):
    COMMUNITY = "community", _("Residents of a community")
    CARE_TAG = "care_tag", _("Residents of a community with a care tag")
    PAIRED = "paired", _("Households paired with a representative")
    ACTIVITY = "activity", _("Residents invited to an activity")


class Notice(models.Model):
    title = models.CharField(_("title"), max_length=60)
    text = models.CharField(_("text of the SMS"), max_length=300)
    audience = models.CharField(_("to"), max_length=20, choices=Audience.choices)
    community = models.ForeignKey(
        "directory.Community",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("community"),
    )
    care_tag = models.ForeignKey(
        "directory.CareTag",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("care tag"),
    )
    representative = models.ForeignKey(
        "directory.Representative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("representative"),
    )
    activity = models.ForeignKey(
        "outreach.Activity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("activity"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["community", "sent_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notices:detail", args=[self.pk])


class Outcome(models.TextChoices):
    SMS = "sms", _("Sent by SMS")
    TOLD = "told", _("Told in person")
    OPTED_OUT = "opted_out", _("Opted out")
    NO_CONSENT = "no_consent", _("Has not agreed to notices")
    NO_PHONE = "no_phone", _("No phone number")
    CAPPED = "capped", _("Weekly limit reached")


class NoticeRecipient(models.Model):
    """One resident of a notice's audience and what became of the notice for them. Unique per
    notice and resident: everyone is reached at most once."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recipients")
    resident = models.ForeignKey(
        "directory.Resident", on_delete=models.CASCADE, related_name="notices_received"
    )
    community = models.ForeignKey("directory.Community", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    delivery = models.ForeignKey(
        "notify.Delivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notice recipient")
        verbose_name_plural = _("notice recipients")
        constraints = [
            models.UniqueConstraint(fields=["notice", "resident"], name="notice_once_per_resident"),
        ]
        indexes = [models.Index(fields=["resident", "outcome"])]

    def __str__(self) -> str:
        return f"{self.notice}: {self.resident}"
