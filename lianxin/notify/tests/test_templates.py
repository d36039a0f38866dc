"""Chinese default templates for every event and channel, editable with a preview."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.notify.kinds import SPECS, Audience, Channel, EventKind
from lianxin.notify.models import NotificationTemplate
from lianxin.notify.selectors import template_preview
from lianxin.notify.services import notify_users, templates_ensure_defaults


@pytest.mark.django_db
def test_every_event_has_a_template_per_channel_after_migrating():
    stored = set(NotificationTemplate.objects.values_list("kind", "channel"))
    for kind, spec in SPECS.items():
        for channel in spec.channels():
            assert (kind, channel) in stored
    assert set(SPECS) == set(EventKind.values)
    assert templates_ensure_defaults() == 0  # idempotent


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [k for k, s in SPECS.items() if s.audience == Audience.RESIDENT])
def test_resident_sms_is_short_and_signed(kind):
    template = NotificationTemplate.objects.get(kind=kind, channel=Channel.SMS)
    text = template_preview(template).body
    assert text.startswith("【连心】")
    # One SMS holds 70 Chinese characters; long ones are split into 67-character parts.
    assert len(text) <= 134, text


@pytest.mark.django_db
def test_administrators_edits_are_kept_by_later_migrations_and_used(handler_1):
    template = NotificationTemplate.objects.get(
        kind=EventKind.CASE_OVERDUE_URGED, channel=Channel.INBOX
    )
    template.subject = "【催办】{{ case_title }}"
    template.save()
    templates_ensure_defaults()
    result = notify_users(
        kind=EventKind.CASE_OVERDUE_URGED, users=[handler_1], context={"case_title": "路灯不亮"}
    )
    assert result.notifications[0].title == "【催办】路灯不亮"


@pytest.mark.django_db
def test_the_admin_shows_a_preview_and_refuses_a_broken_template(client, admin_user):
    template = NotificationTemplate.objects.get(kind=EventKind.CASE_FEEDBACK, channel=Channel.SMS)
    url = reverse("admin:notify_notificationtemplate_change", args=[template.pk])
    client.force_login(admin_user)
    page = client.get(url).content.decode()
    assert "预览（示例数据）" in page
    assert "您的诉求（查询码K7M2Q9）已办结：幼儿园已调整广播音量和时段" in page
    assert "<code>code</code> = K7M2Q9" in page

    response = client.post(
        url,
        {
            "subject": "",
            "body": "{% if %}坏模板",
            "provider_template_code": "",
            "provider_params": "x",
        },
    )
    assert response.status_code == 200
    assert "模板有错误" in response.content.decode()
    assert "第 1 行应写成" in response.content.decode()
    template.refresh_from_db()
    assert "坏模板" not in template.body


@pytest.mark.django_db
def test_restoring_the_default_text(client, admin_user):
    template = NotificationTemplate.objects.get(kind=EventKind.MESSAGE, channel=Channel.EMAIL)
    template.body = "改过的"
    template.save()
    client.force_login(admin_user)
    client.post(
        reverse("admin:notify_notificationtemplate_changelist"),
        {"action": "restore_default", "_selected_action": [template.pk]},
    )
    template.refresh_from_db()
    assert template.body.startswith("{{ body }}")
    assert template.updated_by == admin_user


@pytest.mark.django_db
def test_the_admin_lists_of_notifications_open_for_administrators(client, admin_user):
    client.force_login(admin_user)
    for name in (
        "notificationtemplate",
        "delivery",
        "outboxmessage",
        "notification",
        "notificationpreference",
        "wecomrobot",
    ):
        assert client.get(reverse(f"admin:notify_{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin:notify_wecomrobot_add")).status_code == 200
