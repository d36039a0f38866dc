"""WeCom group robots: a real HTTP server on loopback receives the webhook JSON."""

from __future__ import annotations

import pytest

from lianxin.notify.kinds import Channel, EventKind
from lianxin.notify.models import Delivery, DeliveryStatus, WeComRobot
from lianxin.notify.services import notify_users, notify_wecom_group

CONTEXT = {
    "department": "测试幼儿园",
    "case_title": "幼儿园早晨广播噪音扰民",
    "case_number": "LX-0031",
    "due": "明天17:00",
}


@pytest.fixture
def robot(http_server, department_1):
    http_server.reply = lambda request: (200, {"errcode": 0, "errmsg": "ok"})
    return WeComRobot.objects.create(
        name="幼儿园工作群",
        webhook_url=f"{http_server.url}/cgi-bin/webhook/send?key=test-key-0001",
        department=department_1,
    )


@pytest.mark.django_db
def test_it_posts_one_text_message_to_the_department_robot_mentioning_its_handlers(
    robot, http_server, handler_1, department_1, django_capture_on_commit_callbacks
):
    handler_1.phone = "13700137000"
    handler_1.save()
    colleague = type(handler_1).objects.create(
        username="helen-h1", role="handler", department=department_1, phone="13600136000"
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify_users(
            kind=EventKind.REFERRAL_ASSIGNED,
            users=[handler_1, colleague],
            context=CONTEXT,
            link="/staff/cases/31/",
        )

    assert len(http_server.requests) == 1
    request = http_server.requests[0]
    assert request.method == "POST"
    assert request.path == "/cgi-bin/webhook/send?key=test-key-0001"
    assert request.headers["Content-Type"].startswith("application/json")
    message = request.json()
    assert message["msgtype"] == "text"
    assert (
        "测试幼儿园收到新的转办件「幼儿园早晨广播噪音扰民」（编号LX-0031）"
        in message["text"]["content"]
    )
    assert message["text"]["content"].startswith("【连心】新转办件：")
    assert sorted(message["text"]["mentioned_mobile_list"]) == ["13600136000", "13700137000"]
    delivery = Delivery.objects.get(channel=Channel.WECOM)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.robot == robot


@pytest.mark.django_db
def test_a_non_zero_errcode_is_a_failure_that_is_retried(
    robot, http_server, django_capture_on_commit_callbacks
):
    http_server.reply = lambda request: (
        200,
        {"errcode": 45009, "errmsg": "api freq out of limit"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify_wecom_group(
            kind=EventKind.MESSAGE,
            department=robot.department,
            context={"title": "停电通知", "body": "周五下午两点至四点停电检修。"},
        )

    delivery = Delivery.objects.get()
    assert len(http_server.requests) == 1
    assert delivery.status == DeliveryStatus.QUEUED
    assert delivery.last_error == "errcode 45009: api freq out of limit"
    assert delivery.next_attempt_at > delivery.created_at


@pytest.mark.django_db
def test_markdown_robots_receive_markdown(robot, http_server, django_capture_on_commit_callbacks):
    robot.markdown = True
    robot.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify_wecom_group(
            kind=EventKind.MESSAGE,
            department=robot.department,
            context={"title": "停电通知", "body": "周五下午两点至四点停电检修。"},
        )
    message = http_server.requests[0].json()
    assert message == {
        "msgtype": "markdown",
        "markdown": {
            "content": "【连心】停电通知\n周五下午两点至四点停电检修。\n详情：http://127.0.0.1:8000/"
        },
    }


@pytest.mark.django_db
def test_without_any_robot_the_default_webhook_from_settings_is_used(
    settings, http_server, supervisor, django_capture_on_commit_callbacks
):
    http_server.reply = lambda request: (200, {"errcode": 0, "errmsg": "ok"})
    settings.WECOM_WEBHOOK_URL = f"{http_server.url}/default?key=k"
    with django_capture_on_commit_callbacks(execute=True):
        notify_users(
            kind=EventKind.CASE_SUPERVISED, users=[supervisor], context={"case_title": "积水"}
        )
    assert [r.path for r in http_server.requests] == ["/default?key=k"]
    assert "督办：积水" in http_server.requests[0].json()["text"]["content"]
