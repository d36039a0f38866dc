from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.assistance import selectors
from lianxin.assistance.models import PaymentMethod
from lianxin.assistance.services import APPROVE, REJECT, RETURN
from lianxin.cases.forms import MultipleFileField

AMOUNT_MESSAGES = {
    "invalid": _("Enter an amount in yuan, e.g. 2000 or 1500.50."),
    "max_decimal_places": _("An amount has at most two decimals (fen), e.g. 1500.50."),
    "min_value": _("The amount must be more than zero."),
    "max_digits": _("That amount is too large."),
    "max_whole_digits": _("That amount is too large."),
}


def amount_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=10,
        decimal_places=2,
        min_value=0.01,
        error_messages=AMOUNT_MESSAGES,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0.01"}),
    )


class SchemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.funder}，{_('up to')} {obj.max_per_application:,.0f}）"


class ApplicationForm(forms.Form):
    resident = forms.TypedChoiceField(label=_("Resident"), coerce=int, choices=())
    scheme = SchemeChoiceField(
        label=_("Aid scheme"),
        queryset=selectors.schemes_open(),
        empty_label=_("Choose a scheme"),
        error_messages={
            "invalid_choice": _(
                "There is no such aid scheme open for applications; choose one from the list."
            ),
            "required": _("Choose an aid scheme."),
        },
    )
    amount = amount_field(_("Amount applied for (yuan)"))
    reason = forms.CharField(
        label=_("Why the resident needs it"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    uploads = MultipleFileField(
        label=_("Supporting documents"),
        required=False,
        help_text=_("PDF or photos (JPG, PNG, WebP) of certificates, up to 10 MB each."),
    )

    def __init__(self, *args, residents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.residents = {r.pk: r for r in residents}
        self.fields["resident"].choices = [
            (r.pk, f"{r.name}（{r.community.name}）") for r in residents
        ]
        if len(self.residents) == 1:
            self.fields["resident"].widget = forms.HiddenInput()
            self.fields["resident"].initial = next(iter(self.residents))

    def must_type(self) -> list[str]:
        """The fields a worker still has to fill in: required, and not known already."""
        return [
            name
            for name, field in self.fields.items()
            if field.required and not self.initial.get(name) and not field.initial
        ]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (APPROVE, _("Approve")),
            (RETURN, _("Send back for more information")),
            (REJECT, _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class PaymentForm(forms.Form):
    amount = amount_field(_("Amount paid (yuan)"))
    paid_on = forms.DateField(
        label=_("Paid on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Voucher number"), required=False, max_length=60)

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        if application is not None:
            self.fields["amount"].initial = application.amount
        self.fields["paid_on"].initial = timezone.localdate()


class ResubmitForm(forms.Form):
    amount = amount_field(_("Amount applied for (yuan)"))
    reason = forms.CharField(
        label=_("Why the resident needs it"), widget=forms.Textarea(attrs={"rows": 3})
    )
    note = forms.CharField(
        label=_("What was added or changed"), widget=forms.Textarea(attrs={"rows": 2})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why it is withdrawn"), max_length=500)


class DocumentForm(forms.Form):
    upload = forms.FileField(label=_("Add a document"))
