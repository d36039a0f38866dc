"""Outreach pages for each role, and what the lists cost in queries."""

import pytest
import time_machine

from lianxin.directory.models import PairingKind
from lianxin.outreach import services
from lianxin.outreach.models import ReceptionDay
from lianxin.outreach.tests.conftest import at
from lianxin.testing import factories as f

pytestmark = pytest.mark.django_db

PAGES = [
    "/staff/outreach/visits/",
    "/staff/outreach/visits/new/",
    "/staff/outreach/receptions/",
    "/staff/outreach/receptions/new/",
    "/staff/outreach/check-ins/",
    "/staff/outreach/one-to-one/",
    "/staff/outreach/talks/",
    "/staff/outreach/talks/new/",
    "/staff/outreach/activities/",
    "/staff/outreach/activities/new/",
    "/staff/outreach/coverage/",
]


@pytest.mark.parametrize("persona", ["rep_a", "worker_a", "admin_user"])
def test_every_page_opens_for_those_who_do_outreach(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    for url in PAGES:
        assert client.get(url).status_code == 200, url
    assert client.get("/staff/").status_code == 200


def test_supervisors_read_but_do_not_record(client, supervisor):
    client.force_login(supervisor)
    for url in ("/staff/outreach/visits/", "/staff/outreach/duties/", "/staff/outreach/talks/"):
        assert client.get(url).status_code == 200
    for url in ("/staff/outreach/visits/new/", "/staff/outreach/receptions/new/"):
        assert client.get(url).status_code == 404


def _visits(actor, household, n):
    for i in range(n):
        services.visit_log(
            actor=actor, household=household, visited_at=at(2026, 3, 1 + i), heard=f"第{i}次"
        )


def test_the_visit_diary_costs_the_same_with_more_visits(
    client, rep_a, dibao_household, django_assert_max_num_queries
):
    client.force_login(rep_a)
    _visits(rep_a, dibao_household, 2)
    with django_assert_max_num_queries(14):
        client.get("/staff/outreach/visits/")
    _visits(rep_a, dibao_household, 12)
    with django_assert_max_num_queries(14):
        assert "第11次" in client.get("/staff/outreach/visits/").content.decode()


def test_the_reception_list_costs_the_same_with_more_reception_days(
    client, worker_a, community_a, rep_a_record, django_assert_max_num_queries
):
    client.force_login(worker_a)

    def schedule(n):
        with time_machine.travel(at(2026, 6, 1), tick=False):
            for i in range(n):
                services.reception_schedule(
                    actor=worker_a,
                    community=community_a,
                    place=f"第{i}会议室",
                    starts_at=at(2026, 6, 10 + i, 9),
                    ends_at=at(2026, 6, 10 + i, 11),
                    representatives=[rep_a_record],
                    publish=True,
                )

    schedule(2)
    with time_machine.travel(at(2026, 6, 2), tick=False):
        with django_assert_max_num_queries(14):
            client.get("/staff/outreach/receptions/")
        schedule(8)
        assert ReceptionDay.objects.count() == 10
        with django_assert_max_num_queries(14):
            client.get("/staff/outreach/receptions/")


def test_the_one_to_one_list_shows_the_last_contact_at_a_fixed_cost(
    client, worker_a, community_a, django_assert_max_num_queries
):
    client.force_login(worker_a)
    member = f.ResidentFactory(community=community_a, name="党员王", is_party_member=True)

    def pair(n):
        for i in range(n):
            resident = f.ResidentFactory(community=community_a, name=f"结对{i}")
            f.PairingFactory(kind=PairingKind.ONE_TO_ONE, party_member=member, resident=resident)
            services.talk_record(
                actor=worker_a,
                resident=resident,
                reason="routine",
                held_at=at(2026, 2, 1 + i),
                notes="聊聊家常",
            )

    pair(2)
    with django_assert_max_num_queries(14):
        client.get("/staff/outreach/one-to-one/")
    pair(8)
    with django_assert_max_num_queries(14):
        page = client.get("/staff/outreach/one-to-one/").content.decode()
    assert "2026-02-08" in page and "党员王" in page


def test_the_resident_page_shows_the_party_member_and_the_last_contact(
    client, worker_a, community_a, resident_a
):
    member = f.ResidentFactory(community=community_a, name="党员李", is_party_member=True)
    f.PairingFactory(kind=PairingKind.ONE_TO_ONE, party_member=member, resident=resident_a)
    services.visit_log(
        actor=worker_a, resident=resident_a, visited_at=at(2026, 4, 3, 10), heard="家里一切都好"
    )
    client.force_login(worker_a)
    page = client.get(f"/staff/directory/residents/{resident_a.pk}/").content.decode()
    assert "党员李" in page and "最近联系" in page and "2026-04-03" in page


def test_a_representative_checks_in_only_with_a_paired_community(
    client, rep_a, community_a, community_b
):
    client.force_login(rep_a)
    response = client.post(
        "/staff/outreach/check-ins/",
        {"community": community_a.pk, "checked_in_at": "2026-03-02T09:00", "note": "到社区报到"},
    )
    assert response.status_code == 302
    assert rep_a.representative.check_ins.count() == 1
    response = client.post(
        "/staff/outreach/check-ins/",
        {"community": community_b.pk, "checked_in_at": "2026-03-02T09:00"},
    )
    assert response.status_code == 200 and rep_a.representative.check_ins.count() == 1
