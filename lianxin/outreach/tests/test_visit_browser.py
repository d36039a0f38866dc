"""A representative logs a visit to a low-income household on a phone, is prompted with the
衣食住行 questions, and turns a problem heard into a case."""

import pytest

from lianxin.cases.models import Channel
from lianxin.outreach.models import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.viewport(360, 740)
def test_a_representative_logs_a_visit_and_records_a_case_on_a_phone(
    page, login, rep_a, dibao_household
):
    login(page, rep_a)
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("link", name="登记走访").click()
    page.get_by_label("按地址或家庭成员姓名查找住户").fill("牛某")
    page.get_by_role("button", name="选择").click()
    question = page.get_by_label("问衣食住行：吃饭、穿衣、住房、出行有没有困难")
    question.fill("冬天取暖费负担重，老伴腿脚不便出门难。")
    page.get_by_label("见到的人").fill("牛某和老伴")
    page.get_by_label("听到的情况（民情日记）").fill("牛某长年吃药，退休金不高，家境不富裕。")
    page.get_by_label("听到了问题：现在登记为诉求").check()
    page.get_by_label("问题简述").fill("申请残疾人困难补助")
    page.get_by_label("群众反映的问题").fill("牛某患肌肉萎缩症，想申请残疾人困难补助。")
    page.get_by_role("button", name="保存走访记录").click()
    page.wait_for_url("**/staff/outreach/visits/*/")

    visit = Visit.objects.get()
    [case] = visit.cases.all()
    assert case.channel == Channel.VISIT and case.title == "申请残疾人困难补助"
    assert case.reporter_resident.name == "牛某"
    assert visit.answers[0]["answer"].startswith("冬天取暖费")
    content = page.content()
    assert case.number in content and "问衣食住行" in content
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits
