"""A representative records a case on a phone: lookup by phone, a few fields, done."""

import pytest

from lianxin.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.viewport(360, 740)
def test_a_representative_records_a_case_on_a_phone(page, login, rep_a, resident_a):
    login(page, rep_a)
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("link", name="登记诉求").click()
    page.get_by_label("按姓名或电话查找居民").fill("13800138000")
    page.get_by_role("button", name="选择").click()
    assert "居民甲" in page.locator("#lookup-results").inner_text()
    page.get_by_label("标题").fill("路灯不亮")
    page.get_by_label("诉求内容").fill("小区北门路灯坏了一周，晚上很黑")
    page.get_by_label("事项分类").select_option(label="交通出行 / 道路设施")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_url("**/staff/cases/LX-*/")
    case = Case.objects.get(title="路灯不亮")
    assert case.reporter_resident == resident_a and case.channel == "visit"
    assert case.tracking_code_display in page.content()
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits
