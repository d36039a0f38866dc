"""Query parameters of the list endpoints. The filter sets only read and check the parameters;
the filtering itself is the selectors' (the same functions the staff lists call)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.utils import extend_schema_field

from lianxin.cases.models import Case, CaseStatus, Referral, ReferralStatus
from lianxin.cases.selectors import CaseFilters, case_list, referrals_for_department
from lianxin.directory.models import Gender, Resident
from lianxin.directory.selectors import resident_list

CASE_STATUS_CHOICES = [("open", pgettext_lazy("case state", "Open")), *CaseStatus.choices]
REFERRAL_STATUS_CHOICES = [("open", pgettext_lazy("case state", "Open")), *ReferralStatus.choices]
GENDER_CHOICES = [c for c in Gender.choices if c[0]]


MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A record id: a positive integer that fits the database's id column."""

    field_class = IdField


class CaseFilterSet(django_filters.FilterSet):
    """The filters of the staff case list (`cases.selectors.CaseFilters`)."""

    status = django_filters.ChoiceFilter(
        choices=CASE_STATUS_CHOICES, label=_("State; “open” for every open state")
    )
    category = IdFilter(label=_("Category id (a top-level one includes its children)"))
    community = IdFilter(label=_("Community id"))
    department = IdFilter(label=_("Referred to this department id"))
    overdue = django_filters.BooleanFilter(label=_("Overdue only"))
    mine = django_filters.BooleanFilter(label=_("Only cases I received or am responsible for"))
    received_from = django_filters.DateFilter(label=_("Received on or after (YYYY-MM-DD)"))
    received_to = django_filters.DateFilter(label=_("Received on or before (YYYY-MM-DD)"))
    q = django_filters.CharFilter(label=_("Text in title, description, number or address"))

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return case_list(
            self.request.user,
            CaseFilters(
                status=data.get("status") or "",
                category_id=_id(data.get("category")),
                community_id=_id(data.get("community")),
                department_id=_id(data.get("department")),
                overdue=bool(data.get("overdue")),
                mine=bool(data.get("mine")),
                received_from=data.get("received_from"),
                received_to=data.get("received_to"),
                text=(data.get("q") or "").strip(),
            ),
        )


class ReferralFilterSet(django_filters.FilterSet):
    """The filters of a department's referral list."""

    status = django_filters.ChoiceFilter(
        choices=REFERRAL_STATUS_CHOICES, label=_("State; “open” for awaiting acceptance or reply")
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue only"))

    class Meta:
        model = Referral
        fields: list[str] = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return referrals_for_department(
            self.request.user, status=data.get("status") or "", overdue=bool(data.get("overdue"))
        ).select_related("department")


class ResidentFilterSet(django_filters.FilterSet):
    """The filters of the resident list."""

    q = django_filters.CharFilter(label=_("Text in name or address"))
    phone = django_filters.CharFilter(label=_("Exact phone number"))
    community = IdFilter(label=_("Community id"))
    tag = IdFilter(label=_("Care tag id"))
    party_member = django_filters.BooleanFilter(label=_("Party members only, or none"))
    gender = django_filters.ChoiceFilter(choices=GENDER_CHOICES, label=_("Gender"))

    class Meta:
        model = Resident
        fields: list[str] = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return resident_list(
            self.request.user,
            query=(data.get("q") or "").strip(),
            phone=(data.get("phone") or "").strip(),
            community_id=_id(data.get("community")),
            tag_id=_id(data.get("tag")),
            party_member=data.get("party_member"),
            gender=data.get("gender") or "",
        )


def _id(value) -> int | None:
    return int(value) if value else None
