"""A simple question a person answers easily and a form-filling robot does not: small sums
written in Chinese words ("七加五等于几？"), asked only when an address or a phone comes near
its limit.

The question travels with the form as a signed, timestamped token that holds only a keyed hash
of the answer, never the answer. A token is good for one correct answer within its lifetime:
its nonce is remembered in the cache once used."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

SALT = "lianxin.portal.challenge"
MAX_AGE = 30 * 60
_DIGITS = "零一二三四五六七八九十"


def number_words(n: int) -> str:
    """0..20 in Chinese words: 七, 十二, 二十."""
    if n <= 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def _answer_hash(nonce: str, answer: int) -> str:
    key = hashlib.sha256(b"lianxin-challenge:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, f"{nonce}:{answer}".encode(), hashlib.sha256).hexdigest()


def _spoken(n: int) -> str:
    """Chinese words for Chinese readers, digits for the others."""
    return number_words(n) if (get_language() or "").startswith("zh") else str(n)


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def new_challenge() -> Challenge:
    a = secrets.randbelow(9) + 1
    b = secrets.randbelow(9) + 1
    if secrets.randbelow(2) and a != b:
        a, b = max(a, b), min(a, b)
        question = _("What is %(a)s minus %(b)s?") % {"a": _spoken(a), "b": _spoken(b)}
        answer = a - b
    else:
        question = _("What is %(a)s plus %(b)s?") % {"a": _spoken(a), "b": _spoken(b)}
        answer = a + b
    nonce = secrets.token_urlsafe(12)
    token = signing.dumps({"n": nonce, "h": _answer_hash(nonce, answer), "q": question}, salt=SALT)
    return Challenge(question=question, token=token)


def question_of(token: str) -> str:
    """The question a token asks ("" when the token is broken or too old)."""
    try:
        return signing.loads(token, salt=SALT, max_age=MAX_AGE)["q"]
    except (signing.BadSignature, KeyError, TypeError):
        return ""


def parse_answer(text: str) -> int | None:
    """Digits (full-width too) or the Chinese words of 0..20."""
    text = (text or "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    for n in range(21):
        if text == number_words(n) or (n == 2 and text == "两"):
            return n
    return None


def check(token: str, answer_text: str) -> bool:
    """True once for a correct answer to a fresh token; False for anything else."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        nonce, expected = payload["n"], payload["h"]
    except (signing.BadSignature, KeyError, TypeError):
        return False
    answer = parse_answer(answer_text)
    if answer is None or not hmac.compare_digest(_answer_hash(nonce, answer), expected):
        return False
    return cache.add(f"portal:challenge-used:{nonce}", 1, timeout=MAX_AGE + 60)
