"""What programs send for each workflow step (the REST API reads these from the workflow
table). They check the shape and resolve ids through the same rules as the staff forms, so
a step gets the same data from a page and from a program; the services decide the rest.

A serializer gets the case (or referral) and the request in its context."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rest_framework import serializers

from lianxin.cases.forms import FEEDBACK_METHODS
from lianxin.cases.models import CallbackMethod, Satisfaction
from lianxin.cases.permissions import assignable_users, cases_visible_to
from lianxin.directory.models import Department

MAX_ID = 2**63 - 1  # ids fit the database's bigint columns


def _id(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class StepSerializer(serializers.Serializer):
    @property
    def case(self):
        return self.context.get("case")

    @property
    def user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)


class NoteSerializer(StepSerializer):
    note = serializers.CharField()
    public = serializers.BooleanField(default=False, help_text=_("Show this note to the resident."))


class OptionalNoteSerializer(StepSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssignSerializer(StepSerializer):
    assignee = _id(help_text=_("The user's id."))

    def validate_assignee(self, value):
        user = assignable_users(self.case).filter(pk=value).first() if self.case else None
        if user is None:
            raise serializers.ValidationError(
                _("Choose a community worker or representative of the case's community.")
            )
        return user


def _departments(ids: list[int]) -> dict[int, Department]:
    found = Department.objects.filter(is_active=True).in_bulk(ids)
    unknown = [str(pk) for pk in ids if pk not in found]
    if unknown:
        raise serializers.ValidationError(
            _("No active department with id %(ids)s.") % {"ids": ", ".join(unknown)}
        )
    return found


class ReferSerializer(StepSerializer):
    lead = _id(required=False, allow_null=True, help_text=_("Lead department (主办)."))
    assisting = serializers.ListField(
        child=_id(), required=False, default=list, help_text=_("Assisting departments (协办).")
    )
    instructions = serializers.CharField(required=False, allow_blank=True, default="")
    due_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def validate_lead(self, value):
        return _departments([value])[value] if value else None

    def validate_assisting(self, value):
        ids = list(dict.fromkeys(value))
        found = _departments(ids)
        return [found[pk] for pk in ids]


class FeedbackSerializer(StepSerializer):
    summary = serializers.CharField()
    method = serializers.ChoiceField(choices=FEEDBACK_METHODS)


class CallbackSerializer(StepSerializer):
    resolved = serializers.BooleanField()
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    method = serializers.ChoiceField(choices=CallbackMethod.choices)
    called_at = serializers.DateTimeField()

    def validate_satisfaction(self, value):
        return int(value)


class MergeSerializer(StepSerializer):
    into = serializers.CharField(
        max_length=20, help_text=_("Number of the case to merge this one into.")
    )

    def validate_into(self, value):
        into = cases_visible_to(self.user).filter(number=value.strip().upper()).first()
        if into is None:
            raise serializers.ValidationError(_("No case with that number is visible to you."))
        return into


class ReasonSerializer(StepSerializer):
    reason = serializers.CharField(label=pgettext_lazy("case step", "Reason"))


class ReplySerializer(StepSerializer):
    reply = serializers.CharField(help_text=_("What the department has done."))


class OpinionSerializer(StepSerializer):
    reply = serializers.CharField(help_text=_("The assisting department's opinion."))


class RetitleSerializer(StepSerializer):
    title = serializers.CharField(max_length=100)


class EmptySerializer(StepSerializer):
    """A step that needs nothing but the click (accepting a referral)."""
