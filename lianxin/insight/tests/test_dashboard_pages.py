"""The dashboard pages: who sees what, filters in the URL, downloads, and bad input."""

import io

import pytest
from openpyxl import load_workbook

from lianxin.directory.models import Representative
from lianxin.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_cases(working_calendar, admin_user, community_a, community_b):
    f.case(actor=admin_user, community=community_a)
    f.case(actor=admin_user, community=community_b)


def test_supervisors_and_administrators_see_the_district_overview(
    client, some_cases, supervisor, admin_user
):
    for user in (supervisor, admin_user):
        client.force_login(user)
        page = client.get("/staff/insight/").content.decode()
        assert "响应率" in page and "departments-ranked" in page and "intake-calendar" in page
        assert 'href="/staff/insight/definitions/#response_rate"' in page


def test_workers_representatives_and_handlers_are_sent_to_their_own_unit(
    client, worker_a, rep_a, handler_1, community_a, department_1
):
    client.force_login(worker_a)
    assert client.get("/staff/insight/").url == f"/staff/insight/communities/{community_a.pk}/"
    client.force_login(handler_1)
    assert client.get("/staff/insight/").url == f"/staff/insight/departments/{department_1.pk}/"
    client.force_login(rep_a)
    rep = Representative.objects.get(user=rep_a)
    assert client.get("/staff/insight/").url == f"/staff/insight/representatives/{rep.pk}/"


def test_pages_outside_ones_scope_are_not_found(
    client, worker_a, rep_a, rep_b, handler_1, community_a, community_b, department_2
):
    client.force_login(worker_a)
    assert client.get(f"/staff/insight/communities/{community_a.pk}/").status_code == 200
    assert client.get(f"/staff/insight/communities/{community_b.pk}/").status_code == 404
    assert client.get(f"/staff/insight/departments/{department_2.pk}/").status_code == 404
    assert client.get("/staff/insight/?period=month").status_code == 302
    client.force_login(handler_1)
    assert client.get(f"/staff/insight/departments/{department_2.pk}/").status_code == 404
    assert client.get(f"/staff/insight/communities/{community_a.pk}/").status_code == 404
    client.force_login(rep_a)
    other = Representative.objects.get(user=rep_b)
    assert client.get(f"/staff/insight/representatives/{other.pk}/").status_code == 404
    mine = Representative.objects.get(user=rep_a)
    page = client.get(f"/staff/insight/representatives/{mine.pk}/").content.decode()
    assert "甲社区" in page  # the paired community's figures


def test_a_filtered_overview_downloads_its_numbers(client, some_cases, supervisor, community_a):
    client.force_login(supervisor)
    query = f"?period=month&at=2026-11&community={community_a.pk}"
    page = client.get("/staff/insight/" + query).content.decode()
    assert "甲社区" in page and "download=intake-by-channel" in page
    response = client.get("/staff/insight/" + query + "&download=all")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert len(book.sheetnames) >= 5
    figures = [row for row in book.worksheets[0].iter_rows(values_only=True)]
    assert figures[0][0] == "甲社区"
    assert client.get("/staff/insight/?download=nonsense").status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?period=range&start=2026-11-05&end=2026-10-01", "晚于结束日期"),
        ("?community=99999", "没有这个"),
        ("?community=abc", "没有这个"),
        ("?period=range&start=2000-01-01&end=2020-01-01", "三年"),
        ("?period=month&at=2026-13", "日期"),
        ("?period=forever", "选择"),
    ],
)
def test_bad_filters_get_a_chinese_message_not_an_error(client, supervisor, query, message):
    client.force_login(supervisor)
    response = client.get("/staff/insight/" + query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_definitions_page_lists_every_metric(client, worker_a):
    from lianxin.insight import metrics

    client.force_login(worker_a)
    page = client.get("/staff/insight/definitions/").content.decode()
    for metric in metrics.METRICS:
        assert f'id="{metric.code}"' in page
    assert "100" in page and "30%" in page


def test_the_overview_reads_rollups_in_bounded_queries(
    client, some_cases, supervisor, django_assert_max_num_queries
):
    client.force_login(supervisor)
    with django_assert_max_num_queries(40):
        client.get("/staff/insight/?period=year&at=2026")


def test_administrators_save_new_weights_as_a_new_version(client, admin_user):
    from lianxin.insight.models import ScoreSettings
    from lianxin.insight.selectors import score_settings

    client.force_login(admin_user)
    data = {
        "weight_response": 20,
        "weight_resolution": 40,
        "weight_satisfaction": 40,
        "min_sample": 5,
        "reason": "区委要求",
        **{f"points_{n}": p for n, p in zip(range(1, 6), (0, 30, 60, 80, 100), strict=True)},
    }
    refused = client.post("/admin/insight/scoresettings/add/", {**data, "weight_response": 30})
    assert refused.status_code == 200 and "100" in refused.content.decode()
    assert not ScoreSettings.objects.exists()
    client.post("/admin/insight/scoresettings/add/", data)
    client.post("/admin/insight/scoresettings/add/", {**data, "min_sample": 8})
    assert list(ScoreSettings.objects.values_list("version", flat=True)) == [3, 2]
    current = score_settings()
    assert current.version == 3 and current.min_sample == 8 and current.points["2"] == 30
    assert current.created_by == admin_user
