"""Validation of personal numbers with maintained libraries, with messages in the user's language.

- Phones: `phonenumbers` (libphonenumber's metadata) accepts mainland mobiles and landlines,
  written with or without the area code separator or the +86 prefix.
- ID numbers: `python-stdnum`'s `cn.ric` checks the format, the birth-place code, the birth date
  and the ISO 7064 check digit, and gives the birth date.
"""

from __future__ import annotations

import datetime

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric

_ACCEPTED_PHONE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def normalise_phone(raw: str) -> str:
    """Return the national digits (`13800138000`, `01062345678`) or raise ValidationError."""
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("“%(value)s” is not a phone number."),
            code="phone_format",
            params={"value": _mask_raw(text)},
        ) from None
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a mainland China mobile number (11 digits) or a landline with its area code."),
            code="phone_invalid",
        )
    if phonenumbers.number_type(number) not in _ACCEPTED_PHONE_TYPES:
        raise ValidationError(
            _("Only mobile and landline numbers are accepted."), code="phone_type"
        )
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(ch for ch in national if ch.isdigit())


def normalise_id_number(raw: str) -> tuple[str, datetime.date | None]:
    """Return the 18-character ID number and its birth date, or raise ValidationError."""
    text = (raw or "").strip().upper().replace(" ", "")
    if not text:
        return "", None
    if len(text) != 18:
        raise ValidationError(_("An ID card number has 18 characters."), code="id_length")
    try:
        number = ric.validate(text)
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(
            _("The ID card number's check digit is wrong."), code="id_checksum"
        ) from None
    except stdnum_exceptions.InvalidComponent:
        raise ValidationError(
            _("The ID card number contains an impossible birth date or region code."),
            code="id_component",
        ) from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(_("The ID card number is not valid."), code="id_format") from None
    birth = ric.get_birth_date(number)
    if birth > datetime.date.today():  # noqa: DTZ011 - a calendar date, not an instant
        raise ValidationError(
            _("The ID card number's birth date lies in the future."), code="id_future"
        )
    return number, birth


def _mask_raw(text: str) -> str:
    # Error messages repeat what was typed, but never a whole number.
    return text if len(text) < 7 else text[:3] + "…" + text[-2:]
