from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.accounts.models import Role
from lianxin.cases.models import (
    AppealType,
    CallbackMethod,
    CaseStatus,
    Channel,
    Satisfaction,
    Urgency,
)
from lianxin.cases.permissions import assignable_users, cases_visible_to
from lianxin.cases.selectors import categories_for_choice
from lianxin.directory import selectors as directory_selectors
from lianxin.directory.models import Department


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


def category_field(required: bool = True) -> CategoryChoiceField:
    return CategoryChoiceField(
        label=_("Category"),
        queryset=categories_for_choice().filter(parent__isnull=False),
        required=required,
        empty_label=_("Choose a category"),
    )


class CaseFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("", _("All states")),
        ("open", pgettext_lazy("case state", "Open")),
        *CaseStatus.choices,
    ]
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("State"), choices=STATUS_CHOICES, required=False)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=categories_for_choice().filter(parent__isnull=True),
        required=False,
        empty_label=_("All categories"),
    )
    community = forms.ModelChoiceField(
        label=_("Community"), queryset=None, required=False, empty_label=_("All communities")
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
        empty_label=_("All departments"),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    response_overdue = forms.BooleanField(label=_("Response overdue"), required=False)
    mine = forms.BooleanField(label=_("Mine only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-received", _("Newest first")),
            ("received", _("Oldest first")),
            ("due", _("Handling deadline")),
            ("response_due", _("Response deadline")),
        ],
    )
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = directory_selectors.communities_in_scope(user)


class IntakeForm(forms.Form):
    """Fast on a phone: who (looked up), what, where; everything else has a good default."""

    REPORTER_CHOICES = [
        ("resident", _("A resident in the roster")),
        ("other", _("Someone else (name and phone)")),
        ("anonymous", _("Anonymous")),
    ]
    reporter_kind = forms.ChoiceField(
        label=_("Who raised it"),
        choices=REPORTER_CHOICES,
        initial="resident",
        widget=forms.RadioSelect,
    )
    reporter_resident = forms.ModelChoiceField(
        label=_("Resident"), queryset=None, required=False, widget=forms.HiddenInput
    )
    reporter_name = forms.CharField(label=_("Name"), max_length=50, required=False)
    reporter_phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    title = forms.CharField(label=_("Short title"), max_length=100)
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4})
    )
    category = category_field(required=False)
    appeal_type = forms.ChoiceField(
        label=_("Type"), choices=AppealType.choices, initial=AppealType.HELP
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    channel = forms.ChoiceField(label=pgettext_lazy("case", "Channel"), choices=Channel.choices)
    community = forms.ModelChoiceField(label=_("Community"), queryset=None)
    address = forms.CharField(label=_("Where"), max_length=200, required=False)
    resolved_on_spot = forms.BooleanField(label=_("Solved on the spot"), required=False)
    resolution = forms.CharField(
        label=_("How it was solved"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = directory_selectors.communities_in_scope(user)
        self.fields["reporter_resident"].queryset = directory_selectors.residents_visible_to(user)
        channel_default = {
            Role.REPRESENTATIVE: Channel.VISIT,
            Role.WORKER: Channel.WALK_IN,
        }.get(user.role, Channel.PHONE)
        self.fields["channel"].initial = channel_default
        self.fields["channel"].choices = [c for c in Channel.choices if c[0] != Channel.API]
        communities = list(self.fields["community"].queryset[:2])
        if len(communities) == 1:
            self.fields["community"].initial = communities[0].pk

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("reporter_kind")
        if kind == "resident" and not cleaned.get("reporter_resident"):
            self.add_error("reporter_kind", _("Look up the resident, or choose another option."))
        if kind == "other" and not cleaned.get("reporter_name"):
            self.add_error("reporter_name", _("Give the name of the person who raised it."))
        return cleaned


class StepForm(forms.Form):
    """A workflow step's form: it knows the case and the reader, so choices and lookups
    follow the same rules as the service (see lianxin.cases.workflow)."""

    def __init__(self, *args, case, user, **kwargs):
        self.case, self.user = case, user
        super().__init__(*args, **kwargs)


class NoteForm(StepForm):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    public = forms.BooleanField(label=_("Show this note to the resident"), required=False)
    attachments = MultipleFileField(label=_("Attachments"), required=False)


class ContactForm(StepForm):
    note = forms.CharField(
        label=_("What was said"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(StepForm):
    assignee = forms.ModelChoiceField(label=_("Responsible person"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users(self.case)


class ReferForm(StepForm):
    lead = forms.ModelChoiceField(
        label=_("Lead department (主办)"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
    )
    assisting = forms.ModelMultipleChoiceField(
        label=_("Assisting departments (协办)"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    instructions = forms.CharField(
        label=pgettext_lazy("referral", "Instructions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_at = forms.DateTimeField(
        label=_("Reply due (leave empty for the category's limit)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        category = self.case.category if self.case.category_id else None
        if category and category.default_department_id:
            self.fields["lead"].initial = category.default_department_id
        elif category and category.parent_id:
            self.fields["lead"].initial = category.parent.default_department_id

    def clean_assisting(self):
        return list(self.cleaned_data.get("assisting") or [])


class UrgeForm(StepForm):
    note = forms.CharField(
        label=pgettext_lazy("urging", "Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


FEEDBACK_METHODS = [
    ("phone", _("Phone call")),
    ("visit", _("Home visit")),
    ("sms", _("SMS")),
    ("wechat", _("WeChat")),
    ("in_person", _("In person")),
    ("reception", _("At a reception day")),
]


class FeedbackForm(StepForm):
    METHODS = FEEDBACK_METHODS
    summary = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    method = forms.ChoiceField(label=_("How the resident was told"), choices=FEEDBACK_METHODS)


class CallbackForm(StepForm):
    resolved = forms.TypedChoiceField(
        label=_("Does the resident say the problem is solved?"),
        choices=[("1", _("Solved")), ("0", _("Not solved"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    satisfaction = forms.TypedChoiceField(
        label=_("Satisfaction"),
        choices=Satisfaction.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("What the resident said"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    method = forms.ChoiceField(label=_("Callback by"), choices=CallbackMethod.choices)
    called_at = forms.DateTimeField(
        label=_("Callback time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["called_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class MergeForm(StepForm):
    into = forms.CharField(
        label=_("Number of the case to merge this one into"),
        max_length=20,
        help_text=_("e.g. LX-2026-000123. This case will follow that one."),
    )

    def clean_into(self):
        number = self.cleaned_data["into"].strip().upper()
        into = cases_visible_to(self.user).filter(number=number).first()
        if into is None:
            raise forms.ValidationError(_("No case with that number is visible to you."))
        return into


class ReasonForm(StepForm):
    reason = forms.CharField(
        label=pgettext_lazy("case step", "Reason"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ReplyForm(StepForm):
    reply = forms.CharField(
        label=_("What the department has done"), widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)


class OpinionForm(StepForm):
    reply = forms.CharField(
        label=_("The assisting department's opinion"), widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)


class RetitleForm(StepForm):
    title = forms.CharField(label=_("Short title"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].initial = self.case.title


class ConfirmForm(StepForm):
    """A step that needs nothing but the click."""
