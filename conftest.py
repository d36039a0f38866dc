"""Shared fixtures: personas in the healthchecks manner.

Two communities A and B in one subdistrict; a worker and a representative for each; two
departments with a handler each; a supervisor and an administrator; one resident in each
community (A's resident has the synthetic phone 13800138000).
"""

from __future__ import annotations

import pytest

from lianxin.accounts.models import Role
from lianxin.directory.models import PairingKind
from lianxin.testing import factories as f

pytest_plugins = ["lianxin.testing.browser", "lianxin.testing.calendar"]

PHONE_A = "13800138000"


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    """Transactional tests flush the tables that migrations filled; put that data back."""
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        request.getfixturevalue("transactional_db")
        from lianxin.core.reference import ensure_reference_data

        ensure_reference_data()


@pytest.fixture
def community_a(db):
    return f.CommunityFactory(name="甲社区", code="c-a")


@pytest.fixture
def community_b(db, community_a):
    return f.CommunityFactory(name="乙社区", code="c-b", subdistrict=community_a.subdistrict)


@pytest.fixture
def department_1(db):
    return f.DepartmentFactory(name="测试幼儿园", short_name="幼儿园")


@pytest.fixture
def department_2(db):
    return f.DepartmentFactory(name="测试物业", short_name="物业")


@pytest.fixture
def admin_user(db):
    return f.UserFactory(username="alice-admin", role=Role.ADMIN)


@pytest.fixture
def supervisor(db):
    return f.UserFactory(username="sam-supervisor", role=Role.SUPERVISOR)


@pytest.fixture
def worker_a(community_a):
    return f.UserFactory(username="wendy-a", role=Role.WORKER, communities=[community_a])


@pytest.fixture
def worker_b(community_b):
    return f.UserFactory(username="walter-b", role=Role.WORKER, communities=[community_b])


@pytest.fixture
def rep_a(community_a):
    user = f.UserFactory(username="rita-rep-a", role=Role.REPRESENTATIVE)
    rep = f.RepresentativeFactory(name="代表甲", user=user)
    f.PairingFactory(kind=PairingKind.CONTACT, representative=rep, community=community_a)
    return user


@pytest.fixture
def rep_b(community_b):
    user = f.UserFactory(username="rob-rep-b", role=Role.REPRESENTATIVE)
    rep = f.RepresentativeFactory(name="代表乙", user=user)
    f.PairingFactory(kind=PairingKind.CONTACT, representative=rep, community=community_b)
    return user


@pytest.fixture
def handler_1(department_1):
    return f.UserFactory(username="harry-h1", role=Role.HANDLER, department=department_1)


@pytest.fixture
def handler_2(department_2):
    return f.UserFactory(username="hanna-h2", role=Role.HANDLER, department=department_2)


@pytest.fixture
def resident_a(community_a):
    return f.ResidentFactory(
        community=community_a, name="居民甲", phone=PHONE_A, id_number=f.synthetic_id()
    )


@pytest.fixture
def resident_b(community_b):
    return f.ResidentFactory(community=community_b, name="居民乙", phone="13900139000")


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    if settings.IS_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (runs in the PostgreSQL pass of CI)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)
