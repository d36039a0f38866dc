from django.utils.translation import gettext_lazy as _

from lianxin.core.workbench import Panel
from lianxin.notify import selectors
from lianxin.notify.models import DeliveryStatus


def inbox_panel(user):
    """The latest unread notifications, when there are any."""
    unread = list(
        selectors.notifications_visible_to(user)
        .filter(read_at__isnull=True)
        .order_by("-created_at", "-pk")[:5]
    )
    if not unread:
        return None
    return Panel(
        title=_("Unread notifications"),
        template="notify/_inbox_panel.html",
        context={"notifications": unread, "unread": selectors.unread_count(user)},
        order=10,
    )


def failed_deliveries_panel(user):
    """For administrators: messages that could not be sent."""
    if not selectors.can_manage_notifications(user):
        return None
    failed = selectors.deliveries_for_admin(status=DeliveryStatus.FAILED).count()
    if not failed:
        return None
    return Panel(
        title=_("Failed deliveries"),
        template="notify/_failed_panel.html",
        context={"failed": failed},
        order=5,
    )
