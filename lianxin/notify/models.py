"""Notifications: templates, preferences, the in-app inbox, outgoing deliveries, WeCom robots."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.core import privacy
from lianxin.notify.kinds import Channel, EventKind


class NotificationTemplate(models.Model):
    """The words of one event kind on one channel (Django template syntax).

    For a cloud SMS provider, whose texts must be approved in advance, `provider_template_code`
    names the approved template and `provider_params` fills its variables."""

    kind = models.CharField(_("event"), max_length=40, choices=EventKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    subject = models.CharField(
        _("subject"), max_length=200, blank=True, help_text=_("Title in the inbox, email subject.")
    )
    body = models.TextField(_("text"))
    provider_template_code = models.CharField(
        _("SMS template code"),
        max_length=50,
        blank=True,
        help_text=_("The approved template of the cloud SMS provider, e.g. SMS_123456789."),
    )
    provider_params = models.TextField(
        _("SMS template variables"),
        blank=True,
        help_text=_("One variable per line: name={{ expression }}, in the template's order."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("notification template")
        verbose_name_plural = _("notification templates")
        ordering = ["kind", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "channel"], name="notify_template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_channel_display()}"


class NotificationPreference(models.Model):
    """A user's choice of channels for one event kind. Without a row, the kind's defaults
    for the user's role apply. The inbox always receives every notification."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("event"), max_length=40, choices=EventKind.choices)
    email = models.BooleanField(_("email"), default=False)
    sms = models.BooleanField(_("SMS"), default=False)
    wecom = models.BooleanField(_("WeCom group"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notify_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"

    def channels(self) -> frozenset:
        return frozenset(c for c in (Channel.EMAIL, Channel.SMS, Channel.WECOM) if getattr(self, c))


class Notification(models.Model):
    """One entry of a staff member's in-app inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("event"), max_length=40, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=200, null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notify_inbox_recent"),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notify_inbox_unread"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("delivery", "Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", pgettext_lazy("delivery", "Failed")


class WeComRobot(models.Model):
    """A WeCom (企业微信) group robot. A robot of a department or community receives the
    messages of its members; one of neither is the district-wide robot."""

    name = models.CharField(_("name"), max_length=50)
    webhook_url = models.URLField(
        _("webhook address"),
        max_length=300,
        help_text=_(
            "From the group's robot settings: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
        ),
    )
    department = models.ForeignKey(
        "directory.Department",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="wecom_robots",
        verbose_name=_("department"),
    )
    community = models.ForeignKey(
        "directory.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="wecom_robots",
        verbose_name=_("community"),
    )
    kinds = models.JSONField(
        _("events"),
        default=list,
        blank=True,
        help_text=_("Leave empty for every event."),
    )
    markdown = models.BooleanField(
        _("markdown"), default=False, help_text=_("Send as markdown instead of plain text.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("WeCom group robot")
        verbose_name_plural = _("WeCom group robots")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=True) | Q(community__isnull=True),
                name="notify_robot_one_scope",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_url(self) -> str:
        # The key in the address lets anyone post to the group: show only its end.
        url = self.webhook_url
        head, sep, key = url.partition("key=")
        return f"{head}{sep}…{key[-4:]}" if sep else url[:40] + "…"

    def accepts(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


class Delivery(models.Model):
    """One outgoing message on one channel (email, SMS, WeCom) and what became of it.

    A resident's phone is stored sealed (`address_cipher`) and masked; it is unsealed only by
    the sending job, right before sending. A staff member's work email or phone is stored as
    is. Sending is a job that receives only the delivery's id."""

    kind = models.CharField(_("event"), max_length=40, choices=EventKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    provider = models.CharField(_("provider"), max_length=20)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
        verbose_name=_("staff recipient"),
    )
    resident = models.ForeignKey(
        "directory.Resident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resident"),
    )
    robot = models.ForeignKey(
        WeComRobot,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
        verbose_name=_("WeCom robot"),
    )
    recipient_label = models.CharField(_("recipient"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=254, blank=True)
    address_masked = models.CharField(_("address"), max_length=254, blank=True)
    address_cipher = models.TextField(blank=True, editable=False)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    # Provider specifics decided when the message was written: SMS template code and
    # variables, WeCom mentions. Never a resident's number.
    payload = models.JSONField(_("payload"), default=dict, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("attempt limit"), default=5)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=100, blank=True)
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=200, null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("retried by"),
    )
    retried_at = models.DateTimeField(_("retried"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notify_delivery_due"),
            models.Index(fields=["status", "-created_at"], name="notify_delivery_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient_label or self.shown_address}"

    @property
    def shown_address(self) -> str:
        return self.address_masked or self.address

    def plain_address(self) -> str:
        """The address to send to. Unseals a resident's phone: call only when sending."""
        if self.address_cipher:
            return privacy.unseal(self.address_cipher)
        return self.address


class OutboxMessage(Delivery):
    """SMS kept by the outbox provider instead of being sent (the embedded default)."""

    class Meta:
        proxy = True
        verbose_name = _("SMS outbox message")
        verbose_name_plural = _("SMS outbox")


class DeliveryAttempt(models.Model):
    """One try at sending a delivery."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("delivery")
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    at = models.DateTimeField(_("time"))
    ok = models.BooleanField(_("succeeded"))
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"#{self.number} {'ok' if self.ok else self.error[:60]}"
