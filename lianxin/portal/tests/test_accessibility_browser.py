"""axe-core finds no serious or critical violation on the public pages, in normal and in
large-text mode, on a phone and on a desktop: home, community, form (empty and with errors),
receipt, tracking, rating."""

from __future__ import annotations

import re

import pytest

from lianxin.cases import services
from lianxin.portal.templatetags.portal import LARGE_TEXT_COOKIE
from lianxin.testing import factories as f
from lianxin.testing.axe import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def resolved_case(community_a, worker_a, department_1, handler_1):
    case = f.case(community=community_a, reporter_name="王阿姨", reporter_phone="13912345678")
    services.case_contact(actor=worker_a, case=case, note="已电话联系")
    (referral,) = services.case_refer(actor=worker_a, case=case, lead=department_1)
    services.referral_accept(actor=handler_1, referral=referral)
    services.referral_reply(actor=handler_1, referral=referral, reply="已整改")
    case.refresh_from_db()
    services.case_feedback(actor=worker_a, case=case, summary="已经整改好了", method="phone")
    return case


def check_every_page(page, live_server, *, large: bool, community, case) -> dict[str, list]:
    if large:
        page.context.add_cookies(
            [{"name": LARGE_TEXT_COOKIE, "value": "1", "url": live_server.url}]
        )
    found: dict[str, list] = {}

    def check(name: str) -> None:
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.classList.contains('lx-large')") == large
        found[name] = serious_violations(page)

    page.goto("/")
    check("home")
    page.goto(f"/c/{community.code}/")
    check("community")
    page.goto(f"/report/?community={community.code}")
    check("form")
    page.get_by_role("button", name="提交").click()
    page.locator("#error-summary").wait_for()
    check("form with errors")
    page.get_by_label("出了什么事？").fill("楼道灯坏了")
    page.get_by_label("具体在哪里？").fill("5号楼")
    page.get_by_text("说不清", exact=True).click()
    page.get_by_label("我要匿名反映（不留姓名和电话）").check()
    page.get_by_label(re.compile("我已阅读并同意")).check()
    page.get_by_role("button", name="提交").click()
    page.get_by_role("heading", name="您反映的问题我们已收到").wait_for()
    check("receipt")
    page.goto(f"/t/{case.tracking_code}")
    check("tracking")
    page.get_by_role("link", name="评价办理结果").click()
    check("rating")
    page.goto("/privacy/")
    check("notice")
    page.goto("/t/ZZZZZZZZZZZZ")
    check("unknown code")
    return {name: problems for name, problems in found.items() if problems}


@pytest.mark.viewport(360, 740)
def test_no_serious_violations_on_a_phone_in_normal_mode(
    page, live_server, rep_a, community_a, resolved_case
):
    assert (
        check_every_page(page, live_server, large=False, community=community_a, case=resolved_case)
        == {}
    )


@pytest.mark.viewport(360, 740)
def test_no_serious_violations_on_a_phone_in_large_text_mode(
    page, live_server, rep_a, community_a, resolved_case
):
    assert (
        check_every_page(page, live_server, large=True, community=community_a, case=resolved_case)
        == {}
    )


def test_no_serious_violations_on_a_desktop_in_normal_mode(
    page, live_server, rep_a, community_a, resolved_case
):
    assert (
        check_every_page(page, live_server, large=False, community=community_a, case=resolved_case)
        == {}
    )


def test_no_serious_violations_on_a_desktop_in_large_text_mode(
    page, live_server, rep_a, community_a, resolved_case
):
    assert (
        check_every_page(page, live_server, large=True, community=community_a, case=resolved_case)
        == {}
    )


def test_the_checker_does_find_a_serious_violation(page, live_server):
    """The check can fail: an image without a text alternative is caught."""
    page.goto("/privacy/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        '\'<input type="text"><img src="/static/favicon.svg">\')'
    )
    problems = serious_violations(page)
    assert any("image-alt" in p for p in problems) and any("label" in p for p in problems)
