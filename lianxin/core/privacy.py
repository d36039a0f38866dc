"""Resident phone and ID-card numbers: sealed at rest, found by a blind index, shown masked.

- `seal`/`unseal` use Fernet (authenticated AES from `cryptography`) with MultiFernet, so keys
  can be rotated: the first key of LIANXIN_FIELD_KEYS encrypts, all of them decrypt.
- `blind_index` is an HMAC-SHA256 of the normalised number under LIANXIN_INDEX_KEY, with a
  purpose prefix so a phone number and an ID number never share an index value. It makes exact
  lookup and uniqueness possible without storing the number in clear.
- `mask_*` produce what most people see: `138****8000`, `1101**********123X`.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys])


def seal(plain: str) -> str:
    return _fernet(tuple(settings.LIANXIN_FIELD_KEYS)).encrypt(plain.encode()).decode()


def unseal(token: str) -> str:
    return _fernet(tuple(settings.LIANXIN_FIELD_KEYS)).decrypt(token.encode()).decode()


def blind_index(normalised: str, *, purpose: str) -> str:
    key = settings.LIANXIN_INDEX_KEY.encode()
    return hmac.new(key, f"{purpose}:{normalised}".encode(), hashlib.sha256).hexdigest()


def mask_phone(normalised: str) -> str:
    """Keep the first 3 and last 4 digits: 13800138000 -> 138****8000."""
    if len(normalised) <= 7:
        return "*" * len(normalised)
    return normalised[:3] + "*" * (len(normalised) - 7) + normalised[-4:]


def mask_id_number(normalised: str) -> str:
    """Keep the first 4 and last 4 characters: the region and the check digit stay readable."""
    if len(normalised) <= 8:
        return "*" * len(normalised)
    return normalised[:4] + "*" * (len(normalised) - 8) + normalised[-4:]


@dataclass(frozen=True)
class Protected:
    """The three stored columns of one protected number."""

    cipher: str
    index: str
    masked: str

    @classmethod
    def empty(cls) -> Protected:
        return cls(cipher="", index="", masked="")


PHONE = "phone"
ID_NUMBER = "id"


def protect_phone(normalised: str) -> Protected:
    if not normalised:
        return Protected.empty()
    return Protected(
        seal(normalised), blind_index(normalised, purpose=PHONE), mask_phone(normalised)
    )


def protect_id_number(normalised: str) -> Protected:
    if not normalised:
        return Protected.empty()
    return Protected(
        seal(normalised), blind_index(normalised, purpose=ID_NUMBER), mask_id_number(normalised)
    )
