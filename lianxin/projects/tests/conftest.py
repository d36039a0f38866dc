from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from lianxin.testing import factories as f

READER_PHONE = "13912345678"


@pytest.fixture
def company(db):
    return f.DepartmentFactory(name="测试公交分公司", short_name="公交分公司")


@pytest.fixture
def company_handler(company):
    from lianxin.accounts.models import Role

    return f.UserFactory(username="carla-company", role=Role.HANDLER, department=company)


@pytest.fixture
def canteen_proposal(rep_a, community_a):
    from lianxin.outreach.services import proposal_submit

    return proposal_submit(
        actor=rep_a,
        title="建议为一线职工建小食堂",
        description="一线职工吃饭难，建议利用闲置用房建小食堂。",
        community=community_a,
    )


@pytest.fixture
def starts_on():
    return timezone.localdate() - datetime.timedelta(days=30)
