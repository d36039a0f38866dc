from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    SUPERVISOR = "supervisor", _("Supervisor")
    WORKER = "worker", _("Community worker")
    REPRESENTATIVE = "representative", _("Representative")
    HANDLER = "handler", _("Department handler")


# Who records cases and visits and answers for them on the community side (admins anywhere,
# workers and representatives in their scope). Stated once; pages, services and menus read it.
CASEWORK_ROLES = frozenset({Role.ADMIN, Role.WORKER, Role.REPRESENTATIVE})


class User(AbstractUser):
    """A member of staff. Residents never log in; they use tracking codes on the public site.

    Scope by role:
    - administrator, supervisor: the whole district;
    - community worker: `communities`;
    - representative: communities paired with them (定点联系) plus `communities`;
    - department handler: cases referred to `department`.
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.WORKER)
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(
        _("work phone"),
        max_length=20,
        blank=True,
        help_text=_("A staff member's work number, used for notifications."),
    )
    communities = models.ManyToManyField(
        "directory.Community",
        blank=True,
        related_name="staff",
        verbose_name=_("communities"),
    )
    department = models.ForeignKey(
        "directory.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handlers",
        verbose_name=_("department"),
    )
    is_demo = models.BooleanField(default=False, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(fields=["role"])]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def has_role(self, *roles: str) -> bool:
        return self.is_authenticated and self.role in roles


class AccessKind(models.TextChoices):
    REVEAL_PHONE = "reveal_phone", _("Revealed a phone number")
    REVEAL_ID = "reveal_id", _("Revealed an ID card number")
    EXPORT_UNMASKED = "export_unmasked", _("Exported unmasked numbers")
    EXPORT_MASKED = "export_masked", _("Exported a roster")


class AccessLog(models.Model):
    """Who saw which protected number, when and from where. Never holds the number itself."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="access_logs", verbose_name=_("user")
    )
    kind = models.CharField(_("action"), max_length=20, choices=AccessKind.choices)
    subject_type = models.CharField(_("record type"), max_length=40)
    subject_id = models.BigIntegerField(_("record id"), null=True, blank=True)
    subject_label = models.CharField(_("record"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_kind_display()} {self.subject_label}"
        )
