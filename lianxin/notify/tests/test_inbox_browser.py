"""The inbox on a phone, in real Chromium: the bell counts, opening a message reads it."""

from __future__ import annotations

import pytest

from lianxin.accounts.models import Role
from lianxin.notify.kinds import EventKind
from lianxin.notify.services import notify_users
from lianxin.testing import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.viewport(360, 740)
def test_a_worker_sees_the_unread_count_and_reads_a_message_on_a_phone(page, login):
    user = f.UserFactory(username="u-inbox", role=Role.WORKER, communities=[f.CommunityFactory()])
    for title in ("停水通知", "接待日安排"):
        notify_users(
            kind=EventKind.MESSAGE,
            users=[user],
            context={"title": title, "body": f"{title}：详见正文。"},
            link="/staff/notify/preferences/",
        )
    login(page, user)
    bell = page.get_by_role("link", name="消息，2 条未读")
    assert bell.inner_text().strip() == "2"
    bell.click()
    page.wait_for_url("**/staff/notify/")
    assert page.get_by_role("heading", name="接待日安排").is_visible()
    page.locator(".lx-inbox").get_by_role("link", name="查看").first.click()
    page.wait_for_url("**/staff/notify/preferences/")
    assert page.get_by_role("heading", level=1).inner_text() == "消息接收设置"
    assert page.get_by_role("link", name="消息，1 条未读").is_visible()
    no_horizontal_scroll = page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
    )
    assert no_horizontal_scroll
