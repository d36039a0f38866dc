from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.notify import rendering
from lianxin.notify.kinds import OPTIONAL_CHANNELS, Channel, EventKind
from lianxin.notify.models import NotificationTemplate, WeComRobot


class PreferencesForm(forms.Form):
    """One checkbox per event kind and optional channel (the inbox is always on)."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            for channel in OPTIONAL_CHANNELS:
                self.fields[self.field_name(row.kind, channel)] = forms.BooleanField(
                    required=False,
                    initial=channel in row.channels,
                    label=f"{row.label} · {Channel(channel).label}",
                )

    @staticmethod
    def field_name(kind: str, channel: str) -> str:
        return f"{kind}__{channel}"

    def table(self):
        """Rows of (label, [bound fields in OPTIONAL_CHANNELS order]) for the template."""
        return [
            (row, [self[self.field_name(row.kind, c)] for c in OPTIONAL_CHANNELS])
            for row in self.rows
        ]

    def choices(self) -> dict[str, set]:
        return {
            row.kind: {
                c for c in OPTIONAL_CHANNELS if self.cleaned_data[self.field_name(row.kind, c)]
            }
            for row in self.rows
        }


class NotificationTemplateForm(forms.ModelForm):
    class Meta:
        model = NotificationTemplate
        fields = ["kind", "channel", "subject", "body", "provider_template_code", "provider_params"]

    def clean_subject(self):
        rendering.check_syntax(self.cleaned_data["subject"])
        return self.cleaned_data["subject"]

    def clean_body(self):
        rendering.check_syntax(self.cleaned_data["body"])
        return self.cleaned_data["body"]

    def clean_provider_params(self):
        text = self.cleaned_data["provider_params"]
        for _name, expression in rendering.parse_params(text):
            rendering.check_syntax(expression)
        return text


class WeComRobotForm(forms.ModelForm):
    webhook_url = forms.URLField(
        label=_("webhook address"),
        max_length=300,
        assume_scheme="https",
        help_text=WeComRobot._meta.get_field("webhook_url").help_text,
    )
    kinds = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every event."),
    )

    class Meta:
        model = WeComRobot
        fields = [
            "name",
            "webhook_url",
            "department",
            "community",
            "kinds",
            "markdown",
            "is_active",
        ]

    def clean(self):
        data = super().clean()
        if data.get("department") and data.get("community"):
            raise forms.ValidationError(
                _("A robot belongs to a department or to a community, not both.")
            )
        return data
