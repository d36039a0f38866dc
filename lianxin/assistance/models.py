"""Assistance (帮扶): aid schemes defined by administrators, and applications made on a
resident's behalf that pass the scheme's approval levels and end in a payment.

An application is not a case: it has its own states, its own time limit per level in working
days, and its own timeline. Assistance reads the directory, outreach (the visit an application
was started from) and cases (the case it came from, which it resolves); none of those know
about assistance."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

CENT = Decimal("0.01")


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(CENT)],
        **kwargs,
    )


class AidScheme(models.Model):
    """帮扶项目: 困难党员帮扶款, 残疾人困难补助, 临时救助 … with its limits and approval levels."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    funder = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="aid_schemes",
        verbose_name=_("funded by"),
    )
    eligibility = models.TextField(_("who is eligible"), blank=True)
    documents_required = models.TextField(
        _("documents required"), blank=True, help_text=_("One document per line.")
    )
    max_per_application = money_field(_("limit per application (yuan)"))
    max_per_year = money_field(_("limit per resident per year (yuan)"))
    is_active = models.BooleanField(_("open for applications"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("aid scheme")
        verbose_name_plural = _("aid schemes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_per_year__gte=models.F("max_per_application")),
                name="aid_scheme_year_limit_covers_one_application",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.documents_required.splitlines() if line.strip()]


class ReviewUnit(models.TextChoices):
    """Where the reviewers of a level sit; the role follows from the unit."""

    COMMUNITY = "community", _("Community workers of the resident's community")
    SUBDISTRICT = "subdistrict", _("Handlers of the resident's subdistrict office")
    DEPARTMENT = "department", _("Handlers of a department")
    DISTRICT = "district", _("District supervisors")


class ApprovalLevel(models.Model):
    """One level of review, e.g. 社区初审 → 街道审核 → 区民政局审批."""

    scheme = models.ForeignKey(
        AidScheme, on_delete=models.CASCADE, related_name="levels", verbose_name=_("aid scheme")
    )
    position = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=40)
    unit = models.CharField(_("reviewed by"), max_length=20, choices=ReviewUnit.choices)
    department = models.ForeignKey(
        "directory.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
        help_text=_("Only for levels reviewed by a department."),
    )
    working_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"), default=5, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("approval level")
        verbose_name_plural = _("approval levels")
        ordering = ["scheme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "position"], name="aid_level_position_once"),
            models.CheckConstraint(
                condition=Q(unit="department", department__isnull=False)
                | (~Q(unit="department") & Q(department__isnull=True)),
                name="aid_level_department_only_for_department_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class AidStatus(models.TextChoices):
    REVIEWING = "reviewing", _("Under review")
    RETURNED = "returned", _("Sent back for more information")
    APPROVED = "approved", _("Approved, awaiting payment")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_AID_STATUSES = (AidStatus.REVIEWING, AidStatus.RETURNED, AidStatus.APPROVED)
# Applications that count against the yearly limit of a resident.
COUNTED_AID_STATUSES = (*OPEN_AID_STATUSES, AidStatus.PAID)


class AidOrigin(models.TextChoices):
    RESIDENT = "resident", _("The resident's page")
    VISIT = "visit", _("A visit")
    CASE = "case", _("A case")


class AidApplication(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    scheme = models.ForeignKey(
        AidScheme,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("aid scheme"),
    )
    resident = models.ForeignKey(
        "directory.Resident",
        on_delete=models.PROTECT,
        related_name="aid_applications",
        verbose_name=_("resident"),
    )
    community = models.ForeignKey(
        "directory.Community",
        on_delete=models.PROTECT,
        related_name="aid_applications",
        verbose_name=_("community"),
    )
    amount = money_field(_("amount applied for (yuan)"))
    reason = models.TextField(_("why the resident needs it"))
    status = models.CharField(
        _("status"), max_length=20, choices=AidStatus.choices, default=AidStatus.REVIEWING
    )
    level = models.PositiveSmallIntegerField(_("current level"), default=1)
    # The highest level the application has reached: departments of later levels see it
    # only from then on.
    reached_level = models.PositiveSmallIntegerField(default=1, editable=False)
    due_at = models.DateTimeField(_("review due"), null=True, blank=True)
    # The deadline the sweep last urged (it urges once per deadline).
    urged_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    origin = models.CharField(
        _("started from"), max_length=10, choices=AidOrigin.choices, default=AidOrigin.RESIDENT
    )
    visit = models.ForeignKey(
        "outreach.Visit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="aid_applications",
        verbose_name=_("visit"),
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="aid_applications",
        verbose_name=_("case"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="aid_applications",
        verbose_name=_("applied by"),
    )
    submitted_at = models.DateTimeField(_("submitted"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("aid application")
        verbose_name_plural = _("aid applications")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["community", "submitted_at"]),
            models.Index(fields=["resident", "scheme", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.scheme}"

    def get_absolute_url(self) -> str:
        return reverse("assistance:application_detail", args=[self.number])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_AID_STATUSES


class AidEventKind(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("aid", "Submitted")
    APPROVED = "approved", pgettext_lazy("aid", "Approved at a level")
    RETURNED = "returned", pgettext_lazy("aid", "Sent back")
    RESUBMITTED = "resubmitted", pgettext_lazy("aid", "Submitted again")
    REJECTED = "rejected", pgettext_lazy("aid", "Not approved")
    PAID = "paid", pgettext_lazy("aid", "Paid")
    DOCUMENT = "document", pgettext_lazy("aid", "Document added")
    URGED = "urged", pgettext_lazy("aid", "Urged")
    WITHDRAWN = "withdrawn", pgettext_lazy("aid", "Withdrawn")


class AidEvent(models.Model):
    """One step on an application's timeline (append-only)."""

    application = models.ForeignKey(AidApplication, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=20, choices=AidEventKind.choices)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    level_name = models.CharField(_("level"), max_length=40, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(_("by"), max_length=100, blank=True)
    at = models.DateTimeField(_("time"))
    note = models.TextField(pgettext_lazy("aid", "note"), blank=True)

    class Meta:
        verbose_name = _("aid application step")
        verbose_name_plural = _("aid application steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application.number} {self.get_kind_display()}"


class AidDocument(models.Model):
    """A supporting document (证明材料). The bytes are sealed (AES-GCM, like phone numbers)
    and only ever served through a view that checks the application's visibility."""

    application = models.ForeignKey(
        AidApplication, on_delete=models.CASCADE, related_name="documents"
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    sealed = models.BinaryField(editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class PaymentMethod(models.TextChoices):
    BANK = "bank", _("Bank transfer")
    SOCIAL_CARD = "social_card", _("Social security card")
    CASH = "cash", _("Cash, signed for")


class AidPayment(models.Model):
    """发放: the money reached the resident."""

    application = models.OneToOneField(
        AidApplication, on_delete=models.PROTECT, related_name="payment"
    )
    amount = money_field(_("amount paid (yuan)"))
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    reference = models.CharField(_("voucher number"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("aid payment")
        verbose_name_plural = _("aid payments")

    def __str__(self) -> str:
        return f"{self.application.number} ¥{self.amount}"


class AidCounter(models.Model):
    """The last application number handed out in a year (BF-2026-0007)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
