import datetime

import pytest
from django.utils import timezone

from lianxin.directory.models import Household, PairingKind, Representative
from lianxin.testing import factories as f

TZ = timezone.get_fixed_timezone(8 * 60)


def at(year, month, day, hour=9, minute=0) -> datetime.datetime:
    """A moment in Beijing time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def rep_a_record(rep_a):
    return Representative.objects.get(user=rep_a)


@pytest.fixture
def dibao_household(community_a):
    """A low-income household (低保户) with two members, the head one of them."""
    household = f.HouseholdFactory(
        community=community_a, address="枣园北里3号楼2单元101", head_name="牛某"
    )
    household.care_tags.set([f.care_tag("dibao")])
    f.ResidentFactory(community=community_a, household=household, name="牛某", phone="13700001111")
    f.ResidentFactory(community=community_a, household=household, name="牛某老伴")
    return household


@pytest.fixture
def paired_household(rep_a_record, dibao_household):
    f.PairingFactory(
        kind=PairingKind.HOUSEHOLD, representative=rep_a_record, household=dibao_household
    )
    return dibao_household


def members(household: Household):
    return list(household.members.order_by("pk"))
