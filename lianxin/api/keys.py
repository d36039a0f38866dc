"""Secrets handed to programs: API tokens (REST) and Open311 API keys.

A secret is shown once, when created; only its SHA-256 is stored. The secrets are 256 random
bits, so an unsalted hash is enough: nothing can be guessed from it, and a lookup is one
indexed equality."""

from __future__ import annotations

import hashlib
import secrets


def new_secret(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_hint(secret: str) -> str:
    """The first characters, to recognise a secret in lists without revealing it."""
    return secret[:10]
