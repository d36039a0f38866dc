"""Personas against resident pages and exports: outsiders get 404."""

import io

import pytest
from openpyxl import load_workbook

from conftest import PHONE_A
from lianxin.accounts.models import AccessLog


def test_worker_sees_a_resident_of_their_own_community(client, worker_a, resident_a):
    client.force_login(worker_a)
    response = client.get(f"/staff/directory/residents/{resident_a.pk}/")
    assert response.status_code == 200
    assert "138****8000" in response.content.decode()
    assert PHONE_A not in response.content.decode()


def test_worker_gets_404_for_a_resident_of_another_community(client, worker_a, resident_b):
    client.force_login(worker_a)
    assert client.get(f"/staff/directory/residents/{resident_b.pk}/").status_code == 404
    assert client.get(f"/staff/directory/residents/{resident_b.pk}/edit/").status_code == 404
    response = client.post(
        f"/staff/directory/residents/{resident_b.pk}/reveal/", {"field": "phone"}
    )
    assert response.status_code == 404


def test_export_holds_only_the_workers_community(client, worker_a, resident_a, resident_b):
    client.force_login(worker_a)
    response = client.get("/staff/directory/residents/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["居民甲"]


def test_representative_sees_residents_of_paired_communities_only(
    client, rep_a, resident_a, resident_b
):
    client.force_login(rep_a)
    page = client.get("/staff/directory/residents/").content.decode()
    assert "居民甲" in page and "居民乙" not in page


def test_handler_never_sees_residents_or_their_id_numbers(client, handler_1, resident_a):
    client.force_login(handler_1)
    assert client.get("/staff/directory/residents/").status_code == 404
    assert client.get(f"/staff/directory/residents/{resident_a.pk}/").status_code == 404
    assert client.get("/staff/directory/residents/export.xlsx").status_code == 404


def test_search_by_exact_phone_finds_the_resident(client, worker_a, resident_a):
    client.force_login(worker_a)
    page = client.get("/staff/directory/residents/", {"phone": "138 0013 8000"}).content.decode()
    assert "居民甲" in page
    page = client.get("/staff/directory/residents/", {"phone": "13800138001"}).content.decode()
    assert "居民甲" not in page


def test_revealing_a_phone_is_logged_without_the_number(client, worker_a, resident_a):
    client.force_login(worker_a)
    response = client.post(
        f"/staff/directory/residents/{resident_a.pk}/reveal/", {"field": "phone", "reason": "回访"}
    )
    assert PHONE_A in response.content.decode()
    entry = AccessLog.objects.get()
    assert (entry.user, entry.kind, entry.subject_id) == (worker_a, "reveal_phone", resident_a.pk)
    assert PHONE_A not in entry.subject_label + entry.reason


@pytest.mark.parametrize("field", ["id_number"])
def test_representative_cannot_reveal_an_id_number(client, rep_a, resident_a, field):
    client.force_login(rep_a)
    response = client.post(f"/staff/directory/residents/{resident_a.pk}/reveal/", {"field": field})
    assert response.status_code == 404
    assert not AccessLog.objects.exists()
