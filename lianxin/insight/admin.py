"""Administrators set the scoring (统计口径) here: each save is a new version; versions in
force earlier stay as they were, so every score can name the one it used."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from lianxin.cases.models import Satisfaction
from lianxin.insight.models import MonthlyReport, ScoreSettings
from lianxin.insight.selectors import DEFAULT_SETTINGS, score_settings


class ScoreSettingsForm(forms.ModelForm):
    class Meta:
        model = ScoreSettings
        fields = [
            "weight_response",
            "weight_resolution",
            "weight_satisfaction",
            "min_sample",
            "reason",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = score_settings()
        for name in self.Meta.fields:
            self.fields[name].initial = getattr(current, name)
        for level in Satisfaction:
            self.fields[f"points_{level.value}"] = forms.IntegerField(
                label=_("Points for “%(level)s”") % {"level": level.label},
                min_value=0,
                max_value=100,
                initial=current.points[str(level.value)],
            )

    def clean(self):
        data = super().clean()
        weights = [
            data.get(n) or 0
            for n in ("weight_response", "weight_resolution", "weight_satisfaction")
        ]
        if sum(weights) != 100:
            raise forms.ValidationError(
                _("The three weights must add up to 100 (now %(sum)d).") % {"sum": sum(weights)}
            )
        if (data.get("min_sample") or 0) < 1:
            self.add_error("min_sample", _("The minimum sample is at least 1."))
        return data


@admin.register(ScoreSettings)
class ScoreSettingsAdmin(admin.ModelAdmin):
    form = ScoreSettingsForm
    list_display = [
        "version",
        "weight_response",
        "weight_resolution",
        "weight_satisfaction",
        "min_sample",
        "created_at",
        "created_by",
        "reason",
    ]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        latest = ScoreSettings.objects.select_for_update().aggregate(v=Max("version"))["v"]
        obj.version = max(latest or 0, DEFAULT_SETTINGS.version) + 1
        obj.points = {
            str(level.value): form.cleaned_data[f"points_{level.value}"] for level in Satisfaction
        }
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ["month", "sent_at", "recipients"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
