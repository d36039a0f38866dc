"""Email arrives at a real SMTP server on loopback with its Chinese text intact."""

from __future__ import annotations

import email
import socket
from email import policy

import pytest

from lianxin.notify.kinds import Channel, EventKind
from lianxin.notify.models import Delivery, DeliveryStatus
from lianxin.notify.services import notify_users

CONTEXT = {"case_title": "楼道灯不亮", "case_number": "LX-0007", "due": "5月20日17:00"}


@pytest.mark.django_db
def test_it_delivers_an_urging_email_whose_chinese_subject_and_body_arrive_intact(
    smtp_server, handler_1, django_capture_on_commit_callbacks
):
    handler_1.email = "harry@example.org"
    handler_1.save()
    with django_capture_on_commit_callbacks(execute=True):
        result = notify_users(
            kind=EventKind.CASE_OVERDUE_URGED,
            users=[handler_1],
            context=CONTEXT,
            link="/staff/cases/7/",
            idempotency_key="urge:case:7:round:1",
        )

    delivery = Delivery.objects.get(channel=Channel.EMAIL)
    assert delivery in result.deliveries
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.provider_message_id.startswith("<")
    assert len(smtp_server) == 1
    mail = smtp_server[0]
    assert mail.rcpt_tos == ["harry@example.org"]
    message = email.message_from_bytes(mail.data, policy=policy.default)
    assert message["Subject"] == "催办：楼道灯不亮"
    assert message["Message-ID"] == delivery.provider_message_id
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "诉求「楼道灯不亮」（编号LX-0007）已超过办理时限（应于5月20日17:00前办结）" in body
    assert "http://127.0.0.1:8000/staff/cases/7/" in body


@pytest.mark.django_db
def test_it_keeps_an_email_queued_for_retry_when_the_mail_server_is_unreachable(
    settings, smtp_server, handler_1, django_capture_on_commit_callbacks
):
    handler_1.email = "harry@example.org"
    handler_1.save()
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = s.getsockname()[1]
    with django_capture_on_commit_callbacks(execute=True):
        notify_users(kind=EventKind.CASE_OVERDUE_URGED, users=[handler_1], context=CONTEXT)

    delivery = Delivery.objects.get(channel=Channel.EMAIL)
    assert delivery.status == DeliveryStatus.QUEUED
    assert delivery.attempts == 1
    assert delivery.next_attempt_at > delivery.created_at
    assert delivery.last_error
    assert delivery.attempt_log.get().ok is False
    assert smtp_server == []
