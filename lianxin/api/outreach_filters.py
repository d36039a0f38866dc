"""Query parameters of the outreach lists: those of the outreach pages. As in filters.py, the
filter sets only read and check the parameters; the filtering is the outreach selectors'.
Yes-or-no parameters take `true`/`false` and, as the pages do, `1`/`0`."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import BooleanFilter

from lianxin.accounts.models import Role
from lianxin.api.filters import IdFilter, _id
from lianxin.outreach import selectors
from lianxin.outreach.models import ReceptionDay, ReceptionVisitor, Talk, Visit


def visit_list_for(user, *, mine: bool = False, community_id=None, query: str = ""):
    """The visit diary as the page lists it: representatives always read their own diary."""
    mine = mine or getattr(user, "role", None) == Role.REPRESENTATIVE
    return selectors.visit_list(
        user, visitor=user if mine else None, community_id=community_id, query=query
    )


def reception_list_for(user, *, upcoming: bool | None = None):
    """Reception days with their visitors (each with the case they raised)."""
    return selectors.reception_list(user, upcoming=upcoming).prefetch_related(
        Prefetch(
            "visitors",
            queryset=ReceptionVisitor.objects.select_related("resident", "case").order_by(
                "arrived_at", "pk"
            ),
        )
    )


class VisitFilterSet(django_filters.FilterSet):
    """The filters of the visit diary."""

    q = django_filters.CharFilter(label=_("Text in what was heard, whom they met, address or name"))
    mine = BooleanFilter(label=_("Only visits I went on (always so for representatives)"))
    community = IdFilter(label=_("Community id"))

    class Meta:
        model = Visit
        fields: list[str] = []

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return visit_list_for(
            self.request.user,
            mine=bool(data.get("mine")),
            community_id=_id(data.get("community")),
            query=(data.get("q") or "").strip(),
        )


class ReceptionDayFilterSet(django_filters.FilterSet):
    """The two lists of the reception days page: coming up, and past."""

    upcoming = BooleanFilter(
        label=_("true: not yet ended and not cancelled, soonest first; false: ended, latest first")
    )

    class Meta:
        model = ReceptionDay
        fields: list[str] = []

    def filter_queryset(self, queryset):
        return reception_list_for(
            self.request.user, upcoming=self.form.cleaned_data.get("upcoming")
        )


class TalkFilterSet(django_filters.FilterSet):
    """The filter of the talks page."""

    due = BooleanFilter(label=_("Only talks whose follow-up is due"))

    class Meta:
        model = Talk
        fields: list[str] = []

    def filter_queryset(self, queryset):
        return selectors.talk_list(
            self.request.user, due_only=bool(self.form.cleaned_data.get("due"))
        )
