"""A supervisor opens the overview on a phone and on a desktop, filters to one community and
one month, and downloads the numbers; axe-core finds nothing serious on any insight page."""

import pytest
from openpyxl import load_workbook

from lianxin.directory.models import Representative
from lianxin.testing import factories as f
from lianxin.testing.axe import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def district(working_calendar, admin_user, community_a, community_b):
    for community in (community_a, community_a, community_b):
        f.case(actor=admin_user, community=community)


def _filter_and_download(page, community, tmp_path):
    page.goto("/staff/insight/")
    assert page.get_by_role("heading", name="全区概览").is_visible()
    page.get_by_label("期间", exact=True).select_option("month")
    page.get_by_label("哪一期", exact=True).fill("2026-11")
    page.get_by_label("社区", exact=True).select_option(label=community.name)
    page.get_by_role("button", name="查看").click()
    page.wait_for_url(f"**community={community.pk}**")
    assert "at=2026-11" in page.url
    assert page.locator("[data-chart] canvas").count() >= 4  # ECharts drew the charts
    with page.expect_download() as info:
        page.get_by_role("link", name="全部数据（.xlsx）").click()
    target = tmp_path / "figures.xlsx"
    info.value.save_as(target)
    book = load_workbook(target, read_only=True)
    assert next(book.worksheets[0].iter_rows(values_only=True))[0] == community.name
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits


@pytest.mark.viewport(360, 740)
def test_a_supervisor_filters_and_downloads_on_a_phone(
    page, login, supervisor, district, community_a, tmp_path
):
    login(page, supervisor)
    _filter_and_download(page, community_a, tmp_path)
    assert serious_violations(page) == []


def test_every_insight_page_passes_axe_on_a_desktop(
    page, login, supervisor, district, community_a, department_1, rep_a, tmp_path
):
    login(page, supervisor)
    _filter_and_download(page, community_a, tmp_path)
    assert serious_violations(page) == []
    rep = Representative.objects.get(user=rep_a)
    for path in (
        "/staff/insight/",
        "/staff/insight/definitions/",
        f"/staff/insight/communities/{community_a.pk}/",
        f"/staff/insight/departments/{department_1.pk}/",
        f"/staff/insight/representatives/{rep.pk}/",
        "/staff/insight/?period=range&start=2026-11-05&end=2026-10-01",
        "/figures/",
        f"/c/{community_a.code}/",
    ):
        page.goto(path)
        assert serious_violations(page) == [], path
