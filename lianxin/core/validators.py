"""Validation of personal numbers with maintained libraries, with messages in the user's language.

- Phones: `phonenumbers` (libphonenumber's metadata) accepts mainland mobiles and landlines,
  written with or without the area code separator or the +86 prefix.
- ID numbers: `python-stdnum`'s `cn.ric` checks the format, the birth-place code, the birth date
  and the ISO 7064 check digit, and gives the birth date.

Roster imports validate hundreds of thousands of numbers, so both functions have a fast path for
the common spelling (11 plain digits; 18 plain characters) that asks the same libraries the same
questions in fewer steps and gives exactly the same verdict; lianxin/core/tests/test_validators.py
compares the two paths over every mobile prefix and every kind of ID-number fault.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache

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


_PLAIN_MOBILE = re.compile(r"1[0-9]{10}")
_PLAIN_ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]")


def normalise_phone(raw: str) -> str:
    """Return the national digits (`13800138000`, `01062345678`) or raise ValidationError."""
    text = (raw or "").strip()
    if not text:
        return ""
    if _PLAIN_MOBILE.fullmatch(text):
        # `parse(text, "CN")` of 11 plain digits starting with 1 is this very number, and the
        # national format of a mobile is its 11 digits; anything but a mobile takes the long way.
        number = phonenumbers.PhoneNumber(country_code=86, national_number=int(text))
        if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE:
            return text
    return _normalise_phone_parsed(text)


def _normalise_phone_parsed(text: str) -> str:
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
        number, birth = _validate_ric(text)
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
    if birth > datetime.date.today():  # noqa: DTZ011 - a calendar date, not an instant
        raise ValidationError(
            _("The ID card number's birth date lies in the future."), code="id_future"
        )
    return number, birth


def _validate_ric(text: str) -> tuple[str, datetime.date]:
    """`ric.validate` and the birth date, raising the same stdnum exceptions in the same order."""
    if not _PLAIN_ID_NUMBER.fullmatch(text):
        try:
            number = ric.validate(text)
        except KeyError:
            # stdnum fails this way on region codes it knows only at province level.
            raise stdnum_exceptions.InvalidComponent() from None
        return number, ric.get_birth_date(number)
    # ric.validate's own steps; only the birth-place lookup, which depends on nothing but the
    # region code and the birth year, is remembered between calls.
    if text[-1] != ric.calc_check_digit(text):
        raise stdnum_exceptions.InvalidChecksum()
    birth = ric.get_birth_date(text)
    if not _birth_place_known(text[:6], birth.year):
        raise stdnum_exceptions.InvalidComponent()
    return text, birth


@lru_cache(maxsize=65536)
def _birth_place_known(region: str, year: int) -> bool:
    try:
        ric.get_birth_place(f"{region}{year:04d}0101" + "0000")
    except (stdnum_exceptions.InvalidComponent, KeyError):
        return False
    return True


def _mask_raw(text: str) -> str:
    # Error messages repeat what was typed, but never a whole number.
    return text if len(text) < 7 else text[:3] + "…" + text[-2:]
