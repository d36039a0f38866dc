from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.accounts.models import Role, User
from lianxin.cases.models import AppealType, Category
from lianxin.cases.selectors import categories_for_choice
from lianxin.directory import selectors as directory_selectors
from lianxin.directory.models import Representative
from lianxin.outreach.models import ActivityKind, DutyMetric, DutyPeriod, TalkReason


def _now_local() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def _datetime(label, **kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **kwargs
    )


def _date(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


def _problem_category(required: bool = False) -> CategoryChoiceField:
    return CategoryChoiceField(
        label=_("Category"),
        queryset=categories_for_choice().filter(parent__isnull=False),
        required=required,
        empty_label=_("Choose a category"),
    )


class ProblemFields(forms.Form):
    """A problem heard, recorded as a case in the same step."""

    problem_title = forms.CharField(
        label=_("Short title of the problem"), max_length=100, required=False
    )
    problem_description = forms.CharField(
        label=_("The problem as the resident told it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    problem_category = _problem_category()
    problem_appeal_type = forms.ChoiceField(
        label=_("Type"), choices=AppealType.choices, initial=AppealType.HELP, required=False
    )

    def clean(self):
        cleaned = super().clean()
        if self.wants_case(cleaned):
            if not (cleaned.get("problem_title") or "").strip():
                self.add_error("problem_title", _("Give the problem a short title."))
            if not (cleaned.get("problem_description") or "").strip():
                self.add_error("problem_description", _("Describe the problem."))
        return cleaned

    def wants_case(self, cleaned) -> bool:
        return True

    def problem(self):
        from lianxin.outreach.services import Problem

        data = self.cleaned_data
        return Problem(
            title=data["problem_title"],
            description=data["problem_description"],
            category=data.get("problem_category"),
            appeal_type=data.get("problem_appeal_type") or AppealType.HELP,
        )


class VisitForm(ProblemFields):
    household = forms.ModelChoiceField(
        label=_("Household"), queryset=None, required=False, widget=forms.HiddenInput
    )
    resident = forms.ModelChoiceField(
        label=_("Resident"), queryset=None, required=False, widget=forms.HiddenInput
    )
    visited_at = _datetime(_("When"))
    met = forms.CharField(
        label=_("Whom you met"),
        max_length=100,
        required=False,
        help_text=_("e.g. 牛某和老伴"),
    )
    heard = forms.CharField(
        label=_("What you heard (visit diary)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    companions = forms.ModelMultipleChoiceField(
        label=_("Who went with you"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )
    follow_up_on = _date(_("Follow up on"), required=False)
    record_case = forms.BooleanField(
        label=_("A problem was heard: record it as a case now"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = directory_selectors.households_visible_to(user)
        self.fields["resident"].queryset = directory_selectors.residents_visible_to(user)
        self.fields["visited_at"].initial = _now_local()
        self.fields["companions"].queryset = (
            User.objects.filter(is_active=True, role__in=[Role.WORKER, Role.REPRESENTATIVE])
            .exclude(pk=user.pk)
            .order_by("full_name", "username")
        )

    def wants_case(self, cleaned) -> bool:
        return bool(cleaned.get("record_case"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("household") and not cleaned.get("resident"):
            self.add_error(None, _("Find and choose the household or resident you visited."))
        return cleaned


class VisitCaseForm(ProblemFields):
    pass


class ReceptionForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=None)
    place = forms.CharField(
        label=_("Place"), max_length=200, help_text=_("e.g. 社区党群服务中心一楼")
    )
    starts_at = _datetime(_("Starts"))
    ends_at = _datetime(_("Ends"))
    representatives = forms.ModelMultipleChoiceField(
        label=_("Representatives receiving residents"),
        queryset=Representative.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    publish = forms.BooleanField(
        label=_("Publish on the public site and tell the paired residents"),
        required=False,
        initial=True,
    )
    publish_at = _datetime(
        _("Publish from (leave empty for now)"),
        required=False,
        help_text=_("The reception day must start at least two full days after publication."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communities = directory_selectors.communities_in_scope(user)
        self.fields["community"].queryset = communities
        first = list(communities[:2])
        if len(first) == 1:
            self.fields["community"].initial = first[0].pk
        from lianxin.outreach.selectors import representative_of

        rep = representative_of(user)
        if rep is not None:
            self.fields["representatives"].initial = [rep.pk]

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end lies before the start."))
        return cleaned


class PublishForm(forms.Form):
    publish_at = _datetime(_("Publish from (leave empty for now)"), required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("cancel", "Reason"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("How many came, what they raised, what was solved on the spot, what follows."),
    )


class VisitorForm(forms.Form):
    resident = forms.ModelChoiceField(
        label=_("Resident"), queryset=None, required=False, widget=forms.HiddenInput
    )
    name = forms.CharField(label=_("Name (if not in the roster)"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Phone (if not in the roster)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    title = forms.CharField(label=_("Short title of the problem"), max_length=100)
    description = forms.CharField(
        label=_("The problem as the visitor told it"), widget=forms.Textarea(attrs={"rows": 3})
    )
    category = _problem_category()
    appeal_type = forms.ChoiceField(
        label=_("Type"), choices=AppealType.choices, initial=AppealType.HELP
    )
    resolved_on_spot = forms.BooleanField(label=_("Solved on the spot"), required=False)
    resolution = forms.CharField(
        label=_("How it was solved"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = directory_selectors.residents_visible_to(user)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("resident") and not (cleaned.get("name") or "").strip():
            self.add_error("name", _("Give the visitor's name, or find them in the roster."))
        return cleaned

    def problem(self):
        from lianxin.outreach.services import Problem

        data = self.cleaned_data
        return Problem(
            title=data["title"],
            description=data["description"],
            category=data.get("category"),
            appeal_type=data["appeal_type"],
            resolved_on_spot=data["resolved_on_spot"],
            resolution=data["resolution"],
        )


class CheckInForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=None)
    checked_in_at = _datetime(_("When"))
    note = forms.CharField(
        label=pgettext_lazy("check-in", "What was done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        first = list(communities[:2])
        if len(first) == 1:
            self.fields["community"].initial = first[0].pk
        self.fields["checked_in_at"].initial = _now_local()


class TalkForm(forms.Form):
    resident = forms.ModelChoiceField(
        label=pgettext_lazy("talk", "Talked with"), queryset=None, widget=forms.HiddenInput
    )
    reason = forms.ChoiceField(
        label=pgettext_lazy("talk", "Reason"), choices=TalkReason.choices, widget=forms.RadioSelect
    )
    held_at = _datetime(_("When"))
    notes = forms.CharField(
        label=pgettext_lazy("talk", "Notes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only you and the supervisors can read these notes."),
    )
    follow_up_on = _date(_("Follow up on"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = directory_selectors.residents_visible_to(user)
        self.fields["held_at"].initial = _now_local()


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("activity", "Kind"), choices=ActivityKind.choices)
    topic = forms.CharField(label=_("Topic"), max_length=100, help_text=_("e.g. 我的梦、中国梦"))
    starts_at = _datetime(_("Starts"))
    ends_at = _datetime(_("Ends"))
    place = forms.CharField(label=_("Place"), max_length=200)
    communities = forms.ModelMultipleChoiceField(
        label=_("For the residents of"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communities = directory_selectors.communities_in_scope(user)
        self.fields["communities"].queryset = communities
        first = list(communities[:2])
        if len(first) == 1:
            self.fields["communities"].initial = [first[0].pk]

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end lies before the start."))
        return cleaned


class SignInForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("activity sign-in", "Your name"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Your mobile phone number"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Used only to find you in the community's roster; it is not stored in clear."),
    )


# Dates a report can ask about; far-off dates would overflow the conversion to local time.
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)


class CoverageForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=None)
    start = _date(_("From"))
    end = _date(_("Until"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = directory_selectors.communities_in_scope(user)
        today = timezone.localdate()
        self.fields["start"].initial = datetime.date(today.year, 1, 1)
        self.fields["end"].initial = today

    def clean(self):
        cleaned = super().clean()
        for name in ("start", "end"):
            day = cleaned.get(name)
            if day and not (EARLIEST <= day <= LATEST):
                self.add_error(name, _("Choose a date between 2000 and 2099."))
                cleaned.pop(name, None)
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("The end lies before the start."))
        return cleaned


class DutyRuleForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    metric = forms.ChoiceField(label=_("Duty"), choices=DutyMetric.choices)
    period = forms.ChoiceField(
        label=_("Period"), choices=DutyPeriod.choices, initial=DutyPeriod.YEAR
    )
    minimum = forms.IntegerField(label=_("At least"), min_value=1, max_value=1000)
    note = forms.CharField(label=pgettext_lazy("duty rule", "Note"), max_length=200, required=False)


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Short title"), max_length=100)
    description = forms.CharField(
        label=_("Proposal"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("e.g. on the party committee's own work, development, or the style of cadres."),
    )
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Proposals on the party committee's work"),
    )
    community = forms.ModelChoiceField(
        label=_("Community concerned (optional)"), queryset=None, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_for_choice().filter(parent__code="suggestion")
        self.fields["community"].queryset = directory_selectors.communities_in_scope(user)
