from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.cases.forms import MultipleFileField
from lianxin.cases.models import Satisfaction
from lianxin.directory.models import Community, Department

DATE = {"format": "%Y-%m-%d", "attrs": {"type": "date"}}


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(**DATE), **kwargs)


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    summary = forms.CharField(
        label=_("What will be done"), widget=forms.Textarea(attrs={"rows": 4})
    )
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=Community.objects.order_by("name"),
        required=False,
        empty_label=_("Whole district"),
    )
    owner = forms.ModelChoiceField(
        label=_("Carried out by"),
        queryset=Department.objects.filter(is_active=True).order_by("name"),
        empty_label=_("Choose a department or unit"),
    )
    budget = forms.DecimalField(
        label=_("Budget (yuan)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        error_messages={
            "min_value": _("The budget cannot be negative."),
            "max_decimal_places": _("An amount has at most two decimals (fen), e.g. 1500.50."),
        },
    )
    starts_on = date_field(_("Starts on"))
    hot_topic = forms.CharField(label=_("Hot topic it answers"), max_length=100, required=False)
    proposal = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = timezone.localdate()


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=100)
    due_on = date_field(_("Due on"))
    progress = forms.IntegerField(label=_("Progress when reached (%)"), min_value=0, max_value=100)


class ReachForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput)
    reached_on = date_field(_("Reached on"))
    note = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = MultipleFileField(label=_("Photos"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reached_on"].initial = timezone.localdate()


class CompleteForm(forms.Form):
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}))
    completed_on = date_field(_("Completed on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].initial = timezone.localdate()


class FollowForm(forms.Form):
    phone = forms.CharField(
        label=_("Your mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree to receive SMS about this project's progress (at most one per milestone)."
        ),
        required=False,
    )


class RateForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the result?"),
        choices=Satisfaction.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=300, required=False)


class CommitmentForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.none())
    title = forms.CharField(label=_("What I will do"), max_length=100)
    due_on = date_field(_("By"))

    def __init__(self, *args, representative=None, **kwargs):
        super().__init__(*args, **kwargs)
        if representative is not None:
            self.fields["community"].queryset = Community.objects.filter(
                pairings__kind="contact", pairings__representative=representative
            ).distinct()


class CommitmentProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Progress and result"), required=False, max_length=1000)
