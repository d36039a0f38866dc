"""Staff pages of notifications: the inbox, one's own preferences, and (administrators)
deliveries with the failed ones to retry. Thin: selectors read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.core.forms import paginate
from lianxin.core.jobs import worker_status
from lianxin.notify import selectors, services
from lianxin.notify.forms import PreferencesForm
from lianxin.notify.kinds import OPTIONAL_CHANNELS, Channel
from lianxin.notify.models import Delivery, DeliveryStatus

PAGE_SIZE = 30


@login_required
def inbox(request):
    unread_only = request.GET.get("show") == "unread"
    notifications = selectors.notifications_visible_to(request.user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    page = paginate(request, notifications.order_by("-created_at", "-pk"), PAGE_SIZE)
    return render(request, "notify/inbox.html", {"page": page, "unread_only": unread_only})


@login_required
def notification_open(request, pk: int):
    """Mark the notification read and follow its link (only links inside this site)."""
    notification = selectors.notification_get_for_user(request.user, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    if notification.link and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.link)
    return redirect("notify:inbox")


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = selectors.notification_get_for_user(request.user, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    return redirect(_back(request))


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notify:inbox")


@login_required
def preferences(request):
    rows = selectors.preference_rows(request.user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, rows=rows)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(actor=request.user, choices=form.choices())
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notify:preferences")
    return render(
        request,
        "notify/preferences.html",
        {
            "form": form,
            "channels": [Channel(c) for c in OPTIONAL_CHANNELS],
            "gaps": selectors.contact_gaps(request.user),
        },
    )


# --- Administrators ------------------------------------------------------------------------
def _require_admin(user) -> None:
    if not selectors.can_manage_notifications(user):
        raise Http404


@login_required
def delivery_list(request):
    _require_admin(request.user)
    status = request.GET.get("status", DeliveryStatus.FAILED)
    status = status if status in DeliveryStatus.values or status == "all" else DeliveryStatus.FAILED
    channel = request.GET.get("channel", "")
    channel = channel if channel in Channel.values else ""
    deliveries = selectors.deliveries_for_admin(
        status="" if status == "all" else status, channel=channel
    )
    page = paginate(request, deliveries, PAGE_SIZE)
    counts = selectors.delivery_counts()
    return render(
        request,
        "notify/delivery_list.html",
        {
            "page": page,
            "status": status,
            "channel": channel,
            "statuses": [(v, label, counts.get(v, 0)) for v, label in DeliveryStatus.choices],
            "channels": [c for c in Channel.choices if c[0] != Channel.INBOX],
            "worker": worker_status(),
        },
    )


@login_required
@require_POST
def delivery_retry(request, pk: int):
    _require_admin(request.user)
    delivery = get_object_or_404(Delivery, pk=pk)
    try:
        services.delivery_retry(actor=request.user, delivery=delivery)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The delivery is queued again."))
    return redirect(_back(request, "notify:delivery_list"))


@login_required
@require_POST
def deliveries_retry_failed(request):
    _require_admin(request.user)
    count = services.deliveries_retry_failed(actor=request.user)
    messages.success(request, _("%(count)d failed deliveries are queued again.") % {"count": count})
    return redirect("notify:delivery_list")


def _back(request, default: str = "notify:inbox") -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    from django.urls import reverse

    return reverse(default)
