"""Abuse protection without outside services: limits per address and per phone, a question
when a limit comes near, and nothing accepted is ever lost."""

import re

import pytest
import time_machine
from django.urls import reverse

from lianxin.cases.models import Case
from lianxin.portal import challenge
from lianxin.portal.tests.test_report_view import form_data

pytestmark = pytest.mark.django_db
URL = reverse("portal:report")
# Windows of the counters start on the epoch's ten-minute marks: start just after one.
START = "2026-06-01 09:00:05 +0800"


def answer_question(page: str) -> dict:
    """What a person does: read the question on the page and answer it."""
    match = re.search(
        r'name="challenge_token" value="([^"]+)".*?for="id_challenge_answer">(\S+?)([加减])(\S+?)等于几',
        page,
        re.S,
    )
    if not match:
        return {}
    token, a, op, b = match.groups()
    a, b = challenge.parse_answer(a), challenge.parse_answer(b)
    return {"challenge_token": token, "challenge_answer": str(a + b if op == "加" else a - b)}


def send(client, community, *, ip="203.0.113.7", solve=True, **overrides):
    page = client.get(URL, REMOTE_ADDR=ip).content.decode()
    data = form_data(community, **overrides)
    if solve:
        data.update(answer_question(page))
    response = client.post(URL, data, REMOTE_ADDR=ip)
    if solve and response.status_code == 400:
        # A question can come up only once the phone number is known: answer it and resend.
        data.update(answer_question(response.content.decode()))
        response = client.post(URL, data, REMOTE_ADDR=ip)
    return response


@time_machine.travel(START, tick=True)
def test_thirty_submissions_in_a_minute_from_one_address_are_throttled_and_none_lost(
    client, community_a
):
    responses = [
        send(client, community_a, phone=f"139{i:08d}", description=f"第{i}号问题：楼道灯坏了。")
        for i in range(30)
    ]
    statuses = [r.status_code for r in responses]
    accepted = [i for i, s in enumerate(statuses) if s == 302]
    assert accepted == list(range(10)), statuses
    assert statuses[10:] == [429] * 20
    # Every accepted submission is a case, with the words that were sent.
    assert sorted(Case.objects.values_list("description", flat=True)) == sorted(
        f"第{i}号问题：楼道灯坏了。" for i in accepted
    )
    refused = responses[-1]
    page = refused.content.decode()
    assert "提交太频繁了" in page and "请等 10 分钟后再提交" in page
    assert "您填写的内容都还在" in page and "第29号问题：楼道灯坏了。" in page
    assert int(refused["Retry-After"]) > 0


@time_machine.travel(START, tick=True)
def test_a_question_is_asked_when_the_limit_comes_near_and_robots_stop_there(client, community_a):
    statuses = [
        send(client, community_a, solve=False, phone=f"139{i:08d}").status_code for i in range(6)
    ]
    assert statuses == [302, 302, 302, 400, 400, 400]
    page = send(client, community_a, solve=False).content.decode()
    assert "请回答一个简单的问题" in page and "请回答下面的问题，再提交一次" in page
    assert Case.objects.count() == 3


@time_machine.travel(START, tick=True)
def test_a_wrong_answer_gets_a_new_question_and_keeps_the_text(client, community_a):
    for i in range(3):
        send(client, community_a, phone=f"139{i:08d}")
    page = client.get(URL, REMOTE_ADDR="203.0.113.7").content.decode()
    data = {**form_data(community_a), **answer_question(page)}
    data["challenge_answer"] = "99"
    response = client.post(URL, data, REMOTE_ADDR="203.0.113.7")
    page = response.content.decode()
    assert response.status_code == 400 and "答案不对，请回答下面的新题目" in page
    assert "小区北门的路灯坏了一个星期" in page
    assert answer_question(page)["challenge_token"] != data["challenge_token"]
    assert Case.objects.count() == 3


@time_machine.travel(START, tick=True)
def test_one_phone_is_limited_across_addresses(client, community_a):
    statuses = [
        send(client, community_a, ip=f"198.51.100.{i}", phone="13912345678").status_code
        for i in range(7)
    ]
    assert statuses == [302] * 5 + [429] * 2
    page = send(client, community_a, ip="198.51.100.99", phone="13912345678").content.decode()
    assert "这个手机号今天已经反映了很多问题" in page
    assert Case.objects.count() == 5


@time_machine.travel(START, tick=True)
def test_a_forged_forwarded_for_header_does_not_escape_the_limit(client, community_a):
    statuses = [
        client.post(
            URL,
            {
                **form_data(community_a, phone=f"139{i:08d}"),
                **answer_question(client.get(URL, REMOTE_ADDR="203.0.113.7").content.decode()),
            },
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}",
        ).status_code
        for i in range(11)
    ]
    assert statuses[-1] == 429 and Case.objects.count() == 10


@time_machine.travel(START, tick=True)
def test_behind_a_trusted_proxy_each_client_has_its_own_limit(client, community_a, settings):
    settings.LIANXIN_PROXY_COUNT = 1
    for i in range(12):
        response = client.post(
            URL,
            form_data(community_a, phone=f"139{i:08d}"),
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"1.2.3.4, 203.0.113.{i}",
        )
        assert response.status_code == 302
    assert Case.objects.count() == 12


def test_a_question_is_good_for_one_right_answer_only():
    question = challenge.new_challenge()
    a, op, b = re.match(r"(\S+?)([加减])(\S+?)等于几", question.question).groups()
    a, b = challenge.parse_answer(a), challenge.parse_answer(b)
    right = str(a + b if op == "加" else a - b)
    assert not challenge.check(question.token, str(int(right) + 1))
    assert challenge.check(question.token, right)
    assert not challenge.check(question.token, right)  # not twice
    assert not challenge.check(question.token[:-2] + "xx", right)


def test_answers_may_be_digits_full_width_digits_or_chinese_words():
    assert challenge.parse_answer("12") == 12
    assert challenge.parse_answer("１２") == 12
    assert challenge.parse_answer("十二") == 12
    assert challenge.parse_answer("两") == 2
    assert challenge.parse_answer("twelve") is None
    assert [challenge.number_words(n) for n in (0, 7, 10, 11, 18)] == [
        "零",
        "七",
        "十",
        "十一",
        "十八",
    ]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@time_machine.travel(START, tick=True)
def test_simultaneous_submissions_are_counted_exactly_and_none_is_lost(community_a, settings):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection
    from django.test import Client

    settings.LIANXIN_PORTAL_CHALLENGE_AFTER = 1000  # the limit alone decides here
    start = threading.Barrier(16)

    def submit(i: int) -> int:
        try:
            client = Client()
            start.wait()
            return client.post(
                URL,
                form_data(community_a, phone=f"139{i:08d}", description=f"同时提交的第{i}件"),
                REMOTE_ADDR="203.0.113.9",
            ).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(submit, range(16)))
    assert sorted(statuses) == [302] * 10 + [429] * 6
    assert Case.objects.count() == 10


@time_machine.travel(START, tick=True)
def test_a_refused_flood_does_not_even_open_its_photos(client, community_a, monkeypatch, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lianxin.portal import photos
    from lianxin.portal.tests.images import jpeg_with_gps

    settings.LIANXIN_PORTAL_IP_LIMIT = 1
    settings.LIANXIN_PORTAL_CHALLENGE_AFTER = 1000
    assert send(client, community_a, solve=False).status_code == 302
    opened = []
    monkeypatch.setattr(photos, "clean_photo", lambda *a, **k: opened.append(1))
    photo = SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(
        URL, {**form_data(community_a), "photos": [photo]}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 429 and opened == []
    assert "照片不会保留，请重新选择照片" in response.content.decode()
