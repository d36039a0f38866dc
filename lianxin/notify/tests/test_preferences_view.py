"""Each staff member sets their own notification channels."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.notify.kinds import Channel, EventKind
from lianxin.notify.models import NotificationPreference


@pytest.mark.django_db
def test_the_page_shows_the_role_defaults_and_saves_the_users_choice(client, rep_a):
    client.force_login(rep_a)
    page = client.get(reverse("notify:preferences")).content.decode()
    # A representative gets deadline reminders by SMS by default.
    assert 'name="case_due_soon__sms" id="id_case_due_soon__sms" checked' in page
    assert 'name="case_due_soon__email" id="id_case_due_soon__email" aria' in page
    assert "没有登记您的工作手机" in page

    response = client.post(
        reverse("notify:preferences"),
        {"case_due_soon__email": "on", "case_overdue_urged__wecom": "on"},
    )
    assert response.status_code == 302
    due = NotificationPreference.objects.get(user=rep_a, kind=EventKind.CASE_DUE_SOON)
    assert due.channels() == {Channel.EMAIL}
    urged = NotificationPreference.objects.get(user=rep_a, kind=EventKind.CASE_OVERDUE_URGED)
    assert urged.channels() == {Channel.WECOM}
    # Resident-facing events are not staff preferences.
    assert not NotificationPreference.objects.filter(kind=EventKind.CASE_RECEIVED).exists()


@pytest.mark.django_db
def test_a_users_preferences_do_not_touch_anyone_elses(client, rep_a, rep_b):
    client.force_login(rep_a)
    client.post(reverse("notify:preferences"), {})
    assert NotificationPreference.objects.filter(user=rep_a).exists()
    assert not NotificationPreference.objects.filter(user=rep_b).exists()
