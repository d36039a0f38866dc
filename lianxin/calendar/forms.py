from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.calendar import services
from lianxin.calendar.models import DayKind, WorkingDay
from lianxin.calendar.schedule import MAX_FILE_BYTES


class ScheduleUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Schedule file (TOML)"),
        help_text=_("A small text file with the year, its holidays and make-up working days."),
    )
    replace = forms.BooleanField(
        label=_("Replace the existing days of that year"),
        required=False,
        help_text=_(
            "Needed when the year already has data; corrections of that year are replaced too."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is too large (at most %(size)d KB); a year's schedule is much smaller."
                ),
                params={"size": MAX_FILE_BYTES // 1024},
            )
        return upload


class WorkingDayCorrectionForm(forms.ModelForm):
    """The admin's change form: kind and note; the date is fixed, the rest follows."""

    class Meta:
        model = WorkingDay
        fields = ["kind", "note"]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in DayKind.values and self.instance.date:
            for message in services.correction_errors(self.instance.date, kind):
                self.add_error("kind", message)
        return cleaned
