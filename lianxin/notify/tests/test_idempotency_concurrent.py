"""Two workers sending the same logical message at the same moment on PostgreSQL: each
message is recorded, and so sent, exactly once."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection

from lianxin.notify.kinds import EventKind
from lianxin.notify.models import Delivery, Notification
from lianxin.notify.services import notify_resident, notify_users

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.IS_POSTGRES, reason="real concurrency needs PostgreSQL"),
]


def _race(call, n: int = 2) -> list:
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    return results


def test_two_concurrent_urgings_with_one_key_record_each_message_once(handler_1, rep_a):
    for n, user in enumerate((handler_1, rep_a)):
        user.email, user.phone = f"{user.username}@example.org", f"1370013700{n}"
        user.save()
    results = _race(
        lambda: notify_users(
            kind=EventKind.CASE_OVERDUE_URGED,
            users=[handler_1, rep_a],
            context={"case_title": "积水"},
            idempotency_key="urge:case:123:round:1",
        )
    )
    assert Notification.objects.count() == 2
    assert Delivery.objects.count() == 4
    assert sum(len(r.deliveries) for r in results) == 4
    assert sum(len(r.notifications) for r in results) == 2
    assert sum(r.duplicates for r in results) == 6


def test_two_concurrent_resident_messages_with_one_key_record_one_sms(resident_a):
    results = _race(
        lambda: notify_resident(
            kind=EventKind.CASE_RECEIVED,
            resident=resident_a,
            context={"tracking_code": "K7M2Q9"},
            idempotency_key="case:1:received",
        ),
        n=4,
    )
    assert Delivery.objects.count() == 1
    assert sum(len(r.deliveries) for r in results) == 1
    assert sum(r.duplicates for r in results) == 3
