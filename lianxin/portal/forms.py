"""Forms of the public site. Messages speak to a resident, not to a clerk."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.cases.forms import MultipleFileField, MultipleFileInput
from lianxin.cases.models import AppealType, Category, Satisfaction
from lianxin.core.validators import normalise_phone
from lianxin.directory.models import Community
from lianxin.portal import challenge, photos
from lianxin.portal.words import APPEAL_WORDS

UNSURE = "unsure"
UNSURE_CATEGORY = "other-general"
HONEYPOT = "homepage"


class CommunityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.subdistrict.name} · {obj.name}"


class ReportForm(forms.Form):
    """Raise a problem: what, where, which kind, photos, who (or nobody), consent."""

    description = forms.CharField(
        label=_("What happened?"),
        help_text=_("In your own words: what is wrong, since when, who is affected."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Please tell us what happened.")},
    )
    community = CommunityChoiceField(
        label=_("Which community is it in?"),
        queryset=Community.objects.select_related("subdistrict").order_by(
            "subdistrict__name", "name"
        ),
        required=False,
        empty_label=_("Not sure / not in the list"),
    )
    address = forms.CharField(
        label=_("Where exactly?"),
        help_text=_("For example the estate, building number, or the nearest crossing."),
        max_length=200,
        error_messages={"required": _("Please tell us where it is.")},
    )
    topic = forms.ChoiceField(
        label=_("What is it about?"),
        error_messages={
            "required": _("Please choose one; if you are not sure, choose “Not sure”.")
        },
    )
    appeal_type = forms.ChoiceField(
        label=_("What would you like?"),
        choices=[(code, str(words[0])) for code, words in APPEAL_WORDS.items()],
        initial=AppealType.HELP,
        widget=forms.RadioSelect,
    )
    photos = MultipleFileField(
        label=_("Photos (you may skip this)"),
        help_text=_("Up to %(count)d photos, JPG, PNG or WebP, each at most 10 MB.")
        % {"count": photos.MAX_PHOTOS},
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    anonymous = forms.BooleanField(
        label=_("I want to stay anonymous (no name, no phone)"), required=False
    )
    name = forms.CharField(
        label=_("Your name"),
        help_text=_("Needed unless you stay anonymous."),
        max_length=50,
        required=False,
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        help_text=_(
            "Needed unless you stay anonymous. We send the progress and the rating link to "
            "this number by SMS."
        ),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(
        label=_("I have read the personal information notice and agree to it"),
        error_messages={"required": _("Please read the personal information notice and agree.")},
    )
    # A field people never see or fill; form-filling robots do.
    homepage = forms.CharField(label=_("Leave this empty"), required=False)
    challenge_token = forms.CharField(required=False, widget=forms.HiddenInput)
    challenge_answer = forms.CharField(
        label=pgettext_lazy("challenge", "Answer"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, categories: list[Category], challenge_due: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        self.challenge_due = challenge_due
        self._by_code = {}
        topics = [(UNSURE, str(_("Not sure")))]
        for parent in categories:
            self._by_code[parent.code] = parent
            topics.append((parent.code, parent.name))
            for child in parent.active_children:
                self._by_code[child.code] = child
        self.fields["topic"].choices = topics
        self.challenge = None
        if challenge_due:
            self.ask_question()

    def ask_question(self) -> None:
        """Ask a (new) question: the one drawn on the page is checked at the next sending."""
        self.challenge_due = True
        self.challenge = challenge.new_challenge()
        self.fields["challenge_answer"].label = self.challenge.question

    # --- cleaning ---------------------------------------------------------------------------
    def clean_homepage(self):
        if self.cleaned_data.get("homepage"):
            raise ValidationError(_("Please empty the field marked “Leave this empty”."))
        return ""

    def clean_photos(self):
        return photos.clean_photos(self.cleaned_data.get("photos"))

    def clean_phone(self):
        if self.data.get("anonymous"):
            return ""  # hidden on the page once “anonymous” is ticked, so never an error there
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("anonymous"):
            if not (cleaned.get("name") or "").strip() and "name" not in self.errors:
                self.add_error("name", _("Please give your name, or tick “stay anonymous” above."))
            if not cleaned.get("phone") and "phone" not in self.errors:
                self.add_error(
                    "phone", _("Please give your phone number, or tick “stay anonymous” above.")
                )
        else:
            cleaned["name"], cleaned["phone"] = "", ""
        cleaned["category"] = self._category(cleaned)
        category = cleaned["category"]
        appeal = cleaned.get("appeal_type")
        if category is not None and appeal and not category.takes(appeal):
            if len(category.appeal_types) == 1:
                # "Policy questions" can only be a question: the kind answers itself.
                cleaned["appeal_type"] = category.appeal_types[0]
            else:
                allowed = "、".join(
                    str(words[0])
                    for code, words in APPEAL_WORDS.items()
                    if code in category.appeal_types
                )
                self.add_error(
                    "appeal_type",
                    _("For “%(category)s” please choose one of: %(allowed)s.")
                    % {"category": category.name, "allowed": allowed},
                )
        return cleaned

    def _category(self, cleaned) -> Category | None:
        topic = cleaned.get("topic")
        if not topic:
            return None
        if topic == UNSURE:
            return (
                self._by_code.get(UNSURE_CATEGORY)
                or Category.objects.filter(code=UNSURE_CATEGORY).first()
            )
        parent = self._by_code.get(topic)
        # Each kind has its own optional detail (subtopic_<kind>): a detail picked under another
        # kind before the resident changed their mind is hidden on the page and not counted.
        child = self._by_code.get(self.data.get(f"subtopic_{topic}") or "")
        if child is not None and child.parent_id == parent.pk:
            return child
        return parent

    def check_challenge(self) -> bool:
        """When a question was due, whether it was answered right (once per question)."""
        if not self.challenge_due:
            return True
        token = self.data.get("challenge_token", "")
        answer = (self.data.get("challenge_answer") or "").strip()
        if challenge.check(token, answer):
            return True
        if token and answer:
            message = _("That answer is not right; please answer the new question below.")
        else:
            message = _("Please answer the question below and send again.")
        self.add_error("challenge_answer", message)
        return False

    @property
    def topics(self) -> list[dict]:
        """The picker's rows, “not sure” first, each with its optional details."""
        chosen = self["topic"].value()
        rows = [
            {
                "code": UNSURE,
                "name": _("Not sure"),
                "plain": _("Staff will put it in the right place for you"),
                "checked": chosen == UNSURE,
                "children": [],
            }
        ]
        for parent in self.categories:
            if parent.code == "other":
                continue
            detail = self.data.get(f"subtopic_{parent.code}", "") if self.is_bound else ""
            rows.append(
                {
                    "code": parent.code,
                    "name": parent.name,
                    "plain": parent.plain_description,
                    "checked": chosen == parent.code,
                    "detail": detail,
                    "children": parent.active_children,
                    "keywords": ",".join(
                        dict.fromkeys(
                            [
                                *parent.keyword_list,
                                *(w for c in parent.active_children for w in c.keyword_list),
                            ]
                        )
                    ),
                }
            )
        return rows

    @property
    def appeal_rows(self) -> list[dict]:
        chosen = self["appeal_type"].value()
        return [
            {"code": code, "name": name, "plain": plain, "checked": chosen == code}
            for code, (name, plain) in APPEAL_WORDS.items()
        ]


class RatingForm(forms.Form):
    resolved = forms.TypedChoiceField(
        label=_("Is the problem solved?"),
        choices=[("yes", _("Yes, solved")), ("no", _("No, not solved"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Please say whether the problem is solved.")},
    )
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with how it was handled?"),
        choices=Satisfaction.choices,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Please choose how satisfied you are.")},
    )
    comment = forms.CharField(
        label=_("Anything you want to add (you may skip this)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
