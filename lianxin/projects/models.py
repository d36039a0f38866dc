"""Practical projects (民生实事): what the district promised to build for residents, with
milestones residents can watch, follow by SMS and, once done, rate.

A project records where it came from: the representatives' proposals, the cases and the hot
topics that asked for it. Projects read outreach (proposals), cases and the directory; none of
those know about projects."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.cases.models import Satisfaction


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDERWAY = "underway", _("Underway")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Project(models.Model):
    title = models.CharField(_("title"), max_length=100)
    summary = models.TextField(_("what will be done"))
    community = models.ForeignKey(
        "directory.Community",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("community"),
        help_text=_("Leave empty for a project of the whole district."),
    )
    owner = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("carried out by"),
    )
    budget = models.DecimalField(
        _("budget (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    starts_on = models.DateField(_("starts on"))
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    result = models.TextField(_("result"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    proposals = models.ManyToManyField(
        "outreach.Proposal", blank=True, related_name="projects", verbose_name=_("proposals")
    )
    cases = models.ManyToManyField(
        "cases.Case", blank=True, related_name="projects", verbose_name=_("cases")
    )
    hot_topic = models.CharField(
        _("hot topic"),
        max_length=100,
        blank=True,
        help_text=_("The hot topic residents raised that asked for this project, if any."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("practical project")
        verbose_name_plural = _("practical projects")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["community", "status"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="project_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("projects_public:detail", args=[self.pk])

    @property
    def place(self) -> str:
        return self.community.name if self.community_id else str(_("Whole district"))


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=100)
    due_on = models.DateField(_("due on"))
    progress = models.PositiveSmallIntegerField(
        _("progress when reached (%)"), validators=[MaxValueValidator(100)]
    )
    reached_on = models.DateField(_("reached on"), null=True, blank=True)
    note = models.TextField(_("what was done"), blank=True)
    # The due date the sweep last urged (it urges once per due date).
    urged_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "due_on", "pk"]
        indexes = [models.Index(fields=["reached_on", "due_on"])]

    def __str__(self) -> str:
        return self.title


def photo_path(instance: MilestonePhoto, filename: str) -> str:
    return f"projects/{instance.milestone.project_id}/{filename}"


class MilestonePhoto(models.Model):
    """A photo of the work, re-encoded without its metadata; public on the project page."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=photo_path, max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Follower(models.Model):
    """A resident following a project by phone (consent given). The number is sealed and found
    by its blind index, like every resident number."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="followers")
    phone_cipher = models.TextField(editable=False)
    phone_index = models.CharField(max_length=64, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, editable=False)
    consented_at = models.DateTimeField(_("consent given"))
    # A one-time rating link is sent when the project is completed; only its hash is kept.
    rating_token_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "phone_index"], name="project_follow_once_per_phone"
            ),
        ]
        indexes = [models.Index(fields=["rating_token_hash"])]

    def __str__(self) -> str:
        return self.phone_masked


class ProjectRating(models.Model):
    """A resident's judgement of a completed project: one per phone, like cases."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ratings")
    phone_index = models.CharField(max_length=64, editable=False)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), choices=Satisfaction.choices)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("rated"), auto_now_add=True)

    class Meta:
        verbose_name = _("project rating")
        verbose_name_plural = _("project ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "phone_index"], name="project_rating_once_per_phone"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_satisfaction_display()}"


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    KEPT = "kept", _("Kept")


class Commitment(models.Model):
    """承诺联系: what a representative promised their paired community, by a date."""

    representative = models.ForeignKey(
        "directory.Representative",
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("representative"),
    )
    community = models.ForeignKey(
        "directory.Community",
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("community"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("what I will do"), max_length=100)
    due_on = models.DateField(_("by"))
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    note = models.TextField(_("progress and result"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    done_on = models.DateField(_("kept on"), null=True, blank=True)
    urged_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["year", "due_on", "pk"]
        indexes = [
            models.Index(fields=["community", "year"]),
            models.Index(fields=["status", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.title
