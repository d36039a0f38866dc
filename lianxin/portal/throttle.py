"""Rate limits for the public site, kept as counters in Django's cache (no outside service).

A counter counts events of one kind for one subject (an address, or a phone number's keyed
hash: the number itself is never a cache key) in a fixed window of time. The default cache is
shared by every server process: files on one machine, Redis when REDIS_URL is set. Redis
increments atomically; the file cache may under-count a little when two processes write the
same counter in the same instant, which a limit of this kind can afford.

The client's address is REMOTE_ADDR. Behind reverse proxies set LIANXIN_PROXY_COUNT to their
number: the address is then read from X-Forwarded-For, the Nth entry from the right (the
one the outermost trusted proxy saw), so a client cannot choose it by sending the header.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from lianxin.core import privacy


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int

    def _key(self, subject: str, now: float) -> str:
        window = int(now // self.seconds)
        digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
        return f"portal:{self.name}:{window}:{digest}"

    def used(self, subject: str) -> int:
        """How many events this subject has had in the current window."""
        return int(cache.get(self._key(subject, time.time()), 0))

    def hit(self, subject: str) -> int:
        """Count one event and return the new total for the window."""
        key = self._key(subject, time.time())
        cache.add(key, 0, timeout=self.seconds + 60)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=self.seconds + 60)
            return 1

    def exceeded(self, subject: str) -> bool:
        return self.used(subject) >= self.count

    def minutes_left(self) -> int:
        """Minutes until the current window ends (at least 1), for the message to the resident."""
        remaining = self.seconds - int(time.time()) % self.seconds
        return max(1, -(-remaining // 60))


def submissions_per_address() -> Limit:
    return Limit("report-ip", settings.LIANXIN_PORTAL_IP_LIMIT, settings.LIANXIN_PORTAL_IP_WINDOW)


def attempts_per_address() -> Limit:
    """Every form sent, accepted or not: three times the accepted allowance."""
    return Limit(
        "attempt-ip", 3 * settings.LIANXIN_PORTAL_IP_LIMIT, settings.LIANXIN_PORTAL_IP_WINDOW
    )


def submissions_per_phone() -> Limit:
    return Limit(
        "report-phone",
        settings.LIANXIN_PORTAL_PHONE_LIMIT,
        settings.LIANXIN_PORTAL_PHONE_WINDOW,
    )


def lookups_per_address() -> Limit:
    """Unknown tracking codes and rating links: guessing them costs a try each."""
    return Limit("lookup-ip", settings.LIANXIN_PORTAL_LOOKUP_LIMIT, 600)


def phone_subject(normalised_phone: str) -> str:
    """A keyed hash of the phone number, so that no cache holds it."""
    return privacy.blind_index(normalised_phone, purpose="portal-throttle")


def client_ip(request) -> str:
    """The client's address, trusting X-Forwarded-For only as far as LIANXIN_PROXY_COUNT says."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = settings.LIANXIN_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
