"""The staff inbox: one's own notifications only, read state, and the unread badge."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.notify.kinds import EventKind
from lianxin.notify.models import Notification
from lianxin.notify.services import notify_users


def _notify(user, n=1, link="/staff/directory/residents/"):
    for i in range(n):
        notify_users(
            kind=EventKind.MESSAGE,
            users=[user],
            context={"title": f"通知{i}", "body": "内容"},
            link=link,
        )
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


@pytest.mark.django_db
def test_the_badge_in_the_top_bar_counts_unread_notifications(client, worker_a):
    _notify(worker_a, 3)
    client.force_login(worker_a)
    page = client.get(reverse("staff:home")).content.decode()
    assert 'data-unread="3"' in page
    assert "消息，3 条未读" in page


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_follows_its_link(client, worker_a):
    [notification] = _notify(worker_a)
    client.force_login(worker_a)
    response = client.get(reverse("notify:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/staff/directory/residents/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "data-unread=" not in client.get(reverse("notify:inbox")).content.decode()


@pytest.mark.django_db
def test_a_link_to_another_site_is_not_followed(client, worker_a):
    [notification] = _notify(worker_a, link="https://evil.example.com/")
    client.force_login(worker_a)
    response = client.get(reverse("notify:open", args=[notification.pk]))
    assert response["Location"] == reverse("notify:inbox")


@pytest.mark.django_db
def test_users_see_and_touch_only_their_own_notifications(client, worker_a, worker_b):
    [theirs] = _notify(worker_b)
    _notify(worker_a)
    client.force_login(worker_a)
    page = client.get(reverse("notify:inbox")).content.decode()
    assert f'id="notification-{theirs.pk}"' not in page
    assert client.get(reverse("notify:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notify:read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notify:read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_mark_one_and_mark_all_as_read(client, worker_a):
    first, second, _third = _notify(worker_a, 3)
    client.force_login(worker_a)
    client.post(reverse("notify:read", args=[first.pk]))
    unread = client.get(reverse("notify:inbox") + "?show=unread").content.decode()
    assert f'id="notification-{first.pk}"' not in unread
    assert f'id="notification-{second.pk}"' in unread
    client.post(reverse("notify:read_all"))
    assert not Notification.objects.filter(recipient=worker_a, read_at__isnull=True).exists()


@pytest.mark.django_db
def test_the_inbox_needs_a_login(client):
    response = client.get(reverse("notify:inbox"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_the_inbox_does_not_grow_queries_with_rows(client, worker_a, django_assert_max_num_queries):
    _notify(worker_a, 25)
    client.force_login(worker_a)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("notify:inbox")).content.decode()
    assert page.count('id="notification-') == 25
