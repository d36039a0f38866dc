"""Credentials of programs that use Lianxin, and what Open311 clients filed.

- `ApiToken`: a REST API token acting as one user, with exactly that user's scope.
- `Open311Client`: one client application of the Open311 endpoint (a hotline system, a WeChat
  mini-program, a 311 app) with its API key and rate limit.
- `Open311Request`: the Open311 fields of a case filed through such a client, which a case
  has no column for (the client, address_id, account_id, device_id, email, media_url)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("acts as"),
    )
    name = models.CharField(
        pgettext_lazy("api token", "name"),
        max_length=100,
        help_text=_("Which program uses the token, e.g. “district 12345 hotline system”."),
    )
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Open311Scope(models.TextChoices):
    OWN = "own", _("Only the requests it filed")
    ALL = "all", _("Every case (the district's own systems)")


class Open311Client(models.Model):
    name = models.CharField(
        pgettext_lazy("client application", "name"), max_length=100, unique=True
    )
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("Who answers for the application: a person, a unit, a phone number."),
    )
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    rate_limit = models.PositiveIntegerField(
        _("rate limit"), default=60, help_text=_("Requests it may file per minute.")
    )
    read_scope = models.CharField(
        _("may read"), max_length=10, choices=Open311Scope.choices, default=Open311Scope.OWN
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 client application")
        verbose_name_plural = _("Open311 client applications")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Open311RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be filed")
    FILED = "filed", _("Filed as a case")
    FAILED = "failed", _("Could not be filed")


class Open311Request(models.Model):
    """A service request posted by a client application. The POST only checks it and keeps it
    (type "batch" in GeoReport v2: the client gets a token); the background worker files it
    as a case through `case_intake`, and the token then leads to the case number.

    The reporter's phone is kept sealed until the case is filed, and dropped from here then
    (the case keeps its own sealed copy)."""

    token = models.CharField(_("token"), max_length=32, unique=True, editable=False)
    client = models.ForeignKey(
        Open311Client,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("client application"),
    )
    category = models.ForeignKey(
        "cases.Category",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("category"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Open311RequestStatus.choices,
        default=Open311RequestStatus.PENDING,
    )
    case = models.OneToOneField(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="open311",
        verbose_name=_("case"),
    )
    description = models.TextField(_("description"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address_string = models.CharField(_("address"), max_length=200, blank=True)
    address_id = models.CharField(_("address ID"), max_length=100, blank=True)
    attributes = models.JSONField(_("answers"), default=dict, blank=True)
    first_name = models.CharField(_("given name"), max_length=50, blank=True)
    last_name = models.CharField(_("family name"), max_length=50, blank=True)
    phone_cipher = models.TextField(editable=False, blank=True)
    account_id = models.CharField(_("account ID"), max_length=100, blank=True)
    device_id = models.CharField(_("device ID"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    error = models.TextField(_("why it could not be filed"), blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    filed_at = models.DateTimeField(_("filed"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["client", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.token
