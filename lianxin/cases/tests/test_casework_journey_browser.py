"""The daily loop in a real browser: a resident's web case reaches the worker's to-do, goes
to three departments, the lead replies, the worker feeds back, the resident is not
satisfied, and the case comes back as reopened while no department is left with a referral
of the first round to accept."""

from urllib.parse import urlparse

import pytest

from lianxin.cases.models import Case, CaseStatus, Referral
from lianxin.notify.kinds import EventKind as NotifyKind
from lianxin.notify.models import Delivery
from lianxin.testing import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sign_in(browser, live_server):
    """A page of its own for each person, signed in (several people work on one case)."""
    contexts = []

    def open_as(user):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            base_url=live_server.url,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill("pw")
        page.get_by_role("button", name="登录").click()
        page.wait_for_url("**/staff/**")
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_a_web_case_goes_round_and_comes_back_reopened(
    sign_in,
    page,
    working_calendar,
    worker_a,
    community_a,
    department_1,
    department_2,
    handler_1,
    handler_2,
):
    department_3 = f.DepartmentFactory(name="测试住建委", short_name="住建委")
    handler_3 = f.UserFactory(username="hugo-h3", role="handler", department=department_3)
    case = f.case(actor=None, community=community_a, title="幼儿园早上放广播")

    # 1. The new web case is in the worker's to-do.
    worker = sign_in(worker_a)
    todo = worker.locator(f'.lx-todo [data-case="{case.number}"]')
    assert todo.get_attribute("data-reason") == "respond"
    assert "响应期限" in todo.inner_text()

    # 2. Referred to three departments: one lead, two assisting.
    todo.get_by_role("link", name="幼儿园早上放广播").click()
    worker.wait_for_url(f"**/staff/cases/{case.number}/")
    worker.get_by_role("button", name="转办", exact=True).click()
    form = worker.locator("#act-refer")
    form.locator("select[name=lead]").select_option(str(department_1.pk))
    form.locator(f"input[name=assisting][value='{department_2.pk}']").check()
    form.locator(f"input[name=assisting][value='{department_3.pk}']").check()
    form.get_by_role("button", name="转办").click()
    worker.get_by_text("已转办。").wait_for()
    referrals = worker.locator("section.card", has_text="转办情况").inner_text()
    assert referrals.index("测试幼儿园") < referrals.index("测试物业"), "the lead comes first"

    # 3. The lead accepts and replies; the worker feeds back.
    lead = sign_in(handler_1)
    lead.locator(f'.lx-todo [data-case="{case.number}"] a').click()
    lead.get_by_role("button", name="签收").click()
    lead.get_by_text("已签收，请在期限内答复。").wait_for()
    lead.get_by_role("link", name="答复", exact=True).click()
    lead.get_by_label("办理情况").fill("已协调幼儿园把早操改到八点以后")
    lead.get_by_role("button", name="答复").click()
    lead.get_by_text("已答复。").first.wait_for()
    assisting = sign_in(handler_2)
    assert (
        assisting.locator(f'.lx-todo [data-case="{case.number}"]').get_attribute("data-reason")
        == "accept"
    )

    worker.goto("/staff/")
    row = worker.locator(f'.lx-todo [data-case="{case.number}"]')
    assert row.get_attribute("data-reason") == "feedback"
    row.get_by_role("link").click()
    worker.get_by_role("button", name="反馈居民").click()
    form = worker.locator("#act-feedback")
    form.get_by_label("办理结果").fill("幼儿园已调整早操时间")
    form.get_by_role("button", name="反馈居民").click()
    worker.get_by_text("已反馈，等待居民评价。").wait_for()
    # The round is over for the two assisting departments too.
    for handler in (handler_2, handler_3):
        other = sign_in(handler)
        assert other.locator(f'.lx-todo [data-case="{case.number}"]').count() == 0

    # 4. The resident rates 不满意 through the link in the SMS.
    sms = Delivery.objects.get(kind=NotifyKind.CASE_FEEDBACK, channel="sms")
    page.goto(urlparse(sms.link).path)
    page.get_by_label("没解决").check()
    page.get_by_role("radio", name="不满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    page.get_by_role("heading", name="谢谢您的评价").wait_for()

    # 5. Reopened in the worker's to-do; no department has a round-1 referral to accept.
    worker.goto("/staff/")
    row = worker.locator(f'.lx-todo [data-case="{case.number}"]')
    assert row.get_attribute("data-reason") == "reopened"
    case.refresh_from_db()
    assert case.status == CaseStatus.RESPONDING and case.round == 2
    assert not Referral.objects.filter(case=case, status="pending").exists()
    for handler in (handler_1, handler_2, handler_3):
        other = sign_in(handler)
        assert other.locator(f'.lx-todo [data-case="{case.number}"]').count() == 0
        other.goto(f"/staff/cases/{case.number}/")
        assert "待签收" not in other.locator("main").inner_text()
    assert Case.objects.get(pk=case.pk).reopen_count == 1
