"""The change history for administrators: who changed which record, when, old → new, with
phone and ID card numbers only ever masked."""

import pytest

from conftest import PHONE_A
from lianxin.directory import services
from lianxin.directory.models import Resident
from lianxin.directory.services import PersonalNumbers
from lianxin.testing import factories as f

pytestmark = pytest.mark.django_db

HISTORY = "/staff/directory/history/"


@pytest.fixture
def edited_resident(worker_a, community_a):
    resident = services.resident_create(
        actor=worker_a,
        community=community_a,
        name="居民甲",
        numbers=PersonalNumbers.parse(phone=PHONE_A),
        address="青禾路1号",
    )
    services.resident_update(
        actor=worker_a,
        resident=resident,
        numbers=PersonalNumbers.parse(phone="13900139000"),
        address="青禾路2号",
        care_tags=[f.care_tag("dujulaoren")],
    )
    return resident


def test_administrators_see_who_changed_what_with_masked_numbers(
    client, admin_user, worker_a, edited_resident
):
    client.force_login(admin_user)
    page = client.get(HISTORY).content.decode()
    assert "居民甲" in page
    assert worker_a.display_name in page
    assert "青禾路1号" in page and "青禾路2号" in page
    assert "138****8000" in page and "139****9000" in page
    assert "独居老人" in page
    assert PHONE_A not in page and "13900139000" not in page


def test_the_resident_page_shows_its_history_to_administrators_only(
    client, admin_user, worker_a, edited_resident
):
    url = f"/staff/directory/residents/{edited_resident.pk}/"
    client.force_login(admin_user)
    page = client.get(url).content.decode()
    assert "变更记录" in page and "青禾路2号" in page
    client.force_login(worker_a)
    page = client.get(url).content.decode()
    assert "变更记录" not in page


@pytest.mark.parametrize("persona", ["worker_a", "supervisor", "rep_a", "handler_1"])
def test_only_administrators_read_the_change_history(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(HISTORY).status_code == 404


def test_history_can_be_filtered_by_record_type(client, admin_user, edited_resident):
    representative = f.RepresentativeFactory(name="代表丙")
    services.representative_save(actor=admin_user, representative=representative)
    client.force_login(admin_user)
    residents_only = client.get(HISTORY, {"model": "resident"}).content.decode()
    assert "居民甲" in residents_only and "代表丙" not in residents_only
    reps_only = client.get(HISTORY, {"model": "representative"}).content.decode()
    assert "代表丙" in reps_only and "居民甲" not in reps_only


def test_older_pages_neither_skip_nor_repeat_changes(
    client, admin_user, community_a, person, roster, run_import
):
    # An import gives all its history rows the same time: the cursor must still page cleanly.
    run_import(admin_user, roster([person() for _ in range(120)]))
    client.force_login(admin_user)
    seen, before = [], ""
    for _ in range(5):
        response = client.get(HISTORY, {"before": before} if before else {})
        changes, before = response.context["changes"], response.context["next_cursor"]
        seen.extend((c.key, c.history_id) for c in changes)
        if not before:
            break
    assert len(seen) == len(set(seen)) >= 120
    assert {c for c in seen if c[0] == "resident"} == {
        ("resident", h) for h in Resident.history.values_list("history_id", flat=True)
    }


def test_a_page_of_history_costs_a_fixed_number_of_queries(
    client, admin_user, community_a, django_assert_max_num_queries
):
    household = f.HouseholdFactory(community=community_a)
    for n in range(40):
        resident = services.resident_create(
            actor=admin_user, community=community_a, name=f"居民{n}", household=household
        )
        services.resident_update(actor=admin_user, resident=resident, address=f"新地址{n}")
    client.force_login(admin_user)
    with django_assert_max_num_queries(25):
        response = client.get(HISTORY)
    assert len(response.context["changes"]) == 50
