"""Programs' credentials for the interface tests: a REST token per persona, Open311 keys."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from lianxin.api.models import Open311Scope
from lianxin.api.services import api_token_create, open311_client_create


@pytest.fixture(autouse=True)
def _nothing_remembered_between_tests():
    """Open311 keys and services are memoised per process, and rate counters are cached."""
    from django.core.cache import cache

    from lianxin.api.selectors import memo_clear

    memo_clear()
    cache.clear()
    yield
    memo_clear()
    cache.clear()


@pytest.fixture
def token_client(db):
    """token_client(user) -> an APIClient sending that user's token (no session)."""

    def make(user) -> APIClient:
        _token, secret = api_token_create(actor=None, user=user, name="test program")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
        return client

    return make


@pytest.fixture
def open311_key(db):
    _client, key = open311_client_create(name="12345热线", rate_limit=1000)
    return key


@pytest.fixture
def open311_reader_key(db):
    _client, key = open311_client_create(
        name="区政务数据平台", rate_limit=1000, read_scope=Open311Scope.ALL
    )
    return key
