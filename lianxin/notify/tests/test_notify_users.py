"""notify_users: inbox always, other channels by preference, each logical message once."""

from __future__ import annotations

import pytest

from lianxin.notify.kinds import Channel, EventKind
from lianxin.notify.models import Delivery, Notification, NotificationPreference
from lianxin.notify.services import notify_users, preferences_save

CONTEXT = {"case_title": "楼道灯不亮", "case_number": "LX-0007", "due": "5月20日"}


@pytest.fixture
def reachable(handler_1, rep_a, supervisor):
    for n, user in enumerate((handler_1, rep_a, supervisor)):
        user.email, user.phone = f"{user.username}@example.org", f"1370013700{n}"
        user.save()
    return handler_1, rep_a, supervisor


@pytest.mark.django_db
def test_each_role_gets_its_default_channels(reachable):
    handler, rep, supervisor = reachable
    result = notify_users(
        kind=EventKind.CASE_DUE_SOON, users=[handler, rep, supervisor], context=CONTEXT
    )

    assert Notification.objects.count() == 3
    channels = set(Delivery.objects.values_list("recipient_user__username", "channel"))
    assert channels == {
        (handler.username, Channel.EMAIL),  # handlers: email and their department's group
        (rep.username, Channel.SMS),  # representatives are on the street: SMS
        (supervisor.username, Channel.EMAIL),
    }
    assert any("WeCom" in s or "企业微信" in s for s in result.skipped)  # no robot configured
    inbox = Notification.objects.get(recipient=rep)
    assert inbox.title == "即将到期：楼道灯不亮"
    assert "将于5月20日到期" in inbox.body


@pytest.mark.django_db
def test_a_users_own_choice_replaces_the_defaults(reachable):
    _handler, rep, _supervisor = reachable
    preferences_save(actor=rep, choices={EventKind.CASE_DUE_SOON: {Channel.EMAIL}})
    notify_users(kind=EventKind.CASE_DUE_SOON, users=[rep], context=CONTEXT)
    assert list(Delivery.objects.values_list("channel", flat=True)) == [Channel.EMAIL]
    preferences_save(actor=rep, choices={EventKind.CASE_DUE_SOON: set()})
    notify_users(kind=EventKind.CASE_DUE_SOON, users=[rep], context=CONTEXT)
    assert Delivery.objects.count() == 1  # nothing new but the inbox entry
    assert Notification.objects.filter(recipient=rep).count() == 2
    assert NotificationPreference.objects.get(user=rep).channels() == frozenset()


@pytest.mark.django_db
def test_the_same_idempotency_key_records_every_message_only_once(reachable):
    handler, rep, supervisor = reachable
    users = [handler, rep, supervisor]
    first = notify_users(
        kind=EventKind.CASE_OVERDUE_URGED,
        users=users,
        context=CONTEXT,
        idempotency_key="urge:case:7:round:1",
    )
    second = notify_users(
        kind=EventKind.CASE_OVERDUE_URGED,
        users=users,
        context=CONTEXT,
        idempotency_key="urge:case:7:round:1",
    )
    assert len(first.notifications) == 3
    assert len(first.deliveries) == 6  # email and SMS each
    assert (second.notifications, second.deliveries) == ([], [])
    assert second.duplicates == 9
    assert Notification.objects.count() == 3
    assert Delivery.objects.count() == 6
    third = notify_users(
        kind=EventKind.CASE_OVERDUE_URGED,
        users=users,
        context=CONTEXT,
        idempotency_key="urge:case:7:round:2",
    )
    assert len(third.notifications) == 3


@pytest.mark.django_db
def test_inactive_users_and_duplicates_in_the_list_are_ignored(reachable):
    handler, rep, _ = reachable
    rep.is_active = False
    rep.save()
    notify_users(kind=EventKind.MESSAGE, users=[handler, handler, rep], context={"title": "通知"})
    assert list(Notification.objects.values_list("recipient", flat=True)) == [handler.pk]


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_loudly(handler_1):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notify_users(kind="no_such_kind", users=[handler_1])


@pytest.mark.django_db
def test_a_rollback_leaves_no_message_and_no_job(reachable, django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify_users(kind=EventKind.CASE_OVERDUE_URGED, users=list(reachable), context=CONTEXT)
        raise RuntimeError("the caller's transaction fails")
    assert callbacks == []
    assert Delivery.objects.count() == 0
    assert Notification.objects.count() == 0
