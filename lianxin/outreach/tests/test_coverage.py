"""全覆盖: the share of a community's residents, and of each care tag, that activities reached."""

import datetime
from decimal import Decimal

import pytest

from lianxin.outreach import services
from lianxin.outreach.models import Attendance
from lianxin.outreach.selectors import coverage
from lianxin.outreach.tests.conftest import at
from lianxin.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def hundred(community_a):
    """100 residents: 20 in low-income households (低保户), 10 living alone (独居老人)."""
    dibao, alone = f.care_tag("dibao"), f.care_tag("dujulaoren")
    people = []
    for i in range(100):
        resident = f.ResidentFactory(community=community_a, name=f"居民{i:03d}")
        if i < 20:
            resident.care_tags.add(dibao)
        elif i < 30:
            resident.care_tags.add(alone)
        people.append(resident)
    return people


def _briefing(actor, communities, day):
    return services.activity_create(
        actor=actor,
        kind="briefing",
        topic="惠民政策宣讲",
        starts_at=at(2026, 5, day, 14),
        ends_at=at(2026, 5, day, 16),
        place="社区活动室",
        communities=communities,
    )


def test_25_of_100_residents_at_one_briefing_is_25_percent(
    worker_a, community_a, community_b, hundred
):
    briefing = _briefing(worker_a, [community_a], 12)
    # 5 of the 20 低保户 residents, none living alone, and 20 others.
    attending = hundred[:5] + hundred[30:50]
    added, present = services.attendance_record(
        actor=worker_a, activity=briefing, residents=attending
    )
    assert (added, present) == (25, 0)
    # Someone from another community and an unknown phone do not count for community A.
    Attendance.objects.create(activity=briefing, resident=f.ResidentFactory(community=community_b))
    Attendance.objects.create(activity=briefing, name="路过的人", phone_index="x" * 64)

    result = coverage(
        community=community_a, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)
    )
    assert (result.residents.reached, result.residents.total) == (25, 100)
    assert result.residents.percent == Decimal("25.0")
    by_tag = {row.label: (row.reached, row.total, row.percent) for row in result.by_tag}
    assert by_tag["低保户"] == (5, 20, Decimal("25.0"))
    assert by_tag["独居老人"] == (0, 10, Decimal("0.0"))
    assert "困难户" not in by_tag  # nobody carries it here
    assert result.activities == 1


def test_a_resident_at_two_activities_counts_once_and_other_periods_not_at_all(
    worker_a, community_a, hundred
):
    first, second = _briefing(worker_a, [community_a], 12), _briefing(worker_a, [community_a], 19)
    services.attendance_record(actor=worker_a, activity=first, residents=hundred[:10])
    services.attendance_record(actor=worker_a, activity=second, residents=hundred[5:15])
    may = coverage(
        community=community_a, start=datetime.date(2026, 5, 1), end=datetime.date(2026, 5, 31)
    )
    assert may.residents.reached == 15 and may.residents.percent == Decimal("15.0")
    by_tag = {row.label: row for row in may.by_tag}
    assert (by_tag["低保户"].reached, by_tag["低保户"].percent) == (15, Decimal("75.0"))
    up_to_the_15th = coverage(
        community=community_a, start=datetime.date(2026, 5, 1), end=datetime.date(2026, 5, 15)
    )
    assert up_to_the_15th.residents.reached == 10
    june = coverage(
        community=community_a, start=datetime.date(2026, 6, 1), end=datetime.date(2026, 6, 30)
    )
    assert june.residents.reached == 0 and june.residents.percent == Decimal("0.0")


def test_households_visited_count_per_household_care_tag(rep_a, community_a, dibao_household):
    other = f.HouseholdFactory(community=community_a, address="枣园北里5号楼")
    f.HouseholdFactory(community=community_a, address="枣园北里6号楼")
    services.visit_log(
        actor=rep_a,
        household=dibao_household,
        visited_at=at(2026, 3, 2),
        heard="家里暖气不热。",
    )
    services.visit_log(actor=rep_a, household=other, visited_at=at(2026, 3, 3), heard="一切都好。")
    services.visit_log(actor=rep_a, household=other, visited_at=at(2026, 3, 9), heard="再访。")
    result = coverage(
        community=community_a, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)
    )
    assert (result.households_visited.reached, result.households_visited.total) == (2, 3)
    assert {r.label: (r.reached, r.total) for r in result.visits_by_tag} == {"低保户": (1, 1)}


def test_coverage_takes_a_fixed_number_of_queries(
    worker_a, community_a, hundred, django_assert_max_num_queries
):
    briefing = _briefing(worker_a, [community_a], 12)
    services.attendance_record(actor=worker_a, activity=briefing, residents=hundred[:40])
    with django_assert_max_num_queries(8):
        coverage(
            community=community_a,
            start=datetime.date(2026, 1, 1),
            end=datetime.date(2026, 12, 31),
        )


def test_a_date_far_off_is_refused_with_a_message_not_an_error(client, worker_a, community_a):
    client.force_login(worker_a)
    response = client.get(
        "/staff/outreach/coverage/",
        {"community": community_a.pk, "start": "2026-01-01", "end": "9999-12-31"},
    )
    assert response.status_code == 200
    assert "2000" in response.content.decode() and "2099" in response.content.decode()
