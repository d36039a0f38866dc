"""Answers to representatives' proposals (意见建议), handled as people's-congress suggestions
are: the proposal is assigned to a department, which answers within a time limit saying
whether it is solved, planned or explained (已解决 / 列入计划 / 留作参考), and the
representative rates the answer (满意 / 基本满意 / 不满意). A proposal may become a practical
project (lianxin.projects).

The proposal itself (its text, its representative) is outreach's; this room adds its handling
and reads outreach, the directory and the calendar. Outreach does not know about it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AnswerKind(models.TextChoices):
    SOLVED = "solved", _("Solved or adopted")
    PLANNED = "planned", _("Planned, to be solved step by step")
    EXPLAINED = "explained", _("Cannot be solved now; explained")


SOLVED_OR_PLANNED = (AnswerKind.SOLVED, AnswerKind.PLANNED)


class AnswerRating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    FAIRLY = "fairly", _("Fairly satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class ProposalHandling(models.Model):
    proposal = models.OneToOneField(
        "outreach.Proposal", on_delete=models.CASCADE, related_name="handling"
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="proposals_to_answer",
        verbose_name=_("answered by"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned"))
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    urged_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    answer = models.TextField(_("answer"), blank=True)
    answer_kind = models.CharField(
        _("outcome"), max_length=20, choices=AnswerKind.choices, blank=True
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    rating = models.CharField(
        _("representative's rating"), max_length=20, choices=AnswerRating.choices, blank=True
    )
    rating_comment = models.CharField(_("comment"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal handling")
        verbose_name_plural = _("proposal handlings")
        indexes = [
            models.Index(fields=["department", "answered_at"]),
            models.Index(fields=["answered_at", "due_at"]),
        ]

    def __str__(self) -> str:
        return str(self.proposal)

    @property
    def state(self) -> str:
        if self.rated_at:
            return "rated"
        if self.answered_at:
            return "answered"
        return "assigned"
