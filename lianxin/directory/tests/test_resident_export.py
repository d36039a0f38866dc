"""Roster export: masked by default; full numbers only on an explicit, reasoned, audited request
by those allowed; ID numbers as text cells; formulas never run."""

import io

import pytest
from openpyxl import load_workbook

from conftest import PHONE_A
from lianxin.accounts.models import AccessKind, AccessLog
from lianxin.testing import factories as f

pytestmark = pytest.mark.django_db

EXPORT = "/staff/directory/residents/export.xlsx"
FULL = "/staff/directory/residents/export-full/"


def _rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]], sheet


def test_the_export_is_masked_even_if_asked_for_unmasked(client, worker_a, resident_a):
    client.force_login(worker_a)
    rows, _ = _rows(client.get(EXPORT, {"unmasked": "1"}))
    assert rows[0]["手机号"] == "138****8000"
    assert rows[0]["身份证号"] == resident_a.id_masked
    assert AccessLog.objects.get().kind == AccessKind.EXPORT_MASKED


@pytest.mark.parametrize("searched", [PHONE_A, "138 0013 8000"])
def test_the_access_log_never_records_a_searched_number(client, worker_a, resident_a, searched):
    client.force_login(worker_a)
    client.get(EXPORT, {"phone": searched})
    client.post(FULL, {"phone": searched, "reason": "核实", "confirm": "on"})
    reasons = " ".join(AccessLog.objects.values_list("reason", flat=True))
    assert AccessLog.objects.count() == 2
    assert "138****8000" in reasons
    assert PHONE_A not in reasons.replace(" ", "")


def test_full_numbers_need_a_reason_and_a_confirmation(client, worker_a, resident_a):
    client.force_login(worker_a)
    page = client.get(FULL).content.decode()
    assert "导出完整号码" in page and "1 位居民" in page

    refused = client.post(FULL, {"reason": "", "confirm": ""})
    assert refused.status_code == 200
    assert refused["Content-Type"].startswith("text/html")
    assert not AccessLog.objects.exists()

    response = client.post(FULL, {"reason": "入户走访电话核实", "confirm": "on"})
    rows, sheet = _rows(response)
    assert rows[0]["手机号"] == PHONE_A
    assert rows[0]["身份证号"] == resident_a.unsealed_id_number()
    id_cell = sheet.cell(row=2, column=5)
    assert (id_cell.data_type, id_cell.number_format) == ("s", "@")
    entry = AccessLog.objects.get()
    assert (entry.user, entry.kind) == (worker_a, AccessKind.EXPORT_UNMASKED)
    assert "入户走访电话核实" in entry.reason and "1 人" in entry.reason
    assert PHONE_A not in entry.reason


def test_the_full_export_keeps_the_list_filters(client, admin_user, resident_a, resident_b):
    client.force_login(admin_user)
    page = client.get(FULL, {"community": resident_a.community_id}).content.decode()
    assert f'name="community" value="{resident_a.community_id}"' in page
    response = client.post(
        FULL, {"community": resident_a.community_id, "reason": "核实", "confirm": "on"}
    )
    rows, _ = _rows(response)
    assert [r["姓名"] for r in rows] == ["居民甲"]


@pytest.mark.parametrize("persona", ["rep_a", "supervisor", "handler_1"])
def test_only_administrators_and_workers_may_export_full_numbers(
    client, request, persona, resident_a
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(FULL).status_code == 404
    assert client.post(FULL, {"reason": "x", "confirm": "on"}).status_code == 404
    assert not AccessLog.objects.filter(kind=AccessKind.EXPORT_UNMASKED).exists()


def test_a_worker_exports_only_their_community_even_in_full(
    client, worker_a, resident_a, resident_b
):
    client.force_login(worker_a)
    rows, _ = _rows(client.post(FULL, {"reason": "核实", "confirm": "on"}))
    assert [r["姓名"] for r in rows] == ["居民甲"]
    rows, _ = _rows(
        client.post(FULL, {"community": resident_b.community_id, "reason": "核实", "confirm": "on"})
    )
    assert [r["姓名"] for r in rows] == ["居民甲"]  # another community's id is ignored


def test_a_department_handler_never_sees_an_id_number(client, handler_1, resident_a):
    client.force_login(handler_1)
    for url in (EXPORT, FULL, f"/staff/directory/residents/{resident_a.pk}/"):
        response = client.get(url)
        assert response.status_code == 404
        assert resident_a.unsealed_id_number().encode() not in response.content
        assert resident_a.id_masked.encode() not in response.content


def test_cells_that_look_like_formulas_are_escaped(client, worker_a, community_a):
    f.ResidentFactory(community=community_a, name="=HYPERLINK(1)", address="+1 楼")
    client.force_login(worker_a)
    rows, _ = _rows(client.get(EXPORT))
    assert rows[0]["姓名"] == "'=HYPERLINK(1)"
    assert rows[0]["地址"] == "'+1 楼"


def test_the_list_offers_the_full_export_to_workers_only(client, worker_a, rep_a):
    client.force_login(worker_a)
    assert "导出完整号码" in client.get("/staff/directory/residents/").content.decode()
    client.force_login(rep_a)
    assert "导出完整号码" not in client.get("/staff/directory/residents/").content.decode()
