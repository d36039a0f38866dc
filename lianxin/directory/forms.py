from __future__ import annotations

import zipfile

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.directory import selectors
from lianxin.directory.models import (
    CareTag,
    Community,
    Department,
    Gender,
    Household,
    Pairing,
    PairingKind,
    Representative,
    Resident,
)
from lianxin.directory.services import PersonalNumbers, duplicate_errors


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ResidentFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or address"), required=False)
    phone = forms.CharField(label=_("Exact phone number"), required=False)
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=Community.objects.none(),
        required=False,
        empty_label=_("All communities"),
    )
    tag = forms.ModelChoiceField(
        label=_("Care tag"),
        queryset=CareTag.objects.all(),
        required=False,
        empty_label=_("All care tags"),
    )
    party = forms.TypedChoiceField(
        label=_("Party member"),
        required=False,
        empty_value=None,
        choices=[
            ("", _("Party members or not")),
            ("1", _("Party members")),
            ("0", _("Not party members")),
        ],
        coerce=lambda v: v == "1",
    )
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", _("Any gender")), *Gender.choices[:2]]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = selectors.communities_in_scope(user)

    def selector_filters(self) -> dict:
        """The valid filters as selectors.resident_list's keyword arguments (none if invalid)."""
        filters = self.cleaned_data if self.is_valid() else {}
        return {
            "query": (filters.get("q") or "").strip(),
            "phone": (filters.get("phone") or "").strip(),
            "community_id": getattr(filters.get("community"), "pk", None),
            "tag_id": getattr(filters.get("tag"), "pk", None),
            "party_member": filters.get("party"),
            "gender": filters.get("gender") or "",
        }


class ResidentForm(forms.ModelForm):
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    id_number = forms.CharField(
        label=_("ID card number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("The birth date is taken from the ID card number."),
    )
    clear_phone = forms.BooleanField(label=_("Remove the stored phone number"), required=False)
    clear_id_number = forms.BooleanField(
        label=_("Remove the stored ID card number"), required=False
    )

    class Meta:
        model = Resident
        fields = [
            "community",
            "household",
            "name",
            "gender",
            "birth_date",
            "address",
            "is_party_member",
            "care_tags",
            "note",
        ]
        widgets = {
            "birth_date": DateInput(),
            "care_tags": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = selectors.communities_in_scope(user)
        self.fields["household"].queryset = selectors.households_visible_to(user).select_related(
            "community"
        )
        self.fields["gender"].choices = Gender.choices[:2]
        self.fields["gender"].required = False
        self.numbers: PersonalNumbers | None = None
        if self.instance.pk:
            keep = _("Leave empty to keep %(masked)s.")
            if self.instance.phone_masked:
                self.fields["phone"].help_text = keep % {"masked": self.instance.phone_masked}
            else:
                del self.fields["clear_phone"]
            if self.instance.id_masked:
                self.fields["id_number"].help_text = keep % {"masked": self.instance.id_masked}
            else:
                del self.fields["clear_id_number"]
        else:
            del self.fields["clear_phone"], self.fields["clear_id_number"]

    def clean(self):
        cleaned = super().clean()
        household, community = cleaned.get("household"), cleaned.get("community")
        if household and community and household.community_id != community.pk:
            self.add_error("household", _("This household belongs to another community."))
        instance = self.instance
        phone, id_number = cleaned.get("phone", ""), cleaned.get("id_number", "")
        changing = bool(
            phone
            or id_number
            or cleaned.get("clear_phone")
            or cleaned.get("clear_id_number")
            or not instance.pk
        )
        if not changing:
            return cleaned
        try:
            numbers = PersonalNumbers.parse(phone=phone, id_number=id_number)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
            return cleaned
        if instance.pk:
            # Empty means "keep": carry the stored numbers over unless asked to remove them.
            if not numbers.phone and not cleaned.get("clear_phone"):
                numbers.phone = instance.unsealed_phone()
            if not numbers.id_number and not cleaned.get("clear_id_number"):
                numbers.id_number = instance.unsealed_id_number()
        for field, messages in duplicate_errors(numbers, exclude_pk=instance.pk).items():
            self.add_error(field, messages[0])
        if numbers.birth_date:
            cleaned["birth_date"] = numbers.birth_date
        self.numbers = numbers
        return cleaned


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ["community", "address", "head_name", "care_tags", "note"]
        widgets = {
            "care_tags": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = selectors.communities_in_scope(user)


class RepresentativeForm(forms.ModelForm):
    class Meta:
        model = Representative
        fields = [
            "name",
            "level",
            "unit",
            "position",
            "phone",
            "wechat_id",
            "qq_group",
            "introduction",
            "photo",
            "user",
            "is_active",
        ]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4})}

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and getattr(photo, "size", 0) > 5 * 1024 * 1024:
            raise ValidationError(_("The photo is larger than 5 MB."))
        return photo


class CommunityForm(forms.ModelForm):
    class Meta:
        model = Community
        fields = ["subdistrict", "name", "code", "address", "phone", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4})}


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "short_name", "kind", "phone", "address", "contact_email", "is_active"]


class PairingForm(forms.ModelForm):
    class Meta:
        model = Pairing
        fields = [
            "kind",
            "representative",
            "community",
            "party_member",
            "resident",
            "household",
            "start_date",
            "end_date",
            "note",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        residents = selectors.residents_visible_to(user).select_related("community")
        self.fields["community"].queryset = selectors.communities_in_scope(user)
        self.fields["resident"].queryset = residents
        self.fields["party_member"].queryset = residents.filter(is_party_member=True)
        self.fields["household"].queryset = selectors.households_visible_to(user)
        self.fields["representative"].queryset = Representative.objects.filter(is_active=True)
        self.fields["start_date"].initial = timezone.localdate()
        for name in ("representative", "community", "party_member", "resident", "household"):
            self.fields[name].required = False
        self.fields["kind"].choices = PairingKind.choices


class PairingEndForm(forms.Form):
    end_date = forms.DateField(label=_("End date"), widget=DateInput())


class RevealForm(forms.Form):
    field = forms.ChoiceField(choices=[("phone", "phone"), ("id_number", "id_number")])
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


ROSTER_MAX_BYTES = 50 * 1024 * 1024


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (.xlsx)"),
        help_text=_(
            "Columns 姓名, 手机号, 身份证号, 社区, 地址 are required; 性别, 党员, 标签 are optional. "
            "Download the template to start from."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    default_community = forms.ModelChoiceField(
        label=_("Default community"),
        queryset=Community.objects.none(),
        required=False,
        empty_label=_("None: every row names its community"),
        help_text=_("Used for rows whose 社区 cell is empty."),
    )
    import_valid_rows = forms.BooleanField(
        label=_("Import the valid rows even if some rows fail"),
        required=False,
        help_text=_(
            "Otherwise nothing is imported while any row has an error; you can still decide "
            "after seeing the error report."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communities = selectors.communities_in_scope(user)
        self.fields["default_community"].queryset = communities
        if not self.is_bound and len(communities) == 1:
            self.fields["default_community"].initial = communities[0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(
                _("Upload an .xlsx file; save an older .xls file as .xlsx in Excel or WPS first.")
            )
        if upload.size > ROSTER_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)s MB; split the roster into smaller files.")
                % {"size": ROSTER_MAX_BYTES // (1024 * 1024)}
            )
        position = upload.tell()
        is_zip = zipfile.is_zipfile(upload)
        upload.seek(position)
        if not is_zip:
            raise ValidationError(_("This file is not an Excel workbook (.xlsx)."))
        return upload


class UnmaskedExportForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=150,
        help_text=_("Why the full numbers are needed, e.g. 社区入户走访电话核实. It is recorded."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I will keep this file safe, use it only for this purpose and delete it when done."
        ),
    )


class HistoryFilterForm(forms.Form):
    model = forms.ChoiceField(label=_("Record type"), required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("All records")), *choices]
