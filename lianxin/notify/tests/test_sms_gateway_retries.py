"""A generic SMS gateway that answers 500: retries with backoff, a visible failed delivery,
and a retry from the administrators' page once the gateway answers 200. Never lost."""

from __future__ import annotations

import datetime
import json
import logging

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from lianxin.notify.kinds import EventKind
from lianxin.notify.models import Delivery, DeliveryStatus
from lianxin.notify.services import deliveries_dispatch_due, notify_resident
from lianxin.testing.factories import UserFactory

START = datetime.datetime(2026, 5, 11, 9, 0, tzinfo=datetime.UTC)
PHONE = "13800138000"


@pytest.fixture
def gateway(settings, http_server):
    settings.SMS_PROVIDER = "http"
    settings.SMS_HTTP_URL = f"{http_server.url}/sms/send"
    settings.SMS_HTTP_AUTH_HEADER = "Authorization: Bearer gw-token"
    settings.SMS_HTTP_MESSAGE_ID_FIELD = "data.id"
    settings.NOTIFY_MAX_ATTEMPTS = 3
    settings.NOTIFY_RETRY_SECONDS = 60
    http_server.reply = lambda request: (500, "网关内部错误")
    return http_server


@pytest.mark.django_db
def test_a_failing_gateway_leads_to_retries_then_a_failed_delivery_an_admin_can_retry(
    gateway, resident_a, admin_user, client, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    with time_machine.travel(START, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            result = notify_resident(
                kind=EventKind.CASE_RECEIVED,
                resident=resident_a,
                context={"tracking_code": "K7M2Q9"},
                link="/track/K7M2Q9/",
                idempotency_key="case:12:received",
            )
        delivery = result.deliveries[0]
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.QUEUED, 1)
        assert delivery.next_attempt_at == START + datetime.timedelta(seconds=60)
        assert "HTTP 500" in delivery.last_error

        # Not due yet: nothing is sent.
        traveller.shift(datetime.timedelta(seconds=59))
        with django_capture_on_commit_callbacks(execute=True):
            assert deliveries_dispatch_due() == 0
        assert len(gateway.requests) == 1

        traveller.shift(datetime.timedelta(seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            assert deliveries_dispatch_due() == 1
        delivery.refresh_from_db()
        assert delivery.attempts == 2
        # Exponential: the second failure waits twice as long.
        assert delivery.next_attempt_at == timezone.now() + datetime.timedelta(seconds=120)

        traveller.shift(datetime.timedelta(seconds=120))
        with django_capture_on_commit_callbacks(execute=True):
            deliveries_dispatch_due()
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
        assert delivery.next_attempt_at is None
        assert len(gateway.requests) == 3
        assert [a.ok for a in delivery.attempt_log.all()] == [False, False, False]

        # Visible to administrators.
        client.force_login(admin_user)
        page = client.get(reverse("notify:delivery_list"))
        assert page.status_code == 200
        assert f'id="delivery-{delivery.pk}"' in page.content.decode()
        assert "138****8000" in page.content.decode()

        # The gateway recovers; the administrator retries.
        gateway.reply = lambda request: (200, {"data": {"id": "gw-778"}})
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("notify:delivery_retry", args=[delivery.pk]))
        assert response.status_code == 302
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.SENT
        assert delivery.provider_message_id == "gw-778"
        assert delivery.retried_by == admin_user
        assert delivery.attempts == 4

    request = gateway.requests[-1]
    assert request.path == "/sms/send"
    assert request.headers["Authorization"] == "Bearer gw-token"
    assert request.json() == {
        "mobile": PHONE,
        "content": "【连心】您反映的诉求已受理，查询码K7M2Q9，可凭码查询办理进度：http://127.0.0.1:8000/track/K7M2Q9/",
    }
    # The plain number reached the gateway only: not the row, the payload or any log line.
    row = Delivery.objects.filter(pk=delivery.pk).values().get()
    assert PHONE not in json.dumps(row, default=str)
    assert row["address_masked"] == "138****8000"
    assert PHONE not in caplog.text


@pytest.mark.django_db
def test_only_administrators_see_and_retry_failed_deliveries(client, worker_a, supervisor):
    delivery = Delivery.objects.create(
        kind=EventKind.MESSAGE,
        channel="sms",
        provider="outbox",
        body="x",
        status=DeliveryStatus.FAILED,
        attempts=5,
    )
    for user in (worker_a, supervisor):
        client.force_login(user)
        assert client.get(reverse("notify:delivery_list")).status_code == 404
        assert client.post(reverse("notify:delivery_retry", args=[delivery.pk])).status_code == 404
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED


@pytest.mark.django_db
def test_retrying_a_delivery_that_is_no_longer_failed_changes_nothing(client, admin_user):
    delivery = Delivery.objects.create(
        kind=EventKind.MESSAGE, channel="sms", provider="outbox", body="x", status="sent"
    )
    client.force_login(admin_user)
    response = client.post(reverse("notify:delivery_retry", args=[delivery.pk]), follow=True)
    assert "没有失败，未作任何改动" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


@pytest.mark.django_db
def test_the_failed_list_does_not_grow_queries_with_rows(
    client, admin_user, django_assert_max_num_queries
):
    for n in range(25):
        user = UserFactory(username=f"u{n}")
        Delivery.objects.create(
            kind=EventKind.MESSAGE,
            channel="email",
            provider="smtp",
            recipient_user=user,
            recipient_label=str(user),
            address=f"u{n}@example.org",
            body="x",
            status=DeliveryStatus.FAILED,
            retried_by=admin_user,
        )
    client.force_login(admin_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("notify:delivery_list"))
    assert response.content.decode().count('id="delivery-') == 25
