"""Ledgers stream as .xlsx, within the reader's scope, for the chosen period and place."""

import io

import pytest
from openpyxl import load_workbook

from lianxin.testing import factories as f

pytestmark = pytest.mark.django_db


def rows_of(response):
    assert response.status_code == 200
    assert response.streaming
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


@pytest.fixture
def cases(working_calendar, admin_user, community_a, community_b):
    return [
        f.case(actor=admin_user, community=community_a, title="=HYPERLINK(1)"),
        f.case(actor=admin_user, community=community_b, title="乙社区的问题"),
    ]


def test_the_case_ledger_streams_the_cases_in_scope(client, cases, worker_a, supervisor):
    client.force_login(worker_a)
    rows = rows_of(client.get("/staff/insight/ledgers/?kind=cases&period=year&download=1"))
    assert rows[0][0] == "编号"
    numbers = [r[0] for r in rows[1:]]
    assert numbers == [cases[0].number]
    # Formula text is neutralised, phones only masked.
    assert rows[1][5] == "'=HYPERLINK(1)"
    assert "138****" not in str(rows) or all("****" in str(r[10]) for r in rows[1:])
    client.force_login(supervisor)
    rows = rows_of(client.get("/staff/insight/ledgers/?kind=cases&period=year&download=1"))
    assert len(rows) == 3


def test_the_place_filter_narrows_the_ledger(client, cases, supervisor, community_b):
    client.force_login(supervisor)
    url = f"/staff/insight/ledgers/?kind=cases&period=year&community={community_b.pk}&download=1"
    rows = rows_of(client.get(url))
    assert [r[5] for r in rows[1:]] == ["乙社区的问题"]


def test_outreach_ledgers_download(client, supervisor, community_a):
    client.force_login(supervisor)
    for kind, first in (("visits", "走访时间"), ("receptions", "开始"), ("activities", "类型")):
        rows = rows_of(client.get(f"/staff/insight/ledgers/?kind={kind}&period=year&download=1"))
        assert rows[0][0] == first


def test_bad_ledger_filters_get_a_message(client, supervisor):
    client.force_login(supervisor)
    response = client.get(
        "/staff/insight/ledgers/?kind=cases&period=range&start=2026-11-05&end=2026-01-01&download=1"
    )
    assert response.status_code == 400
    assert "晚于结束日期" in response.content.decode()
    assert client.get("/staff/insight/ledgers/").status_code == 200
