"""Two cache operations on the busiest path of the interfaces (every Open311 POST): a
counter and a flag. On Redis they are one round trip each, through one client object kept
per cache connection (Django builds a new client object for every call, which costs more than
the round trip itself); other cache backends use Django's cache API."""

from __future__ import annotations

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache


def _redis(backend: RedisCache):
    client = getattr(backend, "_lianxin_client", None)
    if client is None:
        client = backend._cache.get_client(None, write=True)
        backend._lianxin_client = client
    return client


def count(key: str, *, timeout: int) -> int:
    """Add one to a counter that lives `timeout` seconds from its first count."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        full_key = backend.make_and_validate_key(key)
        value = _redis(backend).incr(full_key)
        if value == 1:
            _redis(backend).expire(full_key, timeout)
        return value
    try:
        return backend.incr(key)
    except ValueError:  # the first count
        return 1 if backend.add(key, 1, timeout=timeout) else backend.incr(key)


def flag_set(key: str, *, timeout: int) -> bool:
    """Set a flag unless it is set; True if this call set it."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        full_key = backend.make_and_validate_key(key)
        return bool(_redis(backend).set(full_key, 1, nx=True, ex=timeout))
    return backend.add(key, 1, timeout=timeout)


def flag_clear(key: str) -> None:
    caches["default"].delete(key)
