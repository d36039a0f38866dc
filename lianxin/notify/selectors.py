"""Reads of notifications. Users see only their own inbox; administrators manage deliveries."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from lianxin.accounts.models import Role
from lianxin.notify.kinds import SPECS, Audience, Channel, EventKind
from lianxin.notify.models import Delivery, DeliveryStatus, Notification, NotificationPreference


def can_manage_notifications(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role == Role.ADMIN


# --- Inbox ---------------------------------------------------------------------------------
def notifications_visible_to(user):
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def can_view_notification(user, notification: Notification) -> bool:
    return getattr(user, "is_authenticated", False) and notification.recipient_id == user.pk


def notification_get_for_user(user, pk: int) -> Notification:
    notification = Notification.objects.filter(pk=pk).first()
    if notification is None or not can_view_notification(user, notification):
        raise Http404
    return notification


def unread_count(user) -> int:
    return notifications_visible_to(user).filter(read_at__isnull=True).count()


# --- Preferences ---------------------------------------------------------------------------
def channels_for(users, kind: str) -> dict[int, frozenset]:
    """The optional channels each user wants for `kind` (the inbox is always on)."""
    rows = {
        p.user_id: p.channels()
        for p in NotificationPreference.objects.filter(user__in=[u.pk for u in users], kind=kind)
    }
    kind_spec = SPECS[kind]
    return {u.pk: rows.get(u.pk, kind_spec.default_channels(u.role)) for u in users}


@dataclass(frozen=True)
class PreferenceRow:
    kind: str
    label: str
    channels: frozenset
    customised: bool


def staff_kinds() -> list[str]:
    return [k for k, s in SPECS.items() if s.audience == Audience.STAFF]


def preference_rows(user) -> list[PreferenceRow]:
    stored = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    labels = dict(EventKind.choices)
    rows = []
    for kind in staff_kinds():
        row = stored.get(kind)
        rows.append(
            PreferenceRow(
                kind=kind,
                label=labels[kind],
                channels=row.channels() if row else SPECS[kind].default_channels(user.role),
                customised=row is not None,
            )
        )
    return rows


def contact_gaps(user) -> list[str]:
    """Channels the user cannot receive for want of an address."""
    gaps = []
    if not user.email:
        gaps.append(Channel.EMAIL)
    if not user.phone:
        gaps.append(Channel.SMS)
    return gaps


# --- Deliveries ----------------------------------------------------------------------------
def deliveries_for_admin(*, status: str = DeliveryStatus.FAILED, channel: str = ""):
    deliveries = Delivery.objects.select_related("recipient_user", "robot", "retried_by")
    if status:
        deliveries = deliveries.filter(status=status)
    if channel:
        deliveries = deliveries.filter(channel=channel)
    return deliveries.order_by("-created_at", "-pk")


def delivery_counts() -> dict[str, int]:
    from django.db.models import Count

    return dict(
        Delivery.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )


def template_preview(template):
    """The template rendered with its kind's sample values, as a recipient would read it."""
    from django.conf import settings

    from lianxin.notify import rendering

    kind_spec = SPECS[template.kind]
    context = {
        "site_url": settings.SITE_URL,
        "kind_label": str(dict(EventKind.choices)[template.kind]),
        "recipient": "张明",
        **kind_spec.sample,
        "link": settings.SITE_URL + "/",
    }
    return rendering.render(template, context)
