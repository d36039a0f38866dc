"""Notifications: what other rooms of the work call, and the sending machinery.

Public API (call inside the transaction that makes the event; sending starts on commit):

    notify_users(*, kind, users, context=None, link="", idempotency_key=None) -> NotifyResult
        Staff members. Each gets an inbox entry, plus email, SMS and/or a WeCom group message
        as their preferences for `kind` say (defaults per role, see kinds.SPECS).

    notify_resident(*, kind, resident=None, phone_cipher="", phone_masked="", name="",
                    context=None, link="", idempotency_key=None, not_before=None) -> NotifyResult
        A resident, by SMS. Pass a directory Resident, or the sealed number and its masked
        form as stored elsewhere (e.g. a case's reporter): callers never hold a plain number.
        The sending job unseals it right before sending; it is in no job argument, no log
        line and no column in clear. `not_before` holds it until then (quiet hours).

    notify_wecom_group(*, kind, department=None, community=None, context=None, link="",
                       idempotency_key=None) -> NotifyResult
        The WeCom group robots of a department or community (or the district-wide one).

`context` holds the template variables (see each kind's `sample` in kinds.SPECS); `link` is
a path such as "/staff/cases/12/" or an absolute URL (made absolute with SITE_URL for
email, SMS and WeCom). Texts are rendered when called, so a delivery sends exactly what its
row shows, on every retry.

`idempotency_key` names the logical message, e.g. "urge:case:123:round:1". Every inbox entry
and delivery derived from it carries the key plus its recipient and channel under a UNIQUE
constraint, so calling twice, or from two workers at once, records and sends each message
exactly once (the second call reports them in `duplicates`).

Sending: `deliver(delivery_id)` (tasks.py) claims a queued delivery with a conditional
update, sends it through its provider and records the attempt. A failure is retried with
exponential backoff (NOTIFY_RETRY_SECONDS × 2ⁿ, at most NOTIFY_RETRY_MAX_SECONDS) until
NOTIFY_MAX_ATTEMPTS; then the delivery is `failed`, listed for administrators, who may retry
it. A periodic job also picks up every due delivery, so none is lost when a queue is lost.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts import scopes
from lianxin.core.jobs import enqueue_on_commit
from lianxin.core.logging import redact
from lianxin.notify import providers, rendering, selectors
from lianxin.notify.kinds import SPECS, Channel, EventKind, spec
from lianxin.notify.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    NotificationTemplate,
    WeComRobot,
)

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send.
STALE_CLAIM = datetime.timedelta(minutes=10)
DUE_BATCH = 500


@dataclass
class NotifyResult:
    notifications: list = field(default_factory=list)
    deliveries: list = field(default_factory=list)
    duplicates: int = 0
    skipped: list = field(default_factory=list)


# --- Helpers -------------------------------------------------------------------------------
def _key(base: str | None, *parts) -> str | None:
    if base is None:
        return None
    full = ":".join([base, *map(str, parts)])
    if len(full) > 200:
        full = full[:150] + "#" + hashlib.sha256(full.encode()).hexdigest()[:40]
    return full


def absolute_url(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.SITE_URL + ("" if link.startswith("/") else "/") + link


def _base_context(kind: str, link: str, context: dict | None) -> dict:
    base = {"site_url": settings.SITE_URL, "kind_label": str(_kind_labels().get(kind, kind))}
    base.update(context or {})
    base["link"] = absolute_url(link) or settings.SITE_URL + "/"
    return base


def _kind_labels() -> dict:
    return dict(EventKind.choices)


def _create_once(instance, result: NotifyResult) -> bool:
    """Save `instance` unless a row with its idempotency key exists (now or concurrently)."""
    if instance.idempotency_key is None:
        instance.save()
        return True
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        model = type(instance)
        if not model.objects.filter(idempotency_key=instance.idempotency_key).exists():
            raise
        result.duplicates += 1
        return False
    return True


def _existing_keys(model, keys: list) -> set:
    keys = [k for k in keys if k]
    if not keys:
        return set()
    return set(
        model.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True)
    )


def _queue(delivery: Delivery, result: NotifyResult) -> None:
    from lianxin.notify.tasks import deliver

    if _create_once(delivery, result):
        result.deliveries.append(delivery)
        enqueue_on_commit(deliver, delivery.pk, eta=delivery.next_attempt_at)


def _new_delivery(**fields) -> Delivery:
    fields.setdefault("next_attempt_at", timezone.now())
    return Delivery(
        max_attempts=settings.NOTIFY_MAX_ATTEMPTS,
        provider=providers.provider_name(fields["channel"]),
        **fields,
    )


# --- Public API ----------------------------------------------------------------------------
@transaction.atomic
def notify_users(
    *,
    kind: str,
    users,
    context: dict | None = None,
    link: str = "",
    idempotency_key: str | None = None,
) -> NotifyResult:
    spec(kind)
    result = NotifyResult()
    recipients = sorted(
        {u.pk: u for u in users if u is not None and u.is_active}.values(), key=lambda u: u.pk
    )
    if not recipients:
        return result
    base = _base_context(kind, link, context)
    choices = selectors.channels_for(recipients, kind)
    templates: dict[str, NotificationTemplate] = {}

    def rendered(channel: str, ctx: dict) -> rendering.Rendered:
        if channel not in templates:
            templates[channel] = rendering.template_for(kind, channel)
        return rendering.render(templates[channel], ctx)

    known_inbox = _existing_keys(
        Notification, [_key(idempotency_key, "u", u.pk, Channel.INBOX) for u in recipients]
    )
    known_deliveries = _existing_keys(
        Delivery,
        [
            _key(idempotency_key, "u", u.pk, c)
            for u in recipients
            for c in (Channel.EMAIL, Channel.SMS)
        ],
    )
    wecom_groups: dict = defaultdict(list)
    robots = None
    for user in recipients:
        ctx = {**base, "recipient": user.display_name}
        key = _key(idempotency_key, "u", user.pk, Channel.INBOX)
        if key is not None and key in known_inbox:
            result.duplicates += 1
        else:
            text = rendered(Channel.INBOX, ctx)
            notification = Notification(
                recipient=user,
                kind=kind,
                title=text.subject or str(_kind_labels().get(kind, kind)),
                body=text.body,
                link=link[:500],
                idempotency_key=key,
            )
            if _create_once(notification, result):
                result.notifications.append(notification)
        wanted = choices[user.pk]
        for channel, address in ((Channel.EMAIL, user.email), (Channel.SMS, user.phone)):
            if channel not in wanted:
                continue
            key = _key(idempotency_key, "u", user.pk, channel)
            if key is not None and key in known_deliveries:
                result.duplicates += 1
                continue
            if not address:
                result.skipped.append(
                    _("%(user)s: no %(channel)s address")
                    % {"user": user.display_name, "channel": Channel(channel).label}
                )
                continue
            text = rendered(channel, ctx)
            _queue(
                _new_delivery(
                    kind=kind,
                    channel=channel,
                    recipient_user=user,
                    recipient_label=user.display_name,
                    address=address,
                    subject=text.subject,
                    body=text.body,
                    link=base["link"],
                    payload=_sms_payload(text) if channel == Channel.SMS else {},
                    idempotency_key=key,
                ),
                result,
            )
        if Channel.WECOM in wanted:
            if robots is None:
                robots = list(WeComRobot.objects.filter(is_active=True))
            targets = _robots_for(user, kind, robots)
            if not targets:
                result.skipped.append(_("%(user)s: no WeCom robot") % {"user": user.display_name})
            for robot in targets:
                wecom_groups[robot].append(user)
    for robot, members in wecom_groups.items():
        _queue_wecom(
            kind=kind,
            robot=robot,
            members=members,
            base=base,
            rendered=rendered,
            key=_key(idempotency_key, "wecom", robot.pk if robot else "default"),
            result=result,
        )
    return result


@transaction.atomic
def notify_resident(
    *,
    kind: str,
    resident=None,
    phone_cipher: str = "",
    phone_masked: str = "",
    name: str = "",
    context: dict | None = None,
    link: str = "",
    idempotency_key: str | None = None,
    not_before: datetime.datetime | None = None,
) -> NotifyResult:
    spec(kind)
    result = NotifyResult()
    if resident is not None and not phone_cipher:
        phone_cipher, phone_masked = resident.phone_cipher, resident.phone_masked
    if not phone_cipher:
        result.skipped.append(_("The resident has no phone number."))
        return result
    key = _key(idempotency_key, "sms")
    if key is not None and _existing_keys(Delivery, [key]):
        result.duplicates += 1
        return result
    base = _base_context(kind, link, context)
    text = rendering.render(rendering.template_for(kind, Channel.SMS), base)
    label = name or (resident.name if resident is not None else "") or phone_masked
    _queue(
        _new_delivery(
            kind=kind,
            channel=Channel.SMS,
            resident=resident,
            recipient_label=label[:200],
            address_cipher=phone_cipher,
            address_masked=phone_masked,
            subject=text.subject,
            body=text.body,
            link=base["link"],
            payload=_sms_payload(text),
            idempotency_key=key,
            next_attempt_at=not_before or timezone.now(),
        ),
        result,
    )
    return result


@transaction.atomic
def notify_wecom_group(
    *,
    kind: str,
    department=None,
    community=None,
    context: dict | None = None,
    link: str = "",
    idempotency_key: str | None = None,
) -> NotifyResult:
    spec(kind)
    result = NotifyResult()
    robots = WeComRobot.objects.filter(is_active=True)
    if department is not None:
        robots = robots.filter(department=department)
    elif community is not None:
        robots = robots.filter(community=community)
    else:
        robots = robots.filter(department__isnull=True, community__isnull=True)
    targets: list = [r for r in robots if r.accepts(kind)]
    if not targets and department is None and community is None and settings.WECOM_WEBHOOK_URL:
        targets = [None]
    if not targets:
        result.skipped.append(_("No WeCom robot is configured for this group."))
        return result
    base = _base_context(kind, link, context)
    template = rendering.template_for(kind, Channel.WECOM)
    for robot in targets:
        _queue_wecom(
            kind=kind,
            robot=robot,
            members=[],
            base=base,
            rendered=lambda channel, ctx: rendering.render(template, ctx),
            key=_key(idempotency_key, "wecom", robot.pk if robot else "default"),
            result=result,
        )
    return result


def _sms_payload(text: rendering.Rendered) -> dict:
    return {
        "template_code": text.provider_template_code,
        "template_params": [list(p) for p in text.provider_params],
    }


def _robots_for(user, kind: str, robots: list) -> list:
    """The robots of the user's department or communities; else the district-wide robot;
    else the default webhook from settings (None)."""
    usable = [r for r in robots if r.accepts(kind)]
    ids = scopes.community_ids(user)
    own = [
        r
        for r in usable
        if (r.department_id and r.department_id == user.department_id)
        or (r.community_id and ids is not None and r.community_id in ids)
    ]
    if own:
        return own
    district = [r for r in usable if not r.department_id and not r.community_id]
    if district:
        return district
    return [None] if settings.WECOM_WEBHOOK_URL else []


def _queue_wecom(*, kind, robot, members, base, rendered, key, result) -> None:
    if key is not None and _existing_keys(Delivery, [key]):
        result.duplicates += 1
        return
    names = "、".join(u.display_name for u in members)
    text = rendered(Channel.WECOM, {**base, "recipient": names})
    mentions = [u.phone for u in members if u.phone]
    _queue(
        _new_delivery(
            kind=kind,
            channel=Channel.WECOM,
            robot=robot,
            recipient_label=(robot.name if robot else _("Default WeCom robot"))
            + (f"（{names}）" if names else ""),
            subject=text.subject,
            body=text.body,
            link=base["link"],
            payload={"mentioned_mobile_list": mentions} if mentions else {},
            idempotency_key=key,
        ),
        result,
    )


# --- Inbox and preferences -----------------------------------------------------------------
def notification_mark_read(*, actor, notification: Notification) -> bool:
    """Mark one of the actor's own notifications read; False if it already was."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied
    return bool(
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


def notifications_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_save(*, actor, choices: dict[str, set]) -> None:
    """Store the actor's channels per event kind (inbox is always on)."""
    for kind, channels in choices.items():
        spec(kind)
        NotificationPreference.objects.update_or_create(
            user=actor,
            kind=kind,
            defaults={c: c in channels for c in (Channel.EMAIL, Channel.SMS, Channel.WECOM)},
        )


# --- Templates -----------------------------------------------------------------------------
def templates_ensure_defaults(*, using: str = "default") -> int:
    """Create the default template of every kind and channel that has none. Returns how
    many were created; existing templates are never changed."""
    if NotificationTemplate._meta.db_table not in connections[using].introspection.table_names():
        return 0
    existing = set(NotificationTemplate.objects.using(using).values_list("kind", "channel"))
    missing = []
    for kind, kind_spec in SPECS.items():
        for channel in kind_spec.channels():
            if (kind, channel) in existing:
                continue
            subject, body = kind_spec.default_template(channel)
            missing.append(
                NotificationTemplate(
                    kind=kind,
                    channel=channel,
                    subject=subject,
                    body=body,
                    provider_params=kind_spec.sms_params if channel == Channel.SMS else "",
                )
            )
    NotificationTemplate.objects.using(using).bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def template_restore_default(*, actor, template: NotificationTemplate) -> NotificationTemplate:
    if not selectors.can_manage_notifications(actor):
        raise PermissionDenied
    subject, body = spec(template.kind).default_template(template.channel)
    template.subject, template.body = subject, body
    template.provider_params = (
        spec(template.kind).sms_params if template.channel == Channel.SMS else ""
    )
    template.updated_by = actor
    template.save()
    return template


# --- Sending -------------------------------------------------------------------------------
def backoff(attempt: int) -> datetime.timedelta:
    """Wait after the `attempt`-th failure: base, 2×base, 4×base … capped."""
    seconds = settings.NOTIFY_RETRY_SECONDS * 2 ** max(0, attempt - 1)
    return datetime.timedelta(seconds=min(seconds, settings.NOTIFY_RETRY_MAX_SECONDS))


def delivery_send(*, delivery_id: int) -> str | None:
    """Send one delivery if it is queued and due. Returns its new status, or None when
    another worker has it or it is not due (nothing changed)."""
    from lianxin.notify.tasks import deliver

    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.QUEUED, next_attempt_at__lte=now
    ).update(status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return None
    delivery = Delivery.objects.select_related("robot").get(pk=delivery_id)
    started = time.monotonic()
    error, retryable, sent = "", True, None
    try:
        sent = providers.provider_for(delivery).send(delivery)
    except providers.DeliveryError as exc:
        error, retryable = str(exc), exc.retryable
    except Exception as exc:  # a bug or an unexpected library error: recorded, retried
        logger.exception("Delivery %s failed unexpectedly", delivery_id)
        error = redact(f"{type(exc).__name__}: {exc}")[:2000]
    duration = max(0, int((time.monotonic() - started) * 1000))
    finished = timezone.now()
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            at=now,
            ok=sent is not None,
            error=error,
            duration_ms=duration,
        )
        current = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING)
        if sent is not None:
            current.update(
                status=DeliveryStatus.SENT,
                sent_at=finished,
                provider_message_id=sent.provider_message_id,
                last_error="",
                next_attempt_at=None,
                claimed_at=None,
            )
            status = DeliveryStatus.SENT
        elif retryable and delivery.attempts < delivery.max_attempts:
            eta = finished + backoff(delivery.attempts)
            current.update(
                status=DeliveryStatus.QUEUED, next_attempt_at=eta, last_error=error, claimed_at=None
            )
            enqueue_on_commit(deliver, delivery_id, eta=eta)
            status = DeliveryStatus.QUEUED
        else:
            current.update(
                status=DeliveryStatus.FAILED,
                next_attempt_at=None,
                last_error=error,
                claimed_at=None,
            )
            logger.warning("Delivery %s failed after %s attempts", delivery_id, delivery.attempts)
            status = DeliveryStatus.FAILED
    return status


def deliveries_dispatch_due(*, now: datetime.datetime | None = None) -> int:
    """Enqueue every queued delivery that is due (a catch-up for lost or delayed jobs) and
    release claims of workers that died while sending. Returns how many were enqueued."""
    from lianxin.notify.tasks import deliver

    now = now or timezone.now()
    Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=DeliveryStatus.QUEUED,
        next_attempt_at=now,
        claimed_at=None,
        last_error=_("The worker stopped while sending; tried again."),
    )
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:DUE_BATCH]
    )
    for pk in due:
        deliver(pk)
    return len(due)


@transaction.atomic
def delivery_retry(*, actor, delivery: Delivery) -> None:
    """An administrator sends a failed delivery again (a new round of attempts)."""
    from lianxin.notify.tasks import deliver

    if not selectors.can_manage_notifications(actor):
        raise PermissionDenied
    now = timezone.now()
    provider = (
        providers.provider_name(Channel.SMS)
        if delivery.channel == Channel.SMS
        else delivery.provider
    )
    updated = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.QUEUED,
        next_attempt_at=now,
        max_attempts=F("attempts") + settings.NOTIFY_MAX_ATTEMPTS,
        provider=provider,
        retried_by=actor,
        retried_at=now,
    )
    if updated != 1:
        raise ValidationError(
            _("This delivery has not failed (any more); nothing was changed."), code="not_failed"
        )
    enqueue_on_commit(deliver, delivery.pk)


def deliveries_retry_failed(*, actor, ids=None) -> int:
    """Retry every failed delivery (or those of `ids`). Returns how many were requeued."""
    if not selectors.can_manage_notifications(actor):
        raise PermissionDenied
    failed = Delivery.objects.filter(status=DeliveryStatus.FAILED)
    if ids is not None:
        failed = failed.filter(pk__in=ids)
    count = 0
    for delivery in failed.order_by("pk")[:DUE_BATCH]:
        try:
            delivery_retry(actor=actor, delivery=delivery)
        except ValidationError:
            continue
        count += 1
    return count
