from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.directory.models import CareTag, Community, Representative
from lianxin.notices.models import Audience
from lianxin.outreach.models import Activity


class NoticeForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Send to"), choices=Audience.choices, widget=forms.RadioSelect
    )
    community = forms.ModelChoiceField(
        label=_("Community"), queryset=Community.objects.none(), required=False
    )
    care_tag = forms.ModelChoiceField(
        label=_("Care tag"), queryset=CareTag.objects.order_by("sort_order", "name"), required=False
    )
    representative = forms.ModelChoiceField(
        label=_("Representative"),
        queryset=Representative.objects.filter(is_active=True).order_by("name"),
        required=False,
    )
    activity = forms.ModelChoiceField(
        label=_("Activity"), queryset=Activity.objects.order_by("-starts_at")[:50], required=False
    )
    title = forms.CharField(label=_("Title"), max_length=60)
    text = forms.CharField(
        label=_("Text of the SMS"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At most 200 characters; “回复TD退订” is added at the end."),
    )

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if communities is not None:
            self.fields["community"].queryset = communities
        self.fields["activity"].queryset = Activity.objects.order_by("-starts_at")


class ConsentForm(forms.Form):
    agreed = forms.TypedChoiceField(
        label=_("Notices by SMS"),
        choices=[("1", _("Agrees to receive notices")), ("0", _("Wants no notices"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    how = forms.CharField(label=_("How the resident told you"), max_length=100)
