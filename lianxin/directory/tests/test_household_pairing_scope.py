"""Personas against household and pairing pages and the roster export: outsiders get 404."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from lianxin.directory.models import PairingKind
from lianxin.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def household_a(community_a):
    return f.HouseholdFactory(community=community_a, address="甲社区1号楼101", head_name="户主甲")


@pytest.fixture
def household_b(community_b):
    return f.HouseholdFactory(community=community_b, address="乙社区2号楼202", head_name="户主乙")


@pytest.fixture
def support_b(household_b):
    rep = f.RepresentativeFactory(name="代表丙")
    return f.PairingFactory(kind=PairingKind.HOUSEHOLD, representative=rep, household=household_b)


@pytest.fixture
def one_to_one_b(community_b):
    member = f.ResidentFactory(community=community_b, name="党员乙", is_party_member=True)
    helped = f.ResidentFactory(community=community_b, name="被帮扶人乙")
    return f.PairingFactory(kind=PairingKind.ONE_TO_ONE, party_member=member, resident=helped)


def test_a_worker_gets_404_for_a_household_of_another_community(
    client, worker_a, household_a, household_b
):
    client.force_login(worker_a)
    listing = client.get("/staff/directory/households/").content.decode()
    assert "甲社区1号楼101" in listing and "乙社区2号楼202" not in listing
    assert client.get(f"/staff/directory/households/{household_a.pk}/").status_code == 200
    assert client.get(f"/staff/directory/households/{household_b.pk}/").status_code == 404
    assert client.get(f"/staff/directory/households/{household_b.pk}/edit/").status_code == 404
    assert client.post(f"/staff/directory/households/{household_b.pk}/edit/").status_code == 404


def test_a_worker_cannot_add_a_member_to_another_communitys_household(
    client, worker_a, household_b
):
    client.force_login(worker_a)
    page = client.get("/staff/directory/residents/new/", {"household": household_b.pk})
    assert "乙社区2号楼202" not in page.content.decode()


def test_a_representative_sees_households_of_paired_communities_only(
    client, rep_a, household_a, household_b
):
    client.force_login(rep_a)
    assert client.get(f"/staff/directory/households/{household_a.pk}/").status_code == 200
    assert client.get(f"/staff/directory/households/{household_b.pk}/").status_code == 404


def test_a_worker_sees_only_pairings_of_their_community(
    client, worker_a, rep_a, support_b, one_to_one_b
):
    client.force_login(worker_a)
    page = client.get("/staff/directory/pairings/").content.decode()
    assert "代表甲" in page  # rep_a's contact pairing with 甲社区
    assert "代表丙" not in page and "党员乙" not in page
    for pairing in (support_b, one_to_one_b):
        assert client.get(f"/staff/directory/pairings/{pairing.pk}/end/").status_code == 404
        response = client.post(
            f"/staff/directory/pairings/{pairing.pk}/end/",
            {"end_date": datetime.date(2026, 1, 1).isoformat()},
        )
        assert response.status_code == 404
        pairing.refresh_from_db()
        assert pairing.end_date is None


def test_a_worker_cannot_pair_people_of_another_community(
    client, worker_a, community_a, one_to_one_b
):
    client.force_login(worker_a)
    member_b = one_to_one_b.party_member
    response = client.post(
        "/staff/directory/pairings/new/",
        {
            "kind": PairingKind.ONE_TO_ONE,
            "party_member": member_b.pk,
            "resident": one_to_one_b.resident.pk,
            "start_date": "2026-01-01",
        },
    )
    assert response.status_code == 200  # the form refuses the choice
    assert member_b.pairings_as_member.count() == 1


@pytest.mark.parametrize("persona", ["handler_1"])
def test_a_department_handler_sees_no_households_pairings_or_exports(
    client, request, persona, household_a, support_b
):
    client.force_login(request.getfixturevalue(persona))
    for url in (
        "/staff/directory/households/",
        f"/staff/directory/households/{household_a.pk}/",
        "/staff/directory/pairings/",
        "/staff/directory/residents/export.xlsx",
        "/staff/directory/residents/export-full/",
    ):
        assert client.get(url).status_code == 404, url


def test_a_representatives_export_holds_only_paired_communities(
    client, rep_a, resident_a, resident_b
):
    client.force_login(rep_a)
    response = client.get("/staff/directory/residents/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["居民甲"]


def test_the_household_list_costs_the_same_queries_for_many_households(
    client, worker_a, community_a, django_assert_max_num_queries
):
    for _ in range(30):
        household = f.HouseholdFactory(community=community_a)
        f.ResidentFactory(community=community_a, household=household)
    client.force_login(worker_a)
    with django_assert_max_num_queries(12):
        assert client.get("/staff/directory/households/").status_code == 200
