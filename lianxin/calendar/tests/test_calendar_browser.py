"""An administrator on a phone is told which year has no calendar and can look at a month."""

import pytest
from django.utils import timezone

from lianxin.accounts.models import Role
from lianxin.calendar.models import WorkingDay
from lianxin.testing import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.viewport(360, 740)
def test_an_administrator_on_a_phone_sees_the_missing_year_and_the_october_calendar(
    page, login, working_calendar
):
    next_year = timezone.localdate().year + 1
    WorkingDay.objects.filter(date__year=next_year).delete()
    admin = f.UserFactory(username="cal-admin", role=Role.ADMIN)
    login(page, admin)

    panel = page.get_by_role("region", name="工作日历缺少官方安排")
    assert f"{next_year}" in panel.inner_text()
    assert panel.get_by_role("link", name="导入年度安排").get_attribute("href") == (
        "/admin/calendar/workingday/load/"
    )
    panel.get_by_role("link", name="查看日历").click()
    page.wait_for_url("**/staff/calendar/")
    page.get_by_label("年份", exact=True).select_option("2026")
    page.get_by_label("月份", exact=True).select_option("10")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url("**/staff/calendar/?year=2026&month=10")

    assert page.get_by_role("heading", name="2026年10月").is_visible()
    makeup = page.locator('td[data-date="2026-10-10"]')
    assert "班" in makeup.inner_text() and "国庆节" in makeup.inner_text()
    assert "休" in page.locator('td[data-date="2026-10-07"]').inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
