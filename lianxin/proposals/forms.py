from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.directory.models import Department
from lianxin.proposals.models import AnswerKind, AnswerRating


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department to answer"),
        queryset=Department.objects.filter(is_active=True).order_by("name"),
        empty_label=_("Choose a department"),
    )


class AnswerForm(forms.Form):
    answer_kind = forms.ChoiceField(
        label=_("Outcome"), choices=AnswerKind.choices, widget=forms.RadioSelect
    )
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Your rating of the answer"), choices=AnswerRating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)
