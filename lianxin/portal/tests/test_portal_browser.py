"""A resident, in real headless Chromium, on a phone and on a desktop: finds their community,
raises a problem with a photo, gets a tracking code, follows the case while staff work it,
and rates it through the link sent by SMS; the same link is refused the second time."""

from __future__ import annotations

import io
import re
from urllib.parse import urlparse

import pytest
from PIL import Image

from lianxin.cases import services
from lianxin.cases.models import Attachment, Case, CaseStatus, Rating
from lianxin.notify.kinds import EventKind as NotifyKind
from lianxin.notify.models import Delivery
from lianxin.portal.tests.images import has_gps, jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def raise_a_problem(page, community_name: str) -> str:
    """From the home page to the receipt; returns the tracking code as shown."""
    page.goto("/")
    page.get_by_role("link", name=community_name).click()
    page.get_by_role("heading", name=community_name, level=1).wait_for()
    assert page.get_by_role("heading", name="代表甲").is_visible()
    assert page.get_by_role("img", name="保存代表甲联系方式的二维码").is_visible()
    assert fits_the_screen(page)
    page.get_by_role("link", name="向本社区反映问题").click()

    page.get_by_label("出了什么事？").fill("幼儿园每天早上六点就放广播做早操，吵得老人睡不好。")
    assert page.get_by_label("在哪个社区？").input_value() != ""
    page.get_by_label("具体在哪里？").fill("幼儿园东门对面3号楼")
    page.get_by_text("噪音扰民", exact=True).click()
    # The details of the chosen kind appear; another kind's stay hidden.
    page.get_by_label("单位和学校噪音").check()
    assert not page.get_by_label("道路设施").is_visible()
    page.get_by_role("radio", name=re.compile("^投诉")).check()
    page.get_by_label("照片（可以不传）").set_input_files(
        {"name": "IMG_0601.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}
    )
    page.get_by_label("您的称呼").fill("王阿姨")
    page.get_by_label("您的手机号").fill("13912345678")
    page.get_by_label(re.compile("我已阅读并同意")).check()
    assert fits_the_screen(page)
    page.get_by_role("button", name="提交").click()

    page.get_by_role("heading", name="您反映的问题我们已收到").wait_for()
    code = page.locator(".lx-code").inner_text()
    assert re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert fits_the_screen(page)
    return code.split("：")[-1].strip()


def follow_and_rate(page, case: Case, worker, handler, department) -> None:
    def state() -> str:
        page.reload()
        return page.locator("#status-heading").inner_text()

    page.get_by_role("link", name="现在查看进度").click()
    page.wait_for_url("**/t/*")
    assert "现在：已收到" in page.locator("#status-heading").inner_text()
    assert "工作人员联系您" in page.content()

    services.case_contact(actor=worker, case=case, note="已电话联系居民，明早去幼儿园了解情况")
    assert "正在办理" in state()
    assert page.get_by_text("已电话联系居民，明早去幼儿园了解情况").is_visible()

    (referral,) = services.case_refer(actor=worker, case=case, lead=department)
    assert "已转交有关单位" in state()
    services.referral_accept(actor=handler, referral=referral)
    services.referral_reply(actor=handler, referral=referral, reply="早操改到八点以后，音量调低")
    assert "有关单位已答复" in state()

    case.refresh_from_db()
    services.case_feedback(
        actor=worker, case=case, summary="幼儿园已将早操改到八点以后并调低音量", method="phone"
    )
    assert "已办好，请您评价" in state()
    assert fits_the_screen(page)

    # The link the resident got by SMS.
    sms = Delivery.objects.get(kind=NotifyKind.CASE_FEEDBACK, channel="sms")
    rating_path = urlparse(sms.link).path
    assert rating_path.startswith("/r/")
    page.goto(rating_path)
    assert page.get_by_text("幼儿园已将早操改到八点以后并调低音量").is_visible()
    page.get_by_label("解决了").check()
    page.get_by_role("radio", name="满意", exact=True).check()
    page.get_by_label("还想说点什么（可以不填）").fill("现在早上安静多了，谢谢！")
    assert fits_the_screen(page)
    page.get_by_role("button", name="提交评价").click()
    page.get_by_role("heading", name="谢谢您的评价").wait_for()

    rating = Rating.objects.get(case=case)
    assert rating.resolved and rating.satisfaction == 4 and not rating.is_callback
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED

    page.get_by_role("link", name="查看办理进度").click()
    page.wait_for_url("**/t/*")
    page.get_by_text("现在早上安静多了，谢谢！").wait_for()
    assert "现在：已办结" in page.locator("#status-heading").inner_text()
    assert page.get_by_text("现在早上安静多了，谢谢！").is_visible()

    # The same link, a second time.
    response = page.goto(rating_path)
    assert response.status == 410
    assert page.get_by_role("heading", name="这个评价链接已经用过了").is_visible()
    assert Rating.objects.count() == 1


def check_the_stored_photo(case: Case) -> None:
    attachment = Attachment.objects.get(event__case=case)
    assert attachment.is_public is False
    stored = attachment.file.read()
    assert not has_gps(stored)
    with Image.open(io.BytesIO(stored)) as image:
        assert dict(image.getexif()) == {}


def journey(page, community_a, worker_a, handler_1, department_1):
    code = raise_a_problem(page, community_a.name)
    case = Case.objects.get()
    assert case.tracking_code_display == code
    assert case.category.code == "noise-institution" and case.appeal_type == "complaint"
    assert case.reporter_phone_masked == "139****5678"
    check_the_stored_photo(case)
    follow_and_rate(page, case, worker_a, handler_1, department_1)


@pytest.mark.viewport(360, 740)
def test_a_resident_on_a_phone_raises_follows_and_rates_a_problem(
    page, rep_a, community_a, worker_a, handler_1, department_1
):
    journey(page, community_a, worker_a, handler_1, department_1)


def test_a_resident_on_a_desktop_raises_follows_and_rates_a_problem(
    page, rep_a, community_a, worker_a, handler_1, department_1
):
    journey(page, community_a, worker_a, handler_1, department_1)


@pytest.mark.viewport(360, 740)
def test_the_tracking_code_typed_on_the_home_page_with_dashes_in_lower_case_finds_the_case(
    page, community_a
):
    from lianxin.testing import factories as f

    case = f.case(community=community_a)
    page.goto("/")
    page.get_by_label("查询码").fill(case.tracking_code_display.lower())
    page.get_by_role("button", name="查询", exact=True).click()
    page.wait_for_url(f"**/t/{case.tracking_code}")
    assert "现在：已收到" in page.locator("#status-heading").inner_text()


@pytest.mark.viewport(360, 740)
def test_large_text_persists_from_page_to_page_and_still_fits_a_phone(page, community_a):
    page.goto("/")
    base = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.locator("header").get_by_role("button", name="大字版").click()
    page.wait_for_load_state()
    large = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert large >= base * 1.25
    page.goto("/report/")
    assert page.evaluate("document.documentElement.classList.contains('lx-large')")
    assert fits_the_screen(page)
    page.locator("footer").get_by_role("button", name="标准字号").click()
    page.wait_for_load_state()
    assert not page.evaluate("document.documentElement.classList.contains('lx-large')")


@pytest.mark.viewport(360, 740)
def test_the_form_can_be_filled_with_the_keyboard_alone(page, community_a):
    page.goto("/report/")
    page.keyboard.press("Tab")  # the skip link comes first
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "跳到正文"
    page.keyboard.press("Enter")
    page.get_by_label("出了什么事？").focus()
    page.keyboard.type("楼道灯坏了")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_community"
    page.keyboard.press("Tab")
    page.keyboard.type("5号楼2单元")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "topic"
    page.keyboard.press("Space")  # the first kind: “not sure”
    assert page.evaluate("document.activeElement.value") == "unsure"
    # The focus ring is visible.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


@pytest.mark.viewport(360, 740)
def test_the_form_suggests_kinds_from_the_words_the_resident_wrote(page, community_a):
    page.goto("/report/")
    assert not page.locator("#topic-suggestions").is_visible()
    page.get_by_label("出了什么事？").fill("楼下的广场舞喇叭太吵了，晚上睡不着")
    suggestion = page.locator("#topic-suggestions").get_by_role("button", name="噪音扰民")
    suggestion.click()
    assert page.get_by_role("radio", name=re.compile("^噪音扰民")).is_checked()
    assert page.get_by_label("生活噪音").is_visible()
