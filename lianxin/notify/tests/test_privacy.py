"""A resident's number never travels in clear: not in job arguments, rows or logs."""

from __future__ import annotations

import logging

import pytest
from huey.contrib.djhuey import HUEY
from huey.signals import SIGNAL_ENQUEUED

from lianxin.notify.kinds import EventKind
from lianxin.notify.models import Delivery, DeliveryStatus, OutboxMessage
from lianxin.notify.services import notify_resident

PHONE = "13800138000"


@pytest.mark.django_db
def test_the_job_gets_only_the_delivery_id_and_the_outbox_keeps_the_message(
    resident_a, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    enqueued = []

    def record(signal, task, *args, **kwargs):
        enqueued.append(HUEY.serialize_task(task))
        enqueued.append(task)

    HUEY.signal(SIGNAL_ENQUEUED)(record)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = notify_resident(
                kind=EventKind.CASE_FEEDBACK,
                resident=resident_a,
                context={"tracking_code": "K7M2Q9", "feedback": "路灯已修复。"},
                link="/track/K7M2Q9/rate/",
            )
    finally:
        HUEY.disconnect_signal(record, SIGNAL_ENQUEUED)

    delivery = result.deliveries[0]
    serialized, task = enqueued
    assert task.args == (delivery.pk,)
    assert PHONE.encode() not in serialized
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.provider == "outbox"
    assert PHONE not in repr(Delivery.objects.filter(pk=delivery.pk).values().get())
    assert delivery.plain_address() == PHONE  # only the sending job does this
    assert OutboxMessage.objects.get().body.startswith(
        "【连心】您的诉求（查询码K7M2Q9）已办结：路灯已修复。"
    )
    assert "/track/K7M2Q9/rate/" in delivery.body
    assert PHONE not in caplog.text


@pytest.mark.django_db
def test_a_resident_without_a_phone_is_skipped_with_a_reason(community_a):
    from lianxin.testing.factories import ResidentFactory

    resident = ResidentFactory(community=community_a, name="无电话")
    result = notify_resident(kind=EventKind.CASE_RECEIVED, resident=resident)
    assert result.deliveries == []
    assert result.skipped == ["该群众没有登记电话号码。"]
