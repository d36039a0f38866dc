"""Following a case by its tracking code: plain words, public steps only, no staff names unless
configured, no other reporter's data."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lianxin.cases import services
from lianxin.testing import factories as f

pytestmark = pytest.mark.django_db


def track(client, case, **extra):
    return client.get(reverse("portal:track", args=[case.tracking_code]), **extra)


@pytest.fixture
def case(community_a):
    return f.case(community=community_a, reporter_name="王阿姨", reporter_phone="13912345678")


def test_the_code_may_be_typed_with_dashes_spaces_or_in_lower_case(client, case):
    typed = case.tracking_code_display.lower()
    response = client.get(f"/t/{typed}")
    assert response.status_code == 302 and response.url == f"/t/{case.tracking_code}"
    response = client.get(reverse("portal:track_form"), {"code": f" {typed} "})
    assert response.url == f"/t/{case.tracking_code}"
    assert client.get(f"/t/{case.tracking_code}/").status_code == 200


def test_a_new_case_says_in_plain_words_what_happens_and_by_when(client, case):
    page = track(client, case).content.decode()
    assert "现在：已收到" in page and "正在安排人员办理" in page
    assert "工作人员联系您" in page and "办结时限" in page and "之前" in page
    assert case.tracking_code_display in page and "139****5678" in page
    assert "13912345678" not in page and "王阿姨" not in page


@time_machine.travel("2026-06-01 09:00 +0800", tick=False)
def test_deadlines_are_plain_dates_with_the_weekday(client, community_a):
    case = f.case(community=community_a)  # 7 working days: due Wednesday 10 June
    page = track(client, case).content.decode()
    assert "2026年6月10日（星期三）之前" in page
    assert "2026年6月2日（星期二）之前" in page  # contact within one working day


def test_the_timeline_shows_public_steps_by_role_and_unit_never_internal_notes_or_files(
    client, case, worker_a, department_1, handler_1
):
    services.case_contact(actor=worker_a, case=case, note="已电话联系王阿姨，约好明天上门")
    services.case_note(
        actor=worker_a,
        case=case,
        note="内部：该居民多次来访，注意态度",
        public=False,
        attachments=[SimpleUploadedFile("a.txt", b"secret", content_type="text/plain")],
    )
    services.case_note(actor=worker_a, case=case, note="已请物业查看线路", public=True)
    services.case_refer(actor=worker_a, case=case, lead=department_1)
    page = track(client, case).content.decode()
    assert "现在：已转交有关单位" in page and "正在协调落实中" in page
    assert "已电话联系王阿姨，约好明天上门" in page and "已请物业查看线路" in page
    assert "内部：该居民多次来访" not in page and "a.txt" not in page
    assert "甲社区社区工作者" in page
    assert worker_a.full_name not in page


def test_staff_names_appear_only_when_the_district_allows_it(client, case, worker_a, settings):
    services.case_contact(actor=worker_a, case=case, note="")
    assert worker_a.full_name not in track(client, case).content.decode()
    settings.LIANXIN_PUBLIC_STAFF_NAMES = True
    assert f"{worker_a.full_name}（甲社区社区工作者）" in track(client, case).content.decode()


def test_a_merged_case_shows_the_joint_case_and_hides_the_other_reporters(
    client, community_a, rep_a
):
    survivor = f.case(
        community=community_a,
        description="第一位居民：幼儿园六点放广播",
        reporter_name="张大爷",
        reporter_phone="13711112222",
    )
    duplicate = f.case(community=community_a, description="第二位居民：早上太吵了")
    services.case_merge(actor=rep_a, case=duplicate, into=survivor)
    services.case_contact(actor=rep_a, case=survivor, note="已电话联系张大爷本人")
    services.case_note(actor=rep_a, case=survivor, note="代表已到幼儿园了解情况", public=True)
    services.case_feedback(actor=rep_a, case=survivor, summary="早操改到八点以后", method="phone")
    services.rating_submit(
        token=survivor.rating_invitations.get(source_case=survivor).token(),
        resolved=False,
        satisfaction=2,
        comment="张大爷的私人意见：还是吵",
    )
    page = track(client, duplicate).content.decode()
    assert "合并在一起办理" in page
    assert "代表已到幼儿园了解情况" in page and "早操改到八点以后" in page
    assert "第二位居民：早上太吵了" in page and "合并办理" in page
    assert "工作人员已与最先反映这个问题的居民联系" in page
    assert "第一位居民" not in page and "张大爷" not in page and "137****2222" not in page
    assert "反映同一问题的另一位居民作出评价：不满意（未解决）" in page
    assert "现在：正在办理" in page  # reopened after the unsatisfied rating


def test_a_resolved_case_offers_its_reporter_the_rating(client, case, worker_a):
    services.case_feedback(actor=worker_a, case=case, summary="路灯已修好", method="phone")
    page = track(client, case).content.decode()
    assert "已办好，请您评价" in page
    token = case.rating_invitations.get().token()
    assert f'href="/r/{token}"' in page


@time_machine.travel("2026-06-01 09:00:05 +0800", tick=True)
def test_an_unknown_code_is_a_friendly_not_found_and_guessing_is_limited(client, settings):
    settings.LIANXIN_PORTAL_LOOKUP_LIMIT = 3
    response = client.get("/t/ABCDEFGHJKMN")
    assert response.status_code == 404
    assert "没有找到查询码为“ABCDEFGHJKMN”的问题" in response.content.decode()
    client.get("/t/ABCDEFGHJKMP")
    client.get("/t/ABCDEFGHJKMQ")
    refused = client.get("/t/ABCDEFGHJKMR")
    assert refused.status_code == 429 and "请 10 分钟后再试" in refused.content.decode()


def test_the_page_reads_a_bounded_number_of_rows(
    client, case, worker_a, django_assert_max_num_queries
):
    for i in range(15):
        services.case_note(actor=worker_a, case=case, note=f"进展{i}", public=True)
    with django_assert_max_num_queries(8):
        response = track(client, case)
    assert response.status_code == 200 and "进展14" in response.content.decode()
